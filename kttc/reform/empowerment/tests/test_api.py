"""The empowerment API (M1): the same way as the pages, refusals in the one error shape citing
their clauses, and nothing stored when a rule refuses."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from kttc.core import services as core_services
from kttc.reform.empowerment.models import EmpowermentApplication, EmpowermentGrant

pytestmark = pytest.mark.django_db


def _auth(person) -> dict[str, str]:
    _token, key = core_services.api_token_create(user=person, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _doc(name: str, content: bytes) -> dict[str, str]:
    return {"name": name, "content_base64": base64.b64encode(content).decode()}


def _post(client, url, auth, body=None):
    return client.post(url, body or {}, content_type="application/json", **auth)


def _application(result, **changes):
    body = {
        "achievement_id": result.pk,
        "right": "long_term_use",
        "term_years": 10,
        "summary": "中试后许可本地企业。",
        "plan": _doc("方案.pdf", b"plan"),
        "partners": [],
        "attachments": [{"title": "团队成员知情同意书", **_doc("同意书.pdf", b"consent")}],
    }
    body.update(changes)
    return body


def test_m1_the_whole_way_through_the_api(client, personas, rules, result, travel):
    team, office = _auth(personas.researcher), _auth(personas.transfer_office)
    travel(dt.date(2026, 11, 25))
    created = _post(client, "/api/v1/empowerment/applications", team, _application(result))
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert {d["kind"] for d in created.json()["documents"]} == {"plan", "required"}
    assert (
        _post(client, f"/api/v1/empowerment/applications/{pk}/approve", office).json()["status"]
        == "approved"
    )
    notice = _post(client, f"/api/v1/empowerment/applications/{pk}/notice", office, {"days": 20})
    assert notice.status_code == 201 and notice.json()["last_day"] == "2026-12-15"
    objection = _post(
        client,
        f"/api/v1/empowerment/notices/{notice.json()['id']}/objections",
        team,
        {"text": "排序有误"},
    )
    assert objection.status_code == 201
    low = _post(
        client,
        f"/api/v1/empowerment/applications/{pk}/agreement",
        office,
        {"team_share": "0.6", "terms": "年报"},
    )
    assert low.status_code == 400 and low.json()["error"]["clauses"] == ["M5.2", "M1.6"]
    agreement = _post(
        client,
        f"/api/v1/empowerment/applications/{pk}/agreement",
        office,
        {"team_share": "0.7", "terms": "年报"},
    )
    assert agreement.status_code == 200 and agreement.json()["team_share"] == "0.7000"
    _post(client, f"/api/v1/empowerment/applications/{pk}/sign", office, {"side": "unit"})
    signed = _post(client, f"/api/v1/empowerment/applications/{pk}/sign", team, {"side": "team"})
    assert {s["side"] for s in signed.json()["signatures"]} == {"unit", "team"}

    travel(dt.date(2026, 12, 15))
    early = _post(client, f"/api/v1/empowerment/applications/{pk}/grant", office)
    assert early.status_code == 400
    assert early.json()["error"]["clauses"] == ["M1.5"]
    assert "2026-12-15" in early.json()["error"]["message"]
    travel(dt.date(2026, 12, 16))
    waiting = _post(client, f"/api/v1/empowerment/applications/{pk}/grant", office)
    assert waiting.json()["error"]["code"] == "empowerment.objections_open"
    _post(
        client,
        f"/api/v1/empowerment/objections/{objection.json()['id']}/answer",
        office,
        {"answer": "排序无误"},
    )
    granted = _post(client, f"/api/v1/empowerment/applications/{pk}/grant", office)
    assert granted.status_code == 201, granted.json()
    assert granted.json()["ends_on"] == "2036-12-16"
    right = granted.json()["id"]
    extended = _post(
        client,
        f"/api/v1/empowerment/rights/{right}/extend",
        office,
        {"years": 5, "report": "收入良好", "report_document": _doc("年报.pdf", b"report")},
    )
    assert extended.json()["ends_on"] == "2041-12-16"
    listed = client.get("/api/v1/empowerment/rights", **team).json()["items"]
    assert [r["id"] for r in listed] == [right]


def test_m1_refusals_answer_the_error_shape_and_store_nothing(client, personas, rules, result):
    team = _auth(personas.researcher)
    too_long = _post(
        client, "/api/v1/empowerment/applications", team, _application(result, term_years=30)
    )
    error = too_long.json()["error"]
    assert too_long.status_code == 400 and error["clauses"] == ["M1.3"]
    assert error["field"] == "term_years"
    bad = _post(
        client,
        "/api/v1/empowerment/applications",
        team,
        _application(result, plan={"name": "x.pdf", "content_base64": "%%%"}),
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "document.base64"
    malformed = _post(client, "/api/v1/empowerment/applications", team, {"right": "x"})
    assert malformed.status_code == 422
    assert not EmpowermentApplication.objects.exists()
    assert client.get("/api/v1/empowerment/applications").status_code == 401


def test_m1_3_rules_through_the_api_only_for_the_units_office(client, personas, unit):
    body = {"grants_ownership": True, "grants_long_term_use": False, "required_documents": []}
    denied = client.put(
        f"/api/v1/empowerment/rules/{unit.pk}",
        body,
        content_type="application/json",
        **_auth(personas.researcher),
    )
    assert denied.status_code == 403
    office = _auth(personas.transfer_office)
    saved = client.put(
        f"/api/v1/empowerment/rules/{unit.pk}", body, content_type="application/json", **office
    )
    assert saved.status_code == 200 and saved.json()["grants_ownership"] is True
    read = client.get(f"/api/v1/empowerment/rules/{unit.pk}", **_auth(personas.researcher))
    assert read.json()["max_term_years"] is None
    assert not EmpowermentGrant.objects.exists()
