"""The shareholding API (M6.1): record an investment with its cap table and the team's split;
refusals in the one error shape citing their clause; others see nothing."""

from __future__ import annotations

import pytest

from kttc.benefits.shareholding.models import EquityInvestment
from kttc.benefits.tests.factories import API_HOLDERS, api_auth, api_post, result_of

pytestmark = pytest.mark.django_db


def test_m6_1_an_investment_and_its_split_through_the_api(client, personas, unit):
    office = api_auth(personas.transfer_office)
    result = result_of(personas, unit)
    body = {
        "unit_id": unit.pk,
        "achievement_id": result.pk,
        "company": "云岭新材料科技有限公司",
        "valuation": "5000000",
        "shares_issued": 10000,
        "invested_on": "2026-03-01",
        "holders": API_HOLDERS,
    }
    low = [
        *API_HOLDERS[:1],
        {**API_HOLDERS[1], "shares": 2799},
        {**API_HOLDERS[2], "shares": 2001},
        API_HOLDERS[3],
    ]
    refused = api_post(client, "/api/v1/equity/investments", office, {**body, "holders": low})
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["clauses"] == ["M6.1"] and error["field"] == "holders"
    assert error["code"] == "equity.completers_below_minimum"
    assert not EquityInvestment.objects.exists()
    invalid = api_post(client, "/api/v1/equity/investments", office, {**body, "shares_issued": "x"})
    assert invalid.status_code == 422 and invalid.json()["error"]["field"] == "shares_issued"
    created = api_post(
        client, "/api/v1/equity/investments", office, {**body, "key_core_technology": True}
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["completer_ratio"] == "0.700000" and data["needs_superior_approval"]
    assert {(h["name"], h["shares"]) for h in data["holders"]} == {
        (h["name"], h["shares"]) for h in API_HOLDERS
    }
    assert data["team_split"] is None
    pk = data["id"]
    splits = f"/api/v1/equity/investments/{pk}/team-splits"
    split_body = {"decided_on": "2026-03-10"}
    short = api_post(
        client, splits, office, {**split_body, "internal_split": {"李明": "60", "赵华": "30"}}
    )
    assert short.status_code == 400 and short.json()["error"]["field"] == "internal_split"
    split = api_post(
        client, splits, office, {**split_body, "internal_split": {"李明": "60", "赵华": "40"}}
    )
    assert split.status_code == 201
    assert [(x["name"], x["shares"]) for x in split.json()["lines"]] == [
        ("李明", 4200), ("赵华", 2800),
    ]  # fmt: skip
    detail = client.get(f"/api/v1/equity/investments/{pk}", **office).json()
    assert detail["team_split"]["id"] == split.json()["id"]
    listed = client.get("/api/v1/equity/investments", **office).json()
    assert [i["id"] for i in listed["items"]] == [pk]
    firm = api_auth(personas.enterprise)
    assert client.get(f"/api/v1/equity/investments/{pk}", **firm).status_code == 404
    assert client.get("/api/v1/equity/investments", **firm).json()["items"] == []
    bureau = api_auth(personas.bureau)
    denied = api_post(client, "/api/v1/equity/investments", bureau, body)
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "access.denied"
