"""Researcher shareholding (M6.1) and state equity (M2): an investment of a result is recorded
only with the completers holding directly at least the minimum in force and the rest held by the
unit or a municipal state-owned company; the team's split adds up in whole shares; a state
equity matter is the unit's own decision unless it touches secrets, security or key core
technology, which waits for the bureau; impairment is reported apart. Refusals cite their
clause, name their field and store nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from kttc.benefits import selectors_equity as selectors
from kttc.benefits import services_equity as services
from kttc.benefits.models import (
    CapTableHolder,
    EquityInvestment,
    StateEquityMatter,
    TeamSplit,
    TeamSplitLine,
)
from kttc.core.models import AuditEntry
from kttc.core.tests.factories import MembershipFactory, OrganisationFactory
from kttc.policy.equity import Holder, HolderKind
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role
from kttc.registry import services as registry_services
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement

pytestmark = pytest.mark.django_db
STORED = (EquityInvestment, CapTableHolder, TeamSplit, TeamSplitLine, StateEquityMatter, AuditEntry)
INVESTED_ON = dt.date(2026, 3, 1)


def refused(call, **kwargs) -> PolicyError:
    before = {m.__name__: m.objects.count() for m in STORED}
    with pytest.raises(PolicyError) as info:
        call(**kwargs)
    assert {m.__name__: m.objects.count() for m in STORED} == before
    return info.value


def _result_of(personas, unit):
    data = validate_achievement(achievement_raw(), today=dt.date(2026, 11, 1))
    return registry_services.achievement_create(
        actor=personas.transfer_office, unit=unit, data=data
    )


def _holders(completers=(4200, 2800), unit=2000, soe=1000):
    holders = [
        Holder(name, HolderKind.COMPLETER, shares)
        for name, shares in zip(("李明", "赵华"), completers, strict=False)
    ]
    if unit:
        holders.append(Holder("春城测试大学", HolderKind.UNIT, unit))
    if soe:
        holders.append(Holder("昆明科技投资集团", HolderKind.MUNICIPAL_SOE, soe))
    return holders


def _invest(personas, unit, **changes):
    values = dict(
        actor=personas.transfer_office,
        unit=unit,
        achievement=changes.pop("achievement", None) or _result_of(personas, unit),
        company="云岭新材料科技有限公司",
        valuation=Decimal("5000000.00"),
        shares_issued=10000,
        invested_on=INVESTED_ON,
        holders=_holders(),
    )
    values.update(changes)
    return services.equity_investment_record(**values)


def _matter(personas, investment, **changes):
    values = dict(
        actor=personas.transfer_office,
        investment=investment,
        kind="public_market_transfer",
        occurred_on=dt.date(2026, 6, 1),
        amount=Decimal("300000.00"),
        shares=500,
        description="在产权交易所公开挂牌转让",
    )
    values.update(changes)
    return services.state_equity_matter_record(**values)


# --- M6.1 -----------------------------------------------------------------------------------


def test_m6_1_an_investment_with_the_completers_at_the_minimum_is_recorded(personas, unit):
    investment = _invest(personas, unit)
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
    result = _result_of(personas, unit)
    error = refused(
        _invest,
        personas=personas,
        unit=unit,
        achievement=result,
        holders=_holders(completers=(4200, 2799), unit=2001),
    )
    assert error.code == "equity.completers_below_minimum"
    assert error.clauses == ("M6.1",) and error.field == "holders"
    assert "69.99%" in error.message and "70%" in error.message


def test_m6_1_only_the_unit_or_a_municipal_soe_holds_the_rest(personas, unit):
    result = _result_of(personas, unit)
    holders = [*_holders(soe=0), Holder("团队持股平台", HolderKind.OTHER, 1000)]
    error = refused(_invest, personas=personas, unit=unit, achievement=result, holders=holders)
    assert error.code == "equity.holder_not_allowed" and error.clauses == ("M6.1",)


def test_m6_1_the_cap_table_holds_exactly_the_shares_issued(personas, unit):
    result = _result_of(personas, unit)
    error = refused(_invest, personas=personas, unit=unit, achievement=result, shares_issued=10001)
    assert error.code == "equity.cap_table_total" and error.field == "holders"
    stakes_as_ratios = [Holder("李明", HolderKind.COMPLETER, Decimal("1"))]
    error = refused(
        _invest, personas=personas, unit=unit, achievement=result, holders=stakes_as_ratios
    )
    assert error.code == "equity.stake_shares"
    error = refused(_invest, personas=personas, unit=unit, achievement=result, shares_issued=0)
    assert error.field == "shares_issued"
    error = refused(
        _invest, personas=personas, unit=unit, achievement=result, valuation=Decimal("0.001")
    )
    assert error.field == "valuation" and error.clauses == ("M6.1",)
    error = refused(_invest, personas=personas, unit=unit, achievement=result, company=" ")
    assert error.field == "company"


def test_m6_1_a_municipal_unit_invests_its_own_result(personas, unit):
    office = personas.transfer_office
    provincial = OrganisationFactory(kind="university", is_municipal=False)
    MembershipFactory(user=office, organisation=provincial, role=Role.TRANSFER_OFFICE)
    other = OrganisationFactory(kind="university")
    MembershipFactory(user=office, organisation=other, role=Role.TRANSFER_OFFICE)
    error = refused(
        _invest, personas=personas, unit=provincial, achievement=_result_of(personas, provincial)
    )
    assert error.code == "equity.unit_not_municipal" and error.field == "unit"
    error = refused(_invest, personas=personas, unit=unit, achievement=_result_of(personas, other))
    assert error.field == "achievement"
    result = _result_of(personas, unit)
    for actor in (personas.researcher, personas.bureau, personas.auditor, personas.enterprise):
        error = refused(_invest, personas=personas, unit=unit, achievement=result, actor=actor)
        assert error.code == "access.denied"


def test_m6_1_the_team_splits_its_shares_in_whole_shares_that_add_up(personas, unit):
    holders = [Holder("团队", HolderKind.COMPLETER, 7001), Holder("大学", HolderKind.UNIT, 3000)]
    investment = _invest(personas, unit, holders=holders, shares_issued=10001)
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
    investment = _invest(personas, unit)
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


# --- M2 -------------------------------------------------------------------------------------


def test_m2_1_the_unit_decides_a_transfer_alone(personas, unit):
    investment = _invest(personas, unit)
    matter = _matter(personas, investment)
    assert (matter.route, matter.status, matter.reasons) == ("unit_decides", "decided", [])
    assert matter.shares == 500 and matter.amount == Decimal("300000.00")
    entry = AuditEntry.objects.get(action="state_equity.record")
    assert entry.clauses == ["M2.1"] and entry.after["status"] == "decided"
    assert not selectors.state_equity_awaiting_approval().exists()
    error = refused(
        services.state_equity_matter_approve, actor=personas.bureau, matter=matter, note=""
    )
    assert error.code == "state_equity.not_waiting" and error.clauses == ("M2.2",)


def test_m2_2_a_secret_touching_transfer_waits_and_only_the_bureau_approves(personas, unit):
    investment = _invest(personas, unit)
    matter = _matter(personas, investment, touches_secrets=True)
    assert (matter.route, matter.status) == ("superior_approval", "waiting_approval")
    assert matter.reasons == ["national_secrets"]
    assert AuditEntry.objects.get(action="state_equity.record").clauses == ["M2.2"]
    assert list(selectors.state_equity_awaiting_approval()) == [matter]
    from kttc.core.models import Notification

    (told,) = Notification.objects.filter(kind="benefits.state_equity_waiting")
    assert told.recipient == personas.bureau and told.clauses == ["M2.2"]
    for actor in (
        personas.transfer_office,
        personas.auditor,
        personas.investment_platform,
        personas.researcher,
    ):
        error = refused(services.state_equity_matter_approve, actor=actor, matter=matter)
        assert error.code == "access.denied"
    matter.refresh_from_db()
    assert matter.status == "waiting_approval" and matter.decided_by is None
    approved = services.state_equity_matter_approve(
        actor=personas.bureau, matter=matter, note="同意"
    )
    assert approved.status == "approved" and approved.decided_by == personas.bureau
    entry = AuditEntry.objects.get(action="state_equity.approve")
    assert entry.clauses == ["M2.2"] and entry.before == {"status": "waiting_approval"}
    error = refused(
        services.state_equity_matter_reject, actor=personas.bureau, matter=matter, reason="晚了"
    )
    assert error.code == "state_equity.not_waiting"


def test_m2_2_a_key_core_result_routes_every_matter_and_a_rejection_says_why(personas, unit):
    investment = _invest(personas, unit, key_core_technology=True)
    matter = _matter(personas, investment, kind="outward_investment")
    assert matter.status == "waiting_approval" and matter.reasons == ["key_core_technology"]
    error = refused(
        services.state_equity_matter_reject, actor=personas.bureau, matter=matter, reason=" "
    )
    assert error.field == "reason" and error.clauses == ("M2.2",)
    rejected = services.state_equity_matter_reject(
        actor=personas.bureau, matter=matter, reason="涉及关键核心技术，不同意对外投资"
    )
    assert rejected.status == "rejected" and rejected.decision_note.startswith("涉及")
    impairment = _matter(personas, investment, kind="impairment", shares=None)
    assert impairment.status == "waiting_approval"  # M2.2: none passes silently


def test_m2_1_a_unit_disposes_of_no_more_shares_than_it_holds(personas, unit):
    investment = _invest(personas, unit)  # the unit holds 2,000 shares
    _matter(personas, investment, shares=1500)
    waiting = _matter(personas, investment, shares=400, touches_security=True)
    error = refused(_matter, personas=personas, investment=investment, shares=200)
    assert error.code == "state_equity.shares_left" and error.field == "shares"
    assert error.clauses == ("M2.1",) and error.params["left"] == 100
    services.state_equity_matter_reject(actor=personas.bureau, matter=waiting, reason="不同意")
    assert _matter(personas, investment, shares=200).status == "decided"
    error = refused(_matter, personas=personas, investment=investment, shares=0)
    assert error.field == "shares"


def test_m2_refusals_name_their_field(personas, unit):
    investment = _invest(personas, unit)
    error = refused(_matter, personas=personas, investment=investment, kind="gift")
    assert error.field == "kind" and error.clauses == ("M2.1",)
    error = refused(_matter, personas=personas, investment=investment, amount=Decimal("0"))
    assert error.field == "amount"
    error = refused(_matter, personas=personas, investment=investment, description="")
    assert error.field == "description"
    error = refused(
        _matter, personas=personas, investment=investment, occurred_on=dt.date(2026, 2, 1)
    )
    assert error.field == "occurred_on"
    error = refused(_matter, personas=personas, investment=investment, kind="impairment")
    assert error.field == "shares" and error.clauses == ("M2.3",)
    error = refused(_matter, personas=personas, investment=investment, actor=personas.bureau)
    assert error.code == "access.denied"


def test_m2_3_impairment_is_reported_apart_from_value_preservation(personas, unit):
    investment = _invest(personas, unit)
    _matter(
        personas,
        investment,
        kind="impairment",
        shares=None,
        amount=Decimal("300000.00"),
        occurred_on=dt.date(2026, 9, 30),
        description="公司估值下降",
    )
    _matter(
        personas,
        investment,
        kind="impairment",
        shares=None,
        amount=Decimal("50000.00"),
        occurred_on=dt.date(2026, 10, 1),
        touches_secrets=True,
        description="待批准的减值",
    )
    _matter(
        personas,
        investment,
        kind="impairment",
        shares=None,
        amount=Decimal("70000.00"),
        occurred_on=dt.date(2027, 1, 5),
        description="下一年度",
    )
    report = selectors.state_equity_preservation(
        unit=unit,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        opening=Decimal("2000000.00"),
        closing=Decimal("1800000.00"),
    )
    assert report.impairment == Decimal("300000.00")  # the waiting one and next year's apart
    assert report.closing_before_impairment == Decimal("2100000.00")
    assert report.ratio == Fraction(21, 20) and report.ratio_with_impairment == Fraction(9, 10)
    assert report.preserved and report.appreciated
    entry = AuditEntry.objects.filter(action="state_equity.record").first()
    assert "M2.3" in entry.clauses


def test_the_ledger_is_seen_by_its_unit_and_the_superior_only(personas, unit):
    investment = _invest(personas, unit)
    matter = _matter(personas, investment)
    assert list(selectors.state_equity_matters_visible_to(personas.transfer_office)) == [matter]
    assert list(selectors.state_equity_matters_visible_to(personas.bureau)) == [matter]
    assert list(selectors.state_equity_matters_visible_to(personas.auditor)) == [matter]
    assert not selectors.state_equity_matters_visible_to(personas.enterprise).exists()
    assert not selectors.state_equity_matters_visible_to(personas.investment_platform).exists()
    assert list(selectors.equity_investments_visible_to(personas.transfer_office)) == [investment]
    assert not selectors.equity_investments_visible_to(personas.enterprise).exists()
