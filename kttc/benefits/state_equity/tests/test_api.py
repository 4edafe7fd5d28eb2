"""The state equity API (M2): the ledger's matters, the superior's approval and rejection, the
value preservation report; refusals in the one error shape citing their clause; others see
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kttc.benefits.state_equity.models import StateEquityMatter
from kttc.benefits.tests.factories import api_auth, api_post, investment_recorded, matter_recorded

pytestmark = pytest.mark.django_db


def test_m2_matters_their_route_and_the_superiors_decision_through_the_api(client, personas, unit):
    investment = investment_recorded(personas, unit)
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
    investment = investment_recorded(personas, unit)
    matter_recorded(
        personas,
        investment,
        kind="impairment",
        shares=None,
        amount=Decimal("300000.00"),
        occurred_on=dt.date(2026, 9, 30),
        description="公司估值下降",
    )
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
