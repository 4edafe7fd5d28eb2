"""The licence API (M3.1-M3.4) and the public transactions (M8.5): the whole way through, each
refusal in the one error shape citing its clause, and nothing stored when a rule refuses."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.core import services as core_services
from kttc.policy.roles import Role
from kttc.reform.models import Licence, LicencePayment, RevenueReport
from kttc.reform.tests.factories import make_result
from kttc.registry import services as registry_services

pytestmark = pytest.mark.django_db


def _auth(person) -> dict[str, str]:
    _token, key = core_services.api_token_create(user=person, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, url, auth, body=None):
    return client.post(url, body or {}, content_type="application/json", **auth)


@pytest.fixture
def published(personas, unit):
    result = make_result(personas, unit)
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    return registry_services.achievement_publish(actor=personas.bureau, achievement=result)


def test_m3_the_whole_way_through_the_api(client, personas, published, travel):
    office, firm = _auth(personas.transfer_office), _auth(personas.enterprise)
    enterprise = personas.organisations[Role.ENTERPRISE]
    travel(dt.date(2027, 9, 1))
    bad = _post(
        client,
        "/api/v1/licences/offers",
        office,
        {"achievement_id": published.pk, "payment_model": "gift", "term_years": 5},
    )
    assert bad.status_code == 400 and bad.json()["error"]["clauses"] == ["M3.2"]
    created = _post(
        client,
        "/api/v1/licences/offers",
        office,
        {"achievement_id": published.pk, "payment_model": "deferred", "term_years": 5},
    )
    assert created.status_code == 201, created.json()
    offer = created.json()["id"]
    listed = client.get("/api/v1/licences/offers", **firm).json()
    assert [o["id"] for o in listed["items"]] == [offer]
    applied = _post(
        client,
        f"/api/v1/licences/offers/{offer}/applications",
        firm,
        {"applicant_id": enterprise.pk, "plan": "Pilot line"},
    )
    assert applied.status_code == 201, applied.json()
    application = applied.json()["id"]
    missing_fee = _post(
        client,
        f"/api/v1/licences/applications/{application}/conclude",
        office,
        {"starts_on": "2027-01-01", "first_due": "2027-06-01"},
    )
    error = missing_fee.json()["error"]
    assert missing_fee.status_code == 400 and error["field"] == "total_fee"
    assert not Licence.objects.exists()
    no_term = _post(
        client,
        f"/api/v1/licences/applications/{application}/conclude",
        office,
        {"starts_on": "2027-01-01", "total_fee": "90000.00", "first_due": "2027-06-01",
         "royalty_rate": "0.02", "royalty_due_days": 0},
    )  # fmt: skip
    error = no_term.json()["error"]
    assert no_term.status_code == 400 and error["field"] == "royalty_due_days"
    assert error["clauses"] == ["M3.2", "M3.3"] and not Licence.objects.exists()
    concluded = _post(
        client,
        f"/api/v1/licences/applications/{application}/conclude",
        office,
        {
            "starts_on": "2027-01-01",
            "total_fee": "90000.00",
            "first_due": "2027-06-01",
            "instalments": 3,
            "every_months": 6,
            "royalty_rate": "0.02",
            "royalty_due_days": 21,
            "disclosed": ["payment_model", "total_fee"],
        },
    )
    assert concluded.status_code == 201, concluded.json()
    body = concluded.json()
    assert body["royalty_due_days"] == 21
    licence = body["id"]
    assert [i["amount"] for i in body["schedule"]] == ["30000.00", "30000.00", "30000.00"]
    assert body["balance"]["overdue"] == "30000.00"  # the June instalment, unpaid on 1 Sept
    negative = _post(
        client,
        f"/api/v1/licences/{licence}/revenue-reports",
        firm,
        {"period_start": "2027-01-01", "period_end": "2027-06-30", "revenue": "-1"},
    )
    assert negative.status_code == 400 and "M3.2" in negative.json()["error"]["clauses"]
    assert not RevenueReport.objects.exists()
    report = _post(
        client,
        f"/api/v1/licences/{licence}/revenue-reports",
        firm,
        # a due day the licensee sends is not its to choose: the licence's term decides (M3.3)
        {"period_start": "2027-01-01", "period_end": "2027-06-30", "revenue": "100000",
         "due": "2030-01-01"},
    )  # fmt: skip
    assert report.status_code == 201 and report.json()["royalty"] == "2000.00"
    assert report.json()["due"] == "2027-07-21"  # 21 days after 30 June
    not_theirs = _post(
        client,
        f"/api/v1/licences/{licence}/payments",
        firm,
        {"amount": "1", "paid_on": "2027-07-01"},
    )
    assert not_theirs.status_code == 403 and not LicencePayment.objects.exists()
    paid = _post(
        client,
        f"/api/v1/licences/{licence}/payments",
        office,
        {"amount": "32000", "paid_on": "2027-07-01"},
    )
    assert paid.status_code == 201
    detail = client.get(f"/api/v1/licences/{licence}", **firm).json()
    assert detail["balance"]["overdue"] == "0.00"
    assert [i["state"] for i in detail["schedule"]] == ["paid", "upcoming", "upcoming", "paid"]
    breach = _post(client, f"/api/v1/licences/{licence}/breaches", office, {"reason": "Late"})
    assert breach.status_code == 201
    record = breach.json()["id"]
    seen = client.get(f"/api/v1/licences/credit-records/{enterprise.pk}", **office).json()
    assert [r["id"] for r in seen] == [record]
    answered = _post(
        client, f"/api/v1/licences/credit-records/{record}/answer", firm, {"answer": "Paid"}
    )
    assert answered.json()["status"] == "answered"
    removed = _post(
        client, f"/api/v1/licences/credit-records/{record}/remove", office, {"reason": "Cured"}
    )
    assert removed.json()["status"] == "removed"
    public = client.get("/api/v1/transactions").json()["items"]
    assert len(public) == 1
    row = public[0]
    assert row["payment_model"] == "deferred" and row["total_fee"] == "90000.00"
    assert row["licensee_name"] is None and row["royalty_rate"] is None


def test_the_api_keeps_each_party_to_its_licences(client, personas, published):
    stranger = _auth(personas.researcher)
    assert client.get("/api/v1/licences/offers?mine=true", **stranger).json()["items"] == []
    assert client.get("/api/v1/licences", **stranger).json()["items"] == []
    assert client.get("/api/v1/licences/999", **stranger).status_code == 404
    assert client.get("/api/v1/licences").status_code == 401


def test_m3_1_m8_6_a_restricted_result_cannot_be_offered_on_the_marketplace(client, personas, unit):
    from kttc.reform.models import LicenceOffer

    result = make_result(personas, unit, confidentiality="restricted")
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    result = registry_services.achievement_publish(actor=personas.bureau, achievement=result)
    refused = _post(
        client,
        "/api/v1/licences/offers",
        _auth(personas.transfer_office),
        {"achievement_id": result.pk, "payment_model": "deferred", "term_years": 5},
    )
    error = refused.json()["error"]
    assert refused.status_code == 400, error
    assert (error["field"], error["clauses"]) == ("achievement", ["M3.1", "M8.6"])
    assert not LicenceOffer.objects.exists()


def test_m3_3_the_schema_asks_the_royalty_term_of_a_licence_not_a_due_day_of_a_report(client, db):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "due" not in schemas["RevenueIn"]["properties"]
    assert "royalty_due_days" in schemas["ConcludeIn"]["properties"]
    assert "royalty_due_days" in schemas["LicenceOut"]["properties"]
