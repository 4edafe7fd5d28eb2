"""The shareholding pages (M6.1) as a transfer office uses them: record an investment with its
cap table and the team's split. Refusals beside their field citing the clause, nothing stored;
other people kept out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.benefits.shareholding.models import CapTableHolder, EquityInvestment, TeamSplit
from kttc.benefits.tests.factories import EquityInvestmentFactory, investment_recorded, result_of
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
    result = result_of(personas, unit)
    low = _new(
        client, unit, result, holders=CAP_TABLE.replace("2800", "2799").replace("2000", "2001")
    )
    assert low.status_code == 200
    [error] = _errors(low, "holders")
    assert error.startswith("M6.1") and "69.99%" in error and "70%" in error
    assert '<fieldset class="field rows-field invalid" id="id_holders"' in low.content.decode()
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
    investment = investment_recorded(personas, unit)
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
    investment = investment_recorded(personas, unit)
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
    assert "In force since Mar 10, 2026." in shown.content.decode()


def test_lists_are_paginated(client, personas, unit, settings):
    settings.KTTC_PAGE_SIZE = 2
    for day in (1, 2, 3):
        EquityInvestmentFactory(unit=unit, invested_on=dt.date(2026, 3, day))
    client.force_login(personas.transfer_office)
    first = client.get(reverse("equity:list"))
    assert len(first.context["page"].object_list) == 2 and 'rel="next"' in first.content.decode()
    second = client.get(reverse("equity:list"), {"page": 2})
    assert [i.invested_on.day for i in second.context["page"].object_list] == [1]
