"""The rules of a demand (M8.1, M8.4), without a database: budget range, deadline, ways of
cooperation, codes, country, language and the workflow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import demands as rules
from kttc.policy.errors import PolicyError

amounts = st.decimals(min_value=0, max_value=rules.BUDGET_MAX, places=2)


@given(amounts, amounts)
def test_m8_1_a_budget_range_holds_when_its_lower_end_is_not_above_its_upper(
    low: Decimal, high: Decimal
) -> None:
    if low <= high:
        assert rules.check_budget(low, high) == (low, high)
    else:
        with pytest.raises(PolicyError) as refused:
            rules.check_budget(low, high)
        assert refused.value.field == "budget_max"
        assert refused.value.code == "demand.budget_range"
        assert "M8.1" in refused.value.message


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_m8_1_a_budget_end_outside_what_is_recorded_is_refused_naming_its_field(
    value: Decimal,
) -> None:
    ok = value.is_finite() and 0 <= value <= rules.BUDGET_MAX
    if ok:
        rules.check_budget(value, None)
        rules.check_budget(None, value)
        return
    cases: tuple[tuple[Decimal | None, Decimal | None, str], ...] = (
        (value, None, "budget_min"),
        (None, value, "budget_max"),
    )
    for low, high, field in cases:
        with pytest.raises(PolicyError) as refused:
            rules.check_budget(low, high)
        assert refused.value.field == field


@given(st.dates(), st.integers(min_value=-400, max_value=400))
def test_m8_1_the_deadline_is_after_today(today: dt.date, offset: int) -> None:
    try:
        deadline = today + dt.timedelta(days=offset)
    except OverflowError:
        return
    if offset > 0:
        assert rules.check_deadline(deadline, today) == deadline
    else:
        with pytest.raises(PolicyError) as refused:
            rules.check_deadline(deadline, today)
        assert refused.value.field == "deadline"


def test_m8_4_ways_of_cooperation_known_at_least_one_in_order() -> None:
    assert rules.check_modes(["equity", "licence", "licence"]) == ["licence", "equity"]
    for modes, code in (([], "demand.mode_required"), (["barter"], "demand.mode_unknown")):
        with pytest.raises(PolicyError) as refused:
            rules.check_modes(modes)
        assert (refused.value.field, refused.value.code) == ("modes", code)


def test_codes_country_language_and_readiness_name_their_fields() -> None:
    assert rules.check_codes("c35", "520.10") == ("C35", "52010")
    assert rules.check_codes("", "") == ("", "")
    assert rules.check_country(" vn ") == "VN"
    calls: list[tuple[Callable[[], object], str]] = [
        (lambda: rules.check_codes("Z99", ""), "industry"),
        (lambda: rules.check_codes("", "5x"), "discipline"),
        (lambda: rules.check_country("XX"), "country"),
        (lambda: rules.check_language("fr"), "language"),
        (lambda: rules.check_trl(10), "trl"),
    ]
    for call, field in calls:
        with pytest.raises(PolicyError) as refused:
            call()
        assert refused.value.field == field


def test_m8_1_only_the_center_publishes_and_only_the_author_closes() -> None:
    rules.check_transition(rules.Status.PENDING, rules.Status.PUBLISHED, rules.Actor.CENTER)
    rules.check_transition(rules.Status.PUBLISHED, rules.Status.CLOSED_MET, rules.Actor.AUTHOR)
    with pytest.raises(PolicyError):
        rules.check_transition(rules.Status.PENDING, rules.Status.PUBLISHED, rules.Actor.AUTHOR)
    with pytest.raises(PolicyError):
        rules.check_transition(rules.Status.REJECTED, rules.Status.PUBLISHED, rules.Actor.CENTER)
    with pytest.raises(PolicyError):
        rules.check_transition(rules.Status.EXPIRED, rules.Status.CLOSED_MET, rules.Actor.AUTHOR)


def test_the_budget_is_kept_to_the_fen() -> None:
    assert rules.check_budget(Decimal("1"), None) == (Decimal("1.00"), None)
