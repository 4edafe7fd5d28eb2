"""The contracts API (M5): record, register, income, costs, net income; refusals in the one
error shape citing M5.2; other people see nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kttc.benefits.contracts.models import TechnologyContract
from kttc.benefits.tests.factories import api_auth, api_post

pytestmark = pytest.mark.django_db


def test_m5_a_contract_through_the_api(client, personas, unit):
    office = api_auth(personas.transfer_office)
    body = {
        "unit_id": unit.pk,
        "kind": "transfer",
        "title": "专利转让合同",
        "counterparty": "甲公司",
        "signed_on": "2026-03-01",
        "amount": "50000",
    }
    bad = api_post(client, "/api/v1/contracts", office, {**body, "kind": "gift"})
    assert bad.status_code == 400 and bad.json()["error"]["clauses"] == ["M5.2"]
    assert not TechnologyContract.objects.exists()
    created = api_post(client, "/api/v1/contracts", office, body)
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    registered = api_post(
        client,
        f"/api/v1/contracts/{pk}/registration",
        office,
        {"registration_number": "R-1", "registered_on": "2026-03-10", "certified_amount": "50000"},
    )
    assert registered.json()["registration_number"] == "R-1"
    api_post(client, f"/api/v1/contracts/{pk}/incomes", office,
          {"amount": "50000", "received_on": "2026-04-01"})  # fmt: skip
    cost = api_post(client, f"/api/v1/contracts/{pk}/costs", office,
                 {"amount": "-5", "reason": "x", "incurred_on": "2026-04-01"})  # fmt: skip
    assert cost.status_code == 400 and cost.json()["error"]["field"] == "amount"
    api_post(client, f"/api/v1/contracts/{pk}/costs", office,
          {"amount": "1000.10", "reason": "评估费", "incurred_on": "2026-04-01"})  # fmt: skip
    detail = client.get(f"/api/v1/contracts/{pk}", **office).json()
    assert (detail["income"], detail["costs"], detail["net_income"]) == (
        "50000.00", "1000.10", "48999.90",
    )  # fmt: skip
    no_licence = api_post(client, f"/api/v1/contracts/{pk}/licence-income", office, {})
    assert no_licence.status_code == 400 and no_licence.json()["error"]["field"] == "licence"
    listed = client.get("/api/v1/contracts?registered=true", **office).json()
    assert [c["id"] for c in listed["items"]] == [pk]
    firm = api_auth(personas.enterprise)
    assert client.get(f"/api/v1/contracts/{pk}", **firm).status_code == 404
    assert client.get("/api/v1/contracts", **firm).json()["items"] == []


def test_m5_2_a_distribution_through_the_api(client, personas, unit):
    from kttc.benefits.contracts.tests.test_distribution import _contract

    office = api_auth(personas.transfer_office)
    contract = _contract(personas, unit)
    body = {
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "team_ratio": "0.6",
        "team_shares": {"李明": "60", "赵华": "40"},
    }
    low = api_post(client, f"/api/v1/contracts/{contract.pk}/distributions", office, body)
    assert low.status_code == 400 and low.json()["error"]["clauses"] == ["M5.2"]
    done = api_post(
        client,
        f"/api/v1/contracts/{contract.pk}/distributions",
        office,
        {**body, "team_ratio": "0.7"},
    )
    assert done.status_code == 201, done.json()
    lines = done.json()["lines"]
    assert [x["name"] for x in lines][:2] == ["李明", "赵华"]
    total = sum(Decimal(x["amount"]) for x in lines)
    assert total == Decimal(done.json()["net_income"])
    listed = client.get(f"/api/v1/contracts/{contract.pk}/distributions", **office).json()
    assert len(listed) == 1


def test_m5_2_an_api_caller_cannot_lower_the_units_stored_minimum(client, personas, unit):
    """The unit's rule asks 80 %; a caller sending its own lower minimum changes nothing: 75 %
    is refused citing M5.2, and the entry of an accepted decision records the minimum applied."""
    from kttc.benefits.contracts import services
    from kttc.benefits.contracts.models import Distribution
    from kttc.benefits.contracts.tests.test_distribution import _contract
    from kttc.core.models import AuditEntry

    office = api_auth(personas.transfer_office)
    contract = _contract(personas, unit)
    services.income_rules_set(
        actor=personas.transfer_office, unit=unit, team_min_ratio=Decimal("0.80")
    )
    body = {
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "team_ratio": "0.75",
        "team_shares": {"李明": "60", "赵华": "40"},
        "unit_min_team_ratio": "0.70",
    }
    url = f"/api/v1/contracts/{contract.pk}/distributions"
    low = api_post(client, url, office, body)
    assert low.status_code == 400, low.json()
    assert low.json()["error"]["clauses"] == ["M5.2"]
    assert low.json()["error"]["field"] == "team_ratio"
    assert not Distribution.objects.exists()
    done = api_post(client, url, office, {**body, "team_ratio": "0.80"})
    assert done.status_code == 201, done.json()
    entry = AuditEntry.objects.filter(action="distribution.decide").latest("seq")
    assert Decimal(entry.after["min_team_ratio"]) == Decimal("0.80")
    assert Decimal(entry.after["policy_min_team_ratio"]) == Decimal("0.70")
