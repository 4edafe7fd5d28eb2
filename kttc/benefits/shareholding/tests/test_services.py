"""Researcher shareholding (M6.1): an investment of a result is recorded only with the
completers holding directly at least the minimum in force and the rest held by the unit or a
municipal state-owned company; the team's split adds up in whole shares. Refusals cite their
clause, name their field and store nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest

from kttc.benefits.shareholding import selectors, services
from kttc.benefits.shareholding.models import (
    CapTableHolder,
    EquityInvestment,
    TeamSplit,
    TeamSplitLine,
)
from kttc.benefits.tests.factories import (
    INVESTED_ON,
    holders,
    investment_recorded,
    result_of,
)
from kttc.benefits.tests.factories import refused as refused_storing
from kttc.core.models import AuditEntry
from kttc.core.tests.factories import MembershipFactory, OrganisationFactory
from kttc.policy.equity import Holder, HolderKind
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db
STORED = (EquityInvestment, CapTableHolder, TeamSplit, TeamSplitLine, AuditEntry)
refused = partial(refused_storing, STORED)


def test_m6_1_an_investment_with_the_completers_at_the_minimum_is_recorded(personas, unit):
    investment = investment_recorded(personas, unit)
    assert (investment.completer_shares, investment.unit_shares) == (7000, 2000)
    assert investment.completer_ratio == Decimal("0.700000")
    assert investment.policy_version
    holders = {(h.kind, h.name): h.shares for h in investment.holders.all()}
    assert holders == {
        ("completer", "李明"): 4200,
        ("completer", "赵华"): 2800,
        ("unit", "春城测试大学"): 2000,
        ("municipal_soe", "昆明科技投资集团"): 1000,
    }
    entry = AuditEntry.objects.get(action="equity.investment_record")
    assert entry.clauses == ["M6.1"] and entry.after["completer_ratio"] == "7/10"
    with pytest.raises(TypeError):
        investment.save()


def test_m6_1_a_cap_table_below_70_percent_is_refused_and_stores_nothing(personas, unit):
    result = result_of(personas, unit)
    error = refused(
        investment_recorded,
        personas=personas,
        unit=unit,
        achievement=result,
        holders=holders(completers=(4200, 2799), unit=2001),
    )
    assert error.code == "equity.completers_below_minimum"
    assert error.clauses == ("M6.1",) and error.field == "holders"
    assert "69.99%" in error.message and "70%" in error.message


def test_m6_1_only_the_unit_or_a_municipal_soe_holds_the_rest(personas, unit):
    result = result_of(personas, unit)
    others = [*holders(soe=0), Holder("团队持股平台", HolderKind.OTHER, 1000)]
    error = refused(
        investment_recorded, personas=personas, unit=unit, achievement=result, holders=others
    )
    assert error.code == "equity.holder_not_allowed" and error.clauses == ("M6.1",)


def test_m6_1_the_cap_table_holds_exactly_the_shares_issued(personas, unit):
    result = result_of(personas, unit)
    error = refused(
        investment_recorded, personas=personas, unit=unit, achievement=result, shares_issued=10001
    )
    assert error.code == "equity.cap_table_total" and error.field == "holders"
    stakes_as_ratios = [Holder("李明", HolderKind.COMPLETER, Decimal("1"))]
    error = refused(
        investment_recorded,
        personas=personas,
        unit=unit,
        achievement=result,
        holders=stakes_as_ratios,
    )
    assert error.code == "equity.stake_shares"
    error = refused(
        investment_recorded, personas=personas, unit=unit, achievement=result, shares_issued=0
    )
    assert error.field == "shares_issued"
    error = refused(
        investment_recorded,
        personas=personas,
        unit=unit,
        achievement=result,
        valuation=Decimal("0.001"),
    )
    assert error.field == "valuation" and error.clauses == ("M6.1",)
    error = refused(
        investment_recorded, personas=personas, unit=unit, achievement=result, company=" "
    )
    assert error.field == "company"


def test_m6_1_a_municipal_unit_invests_its_own_result(personas, unit):
    office = personas.transfer_office
    provincial = OrganisationFactory(kind="university", is_municipal=False)
    MembershipFactory(user=office, organisation=provincial, role=Role.TRANSFER_OFFICE)
    other = OrganisationFactory(kind="university")
    MembershipFactory(user=office, organisation=other, role=Role.TRANSFER_OFFICE)
    error = refused(
        investment_recorded,
        personas=personas,
        unit=provincial,
        achievement=result_of(personas, provincial),
    )
    assert error.code == "equity.unit_not_municipal" and error.field == "unit"
    error = refused(
        investment_recorded, personas=personas, unit=unit, achievement=result_of(personas, other)
    )
    assert error.field == "achievement"
    result = result_of(personas, unit)
    for actor in (personas.researcher, personas.bureau, personas.auditor, personas.enterprise):
        error = refused(
            investment_recorded, personas=personas, unit=unit, achievement=result, actor=actor
        )
        assert error.code == "access.denied"


def test_m6_1_the_team_splits_its_shares_in_whole_shares_that_add_up(personas, unit):
    holders = [Holder("团队", HolderKind.COMPLETER, 7001), Holder("大学", HolderKind.UNIT, 3000)]
    investment = investment_recorded(personas, unit, holders=holders, shares_issued=10001)
    split = services.team_split_record(
        actor=personas.transfer_office,
        investment=investment,
        internal_split={" 李明 ": Decimal("50"), "赵华": Decimal("30"), "王芳": Decimal("20")},
        decided_on=dt.date(2026, 3, 10),
    )
    lines = {line.name: (line.share, line.shares) for line in split.lines.all()}
    assert lines == {
        "李明": (Decimal("0.500000"), 3501),  # 3500.5: the remainder goes to the largest share
        "赵华": (Decimal("0.300000"), 2100),
        "王芳": (Decimal("0.200000"), 1400),
    }
    assert sum(shares for _, shares in lines.values()) == investment.completer_shares == 7001
    assert AuditEntry.objects.filter(action="equity.team_split").get().clauses == ["M6.1"]
    later = services.team_split_record(
        actor=personas.transfer_office,
        investment=investment,
        internal_split={"李明": Decimal("0.5"), "赵华": Decimal("0.5")},
        decided_on=dt.date(2027, 1, 1),
    )
    assert selectors.team_split_in_force(investment) == later
    assert TeamSplit.objects.filter(investment=investment).count() == 2


def test_m6_1_a_split_that_does_not_add_up_is_refused(personas, unit):
    investment = investment_recorded(personas, unit)
    office = personas.transfer_office
    error = refused(
        services.team_split_record,
        actor=office,
        investment=investment,
        internal_split={"李明": Decimal("60"), "赵华": Decimal("30")},
        decided_on=INVESTED_ON,
    )
    assert error.field == "internal_split" and error.clauses == ("M6.1",)
    error = refused(
        services.team_split_record,
        actor=office,
        investment=investment,
        internal_split={"李明": Decimal("50"), "李明 ": Decimal("50")},
        decided_on=INVESTED_ON,
    )
    assert error.code == "equity.split_name"
    error = refused(
        services.team_split_record,
        actor=office,
        investment=investment,
        internal_split={"李明": Decimal("1")},
        decided_on=dt.date(2026, 2, 28),
    )
    assert error.field == "decided_on"
    error = refused(
        services.team_split_record,
        actor=personas.researcher,
        investment=investment,
        internal_split={"李明": Decimal("1")},
        decided_on=INVESTED_ON,
    )
    assert error.code == "access.denied"
