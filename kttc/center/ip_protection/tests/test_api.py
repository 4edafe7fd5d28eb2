"""The IP protection cases API (M11.2): a complaint walked from filing to its published
decision, one operation per step; refusals in the one error shape naming the field and the
clause; the public decisions without personal data."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from kttc.center.ip_protection.models import IpCase
from kttc.center.ip_protection.tests.factories import DECISION, PATENT
from kttc.core.services import api_token_create
from kttc.policy import calendar
from kttc.policy.ip_services import add_working_days
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db

BASE = "/api/v1/ip-cases"
EVIDENCE = {
    "title": "公证书", "file_name": "notary.pdf",
    "content_base64": base64.b64encode(b"%PDF-1.4 notary").decode(),
}  # fmt: skip


def _auth(person) -> dict[str, str]:
    _token, key = api_token_create(user=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, path: str, body: dict, auth: dict):
    return client.post(path, body, content_type="application/json", **auth)


def _case(personas, **changes) -> dict:
    respondent = personas.organisations[Role.ENTERPRISE]
    return {
        "kind": "complaint", "respondent_name": respondent.name,
        "respondent_credit_code": respondent.credit_code, "patent_number": PATENT,
        "facts": "被请求人销售侵权产品。", "persons": ["赵敏"], "evidence": [EVIDENCE], **changes,
    }  # fmt: skip


def test_m11_2_the_api_walks_a_complaint_to_its_published_decision(client, personas):
    office, staff, respondent = (
        _auth(personas.transfer_office), _auth(personas.bureau), _auth(personas.enterprise)
    )  # fmt: skip
    answer = _post(client, BASE, _case(personas, patent_number="201710601862.4"), office)
    error = answer.json()["error"]
    assert answer.status_code == 400
    assert (error["field"], error["clauses"]) == ("patent_number", ["M11.2"])
    answer = _post(client, BASE, _case(personas, evidence=[]), office)
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "evidence"
    answer = _post(client, BASE, _case(personas), office)
    assert answer.status_code == 201
    pk = answer.json()["id"]
    assert answer.json()["evidence"][0]["sha256"] and answer.json()["status"] == "filed"
    assert client.get(BASE, **respondent).json() == []
    assert client.get(f"{BASE}/{pk}", **respondent).status_code == 404
    assert [c["id"] for c in client.get(BASE, **staff).json()] == [pk]
    assert _post(client, f"{BASE}/{pk}/accept", {}, office).status_code == 403
    assert _post(client, f"{BASE}/{pk}/accept", {}, staff).json()["status"] == "accepted"
    assert [c["id"] for c in client.get(BASE, **respondent).json()] == [pk]
    today = calendar.today_in_shanghai()
    answer = _post(client, f"{BASE}/{pk}/sessions",
                   {"held_on": today.isoformat(), "outcome": "failed"}, staff)  # fmt: skip
    assert answer.status_code == 201 and answer.json()["outcome"] == "failed"
    answer = _post(client, f"{BASE}/{pk}/hearing",
                   {"hearing_on": today.isoformat(), "place": "会议室"}, staff)  # fmt: skip
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "hearing_on"
    hearing = add_working_days(today, 3)
    answer = _post(client, f"{BASE}/{pk}/hearing",
                   {"hearing_on": hearing.isoformat(), "place": "会议室"}, staff)  # fmt: skip
    assert answer.json()["hearing_on"] == hearing.isoformat()
    # The hearing day has come (moved to today's past for the record).
    IpCase.objects.filter(pk=pk).update(hearing_on=today - dt.timedelta(days=1))
    assert (
        _post(client, f"{BASE}/{pk}/hearing-record", {"record": "到庭"}, staff).status_code == 200
    )
    answer = _post(client, f"{BASE}/{pk}/decision", {
        "decision": DECISION, "outcome": "for_respondent", "decided_on": today.isoformat(),
    }, staff)  # fmt: skip
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "outcome"
    answer = _post(client, f"{BASE}/{pk}/decision", {
        "decision": DECISION, "outcome": "infringement_found", "decided_on": today.isoformat(),
        "measures": "责令停止销售",
    }, staff)  # fmt: skip
    assert answer.json()["status"] == "enforcement"
    answer = _post(client, f"{BASE}/{pk}/enforcement",
                   {"record": "已停止", "enforced_on": today.isoformat()}, staff)  # fmt: skip
    assert answer.json()["status"] == "closed"
    assert client.get(f"{BASE}/decisions").json() == []
    assert _post(client, f"{BASE}/{pk}/publish", {}, staff).status_code == 200
    public = client.get(f"{BASE}/decisions").json()
    assert [d["number"] for d in public] == [f"KTTC-IP-{today:%Y}-{pk:05d}"]
    text = str(public)
    for private in ("赵敏", "13812345678", "zhao.min@law.example.cn", "530102199001011234",
                    "人民中路12号", personas.transfer_office.full_name):  # fmt: skip
        assert private not in text
    assert PATENT in text and personas.organisations[Role.ENTERPRISE].name in text


def test_m11_2_others_do_not_see_a_case(client, personas):
    pk = _post(client, BASE, _case(personas), _auth(personas.transfer_office)).json()["id"]
    assert client.get(f"{BASE}/{pk}", **_auth(personas.investment_platform)).status_code == 404
    assert client.get(f"{BASE}/{pk}", **_auth(personas.transfer_office)).status_code == 200
    assert _post(client, BASE, _case(personas), _auth(personas.researcher)).status_code == 403
    assert client.get(BASE).status_code == 401
