"""The service institutions API (M9.1, M9.2): the same use cases as the pages, one operation
each; refusals in the one error shape naming the field and the clause."""

from __future__ import annotations

import base64

import pytest

from kttc.center.institutions.models import BrokerReward, CertificationApplication
from kttc.center.institutions.tests.factories import institution, member
from kttc.core.services import api_token_create
from kttc.policy import calendar

pytestmark = pytest.mark.django_db


def _auth(person) -> dict[str, str]:
    _token, key = api_token_create(user=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_m9_the_api_walks_a_certification_with_its_subsidy_split(client, personas):
    found = institution(personas)
    staff, bureau = _auth(found.staff), _auth(personas.bureau)
    base = f"/api/v1/institutions/{found.organisation.pk}"
    other = member(found.organisation, 9)
    answer = client.post(
        f"{base}/brokers",
        {"person_id": other.pk, "certificate_number": "KM-API-0001",
         "certificate_level": "junior", "fields": ["新能源"], "languages": ["vi"]},
        content_type="application/json", **staff,
    )  # fmt: skip
    assert answer.status_code == 201 and answer.json()["languages"] == ["vi"]
    assert len(client.get(f"{base}/brokers", **staff).json()) == 3
    material = {"title": "申请表", "file_name": "a.pdf",
                "content_base64": base64.b64encode(b"%PDF-1.4").decode()}  # fmt: skip
    answer = client.post(
        f"{base}/applications",
        {"statement": "申请", "materials": [{**material, "content_base64": "@@"}]},
        content_type="application/json", **staff,
    )  # fmt: skip
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "materials"
    answer = client.post(
        f"{base}/applications", {"statement": "申请", "materials": [material]},
        content_type="application/json", **staff,
    )  # fmt: skip
    assert answer.status_code == 201
    pk = answer.json()["id"]
    assert [a["id"] for a in client.get("/api/v1/institutions/applications", **bureau).json()] == [
        pk
    ]
    today = calendar.today_in_shanghai()
    term = {
        "term_start": today.isoformat(),
        "term_end": today.replace(year=today.year + 3).isoformat(),
    }
    answer = client.post(f"/api/v1/institutions/applications/{pk}/certify", term,
                         content_type="application/json", **staff)  # fmt: skip
    assert answer.status_code == 403
    answer = client.post(f"/api/v1/institutions/applications/{pk}/certify", term,
                         content_type="application/json", **bureau)  # fmt: skip
    assert answer.status_code == 200 and answer.json()["status"] == "certified"
    answer = client.post(f"/api/v1/institutions/applications/{pk}/subsidy",
                         {"disbursed_on": today.isoformat()},
                         content_type="application/json", **bureau)  # fmt: skip
    assert answer.status_code == 201 and answer.json()["amount"] == "100000.00"
    subsidy = answer.json()["id"]
    a, b = found.brokers
    shares = [{"broker_id": a.pk, "percent": "50"}, {"broker_id": b.pk, "percent": "50"}]
    answer = client.post(f"/api/v1/institutions/subsidies/{subsidy}/reward",
                         {"total": "9999.99", "shares": shares},
                         content_type="application/json", **staff)  # fmt: skip
    error = answer.json()["error"]
    assert answer.status_code == 400 and (error["field"], error["clauses"]) == ("total", ["M9.2"])
    answer = client.post(f"/api/v1/institutions/subsidies/{subsidy}/reward",
                         {"total": "10000.01", "shares": shares},
                         content_type="application/json", **staff)  # fmt: skip
    assert answer.status_code == 201
    assert sorted(line["amount"] for line in answer.json()["lines"]) == ["5000.00", "5000.01"]
    assert BrokerReward.objects.count() == 1
    mine = client.get("/api/v1/institutions/my-rewards", **_auth(b.person)).json()
    assert [line["amount"] for line in mine] == ["5000.00"]
    public = client.get("/api/v1/institutions").json()
    assert [c["institution_id"] for c in public] == [found.organisation.pk]
    assert client.get(f"/api/v1/institutions/brokers/{a.pk}").json()["certificate_number"] == (
        "KM-2025-0001"
    )
    assert CertificationApplication.objects.get().subsidy.amount == 100000
