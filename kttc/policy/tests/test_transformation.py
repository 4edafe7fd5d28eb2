"""M4.4: when an untransformed result becomes due for open licensing, as pure rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import transformation as rules
from kttc.policy.calendar import add_years, years_since
from kttc.policy.errors import PolicyError
from kttc.policy.transformation import Standing

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
years = st.integers(min_value=1, max_value=30)
#: Days around the 29 February of leap years, where year arithmetic has its edge.
leap_edges = st.sampled_from([2000, 2004, 2024, 2028, 2052]).flatmap(
    lambda y: st.integers(-3, 3).map(lambda d: date(y, 2, 28) + timedelta(days=d))
)
any_day = days | leap_edges


@given(ip=any_day, on=any_day, n=years, transformed=st.booleans(), justified=st.booleans())
def test_m4_4_due_exactly_when_n_full_years_passed_untransformed_and_unjustified(
    ip: date, on: date, n: int, transformed: bool, justified: bool
) -> None:
    found = rules.open_licensing_standing(
        ip_obtained=ip, on=on, years=n, transformed=transformed, justified=justified
    )
    old_enough = on >= ip and years_since(ip, on) >= n
    assert found.due == (old_enough and not transformed and not justified)
    assert found.due_on == add_years(ip, n)
    assert (found.due_on <= on) == old_enough
    if transformed:
        assert found.standing is Standing.TRANSFORMED
    elif not old_enough:
        assert found.standing is Standing.NOT_YET


@given(on=any_day, n=years)
def test_m4_4_a_result_without_granted_ip_is_never_due(on: date, n: int) -> None:
    found = rules.open_licensing_standing(
        ip_obtained=None, on=on, years=n, transformed=False, justified=False
    )
    assert found == rules.OpenLicensing(Standing.NO_IP, None) and not found.due


@given(ip=any_day, on=any_day, n=years)
def test_m4_4_the_sweep_cutoff_selects_exactly_the_due_results(ip: date, on: date, n: int) -> None:
    # The sweep selects "grant_date <= cutoff" in the database: the same results as the rule.
    cutoff = rules.latest_ip_date_due(on, n)
    assert (ip <= cutoff) == (rules.open_licensing_due_on(ip, n) <= on)


@given(ip=any_day, n=years)
def test_m4_4_once_due_a_result_stays_due_until_transformed_or_justified(ip: date, n: int) -> None:
    due_on = rules.open_licensing_due_on(ip, n)
    for later in (due_on, due_on + timedelta(days=1), due_on + timedelta(days=400)):
        assert rules.open_licensing_standing(
            ip_obtained=ip, on=later, years=n, transformed=False, justified=False
        ).due
    before = due_on - timedelta(days=1)
    assert not rules.open_licensing_standing(
        ip_obtained=ip, on=before, years=n, transformed=False, justified=False
    ).due


def test_m4_4_five_years_from_the_earliest_grant_and_29_february_counts_to_the_28th() -> None:
    ip = rules.ip_obtained_on([date(2021, 3, 1), None, date(2020, 2, 29)])
    assert ip == date(2020, 2, 29)
    assert rules.open_licensing_due_on(ip, 5) == date(2025, 2, 28)
    assert rules.latest_ip_date_due(date(2025, 2, 28), 5) == date(2020, 2, 29)
    assert rules.latest_ip_date_due(date(2026, 11, 26), 5) == date(2021, 11, 26)
    assert rules.ip_obtained_on([None]) is None and rules.ip_obtained_on([]) is None


@given(until=st.none() | any_day, on=any_day)
def test_m4_4_an_accepted_justification_counts_up_to_its_last_day(
    until: date | None, on: date
) -> None:
    assert rules.justification_valid(until, on) == (until is None or on <= until)


def test_m4_4_a_justification_cannot_be_accepted_until_a_past_day() -> None:
    on = date(2026, 11, 26)
    assert rules.check_valid_until(None, on) is None
    assert rules.check_valid_until(on, on) == on
    with pytest.raises(PolicyError) as info:
        rules.check_valid_until(on - timedelta(days=1), on)
    assert info.value.field == "valid_until" and info.value.clauses == ("M4.4",)
    assert info.value.message.startswith("M4.4: ")


@pytest.mark.parametrize("bad", [0, -5])
def test_m4_4_the_years_are_a_positive_whole_number(bad: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        rules.open_licensing_due_on(date(2020, 1, 1), bad)
    with pytest.raises(TypeError):
        rules.latest_ip_date_due(date(2020, 1, 1), True)
