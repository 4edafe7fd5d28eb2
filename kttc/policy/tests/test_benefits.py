"""M5: net income of technology contracts and its distribution to the fen (M5.1, M5.2, M5.3)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from random import Random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import benefits
from kttc.policy.benefits import ContractKind, Cost, IncomeDistribution, PersonLine, Role
from kttc.policy.errors import PolicyError
from kttc.policy.params import MEASURES_2026

TEAM_MIN = MEASURES_2026.completer_income_min_share
SERVICE_MIN = MEASURES_2026.service_staff_reward_min_share
D = Decimal

nets = st.integers(min_value=0, max_value=10**13).map(lambda fen: Decimal(fen).scaleb(-2))
ratios = st.integers(min_value=0, max_value=10_000).map(lambda bp: Decimal(bp).scaleb(-4))


@st.composite
def shares(draw: st.DrawFn, prefix: str = "p", max_people: int = 8) -> dict[str, Decimal]:
    """Agreed shares adding up exactly to 1 (in basis points) or to 100 (percent)."""
    count = draw(st.integers(min_value=1, max_value=max_people))
    cuts = draw(
        st.lists(st.integers(1, 9_999), min_size=count - 1, max_size=count - 1, unique=True)
    )
    bounds = [0, *sorted(cuts), 10_000]
    parts = [b - a for a, b in pairwise(bounds)]
    scale = draw(st.sampled_from([-4, -2]))  # ratios or percentages
    return {f"{prefix}{i}": Decimal(part).scaleb(scale) for i, part in enumerate(parts)}


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    """A valid distribution of a registered transfer or licence, service staff or not."""
    team_min = draw(ratios)
    service_min = draw(ratios)
    used = draw(st.booleans())
    return {
        "net": draw(nets),
        "registered": True,
        "kind": draw(st.sampled_from(sorted(benefits.M5_2_KINDS))),
        "team_ratio": draw(ratios.filter(lambda r: r >= team_min)),
        "min_team_ratio": team_min,
        "team_shares": draw(shares("completer")),
        "min_service_ratio": service_min,
        "service_ratio": draw(ratios.filter(lambda r: r >= service_min)) if used else None,
        "service_shares": draw(shares("staff")) if used else {},
    }


def _amounts(lines: tuple[PersonLine, ...]) -> dict[str, Decimal]:
    return {line.name: line.amount for line in lines}


# --- contracts and net income ----------------------------------------------------------------


def test_m5_2_covers_transfers_and_licences_only() -> None:
    assert {kind for kind in ContractKind if benefits.m5_2_applies(kind)} == {
        ContractKind.TRANSFER,
        ContractKind.LICENCE,
    }
    assert [kind.value for kind in ContractKind] == [
        "development",
        "transfer",
        "licence",
        "consulting",
        "service",
    ]


def test_m5_2_a_unit_rule_may_raise_the_minimum_but_never_lower_it() -> None:
    minimum = benefits.minimum_team_ratio
    assert minimum(ContractKind.LICENCE, policy_minimum=TEAM_MIN) == TEAM_MIN
    assert minimum(ContractKind.TRANSFER, policy_minimum=TEAM_MIN, unit_minimum=D("0.8")) == D(
        "0.8"
    )
    assert (
        minimum(ContractKind.TRANSFER, policy_minimum=TEAM_MIN, unit_minimum=D("0.5")) == TEAM_MIN
    )
    # M5.2 sets no minimum for the other kinds: only the unit's rule binds.
    assert minimum(ContractKind.CONSULTING, policy_minimum=TEAM_MIN) == 0
    assert minimum(ContractKind.SERVICE, policy_minimum=TEAM_MIN, unit_minimum=D("0.5")) == D("0.5")


def test_m5_2_net_income_is_the_income_less_the_costs_with_their_reasons() -> None:
    result = benefits.net_income(
        D("500000.00"),
        [Cost(D("12000.50"), "专利维持费"), Cost(D("3000.00"), "评估费")],
    )
    assert result.income == D("500000.00")
    assert result.costs_total == D("15000.50")
    assert result.net == D("484999.50")
    assert [cost.reason for cost in result.costs] == ["专利维持费", "评估费"]
    assert benefits.net_income(D("10.00"), [Cost(D("10.00"), "全部")]).net == 0


@pytest.mark.parametrize(
    ("income", "costs", "code", "field"),
    [
        (D("100.00"), [Cost(D("100.01"), "评估费")], "income.costs_exceed_income", "costs"),
        (
            D("100.00"),
            [Cost(D("60.00"), "a"), Cost(D("40.01"), "b")],
            "income.costs_exceed_income",
            "costs",
        ),
        (D("100.00"), [Cost(D("1.00"), "  ")], "income.cost_reason", "costs"),
        (D("100.00"), [Cost(D("-1.00"), "退款")], "money.amount", "costs"),
        (D("-100.00"), [], "money.amount", "income"),
        (D("100.001"), [], "money.amount", "income"),
        (D("NaN"), [], "money.amount", "income"),
    ],
)
def test_m5_2_a_net_income_is_refused_with_its_field_and_clause(
    income: Decimal, costs: list[Cost], code: str, field: str
) -> None:
    with pytest.raises(PolicyError) as info:
        benefits.net_income(income, costs)
    assert (info.value.code, info.value.field, info.value.clauses) == (code, field, ("M5.2",))


def test_net_income_refuses_floats() -> None:
    with pytest.raises(TypeError):
        benefits.net_income(100.0, [])  # type: ignore[arg-type]


@given(
    income=nets,
    costs=st.lists(st.integers(0, 10**9).map(lambda fen: Decimal(fen).scaleb(-2)), max_size=6),
)
def test_m5_2_net_income_plus_costs_is_the_income_or_it_is_refused(
    income: Decimal, costs: list[Decimal]
) -> None:
    items = [Cost(cost, "费用") for cost in costs]
    if sum(costs, D(0)) > income:
        with pytest.raises(PolicyError, match=r"M5\.2"):
            benefits.net_income(income, items)
    else:
        result = benefits.net_income(income, items)
        assert result.net + result.costs_total == income and result.net >= 0


# --- distribution: an example to the fen -----------------------------------------------------


def _licence(**changes: Any) -> IncomeDistribution:
    arguments: dict[str, Any] = {
        "registered": True,
        "kind": ContractKind.LICENCE,
        "team_ratio": TEAM_MIN,
        "min_team_ratio": TEAM_MIN,
        "team_shares": {"张三": D("50"), "李四": D("30"), "王五": D("20")},
        "min_service_ratio": SERVICE_MIN,
        "service_ratio": SERVICE_MIN,
        "service_shares": {"赵六": D("0.5"), "钱七": D("0.5")},
    }
    arguments.update(changes)
    net = arguments.pop("net", D("100000.01"))
    return benefits.distribute(net, **arguments)


def test_m5_2_m5_3_a_registered_licence_income_is_distributed_to_the_fen() -> None:
    result = _licence()
    # 70 % of 100000.01 is 70000.007: the team's part is rounded up, never below 70 %.
    assert result.team_total == D("70000.01")
    assert _amounts(result.completers) == {
        "张三": D("35000.01"),
        "李四": D("21000.00"),
        "王五": D("14000.00"),
    }
    assert result.unit_retained == D("30000.00")
    assert result.service_reward == D("3000.00")
    assert _amounts(result.service_staff) == {"赵六": D("1500.00"), "钱七": D("1500.00")}
    assert result.unit_remainder == D("27000.00")
    assert result.clauses == ("M5.1", "M5.2", "M5.3")
    assert [line.share for line in result.completers] == [D("0.50"), D("0.30"), D("0.20")]


def test_m5_3_without_service_staff_the_unit_keeps_its_whole_part() -> None:
    result = _licence(service_ratio=None, service_shares={}, team_ratio=D("0.8"))
    assert result.team_total == D("80000.01")
    assert result.service_reward == 0 and result.service_staff == ()
    assert result.unit_remainder == result.unit_retained == D("20000.00")
    assert result.clauses == ("M5.1", "M5.2")


def test_m5_1_each_person_is_a_cash_reward_line_outside_the_pay_cap_and_insurance_base() -> None:
    result = _licence()
    assert [line.role for line in result.people] == [Role.TEAM] * 3 + [Role.SERVICE_STAFF] * 2
    for line in result.people:
        assert line.cash_reward
        assert not line.within_performance_pay_cap
        assert not line.social_insurance_base
    salary_like = PersonLine("某人", Role.TEAM, D(1), D("1.00"), cash_reward=False)
    assert salary_like.within_performance_pay_cap and salary_like.social_insurance_base


def test_m5_2_other_kinds_are_distributed_without_registration_under_the_unit_rule() -> None:
    result = _licence(
        kind=ContractKind.DEVELOPMENT, registered=False, team_ratio=D("0.5"), min_team_ratio=D(0)
    )
    assert result.team_total == D("50000.01") and result.clauses == ("M5.1", "M5.3")
    with pytest.raises(PolicyError) as info:
        _licence(kind=ContractKind.SERVICE, team_ratio=D("0.5"), min_team_ratio=D("0.6"))
    assert info.value.code == "distribution.team_below_minimum"
    assert info.value.clauses == ()  # the unit's rule, not M5.2, set that minimum


# --- distribution: refusals cite their clause and name their field ---------------------------


@pytest.mark.parametrize(
    ("changes", "code", "field", "clauses"),
    [
        ({"registered": False}, "distribution.unregistered", "registered", ("M5.2",)),
        (
            {"registered": False, "kind": ContractKind.TRANSFER},
            "distribution.unregistered",
            "registered",
            ("M5.2",),
        ),
        ({"kind": "loan"}, "distribution.kind", "kind", ("M5.2",)),
        ({"team_ratio": D("0.6999")}, "distribution.team_below_minimum", "team_ratio", ("M5.2",)),
        (
            {"team_ratio": D("0.75"), "min_team_ratio": D("0.80")},
            "distribution.team_below_minimum",
            "team_ratio",
            ("M5.2",),
        ),
        ({"team_ratio": D("1.01")}, "ratio.range", "team_ratio", ("M5.2",)),
        (
            {"service_ratio": D("0.09")},
            "distribution.service_below_minimum",
            "service_ratio",
            ("M5.3",),
        ),
        ({"service_ratio": D("-0.1")}, "ratio.range", "service_ratio", ("M5.3",)),
        ({"service_ratio": None}, "distribution.service_ratio_missing", "service_ratio", ("M5.3",)),
        ({"service_shares": {}}, "shares.empty", "service_shares", ("M5.3",)),
        ({"team_shares": {}}, "shares.empty", "team_shares", ("M5.2",)),
        (
            {"team_shares": {"张三": D("0.7"), "李四": D("0.2")}},
            "shares.sum",
            "team_shares",
            ("M5.2",),
        ),
        (
            {"team_shares": {"张三": D("60"), "李四": D("50")}},
            "shares.sum",
            "team_shares",
            ("M5.2",),
        ),
        (
            {"team_shares": {"张三": D("1"), "李四": D("0")}},
            "shares.not_positive",
            "team_shares",
            ("M5.2",),
        ),
        (
            {"team_shares": {"张三": D("1.5"), "李四": D("-0.5")}},
            "shares.not_positive",
            "team_shares",
            ("M5.2",),
        ),
        ({"team_shares": {" ": D("1")}}, "shares.name", "team_shares", ("M5.2",)),
        ({"service_shares": {"赵六": D("0.5")}}, "shares.sum", "service_shares", ("M5.3",)),
        ({"net": D("-1.00")}, "money.amount", "net", ("M5.2",)),
        ({"net": D("1.001")}, "money.amount", "net", ("M5.2",)),
        ({"net": D("1E+20")}, "money.range", "net", ("M5.2",)),
    ],
)
def test_m5_a_distribution_is_refused_with_its_code_field_and_clause(
    changes: dict[str, Any], code: str, field: str, clauses: tuple[str, ...]
) -> None:
    with pytest.raises(PolicyError) as info:
        _licence(**changes)
    assert (info.value.code, info.value.field, info.value.clauses) == (code, field, clauses)
    if clauses:
        assert info.value.message.startswith(clauses[0])


@pytest.mark.parametrize(
    "changes",
    [
        {"team_ratio": 0.7},
        {"net": 100.0},
        {"team_shares": {"张三": 1.0}},
    ],
)
def test_distribute_refuses_floats(changes: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        _licence(**changes)


# --- distribution: properties ----------------------------------------------------------------


@given(cases())
def test_m5_every_distribution_adds_up_exactly_to_the_net_income(case: dict[str, Any]) -> None:
    result = benefits.distribute(**case)
    assert result.team_total + result.service_reward + result.unit_remainder == case["net"]
    assert sum(line.amount for line in result.completers) == result.team_total
    assert sum(line.amount for line in result.service_staff) == result.service_reward
    assert result.unit_retained == result.service_reward + result.unit_remainder
    every = [result.team_total, result.unit_retained, result.service_reward, result.unit_remainder]
    every += [line.amount for line in result.people]
    assert all(value.as_tuple().exponent == -2 for value in every)


@given(cases())
def test_m5_2_no_completer_receives_less_than_nothing_and_all_are_listed(
    case: dict[str, Any],
) -> None:
    result = benefits.distribute(**case)
    assert all(line.amount >= 0 for line in result.people)
    assert {line.name for line in result.completers} == set(case["team_shares"])
    assert sum(line.share for line in result.completers) == 1


@given(cases())
def test_m5_2_the_team_never_receives_less_than_the_minimum_of_the_net_income(
    case: dict[str, Any],
) -> None:
    result = benefits.distribute(**case)
    exact = Fraction(case["net"]) * Fraction(case["team_ratio"])
    # Rounded up to the fen: at least the exact ratio applied, and less than one fen above it.
    assert Fraction(result.team_total) >= exact
    assert Fraction(result.team_total) >= Fraction(case["net"]) * Fraction(case["min_team_ratio"])
    assert Fraction(result.team_total) - exact < Fraction(1, 100)


@given(cases())
def test_m5_3_a_service_reward_is_at_least_the_minimum_of_the_unit_part_when_used(
    case: dict[str, Any],
) -> None:
    result = benefits.distribute(**case)
    if case["service_ratio"] is None:
        assert result.service_reward == 0 and result.unit_remainder == result.unit_retained
        return
    retained = Fraction(result.unit_retained)
    assert Fraction(result.service_reward) >= retained * Fraction(case["min_service_ratio"])
    assert Fraction(result.service_reward) - retained * Fraction(case["service_ratio"]) < Fraction(
        1, 100
    )


@given(cases(), st.randoms(use_true_random=False))
def test_m5_the_order_of_the_shares_never_changes_what_a_person_receives(
    case: dict[str, Any], random: Random
) -> None:
    def shuffled(mapping: Mapping[str, Decimal]) -> dict[str, Decimal]:
        items = list(mapping.items())
        random.shuffle(items)
        return dict(items)

    first = benefits.distribute(**case)
    again = benefits.distribute(
        **{
            **case,
            "team_shares": shuffled(case["team_shares"]),
            "service_shares": shuffled(case["service_shares"]),
        }
    )
    assert _amounts(again.completers) == _amounts(first.completers)
    assert _amounts(again.service_staff) == _amounts(first.service_staff)
    assert again == first  # people are listed in the same (largest share first) order


@given(cases())
def test_m5_shares_in_percent_and_as_ratios_give_the_same_amounts(case: dict[str, Any]) -> None:
    as_ratios = benefits.agreed_shares(case["team_shares"], field="team_shares", clauses=())
    in_percent = {name: share.scaleb(2) for name, share in as_ratios.items()}
    first = benefits.distribute(**{**case, "team_shares": as_ratios})
    again = benefits.distribute(**{**case, "team_shares": in_percent})
    assert _amounts(first.completers) == _amounts(again.completers)


@given(cases())
def test_m5_2_an_unregistered_transfer_or_licence_is_never_distributed(
    case: dict[str, Any],
) -> None:
    with pytest.raises(PolicyError) as info:
        benefits.distribute(**{**case, "registered": False})
    assert info.value.code == "distribution.unregistered" and info.value.clauses == ("M5.2",)
