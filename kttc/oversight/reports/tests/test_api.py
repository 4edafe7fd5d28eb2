"""The units' reports' API (M13.3): the pre-filled draft, a submission refused in the one error
shape (field and clause) and accepted with its reasons, who reads what."""

from __future__ import annotations

import pytest

from kttc.benefits.tests.factories import api_auth, api_post
from kttc.oversight.reports.tests.factories import EXPECTED, filled, period, records

pytestmark = pytest.mark.django_db
BASE = "/api/v1/unit-reports"


def test_m13_3_the_office_reads_its_pre_filled_draft_and_submits_it(client, personas):
    records(personas)
    found = period(personas)
    office = api_auth(personas.transfer_office)
    draft = client.get(f"{BASE}/periods/{found.pk}/draft", **office)
    assert draft.status_code == 200
    body = draft.json()
    figures = {f["code"]: f for f in body["figures"]}
    assert {code: figures[code]["platform"] for code in EXPECTED} == EXPECTED
    assert figures["rd_staff"]["platform"] is None and figures["rd_staff"]["source"] == "unit"
    assert figures["transfers_amount"]["clauses"][0] == "M13.3"
    url = f"{BASE}/reports/{body['id']}/submit"
    people = [{"code": c, "value": v, "reason": r} for c, (v, r) in filled().items()]
    refused = api_post(client, url, office, {"figures": [*people, {"code": "transfers_count",
                                                                     "value": "3"}]})  # fmt: skip
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert (error["code"], error["field"], error["clauses"]) == (
        "unit_report.reason_required", "transfers_count", ["M13.3"],
    )  # fmt: skip
    bad = api_post(client, url, office, {"figures": [{"code": "nope", "value": "1"}]})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "nope"
    done = api_post(
        client, url, office,
        {"figures": [*people, {"code": "transfers_count", "value": 3, "reason": "一份线下合同"}]},
    )  # fmt: skip
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "submitted"
    kinds = [e["kind"] for e in done.json()["history"]]
    assert kinds == ["prepared", "submitted"]
    again = api_post(client, url, office, {"figures": []})
    assert again.status_code == 400 and again.json()["error"]["code"] == "unit_report.status"
    review = f"{BASE}/reports/{body['id']}"
    assert api_post(client, f"{review}/accept", office, {}).status_code == 403
    bureau = api_auth(personas.bureau)
    returned = api_post(client, f"{review}/return", bureau, {"reason": "请核实转让项数"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "请核实转让项数"
    resubmitted = api_post(client, url, office, {"figures": []})
    assert resubmitted.json()["status"] == "submitted"
    accepted = api_post(client, f"{review}/accept", bureau, {})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    frozen = api_post(client, f"{review}/return", bureau, {"reason": "x"})
    assert frozen.json()["error"]["code"] == "unit_report.frozen"


def test_m13_3_who_reads_the_reports(client, personas):
    found = period(personas)
    assert client.get(f"{BASE}/reports", **api_auth(personas.enterprise)).json() == []
    denied = client.get(f"{BASE}/periods/{found.pk}/draft", **api_auth(personas.enterprise))
    assert denied.status_code == 403
    for reader in (personas.bureau, personas.auditor, personas.transfer_office):
        listed = client.get(f"{BASE}/reports", **api_auth(reader)).json()
        assert [r["year"] for r in listed] == [2026]
    assert client.get(f"{BASE}/periods", **api_auth(personas.auditor)).json()[0]["year"] == 2026
