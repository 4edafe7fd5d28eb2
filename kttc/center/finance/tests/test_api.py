"""The technology finance API (M12.1, M12.3): the public products by kind; an enterprise applies
pledging a patent by number; the bank reads the pledge with the result's signed evaluations,
approves with the registration and records a repayment; refusals in the one error shape naming
the field and the clause; each persona only its own part."""

from __future__ import annotations

import pytest

from kttc.center.finance.tests.factories import DAY, PATENT, enterprise_result, product
from kttc.core.services import api_token_create

pytestmark = pytest.mark.django_db

JSON = {"content_type": "application/json"}


def _auth(person) -> dict[str, str]:
    _token, key = api_token_create(user=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_m12_the_public_products_by_kind(client, personas):
    product(personas)
    product(personas, "guarantee", name="研发担保", name_en="R&D guarantee", purposes=("rd",))
    answer = client.get("/api/v1/finance/products")
    assert answer.status_code == 200 and len(answer.json()) == 2
    only = client.get("/api/v1/finance/products", {"kind": "guarantee"}).json()
    assert [p["name_en"] for p in only] == ["R&D guarantee"]
    assert only[0]["purposes"] == ["rd"]
    unknown = client.get("/api/v1/finance/products", {"kind": "lottery"})
    assert unknown.status_code == 422 and "kind" in unknown.content.decode()


def test_m12_1_the_api_walks_a_pledge_loan(client, personas):
    enterprise_result(personas)
    found = product(personas)
    enterprise, bank = _auth(personas.enterprise), _auth(personas.financial_institution)
    url = f"/api/v1/finance/products/{found.pk}/applications"
    body = {"amount": "800000", "term": 24, "purpose": "中试线建设", "patents": []}
    answer = client.post(url, body, **JSON, **enterprise)
    error = answer.json()["error"]
    assert answer.status_code == 400
    assert (error["code"], error["field"], error["clauses"]) == (
        "finance.no_pledge", "patents", ["M12.1"],
    )  # fmt: skip
    assert client.post(url, {**body, "patents": [PATENT]}, **JSON, **bank).status_code == 403
    answer = client.post(url, {**body, "patents": [f"ZL{PATENT}"]}, **JSON, **enterprise)
    assert answer.status_code == 201
    pk = answer.json()["id"]
    assert answer.json()["pledges"][0]["patent_number"] == PATENT
    assert [a["id"] for a in client.get("/api/v1/finance/applications", **bank).json()] == [pk]
    assert [a["id"] for a in client.get("/api/v1/finance/applications", **enterprise).json()] == [
        pk
    ]
    other = _auth(personas.investment_platform)
    assert client.get(f"/api/v1/finance/applications/{pk}", **other).status_code == 404
    base = f"/api/v1/finance/applications/{pk}"
    grant = {"amount": "800000", "rate": "3.85", "term": 24, "method": "equal_principal",
             "registration_number": "", "registered_on": DAY.isoformat()}  # fmt: skip
    answer = client.post(f"{base}/approve", grant, **JSON, **bank)
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "registration_number"
    assert client.post(f"{base}/approve", grant, **JSON, **enterprise).status_code == 403
    answer = client.post(
        f"{base}/approve", {**grant, "registration_number": "KM-ZY-1"}, **JSON, **bank
    )
    assert answer.status_code == 200
    data = answer.json()
    assert data["status"] == "approved" and len(data["instalments"]) == 24
    assert data["pledges"][0]["state"] == "active"
    answer = client.post(
        f"{base}/repayments", {"amount": "34000.00", "paid_on": DAY.isoformat()}, **JSON, **bank
    )
    assert answer.status_code == 201
    answer = client.post(
        f"{base}/repayments", {"amount": "99999999", "paid_on": DAY.isoformat()}, **JSON, **bank
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "finance.overpaid"


def test_m12_3_the_bank_publishes_and_approves_a_cover_by_api(client, personas):
    bank, enterprise = _auth(personas.financial_institution), _auth(personas.enterprise)
    body = {
        "kind": "insurance", "name": "数据安全保险", "name_en": "Data security insurance",
        "description": "数据泄露损失", "description_en": "Data breach losses",
        "amount_min": "100000", "amount_max": "2000000", "term_min": 12, "term_max": 12,
        "rate": "1.2", "purposes": [],
    }  # fmt: skip
    answer = client.post("/api/v1/finance/products", body, **JSON, **bank)
    assert answer.status_code == 400
    assert answer.json()["error"]["clauses"] == ["M12.3"]
    assert client.post("/api/v1/finance/products", body, **JSON, **enterprise).status_code == 403
    answer = client.post(
        "/api/v1/finance/products", {**body, "purposes": ["data_security"]}, **JSON, **bank
    )
    assert answer.status_code == 201
    url = f"/api/v1/finance/products/{answer.json()['id']}/applications"
    answer = client.post(
        url, {"amount": "500000", "term": 12, "purpose": "数据平台"}, **JSON, **enterprise
    )
    pk = answer.json()["id"]
    cover = {"number": "BX-2026-7", "cover_amount": "500000", "premium": "6000",
             "start": DAY.isoformat(), "end": "2027-12-03"}  # fmt: skip
    answer = client.post(f"/api/v1/finance/applications/{pk}/cover", cover, **JSON, **bank)
    assert answer.status_code == 200 and answer.json()["policy_number"] == "BX-2026-7"
    answer = client.post(f"/api/v1/finance/applications/{pk}/withdraw", **JSON, **enterprise)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "finance.status"
