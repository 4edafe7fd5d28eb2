"""M6.1 researcher shareholding (cap table, the team's split) and M2 state equity (routing,
impairment apart from value preservation)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import equity
from kttc.policy.equity import (
    ApprovalReason,
    Holder,
    HolderKind,
    Route,
    StateEquityMatter,
)
from kttc.policy.errors import PolicyError
from kttc.policy.params import MEASURES_2026

MIN = MEASURES_2026.completer_equity_min_share
D = Decimal
C, U, S, OTHER = HolderKind.COMPLETER, HolderKind.UNIT, HolderKind.MUNICIPAL_SOE, HolderKind.OTHER


# --- M6.1 cap table -----------------------------------------------------------------------------


def test_m6_1_completers_holding_70_percent_directly_pass_with_their_exact_ratio() -> None:
    table = equity.check_cap_table(
        [
            Holder("张三", C, 4_000_000),
            Holder("李四", C, 3_000_000),
            Holder("昆明理工大学", U, 2_000_000),
            Holder("昆明产投", S, 1_000_000),
        ],
        min_completer_ratio=MIN,
    )
    assert table.completer_ratio == Fraction(7, 10)
    assert (table.total, table.completers, table.unit, table.municipal_soe) == (
        10_000_000,
        7_000_000,
        2_000_000,
        1_000_000,
    )
    assert table.completer_ratio_rounded() == D("0.7000")


def test_m6_1_ratios_and_capital_contributions_are_checked_exactly() -> None:
    table = equity.check_cap_table(
        [Holder("团队", C, D("0.7")), Holder("单位", U, D("0.3"))], min_completer_ratio=MIN
    )
    assert table.completer_ratio == Fraction(7, 10) and table.total == 1
    # 699,999.99 of 1,000,000.00 is a fen short of 70 %: refused, no rounding lets it through.
    with pytest.raises(PolicyError) as info:
        equity.check_cap_table(
            [Holder("团队", C, D("699999.99")), Holder("单位", U, D("300000.01"))],
            min_completer_ratio=MIN,
        )
    assert info.value.code == "equity.completers_below_minimum"


@pytest.mark.parametrize(
    ("holders", "code"),
    [
        ([Holder("张三", C, 69), Holder("单位", U, 31)], "equity.completers_below_minimum"),
        ([Holder("单位", U, 100)], "equity.completers_below_minimum"),
        ([Holder("张三", C, 80), Holder("风投", OTHER, 20)], "equity.holder_not_allowed"),
        ([Holder("张三", C, 80), Holder("持股平台", OTHER, 1)], "equity.holder_not_allowed"),
        ([], "equity.empty"),
        ([Holder("张三", C, 0), Holder("单位", U, 1)], "equity.stake"),
        ([Holder("张三", C, -5)], "equity.stake"),
        ([Holder(" ", C, 5)], "equity.stake"),
        ([Holder("张三", C, 80), Holder("单位", U, D("0.2"))], "equity.stake_types"),
        ([Holder("张三", C, 40), Holder("张三", C, 40)], "equity.holder_duplicate"),
        ([Holder("张三", "investor", 40)], "equity.holder_kind"),  # type: ignore[arg-type]
    ],
)
def test_m6_1_a_cap_table_is_refused_citing_m6_1(holders: list[Holder], code: str) -> None:
    with pytest.raises(PolicyError) as info:
        equity.check_cap_table(holders, min_completer_ratio=MIN)
    assert (info.value.code, info.value.field, info.value.clauses) == (code, "holders", ("M6.1",))
    assert info.value.message.startswith("M6.1")


def test_m6_1_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        equity.check_cap_table([Holder("张三", C, 0.7)], min_completer_ratio=MIN)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        equity.check_cap_table([Holder("张三", C, 1)], min_completer_ratio=0.7)  # type: ignore[arg-type]


holder_lists = st.lists(
    st.tuples(st.sampled_from(list(HolderKind)), st.integers(1, 10**9)), min_size=1, max_size=8
).map(lambda rows: [Holder(f"h{i}", kind, stake) for i, (kind, stake) in enumerate(rows)])
minimums = st.integers(0, 100).map(lambda pct: Decimal(pct).scaleb(-2))


@given(holder_lists, minimums)
def test_m6_1_a_cap_table_passes_iff_completers_hold_the_minimum_and_others_are_allowed(
    holders: list[Holder], minimum: Decimal
) -> None:
    total = sum(Fraction(h.stake) for h in holders)
    completers = sum(Fraction(h.stake) for h in holders if h.kind is C)
    allowed = all(h.kind is not OTHER for h in holders)
    passes = allowed and completers / total >= minimum
    if passes:
        table = equity.check_cap_table(holders, min_completer_ratio=minimum)
        assert table.completer_ratio == completers / total
        assert table.completers + table.unit + table.municipal_soe == table.total == total
    else:
        with pytest.raises(PolicyError) as info:
            equity.check_cap_table(holders, min_completer_ratio=minimum)
        assert info.value.clauses == ("M6.1",)


# --- M6.1 the team's internal split ----------------------------------------------------------


def test_m6_1_the_team_splits_its_shares_in_whole_shares_that_add_up() -> None:
    split = equity.team_split(7_000_000, {"张三": D("0.5"), "李四": D("0.3"), "王五": D("0.2")})
    assert split == {"张三": 3_500_000, "李四": 2_100_000, "王五": 1_400_000}
    assert equity.team_split(10, {"甲": D(40), "乙": D(30), "丙": D(30)}) == {
        "甲": 4,
        "乙": 3,
        "丙": 3,
    }
    # 10 shares over four equal quarters: the two leftover shares go to the first names.
    quarters = {name: D(25) for name in "dcba"}
    assert list(equity.team_split(10, quarters).items()) == [
        ("a", 3),
        ("b", 3),
        ("c", 2),
        ("d", 2),
    ]
    # The largest share comes first and has the largest remainder here.
    split = equity.team_split(100, {"b": D("33.33"), "a": D("33.33"), "c": D("33.34")})
    assert list(split.items()) == [("c", 34), ("a", 33), ("b", 33)]


@pytest.mark.parametrize(
    ("total", "split", "code", "field"),
    [
        (0, {"张三": D(1)}, "equity.team_shares", "team_shares_total"),
        (-10, {"张三": D(1)}, "equity.team_shares", "team_shares_total"),
        (10, {}, "shares.empty", "internal_split"),
        (10, {"张三": D("0.5"), "李四": D("0.4")}, "shares.sum", "internal_split"),
        (10, {"张三": D("1"), "李四": D("0")}, "shares.not_positive", "internal_split"),
    ],
)
def test_m6_1_a_team_split_is_refused_citing_m6_1(
    total: int, split: dict[str, Decimal], code: str, field: str
) -> None:
    with pytest.raises(PolicyError) as info:
        equity.team_split(total, split)
    assert (info.value.code, info.value.field, info.value.clauses) == (code, field, ("M6.1",))


@st.composite
def splits(draw: st.DrawFn) -> dict[str, Decimal]:
    count = draw(st.integers(1, 10))
    cuts = draw(
        st.lists(st.integers(1, 9_999), min_size=count - 1, max_size=count - 1, unique=True)
    )
    bounds = [0, *sorted(cuts), 10_000]
    return {f"m{i}": D(b - a).scaleb(-4) for i, (a, b) in enumerate(pairwise(bounds))}


@given(st.integers(1, 10**15), splits(), st.randoms(use_true_random=False))
def test_m6_1_the_team_split_sums_exactly_whatever_the_order_given(
    total: int, split: dict[str, Decimal], random: Random
) -> None:
    result = equity.team_split(total, split)
    assert sum(result.values()) == total
    assert set(result) == set(split)
    for name, shares in result.items():
        assert shares >= 0 and abs(shares - total * Fraction(split[name])) < 1
    items = list(split.items())
    random.shuffle(items)
    assert equity.team_split(total, dict(items)) == result


# --- M2 state equity -----------------------------------------------------------------------------


@given(st.sampled_from(list(StateEquityMatter)), st.booleans(), st.booleans(), st.booleans())
def test_m2_1_m2_2_a_matter_waits_for_approval_iff_it_touches_secrets_security_or_core_tech(
    matter: StateEquityMatter, secrets: bool, security: bool, core: bool
) -> None:
    flags = {"touches_secrets": secrets, "touches_security": security, "key_core_technology": core}
    routing = equity.route(matter, **flags)
    any_flag = secrets or security or core
    assert equity.needs_superior_approval(**flags) is any_flag
    assert routing.needs_approval is any_flag
    assert routing.route is (Route.SUPERIOR_APPROVAL if any_flag else Route.UNIT_DECIDES)
    assert routing.clauses == (("M2.2",) if any_flag else ("M2.1",))
    assert len(routing.reasons) == secrets + security + core
    assert routing.matter is matter


def test_m2_2_a_secret_touching_transfer_names_why_it_waits() -> None:
    routing = equity.route(
        StateEquityMatter.PUBLIC_MARKET_TRANSFER,
        touches_secrets=True,
        touches_security=False,
        key_core_technology=True,
    )
    assert routing.route is Route.SUPERIOR_APPROVAL
    assert routing.reasons == (ApprovalReason.NATIONAL_SECRETS, ApprovalReason.KEY_CORE_TECHNOLOGY)


def test_m2_1_an_unknown_matter_is_refused() -> None:
    with pytest.raises(PolicyError) as info:
        equity.route(
            "sale",  # type: ignore[arg-type]
            touches_secrets=False,
            touches_security=False,
            key_core_technology=False,
        )
    assert info.value.code == "equity.matter" and info.value.clauses == ("M2.1",)


def test_m2_3_impairment_is_reported_apart_and_excluded_from_value_preservation() -> None:
    report = equity.preservation_report(
        D("1000000.00"), D("950000.00"), [D("80000.00"), D("20000.00")]
    )
    assert report.impairment == D("100000.00")
    assert report.closing_before_impairment == D("1050000.00")
    assert report.ratio == Fraction(105, 100)
    assert report.ratio_with_impairment == Fraction(95, 100)
    assert report.preserved and report.appreciated


@given(
    st.integers(1, 10**12).map(lambda f: D(f).scaleb(-2)),
    st.integers(0, 10**12).map(lambda f: D(f).scaleb(-2)),
    st.lists(st.integers(0, 10**10).map(lambda f: D(f).scaleb(-2)), max_size=5),
)
def test_m2_3_the_preservation_ratio_adds_the_impairments_back_exactly(
    opening: Decimal, closing: Decimal, impairments: list[Decimal]
) -> None:
    report = equity.preservation_report(opening, closing, impairments)
    assert report.impairment == sum(impairments, D(0))
    assert report.closing_before_impairment == closing + report.impairment
    assert report.ratio == Fraction(closing + report.impairment) / Fraction(opening)
    assert report.ratio >= report.ratio_with_impairment
    assert report.preserved is (closing + report.impairment >= opening)


@pytest.mark.parametrize(
    ("opening", "closing", "impairments", "field"),
    [
        (D("0.00"), D("1.00"), [], "opening"),
        (D("-1.00"), D("1.00"), [], "opening"),
        (D("1.00"), D("-1.00"), [], "closing"),
        (D("1.00"), D("1.00"), [D("-0.01")], "impairments"),
        (D("1.00"), D("1.001"), [], "closing"),
    ],
)
def test_m2_3_a_preservation_report_refuses_bad_amounts(
    opening: Decimal, closing: Decimal, impairments: list[Decimal], field: str
) -> None:
    with pytest.raises(PolicyError) as info:
        equity.preservation_report(opening, closing, impairments)
    assert info.value.field == field and info.value.clauses == ("M2.3",)
