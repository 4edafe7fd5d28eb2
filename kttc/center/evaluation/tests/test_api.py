"""The evaluation API (M10.1): request, the institution's and the evaluator's steps, list and
read for those who may see, the signed report's frozen content with its hash (M14.1); refusals
in the one error shape naming the field and the clause."""

from __future__ import annotations

import hashlib

import pytest

from kttc.center.evaluation.tests.factories import EVIDENCE, SCORES, setting
from kttc.core.models import AuditEntry
from kttc.core.services import api_token_create
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _auth(person) -> dict[str, str]:
    _token, key = api_token_create(user=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_m10_1_the_api_walks_an_evaluation_to_its_signed_report(client, personas, publish):
    s = setting(personas, publish)
    bank, staff, evaluator = (
        _auth(personas.financial_institution), _auth(s.staff), _auth(s.evaluator),
    )  # fmt: skip
    payload = {
        "requester_id": personas.organisations[Role.FINANCIAL_INSTITUTION].pk,
        "result_id": s.result.pk, "institution_id": s.institution.pk, "purpose": "质押贷款",
    }  # fmt: skip
    answer = client.post("/api/v1/evaluations", payload, content_type=JSON, **bank)
    assert answer.status_code == 201, answer.content
    pk = answer.json()["id"]
    assert answer.json()["requester_kind"] == "bank"
    # The enterprise neither sees it nor reads it.
    other = _auth(personas.enterprise)
    assert client.get("/api/v1/evaluations", **other).json() == []
    assert client.get(f"/api/v1/evaluations/{pk}", **other).status_code == 404
    assert [e["id"] for e in client.get("/api/v1/evaluations", **staff).json()] == [pk]
    answer = client.post(f"/api/v1/evaluations/{pk}/accept", {"evaluator_id": s.evaluator.pk},
                         content_type=JSON, **staff)  # fmt: skip
    assert answer.json()["status"] == "accepted"
    scores = {"trl": 6, "scores": SCORES, "evidence": EVIDENCE}
    # Scoring before the declaration: refused, naming the clause.
    answer = client.post(f"/api/v1/evaluations/{pk}/scores", scores, content_type=JSON,
                         **evaluator)  # fmt: skip
    error = answer.json()["error"]
    assert answer.status_code == 400 and error["code"] == "evaluation.not_declared"
    assert "M10.1" in error["clauses"]
    client.post(f"/api/v1/evaluations/{pk}/declare", {"interest": ""}, content_type=JSON,
                **evaluator)  # fmt: skip
    bad = {**scores, "scores": {**SCORES, "risk": 120}}
    answer = client.post(f"/api/v1/evaluations/{pk}/scores", bad, content_type=JSON, **evaluator)
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "score_risk"
    answer = client.post(f"/api/v1/evaluations/{pk}/scores", scores, content_type=JSON,
                         **evaluator)  # fmt: skip
    assert answer.json()["total"] == "65.25" and len(answer.json()["scores"]) == 6
    # The report is not there before the signature.
    assert client.get(f"/api/v1/evaluations/{pk}/report", **bank).status_code == 404
    answer = client.post(f"/api/v1/evaluations/{pk}/sign", content_type=JSON, **evaluator)
    assert answer.status_code == 200
    signed = client.get(f"/api/v1/evaluations/{pk}/report", **bank).json()
    assert signed["content"]["total"] == "65.25" and signed["content"]["declared_interest"] == ""
    entry = AuditEntry.objects.filter(action="evaluation.sign").last()
    assert entry.after["report_sha256"] == signed["sha256"]
    assert signed["sha256"] == answer.json()["sha256"]
    # The unit, not the bank, shows it publicly.
    answer = client.post(f"/api/v1/evaluations/{pk}/show", {"shown": True}, content_type=JSON,
                         **bank)  # fmt: skip
    assert answer.status_code == 403 and answer.json()["error"]["code"]
    answer = client.post(f"/api/v1/evaluations/{pk}/show", {"shown": True}, content_type=JSON,
                         **_auth(personas.transfer_office))  # fmt: skip
    assert answer.json()["shown_publicly"] is True


def test_m10_1_the_api_refuses_bad_input_without_a_server_error(client, personas, publish):
    s = setting(personas, publish)
    bank = _auth(personas.financial_institution)
    base = {
        "requester_id": personas.organisations[Role.FINANCIAL_INSTITUTION].pk,
        "result_id": s.result.pk, "institution_id": s.institution.pk, "purpose": "质押贷款",
    }  # fmt: skip
    answer = client.post("/api/v1/evaluations", {**base, "purpose": " "}, content_type=JSON,
                         **bank)  # fmt: skip
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "purpose"
    answer = client.post("/api/v1/evaluations", {**base, "result_id": 0}, content_type=JSON,
                         **bank)  # fmt: skip
    assert answer.status_code == 422
    answer = client.post("/api/v1/evaluations", {**base, "result_id": 99999999},
                         content_type=JSON, **bank)  # fmt: skip
    assert answer.status_code == 404
    enterprise = personas.organisations[Role.ENTERPRISE].pk
    answer = client.post(
        "/api/v1/evaluations", {**base, "institution_id": enterprise}, content_type=JSON, **bank
    )
    assert answer.json()["error"]["code"] == "evaluation.institution"
    assert client.get("/api/v1/evaluations/abc", **bank).status_code in (404, 422)
    assert client.get("/api/v1/evaluations").status_code == 401


def test_m10_1_the_report_json_hash_is_the_content_s(client, personas, publish):
    from kttc.center.evaluation.tests.factories import signed

    s = setting(personas, publish)
    evaluation = signed(personas, s)
    answer = client.get(f"/api/v1/evaluations/{evaluation.pk}/report",
                        **_auth(personas.financial_institution)).json()  # fmt: skip
    assert answer["sha256"] == hashlib.sha256(evaluation.report.content.encode()).hexdigest()
