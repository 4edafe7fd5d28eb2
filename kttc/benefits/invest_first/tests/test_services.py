""" "Invest first, equity later" (M7): the designated platform's case from the grant through a
round below the trigger, a round that converts the support on the agreed terms, and exits within
the appropriate return, with the revolving fund's report to the fen. Refusals cite M7.x, name
their field and store nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from functools import partial

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kttc.benefits.invest_first import selectors, services
from kttc.benefits.invest_first.models import (
    InvestFirstCase,
    InvestFirstConversion,
    InvestFirstExit,
    InvestFirstMilestone,
)
from kttc.benefits.tests.factories import refused as refused_storing
from kttc.core.models import AuditEntry
from kttc.core.tests.factories import MembershipFactory, OrganisationFactory
from kttc.policy.errors import PolicyError
from kttc.policy.investment import FundReport
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db
STORED = (InvestFirstCase, InvestFirstMilestone, InvestFirstConversion, InvestFirstExit, AuditEntry)
GRANTED_ON = dt.date(2026, 2, 1)


refused = partial(refused_storing, STORED)


@pytest.fixture
def platform(personas):
    return personas.organisations[Role.INVESTMENT_PLATFORM]


def _grant(personas, platform, **changes):
    values = dict(
        actor=personas.investment_platform,
        platform=platform,
        company="滇中生物制造有限公司",
        project="高原药用植物中试放大",
        stage="mid_scale_pilot",
        support=Decimal("1000000.00"),
        granted_on=GRANTED_ON,
        min_round_size=Decimal("5000000.00"),
        discount=Decimal("0.20"),
        valuation_cap=Decimal("31000000.00"),
        return_cap_ratio=Decimal("0.08"),
    )
    values.update(changes)
    return services.invest_first_grant(**values)


def _round(personas, case, **changes):
    values = dict(
        actor=personas.investment_platform,
        case=case,
        closed_on=dt.date(2026, 9, 1),
        round_size=Decimal("8000000.00"),
        price_per_share=Decimal("14.00"),
        pre_money_shares=3_000_000,
    )
    values.update(changes)
    return services.invest_first_round(**values)


def _exit(personas, case, **changes):
    values = dict(
        actor=personas.investment_platform,
        case=case,
        exited_on=dt.date(2027, 3, 1),
        shares=40_000,
        proceeds=Decimal("612345.67"),
        buyer="云南产业投资基金",
    )
    values.update(changes)
    return services.invest_first_exit(**values)


def test_m7_a_case_from_grant_through_a_round_to_conversion_and_partial_exits(personas, platform):
    case = _grant(personas, platform)
    assert case.status == "invested" and case.support == Decimal("1000000.00")
    assert AuditEntry.objects.get(action="invest_first.grant").clauses == [
        "M7.1",
        "M7.2",
        "M7.3",
        "M7.4",
    ]

    small = _round(personas, case, closed_on=dt.date(2026, 5, 1), round_size=Decimal("3000000"))
    assert small.conversion is None and not small.milestone.met
    case.refresh_from_db()
    assert case.status == "invested"

    # M7.3: the round's price less 20 % is 11.20; the cap, 31M over 3M shares, is 31/3 a share:
    # the lower price; 96,774 whole shares are worth 999,998.00, 2.00 of the support is left.
    outcome = _round(personas, case)
    conversion = outcome.conversion
    assert outcome.milestone.met and conversion.trigger == "market_round"
    assert conversion.discounted_price == "56/5" and conversion.cap_price == "31/3"
    assert conversion.effective_price == "31/3" and conversion.shares == 96_774
    assert conversion.converted == Decimal("999998.00")
    assert conversion.remainder == Decimal("2.00")
    assert conversion.converted + conversion.remainder == case.support
    case.refresh_from_db()
    assert case.status == "converted"
    convert_entry = AuditEntry.objects.get(action="invest_first.convert")
    assert convert_entry.clauses == ["M7.3"] and convert_entry.after["shares"] == 96_774

    first = _exit(personas, case)
    assert (first.returned, first.principal, first.gain, first.above_cap) == (
        Decimal("612345.67"),
        Decimal("612345.67"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert first.cap == Decimal("1080000.00")
    assert selectors.fund_report([case]) == FundReport(
        granted=Decimal("1000000.00"),
        converted=Decimal("999998.00"),
        unconverted=Decimal("2.00"),
        exited=Decimal("612345.67"),
        returned=Decimal("612345.67"),
        principal_returned=Decimal("612345.67"),
        gain=Decimal("0.00"),
        above_cap=Decimal("0.00"),
        outstanding=Decimal("387654.33"),
    )

    # M7.4: the second exit fills the cap (108 % of the support); the rest is above it.
    second = _exit(personas, case, exited_on=dt.date(2027, 9, 1), proceeds=Decimal("700000.00"))
    assert second.returned == Decimal("467654.33")
    assert (second.principal, second.gain) == (Decimal("387654.33"), Decimal("80000.00"))
    assert second.above_cap == Decimal("232345.67")
    report = selectors.fund_report(InvestFirstCase.objects.all())
    assert report == FundReport(
        granted=Decimal("1000000.00"),
        converted=Decimal("999998.00"),
        unconverted=Decimal("2.00"),
        exited=Decimal("1312345.67"),
        returned=Decimal("1080000.00"),
        principal_returned=Decimal("1000000.00"),
        gain=Decimal("80000.00"),
        above_cap=Decimal("232345.67"),
        outstanding=Decimal("0.00"),
    )
    position = selectors.invest_first_position(case)
    assert (position.converted_shares, position.shares_held) == (96_774, 16_774)
    assert position.cap_left == Decimal("0.00")
    assert AuditEntry.objects.filter(action="invest_first.exit").count() == 2
    with pytest.raises(TypeError):
        first.save()


def test_m7_3_a_converted_case_converts_once_and_an_exit_needs_equity(personas, platform):
    case = _grant(personas, platform)
    error = refused(_exit, personas=personas, case=case)
    assert error.code == "invest.not_converted" and error.clauses == ("M7.4",)
    _round(personas, case)
    error = refused(_round, personas=personas, case=case, closed_on=dt.date(2027, 1, 1))
    assert error.code == "invest.converted" and error.clauses == ("M7.3",)
    error = refused(_exit, personas=personas, case=case, shares=96_775)
    assert error.field == "shares" and error.params["left"] == 96_774
    error = refused(_exit, personas=personas, case=case, exited_on=dt.date(2026, 8, 31))
    assert error.field == "exited_on"
    error = refused(_exit, personas=personas, case=case, proceeds=Decimal("0"))
    assert error.field == "proceeds" and error.clauses == ("M7.4",)
    error = refused(_exit, personas=personas, case=case, actor=personas.transfer_office)
    assert error.code == "access.denied"


def test_m7_3_a_round_is_checked_before_anything_is_stored(personas, platform):
    case = _grant(personas, platform)
    error = refused(_round, personas=personas, case=case, pre_money_shares=None)
    assert error.field == "pre_money_shares" and error.clauses == ("M7.3",)
    error = refused(_round, personas=personas, case=case, closed_on=dt.date(2026, 1, 31))
    assert error.field == "occurred_on"
    error = refused(_round, personas=personas, case=case, price_per_share=Decimal("0"))
    assert error.field == "price_per_share"
    error = refused(_round, personas=personas, case=case, price_per_share=Decimal("1.0000001"))
    assert error.code == "invest.digits"
    error = refused(_round, personas=personas, case=case, round_size=Decimal("-1"))
    assert error.field == "round_size"
    error = refused(
        _round, personas=personas, case=case, price_per_share=Decimal("2000000"), pre_money_shares=1
    )
    assert error.code == "invest.no_share"
    case.refresh_from_db()
    assert case.status == "invested"


def test_m7_3_declared_stable_development_converts_where_agreed(personas, platform):
    case = _grant(
        personas,
        platform,
        support=Decimal("500000.00"),
        min_round_size=None,
        on_stable_development=True,
        discount=Decimal("0"),
        valuation_cap=None,
    )
    round_only = _grant(personas, platform)
    # No round converts an agreement that converts on stable development only.
    assert _round(personas, case, round_size=Decimal("99000000")).conversion is None
    error = refused(
        services.invest_first_declare_stable,
        actor=personas.investment_platform,
        case=round_only,
        declared_on=dt.date(2027, 1, 1),
        price_per_share=Decimal("2"),
        grounds="连续两年盈利",
    )
    assert error.code == "invest.not_on_stable" and error.clauses == ("M7.3",)
    error = refused(
        services.invest_first_declare_stable,
        actor=personas.investment_platform,
        case=case,
        declared_on=dt.date(2027, 1, 1),
        price_per_share=Decimal("2"),
        grounds=" ",
    )
    assert error.field == "grounds"
    outcome = services.invest_first_declare_stable(
        actor=personas.investment_platform,
        case=case,
        declared_on=dt.date(2027, 1, 1),
        price_per_share=Decimal("3.00"),
        grounds="连续两年盈利，主营收入稳定",
    )
    conversion = outcome.conversion
    assert conversion.trigger == "stable_development" and conversion.shares == 166_666
    assert (conversion.converted, conversion.remainder) == (
        Decimal("499998.00"),
        Decimal("2.00"),
    )
    assert AuditEntry.objects.filter(action="invest_first.stable_development").exists()
    report = selectors.fund_report([case, round_only])
    assert report.granted == Decimal("1500000.00")
    assert report.converted == Decimal("499998.00")
    assert report.unconverted == Decimal("1000002.00")
    assert report.outstanding == Decimal("1500000.00")


def test_m7_the_grant_and_its_terms_are_refused_with_their_clause(personas, platform):
    cases = (
        ({"stage": "mass_production"}, "stage", ("M7.2",)),
        ({"support": Decimal("0")}, "support", ("M7.2",)),
        ({"min_round_size": None}, "trigger", ("M7.3",)),
        ({"discount": Decimal("1")}, "discount", ("M7.3",)),
        ({"discount": Decimal("0.1234567")}, "discount", ("M7.3",)),
        ({"valuation_cap": Decimal("0")}, "valuation_cap", ("M7.3",)),
        ({"return_cap_ratio": Decimal("-0.01")}, "return_cap_ratio", ("M7.4",)),
        ({"company": ""}, "company", ("M7.2",)),
    )
    for changes, field, clauses in cases:
        error = refused(_grant, personas=personas, platform=platform, **changes)
        assert (error.field, error.clauses) == (field, clauses), changes
    error = refused(_grant, personas=personas, platform=platform, actor=personas.bureau)
    assert error.code == "access.denied"


def test_m7_1_the_investor_is_a_municipal_state_owned_platform(personas):
    private = OrganisationFactory(kind="investment_platform", is_municipal=False)
    MembershipFactory(
        user=personas.investment_platform, organisation=private, role=Role.INVESTMENT_PLATFORM
    )
    error = refused(_grant, personas=personas, platform=private)
    assert error.code == "invest.platform" and error.clauses == ("M7.1",)


def test_the_cases_are_seen_by_their_platform_and_the_bureau(personas, platform):
    case = _grant(personas, platform)
    assert list(selectors.invest_first_cases_visible_to(personas.investment_platform)) == [case]
    assert list(selectors.invest_first_cases_visible_to(personas.bureau)) == [case]
    assert not selectors.invest_first_cases_visible_to(personas.transfer_office).exists()


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    support=st.integers(min_value=1, max_value=10**10),
    price=st.integers(min_value=1, max_value=10**8),
    discount=st.integers(min_value=0, max_value=99),
    cap=st.one_of(st.none(), st.integers(min_value=1, max_value=10**12)),
    pre_money=st.integers(min_value=1, max_value=10**9),
)
def test_m7_3_a_stored_conversion_neither_creates_nor_loses_value(
    personas, platform, support, price, discount, cap, pre_money
):
    fen = Decimal("0.01")
    case = _grant(
        personas,
        platform,
        support=support * fen,
        discount=Decimal(discount) / 100,
        valuation_cap=None if cap is None else Decimal(cap),
        min_round_size=fen,
    )
    try:
        outcome = _round(
            personas, case, price_per_share=Decimal(price) * fen, pre_money_shares=pre_money
        )
    except PolicyError as error:  # the support buys no whole share at that price
        assert error.code == "invest.no_share"
        return
    conversion = outcome.conversion
    price_exact = Fraction(conversion.effective_price)
    assert price_exact <= Fraction(price, 100)
    assert conversion.shares * price_exact <= Fraction(case.support)
    assert (conversion.shares + 1) * price_exact > Fraction(case.support)
    assert conversion.converted + conversion.remainder == case.support
    report = selectors.fund_report([case])
    assert report.converted + report.unconverted == report.granted
