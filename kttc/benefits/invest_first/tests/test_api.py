"""The invest-first API (M7): a case from the grant through a round below the trigger, a round
that converts the support on the agreed terms and exits within the appropriate return, with the
revolving fund's report to the fen; a declared stable development converting where agreed.
Refusals in the one error shape citing their clause and storing nothing; who reads and who
writes as on the pages."""

from __future__ import annotations

import pytest

from kttc.benefits.invest_first.models import (
    InvestFirstCase,
    InvestFirstConversion,
    InvestFirstExit,
    InvestFirstMilestone,
)
from kttc.benefits.tests.factories import api_auth, api_post
from kttc.core.models import AuditEntry
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db
CASES = "/api/v1/invest-first/cases"
STORED = (InvestFirstCase, InvestFirstMilestone, InvestFirstConversion, InvestFirstExit, AuditEntry)


@pytest.fixture
def grant(personas):
    return {
        "platform_id": personas.organisations[Role.INVESTMENT_PLATFORM].pk,
        "company": "滇中生物制造有限公司",
        "project": "高原药用植物中试放大",
        "stage": "mid_scale_pilot",
        "support": "1000000",
        "granted_on": "2026-02-01",
        "min_round_size": "5000000",
        "discount": "0.20",
        "valuation_cap": "31000000",
        "return_cap_ratio": "0.08",
    }


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in STORED}


def _refused(client, url, auth, body, status=400):
    before = _counts()
    answer = api_post(client, url, auth, body)
    assert answer.status_code == status, answer.json()
    assert _counts() == before
    return answer.json()["error"]


def test_m7_a_case_through_the_api(client, personas, grant):
    platform = api_auth(personas.investment_platform)
    assert client.get(CASES, **platform).json() == {
        "count": 0,
        "page": 1,
        "items": [],
        "report": None,
    }
    error = _refused(client, CASES, platform, {**grant, "discount": "1"})
    assert error["clauses"] == ["M7.3"] and error["field"] == "discount"
    error = _refused(client, CASES, platform, {**grant, "stage": "mass_production"})
    assert error["clauses"] == ["M7.2"] and error["field"] == "stage"
    created = api_post(client, CASES, platform, grant)
    assert created.status_code == 201, created.json()
    case = created.json()
    assert (case["status"], case["support"], case["return_cap_ratio"]) == (
        "invested",
        "1000000.00",
        "0.080000",
    )
    assert case["position"]["cap"] == "1080000.00" and case["conversion"] is None
    rounds = f"{CASES}/{case['id']}/rounds"
    small = {"closed_on": "2026-05-01", "round_size": "3000000", "price_per_share": "14",
             "pre_money_shares": 3_000_000}  # fmt: skip
    below = api_post(client, rounds, platform, small)
    assert below.status_code == 201 and below.json()["conversion"] is None
    assert below.json()["milestone"]["met"] is False
    assert below.json()["case"]["status"] == "invested"

    # M7.3: the round's price less 20 % is 11.20; the cap, 31M over 3M shares, 31/3 a share.
    converting = api_post(
        client, rounds, platform, {**small, "closed_on": "2026-09-01", "round_size": "8000000"}
    )
    assert converting.status_code == 201, converting.json()
    conversion = converting.json()["conversion"]
    assert (conversion["discounted_price"], conversion["cap_price"]) == ("56/5", "31/3")
    assert (conversion["effective_price"], conversion["shares"]) == ("31/3", 96_774)
    assert (conversion["converted"], conversion["remainder"]) == ("999998.00", "2.00")
    assert converting.json()["case"]["status"] == "converted"
    error = _refused(client, rounds, platform, {**small, "closed_on": "2027-01-01"})
    assert error["code"] == "invest.converted" and error["clauses"] == ["M7.3"]

    exits = f"{CASES}/{case['id']}/exits"
    exit_body = {"exited_on": "2027-03-01", "shares": 96_775, "proceeds": "1"}
    error = _refused(client, exits, platform, exit_body)
    assert error["code"] == "invest.shares_left" and error["field"] == "shares"
    first = api_post(
        client, exits, platform, {**exit_body, "shares": 40_000, "proceeds": "612345.67"}
    )
    assert first.status_code == 201, first.json()
    assert (first.json()["returned"], first.json()["above_cap"]) == ("612345.67", "0.00")
    # M7.4: the second exit fills the cap (108 % of the support); the rest is above it.
    second = api_post(
        client,
        exits,
        platform,
        {"exited_on": "2027-09-01", "shares": 40_000, "proceeds": "700000", "buyer": "基金"},
    )
    assert (second.json()["principal"], second.json()["gain"]) == ("387654.33", "80000.00")
    assert second.json()["above_cap"] == "232345.67"

    read = client.get(f"{CASES}/{case['id']}", **platform).json()
    assert [m["met"] for m in read["milestones"]] == [False, True]
    assert len(read["exits"]) == 2 and read["position"]["shares_held"] == 16_774
    assert read["position"]["cap_left"] == "0.00"
    listed = client.get(CASES, **platform).json()
    assert listed["count"] == 1 and [c["id"] for c in listed["items"]] == [case["id"]]
    assert listed["report"] == {
        "granted": "1000000.00",
        "converted": "999998.00",
        "unconverted": "2.00",
        "exited": "1312345.67",
        "returned": "1080000.00",
        "principal_returned": "1000000.00",
        "gain": "80000.00",
        "above_cap": "232345.67",
        "outstanding": "0.00",
    }
    assert read["report"] == listed["report"]


def test_m7_3_declared_stable_development_converts_through_the_api(client, personas, grant):
    platform = api_auth(personas.investment_platform)
    only_rounds = api_post(client, CASES, platform, grant).json()
    declare = {"declared_on": "2026-12-01", "price_per_share": "12", "grounds": "连续两年盈利",
               "pre_money_shares": 3_000_000}  # fmt: skip
    error = _refused(client, f"{CASES}/{only_rounds['id']}/stable-development", platform, declare)
    assert error["code"] == "invest.not_on_stable" and error["clauses"] == ["M7.3"]
    agreed = api_post(client, CASES, platform, {**grant, "on_stable_development": True}).json()
    url = f"{CASES}/{agreed['id']}/stable-development"
    error = _refused(client, url, platform, {**declare, "grounds": " "})
    assert error["field"] == "grounds"
    done = api_post(client, url, platform, declare)
    assert done.status_code == 201, done.json()
    assert done.json()["milestone"]["kind"] == "stable_development"
    assert done.json()["conversion"]["trigger"] == "stable_development"
    assert done.json()["case"]["status"] == "converted"


def test_m7_who_reads_and_who_writes_through_the_api(client, personas, grant):
    platform = api_auth(personas.investment_platform)
    case = api_post(client, CASES, platform, grant).json()
    office, bureau = api_auth(personas.transfer_office), api_auth(personas.bureau)
    error = _refused(client, CASES, office, grant, status=403)
    assert error["code"] == "access.denied"
    assert client.get(f"{CASES}/{case['id']}", **office).status_code == 404
    assert client.get(CASES, **office).json()["items"] == []
    assert client.get(f"{CASES}/{case['id']}", **bureau).status_code == 200
    assert client.get(CASES, **bureau).json()["count"] == 1
    body = {"closed_on": "2026-09-01", "round_size": "8000000", "price_per_share": "14"}
    error = _refused(client, f"{CASES}/{case['id']}/rounds", bureau, body, status=403)
    assert error["code"] == "access.denied"
    assert _refused(client, f"{CASES}/{case['id']}/rounds", office, body, status=404)
    assert client.get(CASES).status_code == 401
