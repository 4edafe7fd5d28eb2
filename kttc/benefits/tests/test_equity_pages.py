"""The shareholding and state equity pages (M6.1, M2) as a transfer office and the bureau use
them: record an investment with its cap table, the team's split and the ledger's matters; the
bureau's approval queue; the value preservation report. Refusals beside their field citing the
clause, nothing stored; other people kept out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.benefits.models import (
    CapTableHolder,
    EquityInvestment,
    StateEquityMatter,
    TeamSplit,
)
from kttc.benefits.tests.test_equity import _invest, _matter, _result_of
from kttc.core.tests.factories import MembershipFactory, OrganisationFactory
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db

CAP_TABLE = (
    "completer; 李明; 4200\ncompleter; 赵华; 2800\nunit; 春城测试大学; 2000\n"
    "municipal_soe; 昆明科技投资集团; 1000"
)


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _new(client, unit, result, **changes):
    data = {
        "unit": unit.pk,
        "achievement": result.pk,
        "company": "云岭新材料科技有限公司",
        "valuation": "5000000",
        "shares_issued": "10000",
        "invested_on": "2026-03-01",
        "holders": CAP_TABLE,
        **changes,
    }
    return client.post(reverse("equity:new"), data)


def _errors(response, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_m6_1_the_office_records_an_investment_and_a_low_cap_table_is_refused(
    client, personas, unit
):
    client.force_login(personas.transfer_office)
    empty = client.get(reverse("equity:list")).content.decode()
    assert "No investment of a result is recorded yet." in empty
    assert reverse("equity:new") in empty
    result = _result_of(personas, unit)
    low = _new(
        client, unit, result, holders=CAP_TABLE.replace("2800", "2799").replace("2000", "2001")
    )
    assert low.status_code == 200
    [error] = _errors(low, "holders")
    assert error.startswith("M6.1") and "69.99%" in error and "70%" in error
    assert '<div class="field invalid">' in low.content.decode()
    assert not EquityInvestment.objects.exists() and not CapTableHolder.objects.exists()
    total = _new(client, unit, result, shares_issued="10001")
    assert "M6.1" in _errors(total, "holders")[0]
    other = _new(client, unit, result, holders=CAP_TABLE + "\nother; 持股平台; 1")
    assert "M6.1" in _errors(other, "holders")[0]
    typo = _new(client, unit, result, holders="completer 李明 4200")
    assert "Line 1" in _errors(typo, "holders")[0]
    assert not EquityInvestment.objects.exists()
    done = _new(client, unit, result, touches_secrets="on")
    investment = EquityInvestment.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "equity:detail", args=[investment.pk]
    )
    assert investment.touches_secrets and investment.completer_ratio == Decimal("0.700000")
    page = client.get(done["Location"])
    html = page.content.decode()
    assert [row["ratio"] for row in page.context["holders"]] == [
        Decimal("0.420000"),
        Decimal("0.280000"),
        Decimal("0.100000"),
        Decimal("0.200000"),
    ]  # fmt: skip (completers, the municipal state-owned company, the unit)
    assert "42%" in html and "70%" in html and "M2.2" in html
    assert "split is not recorded yet." in html
    assert "No state equity matter is recorded yet." in html
    listing = client.get(reverse("equity:list"))
    assert list(listing.context["page"].object_list) == [investment]


def test_m6_1_only_a_municipal_units_office_records_and_others_see_nothing(client, personas, unit):
    investment = _invest(personas, unit)
    for person in (personas.enterprise, personas.researcher, personas.bureau):
        client.force_login(person)
        assert client.get(reverse("equity:new")).status_code == 403
    client.force_login(personas.enterprise)
    assert client.get(reverse("equity:detail", args=[investment.pk])).status_code == 404
    assert "No investment" in client.get(reverse("equity:list")).content.decode()
    client.force_login(personas.researcher)
    response = client.post(
        reverse("equity:detail", args=[investment.pk]),
        {"action": "split", "split-decided_on": "2026-03-02", "split-internal_split": "李明; 100"},
    )
    assert response.status_code == 404 and not TeamSplit.objects.exists()
    client.force_login(personas.bureau)
    seen = client.get(reverse("equity:detail", args=[investment.pk]))
    assert seen.status_code == 200 and not seen.context["manages"]
    client.post(
        reverse("equity:detail", args=[investment.pk]),
        {"action": "split", "split-decided_on": "2026-03-02", "split-internal_split": "李明; 100"},
    )
    assert not TeamSplit.objects.exists()
    assert list(client.get(reverse("equity:list")).context["page"].object_list) == [investment]
    provincial = OrganisationFactory(kind="university", is_municipal=False)
    office = personas.transfer_office
    office.memberships.all().delete()
    MembershipFactory(user=office, organisation=provincial, role=Role.TRANSFER_OFFICE)
    client.force_login(office)
    assert client.get(reverse("equity:new")).status_code == 403


def test_m6_1_the_team_records_its_split_in_whole_shares(client, personas, unit):
    investment = _invest(personas, unit)
    client.force_login(personas.transfer_office)
    page = reverse("equity:detail", args=[investment.pk])
    data = {"action": "split", "split-decided_on": "2026-03-10",
            "split-internal_split": "李明; 60\n赵华; 30"}  # fmt: skip
    short = client.post(page, data)
    assert short.status_code == 200 and not TeamSplit.objects.exists()
    errors = short.context["forms"]["split"].errors["internal_split"]
    assert errors[0].startswith("M6.1")
    early = client.post(page, {**data, "split-decided_on": "2026-02-01",
                               "split-internal_split": "李明; 100"})  # fmt: skip
    assert "M6.1" in early.context["forms"]["split"].errors["decided_on"][0]
    done = client.post(page, {**data, "split-internal_split": "李明; 50\n赵华; 30\n王芳; 20"})
    assert done.status_code == 302
    shown = client.get(page)
    lines = {line.name: line.shares for line in shown.context["split"].lines.all()}
    assert lines == {"李明": 3500, "赵华": 2100, "王芳": 1400}
    assert "In force since 2026-03-10." in shown.content.decode()


def test_m2_matters_are_routed_and_refused_beside_their_field(client, personas, unit):
    investment = _invest(personas, unit)
    client.force_login(personas.transfer_office)
    page = reverse("equity:detail", args=[investment.pk])
    data = {
        "action": "matter",
        "matter-kind": "public_market_transfer",
        "matter-occurred_on": "2026-06-01",
        "matter-amount": "300000",
        "matter-shares": "2500",
        "matter-description": "在产权交易所公开挂牌转让",
    }
    too_many = client.post(page, data)
    errors = too_many.context["forms"]["matter"].errors
    assert errors["shares"][0].startswith("M2.1") and "2000" in errors["shares"][0]
    impairment = client.post(page, {**data, "matter-kind": "impairment"})
    assert impairment.context["forms"]["matter"].errors["shares"][0].startswith("M2.3")
    early = client.post(page, {**data, "matter-shares": "500", "matter-occurred_on": "2026-01-01"})
    assert "M2.1" in early.context["forms"]["matter"].errors["occurred_on"][0]
    assert not StateEquityMatter.objects.exists()
    assert client.post(page, {**data, "matter-shares": "500"}).status_code == 302
    secret = client.post(page, {**data, "matter-shares": "400", "matter-touches_secrets": "on"})
    assert secret.status_code == 302
    decided, waiting = StateEquityMatter.objects.order_by("id")
    assert (decided.status, waiting.status) == ("decided", "waiting_approval")
    html = client.get(page).content.decode()
    assert "Waiting for approval (M2.2)" in html and "National secrets" in html
    assert f'id="matter-{decided.pk}" class="status-decided"' in html


def test_m2_2_the_bureau_approves_or_rejects_in_its_queue(client, personas, unit):
    investment = _invest(personas, unit)
    first = _matter(personas, investment, touches_secrets=True)
    second = _matter(personas, investment, shares=300, key_core_technology=True)
    queue = reverse("equity:approvals")
    for person in (personas.transfer_office, personas.auditor, personas.enterprise):
        client.force_login(person)
        assert client.get(queue).status_code == 403
        client.post(queue, {"action": "approve", "matter": first.pk})
    first.refresh_from_db()
    assert first.status == "waiting_approval"
    client.force_login(personas.bureau)
    listed = client.get(queue)
    assert [row["matter"] for row in listed.context["rows"]] == [first, second]
    no_reason = client.post(
        queue, {"action": "reject", "matter": second.pk, f"m{second.pk}-reason": " "}
    )
    assert no_reason.status_code == 200
    [row] = [r for r in no_reason.context["rows"] if r["matter"] == second]
    assert row["reject"].errors["reason"][0].startswith("M2.2")
    second.refresh_from_db()
    assert second.status == "waiting_approval"
    approved = client.post(
        queue, {"action": "approve", "matter": first.pk, f"m{first.pk}-note": "同意"}
    )
    assert approved.status_code == 302
    rejected = client.post(
        queue, {"action": "reject", "matter": second.pk, f"m{second.pk}-reason": "涉及关键核心技术"}
    )
    assert rejected.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decision_note) == ("approved", "同意")
    assert (second.status, second.decision_note) == ("rejected", "涉及关键核心技术")
    assert "No matter is waiting for approval." in client.get(queue).content.decode()
    assert client.post(queue, {"action": "approve", "matter": first.pk}).status_code == 404


def test_m2_3_the_preservation_report_shows_impairment_apart(client, personas, unit):
    investment = _invest(personas, unit)
    _matter(personas, investment, kind="impairment", shares=None, amount=Decimal("300000.00"),
            occurred_on=dt.date(2026, 9, 30), description="公司估值下降")  # fmt: skip
    page = reverse("equity:preservation")
    client.force_login(personas.enterprise)
    assert client.get(page).status_code == 403
    client.force_login(personas.transfer_office)
    empty = client.get(page)
    assert empty.status_code == 200 and empty.context["report"] is None
    query = {"unit": unit.pk, "period_start": "2026-01-01", "period_end": "2026-12-31",
             "opening": "2000000", "closing": "1800000"}  # fmt: skip
    shown = client.get(page, query)
    report = shown.context["report"]
    assert report.impairment == Decimal("300000.00")
    assert report.closing_before_impairment == Decimal("2100000.00")
    assert shown.context["ratio"] == Decimal("1.050000")
    html = shown.content.decode()
    assert "105%" in html and "90%" in html and "300000.00" in html
    zero = client.get(page, {**query, "opening": "0"})
    assert zero.context["report"] is None
    assert zero.context["form"].errors["opening"][0].startswith("M2.3")
    backwards = client.get(page, {**query, "period_end": "2025-12-31"})
    assert "period_end" in backwards.context["form"].errors
    client.force_login(personas.bureau)
    assert client.get(page, query).context["report"].impairment == Decimal("300000.00")


def test_lists_are_paginated(client, personas, unit, settings):
    settings.KTTC_PAGE_SIZE = 2
    result = _result_of(personas, unit)
    for day in (1, 2, 3):
        _invest(personas, unit, achievement=result, invested_on=dt.date(2026, 3, day))
    client.force_login(personas.transfer_office)
    first = client.get(reverse("equity:list"))
    assert len(first.context["page"].object_list) == 2 and 'rel="next"' in first.content.decode()
    second = client.get(reverse("equity:list"), {"page": 2})
    assert [i.invested_on.day for i in second.context["page"].object_list] == [1]
