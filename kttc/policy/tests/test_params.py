"""V.1 and the parameter table: typed values, validation, the version in force on a date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kttc.policy.calendar import add_years
from kttc.policy.clauses import CLAUSES
from kttc.policy.errors import PolicyError
from kttc.policy.params import (
    MEASURES_2026,
    SPECS,
    PolicyParameters,
    PolicyVersion,
    check_measures_start,
    check_new_version,
    version_in_force,
    with_measures_start,
)


def test_every_number_of_the_measures_is_a_parameter_with_known_clauses() -> None:
    assert MEASURES_2026.empowerment_notice_min_days == 15  # M1.5
    assert MEASURES_2026.transformation_deadline_max_years == 5  # M4.2
    assert MEASURES_2026.open_licensing_after_years == 5  # M4.4
    assert MEASURES_2026.completer_income_min_share == Decimal("0.70")  # M5.2
    assert MEASURES_2026.service_staff_reward_min_share == Decimal("0.10")  # M5.3
    assert MEASURES_2026.completer_equity_min_share == Decimal("0.70")  # M6.1
    assert MEASURES_2026.submission_due_months == 3  # M8.6
    assert MEASURES_2026.demonstration_institution_subsidy == Decimal("100000.00")  # M9.1
    assert MEASURES_2026.broker_reward_min_share == Decimal("0.10")  # M9.2
    assert MEASURES_2026.measures_validity_years == 3  # V.1
    assert all(set(spec.clauses) <= set(CLAUSES) for spec in SPECS)


def test_values_round_trip_through_their_stored_text() -> None:
    assert PolicyParameters.from_values(MEASURES_2026.to_values()) == MEASURES_2026


@pytest.mark.parametrize(
    "key,value",
    [
        ("empowerment_notice_min_days", "0"),
        ("empowerment_notice_min_days", "14.5"),
        ("completer_income_min_share", "0"),
        ("completer_income_min_share", "1.01"),
        ("completer_income_min_share", "seventy"),
        ("demonstration_institution_subsidy", "-1"),
        ("demonstration_institution_subsidy", "0.001"),
        ("submission_due_months", "NaN"),
    ],
)
def test_out_of_range_values_are_refused_naming_the_parameter_and_clause(
    key: str, value: str
) -> None:
    values = MEASURES_2026.to_values() | {key: value}
    with pytest.raises(PolicyError) as info:
        PolicyParameters.from_values(values)
    assert info.value.field == key
    assert info.value.clauses == next(s.clauses for s in SPECS if s.key == key)


def test_missing_and_unknown_parameters_are_refused() -> None:
    values = MEASURES_2026.to_values()
    del values["submission_due_months"]
    with pytest.raises(PolicyError, match=r"M8\.6"):
        PolicyParameters.from_values(values)
    with pytest.raises(PolicyError, match="Unknown"):
        PolicyParameters.from_values(MEASURES_2026.to_values() | {"bonus": "1"})


def _v(code: str, start: dt.date, until: dt.date | None = None) -> PolicyVersion:
    return PolicyVersion(code, start, until, MEASURES_2026)


dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 12, 31))


@given(st.lists(dates, min_size=1, max_size=6, unique=True), dates)
def test_v_1_the_version_in_force_is_the_latest_started(starts: list[dt.date], on: dt.date) -> None:
    versions = [_v(f"v{i}", d) for i, d in enumerate(starts)]
    started = [v for v in versions if v.effective_from <= on]
    chosen = version_in_force(versions, on)
    if started:
        assert chosen.effective_from == max(v.effective_from for v in started)
    else:
        assert chosen.effective_from == min(starts)


@given(
    st.lists(dates, min_size=1, max_size=6, unique=True),
    st.integers(min_value=1, max_value=20 * 366),
    st.booleans(),
)
def test_v_1_a_date_before_the_first_version_is_judged_by_the_first_version(
    starts: list[dt.date], days_before: int, first_expires: bool
) -> None:
    first = min(starts)
    on = first - dt.timedelta(days=days_before)
    until = first + dt.timedelta(days=30) if first_expires else None
    versions = [_v(f"v{i}", d, until if d == first else None) for i, d in enumerate(starts)]
    assert version_in_force(versions, on).effective_from == first
    assert version_in_force(reversed(versions), on).effective_from == first


def test_v_1_history_before_the_measures_uses_their_numbers() -> None:
    versions = [_v("KM-2026", dt.date(2026, 1, 1), dt.date(2028, 12, 31))]
    assert version_in_force(versions, dt.date(2021, 6, 1)).code == "KM-2026"
    assert version_in_force(versions, dt.date(2025, 11, 30)).parameters == MEASURES_2026


def test_v_1_no_published_version_means_no_rules() -> None:
    with pytest.raises(PolicyError) as info:
        version_in_force([], dt.date(2026, 6, 1))
    assert info.value.code == "policy.no_version" and info.value.clauses == ("V.1",)


def test_v_1_an_expired_version_is_not_in_force() -> None:
    versions = [_v("a", dt.date(2026, 1, 1), dt.date(2028, 12, 31))]
    assert version_in_force(versions, dt.date(2028, 12, 31)).code == "a"
    with pytest.raises(PolicyError) as info:
        version_in_force(versions, dt.date(2029, 1, 1))
    assert info.value.code == "policy.no_version" and info.value.clauses == ("V.1",)


@given(dates, dates)
def test_v_1_new_versions_never_start_in_the_past_or_before_the_latest(
    start: dt.date, today: dt.date
) -> None:
    existing = [_v("a", dt.date(2026, 1, 1))]
    new = _v("b", start)
    if start < today or start <= dt.date(2026, 1, 1):
        with pytest.raises(PolicyError):
            check_new_version(existing, new, today=today)
    else:
        check_new_version(existing, new, today=today)


def test_v_1_version_codes_are_unique_and_periods_ordered() -> None:
    existing = [_v("a", dt.date(2026, 1, 1))]
    with pytest.raises(PolicyError, match="already exists"):
        check_new_version(existing, _v("a", dt.date(2027, 1, 1)), today=dt.date(2026, 6, 1))
    with pytest.raises(PolicyError, match="end before"):
        check_new_version(
            existing, _v("b", dt.date(2027, 1, 1), dt.date(2026, 12, 1)), today=dt.date(2026, 6, 1)
        )


@given(st.lists(dates, min_size=1, max_size=5, unique=True), dates, st.booleans())
def test_v_1_the_installation_sets_the_first_versions_start_and_its_validity_follows(
    starts: list[dt.date], start: dt.date, expires: bool
) -> None:
    first = min(starts)
    assume(len(starts) == 1 or start < sorted(starts)[1])  # check_measures_start refuses it
    versions = [
        _v(f"v{i}", d, d + dt.timedelta(days=400) if expires and d == first else None)
        for i, d in enumerate(starts)
    ]
    moved = with_measures_start(versions, start)
    assert moved[0].code == next(v.code for v in versions if v.effective_from == first)
    assert moved[0].effective_from == start
    if expires:  # three years of validity (V.1) from the new start
        assert moved[0].effective_until == add_years(start, 3) - dt.timedelta(days=1)
    else:
        assert moved[0].effective_until is None
    assert moved[1:] == sorted(versions, key=lambda v: v.effective_from)[1:]
    assert version_in_force(moved, start - dt.timedelta(days=1)).code == moved[0].code


def test_v_1_the_measures_took_effect_on_a_day_that_has_come_before_the_next_version() -> None:
    versions = [_v("a", dt.date(2026, 1, 1)), _v("b", dt.date(2027, 1, 1))]
    check_measures_start(versions, dt.date(2025, 12, 1), today=dt.date(2026, 3, 1))
    for start, today in ((dt.date(2026, 3, 2), dt.date(2026, 3, 1)),
                         (dt.date(2027, 1, 1), dt.date(2027, 6, 1))):  # fmt: skip
        with pytest.raises(PolicyError) as info:
            check_measures_start(versions, start, today=today)
        assert info.value.field == "effective_from" and info.value.clauses == ("V.1",)
    with pytest.raises(PolicyError, match="No policy version"):
        check_measures_start([], dt.date(2025, 12, 1), today=dt.date(2026, 3, 1))
