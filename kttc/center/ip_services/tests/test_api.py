"""The fast pre-examination API (M11.1): the same use cases as the pages, one operation each;
refusals in the one error shape naming the field and the clause."""

from __future__ import annotations

import base64

import pytest

from kttc.center.ip_services.models import PreExamination
from kttc.core.services import api_token_create
from kttc.policy import calendar

pytestmark = pytest.mark.django_db

BASE = "/api/v1/pre-examinations"
DOCUMENT = {
    "title": "权利要求书", "file_name": "claims.pdf",
    "content_base64": base64.b64encode(b"%PDF-1.4 claims").decode(),
}  # fmt: skip
FILING = {"title": "一种重组蛋白疫苗的纯化方法", "kind": "invention", "industry_code": "C2762"}


def _auth(person) -> dict[str, str]:
    _token, key = api_token_create(user=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, path: str, body: dict, auth: dict):
    return client.post(path, body, content_type="application/json", **auth)


def test_m11_1_the_api_walks_a_request_through_the_queue(client, personas):
    applicant, staff = _auth(personas.enterprise), _auth(personas.bureau)
    answer = _post(client, BASE, {**FILING, "documents": [{**DOCUMENT, "content_base64": "@@"}]},
                   applicant)  # fmt: skip
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "documents"
    answer = _post(client, BASE, {**FILING, "industry_code": "C3911", "documents": [DOCUMENT]},
                   applicant)  # fmt: skip
    error = answer.json()["error"]
    assert answer.status_code == 400
    assert (error["field"], error["clauses"]) == ("industry_code", ["M11.1"])
    answer = _post(client, BASE, {**FILING, "documents": [DOCUMENT]}, applicant)
    assert answer.status_code == 201
    pk = answer.json()["id"]
    assert answer.json()["documents"][0]["sha256"]
    assert [r["id"] for r in client.get(BASE, **staff).json()] == [pk]
    assert [r["id"] for r in client.get(BASE, **applicant).json()] == [pk]
    assert _post(client, f"{BASE}/{pk}/accept", {}, applicant).status_code == 403
    answer = _post(client, f"{BASE}/{pk}/accept", {}, staff)
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    assert answer.json()["due_on"] and answer.json()["overdue"] is False
    answer = _post(client, f"{BASE}/{pk}/forward", {"reference": "YS 53"}, staff)
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "reference"
    answer = _post(client, f"{BASE}/{pk}/forward", {"reference": "YS5320261204001"}, staff)
    assert answer.json()["status"] == "forwarded"
    today = calendar.today_in_shanghai().isoformat()
    answer = _post(client, f"{BASE}/{pk}/outcome", {"passed": True, "decided_on": today}, staff)
    assert answer.status_code == 200
    read = client.get(f"{BASE}/{pk}", **applicant).json()
    assert (read["status"], read["reference"], read["outcome_on"]) == (
        "passed", "YS5320261204001", today,
    )  # fmt: skip


def test_m11_1_a_returned_request_is_corrected_through_the_api(client, personas):
    applicant, staff = _auth(personas.transfer_office), _auth(personas.bureau)
    pk = _post(client, BASE, {**FILING, "documents": [DOCUMENT]}, applicant).json()["id"]
    answer = _post(client, f"{BASE}/{pk}/return", {"reason": " "}, staff)
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "reason"
    assert _post(client, f"{BASE}/{pk}/return", {"reason": "补充附图"}, staff).status_code == 200
    answer = _post(client, f"{BASE}/{pk}/resubmit", {**FILING, "documents": [DOCUMENT]}, applicant)
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["submissions"]) == ("submitted", 2)
    assert _post(client, f"{BASE}/{pk}/refuse", {"reason": "不符合"}, staff).json()["status"] == (
        "refused"
    )


def test_m11_1_others_do_not_see_a_request(client, personas):
    pk = _post(client, BASE, {**FILING, "documents": [DOCUMENT]}, _auth(personas.enterprise))
    pk = pk.json()["id"]
    assert client.get(f"{BASE}/{pk}", **_auth(personas.investment_platform)).status_code == 404
    assert _post(client, BASE, {**FILING, "documents": [DOCUMENT]},
                 _auth(personas.researcher)).status_code == 403  # fmt: skip
    assert client.get(BASE).status_code == 401
    assert PreExamination.objects.count() == 1
