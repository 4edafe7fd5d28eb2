"""M7: "invest first, equity later": stages, the conversion trigger, conversion into whole
shares without creating value, exits within the appropriate-return cap, the revolving fund."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kttc.policy import investment
from kttc.policy.errors import PolicyError
from kttc.policy.investment import Conversion, ConversionTrigger, ExitSplit, Stage, TriggerKind
from kttc.policy.money import allocate

D = Decimal
fens = st.integers(min_value=1, max_value=10**12).map(lambda fen: D(fen).scaleb(-2))
fens_or_zero = st.integers(min_value=0, max_value=10**12).map(lambda fen: D(fen).scaleb(-2))
prices = st.integers(min_value=1, max_value=10**8).map(lambda tenth_fen: D(tenth_fen).scaleb(-4))
discounts = st.integers(min_value=0, max_value=9_999).map(lambda bp: D(bp).scaleb(-4))


def test_m7_2_the_four_stages_of_support() -> None:
    assert [stage.value for stage in Stage] == [
        "concept_verification",
        "small_pilot",
        "mid_scale_pilot",
        "secondary_development",
    ]


# --- M7.3 trigger ------------------------------------------------------------------------------


def test_m7_3_a_large_enough_market_round_or_declared_stable_development_triggers() -> None:
    both = ConversionTrigger(min_round_size=D("10000000.00"), on_stable_development=True)
    assert investment.met_by(both, round_size=D("10000000.00")) is TriggerKind.MARKET_ROUND
    assert not investment.trigger_met(both, round_size=D("9999999.99"))
    assert investment.met_by(both, stable_development=True) is TriggerKind.STABLE_DEVELOPMENT
    assert not investment.trigger_met(both)
    round_only = ConversionTrigger(min_round_size=D("5000000.00"))
    assert not investment.trigger_met(round_only, stable_development=True)
    stable_only = ConversionTrigger(on_stable_development=True)
    assert not investment.trigger_met(stable_only, round_size=D("99999999.00"))


@pytest.mark.parametrize(
    ("trigger", "changes", "code", "field"),
    [
        (ConversionTrigger(), {}, "invest.trigger", "trigger"),
        (ConversionTrigger(min_round_size=D("0.00")), {}, "invest.amount", "min_round_size"),
        (ConversionTrigger(min_round_size=D("-1.00")), {}, "money.amount", "min_round_size"),
        (
            ConversionTrigger(min_round_size=D("1.00")),
            {"round_size": D("-5.00")},
            "money.amount",
            "round_size",
        ),
    ],
)
def test_m7_3_a_trigger_is_refused_citing_m7_3(
    trigger: ConversionTrigger, changes: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(PolicyError) as info:
        investment.trigger_met(trigger, **changes)
    assert (info.value.code, info.value.field, info.value.clauses) == (code, field, ("M7.3",))


@given(
    st.one_of(st.none(), fens),
    st.booleans(),
    st.one_of(st.none(), fens_or_zero),
    st.booleans(),
)
def test_m7_3_the_trigger_is_met_iff_a_round_reaches_its_size_or_stable_development_counts(
    min_round: Decimal | None, on_stable: bool, round_size: Decimal | None, stable: bool
) -> None:
    assume(min_round is not None or on_stable)
    trigger = ConversionTrigger(min_round_size=min_round, on_stable_development=on_stable)
    by_round = min_round is not None and round_size is not None and round_size >= min_round
    expected = by_round or (on_stable and stable)
    assert investment.trigger_met(trigger, round_size=round_size, stable_development=stable) is (
        expected
    )


# --- M7.3 conversion ---------------------------------------------------------------------------


def test_m7_3_support_converts_at_the_discounted_round_price() -> None:
    result = investment.conversion(
        D("2000000.00"), round_price_per_share=D("10.00"), discount=D("0.20")
    )
    assert result.effective_price == 8 and result.cap_price is None
    assert result.shares == 250_000
    assert (result.converted, result.remainder) == (D("2000000.00"), D("0.00"))


def test_m7_3_a_valuation_cap_gives_the_lower_price_and_the_rest_is_money() -> None:
    # Cap 30,000,000 over 9,000,000 shares: 3.333… a share, below 10 × 0.8 = 8.
    result = investment.conversion(
        D("1000000.00"),
        round_price_per_share=D("10.00"),
        discount=D("0.20"),
        valuation_cap=D("30000000.00"),
        pre_money_shares=9_000_000,
    )
    assert result.cap_price == Fraction(10, 3) == result.effective_price
    assert result.shares == 300_000  # 1,000,000 ÷ 10/3 = 300,000 exactly
    assert result.remainder == 0
    odd = investment.conversion(
        D("1000.00"),
        round_price_per_share=D("10.00"),
        discount=D("0"),
        valuation_cap=D("30000000.00"),
        pre_money_shares=9_000_000,
    )
    # 1000 ÷ 3.333… = 300 shares worth exactly 1000: none left; 1000.01 leaves a fen.
    assert (odd.shares, odd.remainder) == (300, D("0.00"))
    plus = investment.conversion(
        D("1000.01"),
        round_price_per_share=D("10.00"),
        discount=D("0"),
        valuation_cap=D("30000000.00"),
        pre_money_shares=9_000_000,
    )
    assert (plus.shares, plus.converted, plus.remainder) == (300, D("1000.00"), D("0.01"))


def test_m7_3_a_part_share_is_never_issued_the_rest_is_reported_in_money() -> None:
    result = investment.conversion(D("100.00"), round_price_per_share=D("3.00"), discount=D("0.10"))
    # 2.70 a share: 37 shares are worth 99.90; the 0.10 left would buy no whole share.
    assert (result.shares, result.converted, result.remainder) == (37, D("99.90"), D("0.10"))


@pytest.mark.parametrize(
    ("support", "changes", "code", "field"),
    [
        (D("0.00"), {}, "invest.amount", "support"),
        (D("-1.00"), {}, "money.amount", "support"),
        (D("1.001"), {}, "money.amount", "support"),
        (
            D("100.00"),
            {"round_price_per_share": D("0")},
            "invest.not_positive",
            "round_price_per_share",
        ),
        (
            D("100.00"),
            {"round_price_per_share": D("-1")},
            "invest.not_positive",
            "round_price_per_share",
        ),
        (D("100.00"), {"discount": D("1")}, "invest.discount", "discount"),
        (D("100.00"), {"discount": D("-0.01")}, "invest.discount", "discount"),
        (D("100.00"), {"discount": D("NaN")}, "invest.discount", "discount"),
        (
            D("100.00"),
            {"valuation_cap": D("0"), "pre_money_shares": 10},
            "invest.not_positive",
            "valuation_cap",
        ),
        (
            D("100.00"),
            {"valuation_cap": D("1000.00")},
            "invest.pre_money_shares",
            "pre_money_shares",
        ),
        (
            D("100.00"),
            {"valuation_cap": D("1000.00"), "pre_money_shares": 0},
            "invest.pre_money_shares",
            "pre_money_shares",
        ),
    ],
)
def test_m7_3_a_conversion_is_refused_citing_m7_3(
    support: Decimal, changes: dict[str, Any], code: str, field: str
) -> None:
    arguments: dict[str, Any] = {"round_price_per_share": D("10.00"), "discount": D("0.2")}
    arguments.update(changes)
    with pytest.raises(PolicyError) as info:
        investment.conversion(support, **arguments)
    assert (info.value.code, info.value.field, info.value.clauses) == (code, field, ("M7.3",))


def test_m7_3_a_conversion_refuses_floats() -> None:
    with pytest.raises(TypeError):
        investment.conversion(D("1.00"), round_price_per_share=1.5, discount=D(0))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        investment.conversion(D("1.00"), round_price_per_share=D(1), discount=0.1)  # type: ignore[arg-type]


@st.composite
def conversions(draw: st.DrawFn) -> tuple[Conversion, dict[str, Any]]:
    terms: dict[str, Any] = {
        "support": draw(fens),
        "round_price_per_share": draw(prices),
        "discount": draw(discounts),
    }
    if draw(st.booleans()):
        terms["valuation_cap"] = draw(fens)
        terms["pre_money_shares"] = draw(st.integers(1, 10**10))
    support = terms.pop("support")
    return investment.conversion(support, **terms), {"support": support, **terms}


@given(conversions())
def test_m7_3_a_conversion_never_creates_or_loses_value_beyond_the_terms(
    case: tuple[Conversion, dict[str, Any]],
) -> None:
    result, terms = case
    price, support = result.effective_price, Fraction(terms["support"])
    value = result.shares * price
    assert value <= support  # never shares worth more than the support
    assert support - value < price  # and never a whole share withheld
    assert result.converted + result.remainder == terms["support"]
    assert 0 <= Fraction(result.converted) - value < Fraction(1, 100)
    assert result.remainder >= 0 and result.shares >= 0


@given(conversions())
def test_m7_3_the_effective_price_is_the_lowest_of_the_terms_and_never_above_the_round(
    case: tuple[Conversion, dict[str, Any]],
) -> None:
    result, terms = case
    round_price = Fraction(terms["round_price_per_share"])
    discounted = round_price * (1 - Fraction(terms["discount"]))
    assert result.effective_price <= round_price
    assert result.effective_price <= discounted
    if "valuation_cap" in terms:
        cap = Fraction(terms["valuation_cap"]) / terms["pre_money_shares"]
        assert result.effective_price == min(discounted, cap)
    else:
        assert result.effective_price == discounted


# --- M7.4 exits and the fund -------------------------------------------------------------------


def test_m7_4_an_exit_returns_principal_first_then_gain_up_to_the_cap() -> None:
    first = investment.exit_allowed(
        invested=D("1000000.00"),
        returned_so_far=D("0.00"),
        proceeds=D("600000.00"),
        return_cap_ratio=D("0.08"),
    )
    assert (first.cap, first.returned, first.principal, first.gain, first.above_cap) == (
        D("1080000.00"),
        D("600000.00"),
        D("600000.00"),
        D("0.00"),
        D("0.00"),
    )
    second = investment.exit_allowed(
        invested=D("1000000.00"),
        returned_so_far=first.returned,
        proceeds=D("900000.00"),
        return_cap_ratio=D("0.08"),
    )
    assert (second.returned, second.principal, second.gain, second.above_cap) == (
        D("480000.00"),
        D("400000.00"),
        D("80000.00"),
        D("420000.00"),
    )


def test_m7_4_the_cap_is_rounded_down_to_the_fen() -> None:
    split = investment.exit_allowed(
        invested=D("0.10"), returned_so_far=D(0), proceeds=D("1.00"), return_cap_ratio=D("0.05")
    )
    assert split.cap == D("0.10")  # 0.105 rounds down: never above the appropriate return


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"invested": D("0.00")}, "invest.amount", "invested"),
        ({"returned_so_far": D("-1.00")}, "money.amount", "returned_so_far"),
        ({"proceeds": D("-1.00")}, "money.amount", "proceeds"),
        ({"return_cap_ratio": D("-0.01")}, "invest.return_cap", "return_cap_ratio"),
        ({"return_cap_ratio": D("Infinity")}, "invest.return_cap", "return_cap_ratio"),
    ],
)
def test_m7_4_an_exit_is_refused_citing_m7_4(
    changes: dict[str, Any], code: str, field: str
) -> None:
    arguments: dict[str, Any] = {
        "invested": D("100.00"),
        "returned_so_far": D("0.00"),
        "proceeds": D("50.00"),
        "return_cap_ratio": D("0.1"),
    }
    arguments.update(changes)
    with pytest.raises(PolicyError) as info:
        investment.exit_allowed(**arguments)
    assert (info.value.code, info.value.field, info.value.clauses) == (code, field, ("M7.4",))


cap_ratios = st.integers(0, 30_000).map(lambda bp: D(bp).scaleb(-4))


@given(fens, st.lists(fens_or_zero, max_size=8), cap_ratios)
def test_m7_4_exits_never_return_more_than_the_cap_and_every_fen_is_counted(
    invested: Decimal, proceeds: list[Decimal], cap_ratio: Decimal
) -> None:
    returned = D("0.00")
    splits: list[ExitSplit] = []
    for amount in proceeds:
        split = investment.exit_allowed(
            invested=invested, returned_so_far=returned, proceeds=amount, return_cap_ratio=cap_ratio
        )
        assert split.returned + split.above_cap == amount
        assert split.principal + split.gain == split.returned
        assert min(split.returned, split.principal, split.gain, split.above_cap) >= 0
        returned += split.returned
        splits.append(split)
        assert returned <= split.cap <= invested * (1 + cap_ratio)
    assert returned == min(
        sum(proceeds, D(0)),
        investment.exit_allowed(
            invested=invested, returned_so_far=D(0), proceeds=D(0), return_cap_ratio=cap_ratio
        ).cap,
    )
    assert sum((s.principal for s in splits), D(0)) == min(returned, invested)


@given(
    st.lists(fens, min_size=1, max_size=5),
    st.lists(st.tuples(prices, discounts), max_size=3),
    st.lists(st.tuples(fens_or_zero, cap_ratios), max_size=4),
)
def test_m7_2_m7_4_the_fund_report_adds_up(
    grants: list[Decimal],
    terms: list[tuple[Decimal, Decimal]],
    exits: list[tuple[Decimal, Decimal]],
) -> None:
    granted = sum(grants, D(0))
    supports = allocate(granted, [1] * len(terms)) if terms else []
    converted = [
        investment.conversion(support, round_price_per_share=price, discount=discount)
        for support, (price, discount) in zip(supports, terms, strict=True)
        if support > 0
    ]
    returned = D(0)
    splits = []
    for proceeds, ratio in exits:
        split = investment.exit_allowed(
            invested=granted, returned_so_far=returned, proceeds=proceeds, return_cap_ratio=ratio
        )
        returned += split.returned
        splits.append(split)
    report = investment.fund_report(grants, converted, splits)
    assert report.granted == granted
    assert report.converted + report.unconverted == report.granted
    assert report.returned + report.above_cap == report.exited
    assert report.principal_returned + report.gain == report.returned
    assert report.outstanding + report.principal_returned == report.granted
    assert report.exited == sum((p for p, _ in exits), D(0))
    assert min(report.unconverted, report.outstanding, report.gain, report.above_cap) >= 0


def test_m7_an_invest_first_case_from_grant_to_a_partial_exit() -> None:
    grant = D("3000000.00")
    trigger = ConversionTrigger(min_round_size=D("20000000.00"))
    assert not investment.trigger_met(trigger, round_size=D("5000000.00"))
    assert investment.trigger_met(trigger, round_size=D("25000000.00"))
    converted = investment.conversion(
        grant,
        round_price_per_share=D("12.50"),
        discount=D("0.20"),
        valuation_cap=D("60000000.00"),
        pre_money_shares=8_000_000,
    )
    # 12.50 × 0.8 = 10.00 against the cap's 60,000,000 ÷ 8,000,000 = 7.50: 400,000 shares.
    assert converted.discounted_price == Fraction(10)
    assert converted.effective_price == Fraction(15, 2)
    assert (converted.shares, converted.remainder) == (400_000, D("0.00"))
    exit_ = investment.exit_allowed(
        invested=grant, returned_so_far=D(0), proceeds=D("1800000.00"), return_cap_ratio=D("0.1")
    )
    report = investment.fund_report([grant], [converted], [exit_])
    assert report == investment.FundReport(
        granted=grant,
        converted=grant,
        unconverted=D("0.00"),
        exited=D("1800000.00"),
        returned=D("1800000.00"),
        principal_returned=D("1800000.00"),
        gain=D("0.00"),
        above_cap=D("0.00"),
        outstanding=D("1200000.00"),
    )


def test_m7_a_fund_report_refuses_more_converted_or_repaid_than_granted() -> None:
    converted = investment.conversion(D("100.00"), round_price_per_share=D(1), discount=D(0))
    with pytest.raises(PolicyError) as info:
        investment.fund_report([D("99.99")], [converted], [])
    assert info.value.code == "invest.report_converted" and info.value.clauses == ("M7.3",)
    repaid = investment.exit_allowed(
        invested=D("100.00"), returned_so_far=D(0), proceeds=D("100.00"), return_cap_ratio=D(0)
    )
    with pytest.raises(PolicyError) as info:
        investment.fund_report([D("50.00")], [], [repaid])
    assert info.value.code == "invest.report_principal" and info.value.clauses == ("M7.4",)
