"""The findings' API (M14.2): a department's auditor records a record with its findings and a
document in base64, warned of another department's recent record of the unit on the same
clauses, and issues it; the other department reads it, the unit reads its own, another unit
nothing; a second record of the same reference, a wrong clause and an auditor writing elsewhere
are refused in the one error shape naming the field and the clause."""

from __future__ import annotations

import base64

import pytest

from kttc.core.services import api_token_create
from kttc.oversight.findings.models import Inspection
from kttc.oversight.findings.tests.factories import DAY, departments, issued
from kttc.policy.evidence import document_hash
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db

BASE = "/api/v1/findings"


def _auth(person) -> dict[str, str]:
    _token, key = api_token_create(user=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, path: str, body: dict, auth: dict):
    return client.post(path, body, content_type="application/json", **auth)


def _body(unit, **changes) -> dict:
    body = {
        "kind": "audit", "reference": "昆审〔2026〕40号", "title": "许可收入分配审计",
        "subject_ids": [unit.pk], "period_start": "2025-01-01", "period_end": "2025-12-31",
        "clauses": ["M5.2"], "scope": "许可收入分配", "fieldwork_start": "2026-10-01",
        "fieldwork_end": "2026-10-20",
        "findings": [{"subject_id": unit.pk, "clause": "M5.2", "severity": "serious",
                      "description": "奖励比例不足", "deadline": "2027-03-01"}],
        "documents": [{"title": "报告", "file_name": "r.pdf",
                       "content_base64": base64.b64encode(b"%PDF api").decode()}],
    }  # fmt: skip
    body.update(changes)
    return body


def test_m14_2_record_issue_and_read_through_the_api(client, personas, monkeypatch):
    from kttc.oversight.findings import selectors

    monkeypatch.setattr(selectors, "today", lambda: DAY)
    world = departments(personas)
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    earlier = issued(world.auditor_b, world.b, unit, reference="B-9")
    a = _auth(world.auditor_a)
    made = _post(client, f"{BASE}/inspections", _body(unit), a)
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["record"]["status"] == "draft"
    assert data["record"]["documents"][0]["sha256"] == document_hash(b"%PDF api")
    assert [o["id"] for o in data["overlapping"]] == [earlier.pk]
    assert data["overlapping"][0]["clauses"] == ["M5.2"]
    pk = data["record"]["id"]

    again = _post(client, f"{BASE}/inspections", _body(unit), a)
    assert again.status_code == 400
    error = again.json()["error"]
    assert (error["code"], error["field"], error["clauses"]) == (
        "findings.reference_taken", "reference", ["M14.2"],
    )  # fmt: skip
    wrong = _post(client, f"{BASE}/inspections", _body(unit, reference="x", clauses=["M99.9"]), a)
    assert wrong.json()["error"]["field"] == "clauses"

    more = {"subject_id": unit.pk, "clause": "M5.2", "severity": "minor", "description": "未公示",
            "rectification_required": False}  # fmt: skip
    added = _post(client, f"{BASE}/inspections/{pk}/findings", more, a)
    assert added.status_code == 201, added.content
    assert added.json()["rectification"] == "not_required"
    outside = _post(client, f"{BASE}/inspections/{pk}/findings", {**more, "clause": "M3.1"}, a)
    assert outside.json()["error"]["field"] == "clause"
    b = _auth(world.auditor_b)
    assert client.get(f"{BASE}/inspections/{pk}", **b).status_code == 404  # A's draft
    assert _post(client, f"{BASE}/inspections/{pk}/issue", {}, b).status_code == 404
    issued_now = _post(client, f"{BASE}/inspections/{pk}/issue", {}, a)
    assert issued_now.status_code == 200 and issued_now.json()["status"] == "issued"
    read = client.get(f"{BASE}/inspections/{pk}", **b).json()
    assert [f["severity"] for f in read["findings"]] == ["serious", "minor"]
    office = _auth(personas.transfer_office)
    assert {r["id"] for r in client.get(f"{BASE}/inspections", **office).json()} == {pk, earlier.pk}
    assert client.get(f"{BASE}/inspections", **_auth(personas.enterprise)).json() == []
    refused = _post(client, f"{BASE}/inspections", _body(unit, reference="y"), office)
    assert refused.status_code == 403
    bureau = _post(
        client, f"{BASE}/inspections", _body(unit, reference="z"), _auth(personas.bureau)
    )
    assert bureau.status_code == 403
    assert Inspection.objects.count() == 2


def test_m14_2_amend_rectify_and_review_through_the_api(client, personas):
    world = departments(personas)
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    record = issued(world.auditor_a, world.a, unit)
    finding = record.findings.get()
    a, office = _auth(world.auditor_a), _auth(personas.transfer_office)
    nothing = _post(client, f"{BASE}/inspections/{record.pk}/amend", {"reason": "更正"}, a)
    assert nothing.json()["error"]["code"] == "findings.amend_nothing"
    made = _post(
        client, f"{BASE}/inspections/{record.pk}/amend",
        {"reason": "复核后调整", "finding_id": finding.pk, "severity": "minor"}, a,
    )  # fmt: skip
    assert made.status_code == 201
    assert (made.json()["before"], made.json()["after"]) == (
        {"severity": "significant"}, {"severity": "minor"},
    )  # fmt: skip
    assert _post(client, f"{BASE}/inspections/{record.pk}/amend", {"reason": "x", "title": "y"},
                 _auth(world.auditor_b)).status_code == 403  # fmt: skip
    body = {"text": "已补发", "documents": [{"title": "回单", "file_name": "p.pdf",
            "content_base64": base64.b64encode(b"%PDF paid").decode()}]}  # fmt: skip
    assert (
        _post(
            client, f"{BASE}/findings/{finding.pk}/rectify", body, _auth(personas.enterprise)
        ).status_code
        == 404
    )
    done = _post(client, f"{BASE}/findings/{finding.pk}/rectify", body, office)
    assert done.status_code == 200 and done.json()["rectification"] == "submitted"
    refused = _post(client, f"{BASE}/findings/{finding.pk}/review", {"rectified": False}, a)
    assert refused.json()["error"]["field"] == "note"
    reviewed = _post(client, f"{BASE}/findings/{finding.pk}/review", {"rectified": True}, a)
    assert reviewed.status_code == 200 and reviewed.json()["rectification"] == "rectified"


def test_m14_2_the_list_answers_in_as_many_queries_however_many_records(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = departments(personas)
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    bureau = _auth(personas.bureau)

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(f"{BASE}/inspections", **bureau).status_code == 200
        return len(seen)

    issued(world.auditor_a, world.a, unit, reference="R-0")
    one = queries()
    for i in range(1, 6):
        issued(world.auditor_a, world.a, unit, reference=f"R-{i}")
    assert queries() == one
