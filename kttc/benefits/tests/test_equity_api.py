"""The shareholding and state equity API (M6.1, M2): record an investment with its cap table,
the team's split, the ledger's matters, the superior's approval and rejection, the value
preservation report; refusals in the one error shape citing their clause; others see nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kttc.benefits.models import EquityInvestment, StateEquityMatter
from kttc.benefits.tests.factories import api_auth, api_post
from kttc.benefits.tests.test_equity import _invest, _matter, _result_of

pytestmark = pytest.mark.django_db

HOLDERS = [
    {"kind": "completer", "name": "李明", "shares": 4200},
    {"kind": "completer", "name": "赵华", "shares": 2800},
    {"kind": "unit", "name": "春城测试大学", "shares": 2000},
    {"kind": "municipal_soe", "name": "昆明科技投资集团", "shares": 1000},
]


def test_m6_1_an_investment_and_its_split_through_the_api(client, personas, unit):
    office = api_auth(personas.transfer_office)
    result = _result_of(personas, unit)
    body = {
        "unit_id": unit.pk,
        "achievement_id": result.pk,
        "company": "云岭新材料科技有限公司",
        "valuation": "5000000",
        "shares_issued": 10000,
        "invested_on": "2026-03-01",
        "holders": HOLDERS,
    }
    low = [*HOLDERS[:1], {**HOLDERS[1], "shares": 2799}, {**HOLDERS[2], "shares": 2001}, HOLDERS[3]]
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
        (h["name"], h["shares"]) for h in HOLDERS
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


def test_m2_matters_their_route_and_the_superiors_decision_through_the_api(client, personas, unit):
    investment = _invest(personas, unit)
    office, bureau = api_auth(personas.transfer_office), api_auth(personas.bureau)
    url = f"/api/v1/equity/investments/{investment.pk}/matters"
    body = {
        "kind": "public_market_transfer",
        "occurred_on": "2026-06-01",
        "amount": "300000",
        "shares": 2500,
        "description": "在产权交易所公开挂牌转让",
    }
    too_many = api_post(client, url, office, body)
    assert too_many.status_code == 400
    assert too_many.json()["error"]["field"] == "shares"
    assert too_many.json()["error"]["clauses"] == ["M2.1"]
    decided = api_post(client, url, office, {**body, "shares": 500})
    assert decided.status_code == 201
    assert (decided.json()["route"], decided.json()["status"]) == ("unit_decides", "decided")
    waiting = api_post(client, url, office, {**body, "shares": 400, "touches_secrets": True})
    assert waiting.json()["status"] == "waiting_approval"
    assert waiting.json()["reasons"] == ["national_secrets"]
    wid = waiting.json()["id"]
    queue = client.get("/api/v1/equity/matters?status=waiting_approval", **bureau).json()
    assert [m["id"] for m in queue["items"]] == [wid]
    assert len(client.get(url, **office).json()) == 2
    own = api_post(client, f"/api/v1/equity/matters/{wid}/approve", office, {"note": "自己批"})
    assert own.status_code == 403
    blank = api_post(client, f"/api/v1/equity/matters/{wid}/reject", bureau, {"reason": " "})
    assert blank.status_code == 400 and blank.json()["error"]["clauses"] == ["M2.2"]
    approved = api_post(client, f"/api/v1/equity/matters/{wid}/approve", bureau, {"note": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = api_post(client, f"/api/v1/equity/matters/{wid}/reject", bureau, {"reason": "晚了"})
    assert again.status_code == 400 and again.json()["error"]["code"] == "state_equity.not_waiting"
    assert StateEquityMatter.objects.get(pk=wid).status == "approved"
    firm = api_auth(personas.enterprise)
    assert client.get(url, **firm).status_code == 404
    assert api_post(client, f"/api/v1/equity/matters/{wid}/approve", firm, {}).status_code == 404


def test_m2_3_preservation_through_the_api(client, personas, unit):
    investment = _invest(personas, unit)
    _matter(personas, investment, kind="impairment", shares=None, amount=Decimal("300000.00"),
            occurred_on=dt.date(2026, 9, 30), description="公司估值下降")  # fmt: skip
    office = api_auth(personas.transfer_office)
    url = (
        f"/api/v1/equity/preservation?unit_id={unit.pk}&period_start=2026-01-01"
        "&period_end=2026-12-31&opening=2000000&closing=1800000"
    )
    report = client.get(url, **office).json()
    assert report["impairment"] == "300000.00" and report["impairments"] == ["300000.00"]
    assert report["closing_before_impairment"] == "2100000.00"
    assert (report["ratio"], report["ratio_with_impairment"]) == ("1.050000", "0.900000")
    assert report["preserved"] and report["appreciated"]
    zero = client.get(url.replace("opening=2000000", "opening=0"), **office)
    assert zero.status_code == 400 and zero.json()["error"]["clauses"] == ["M2.3"]
    assert client.get(url, **api_auth(personas.enterprise)).status_code == 404
    assert client.get(url, **api_auth(personas.bureau)).status_code == 200
