"""Legal dates in Asia/Shanghai and the period rules of the Civil Code (Arts. 201–203)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy.calendar import (
    SHANGHAI,
    add_months,
    add_years,
    earliest_day_after_period,
    local_date,
    months_deadline,
    period_end_not_less_than,
    period_last_day,
    today_in_shanghai,
    years_since,
)

CHINA_STANDARD_TIME = timedelta(hours=8)

# ---------------------------------------------------------------------------------------------
# Moments to legal dates
# ---------------------------------------------------------------------------------------------


def test_shanghai_is_the_asia_shanghai_zone_at_utc_plus_8() -> None:
    assert SHANGHAI.key == "Asia/Shanghai"
    assert datetime(2026, 7, 1, tzinfo=SHANGHAI).utcoffset() == CHINA_STANDARD_TIME


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 25, 15, 59, 59, tzinfo=UTC), date(2026, 11, 25)),
        (datetime(2026, 11, 25, 16, 0, tzinfo=UTC), date(2026, 11, 26)),  # midnight in Kunming
        (datetime(2026, 11, 26, 0, 30, tzinfo=SHANGHAI), date(2026, 11, 26)),
        (datetime(2026, 11, 25, 10, 0, tzinfo=timezone(timedelta(hours=-8))), date(2026, 11, 26)),
    ],
)
def test_local_date_is_the_calendar_day_in_shanghai(moment: datetime, expected: date) -> None:
    assert local_date(moment) == expected


def test_local_date_refuses_a_naive_datetime() -> None:
    naive = datetime(2026, 11, 25, 16, 0)  # noqa: DTZ001 - the naive moment under test
    with pytest.raises(ValueError, match="naive"):
        local_date(naive)


def test_today_in_shanghai_reads_the_given_aware_moment() -> None:
    assert today_in_shanghai(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == date(2027, 1, 1)


def test_today_in_shanghai_refuses_a_naive_now() -> None:
    naive = datetime(2026, 11, 25, 12, 0)  # noqa: DTZ001 - the naive moment under test
    with pytest.raises(ValueError, match="naive"):
        today_in_shanghai(naive)


def test_today_in_shanghai_without_now_is_the_current_utc_time_plus_8_hours() -> None:
    before = (datetime.now(UTC) + CHINA_STANDARD_TIME).date()
    today = today_in_shanghai()
    after = (datetime.now(UTC) + CHINA_STANDARD_TIME).date()
    assert today in {before, after}


@given(
    st.datetimes(
        min_value=datetime(1992, 1, 1),  # noqa: DTZ001 - Hypothesis bounds are naive by design
        max_value=datetime(2200, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    )
)
def test_local_date_equals_utc_plus_8_hours_since_china_dropped_summer_time(
    moment: datetime,
) -> None:
    assert local_date(moment) == (moment + CHINA_STANDARD_TIME).date()


# ---------------------------------------------------------------------------------------------
# Months and years (Civil Code Art. 202)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
        (date(2026, 1, 15), -2, date(2025, 11, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 31), 0, date(2026, 5, 31)),
        (date(2026, 11, 25), 120, date(2036, 11, 25)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_the_month_end_civil_code_202(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months"), [(date(9999, 12, 1), 1), (date(1, 1, 31), -1), (date(2026, 1, 1), 10**6)]
)
def test_add_months_beyond_year_9999_or_before_year_1_raises_overflow(
    start: date, months: int
) -> None:
    with pytest.raises(OverflowError):
        add_months(start, months)


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 29), 76, date(2100, 2, 28)),  # 2100 is not a leap year
        (date(2024, 2, 29), -24, date(2000, 2, 29)),  # 2000 is
        (date(2026, 11, 30), 5, date(2031, 11, 30)),
    ],
)
def test_add_years_turns_29_february_into_28_february_in_common_years_civil_code_202(
    start: date, years: int, expected: date
) -> None:
    assert add_years(start, years) == expected


def test_add_years_beyond_year_9999_raises_overflow() -> None:
    with pytest.raises(OverflowError):
        add_years(date(9999, 1, 1), 1)


def test_date_arithmetic_refuses_datetimes() -> None:
    moment = datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI)
    with pytest.raises(TypeError, match="local_date"):
        add_months(moment, 1)
    with pytest.raises(TypeError):
        period_last_day(moment, 15)


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))


def _is_last_day_of_month(d: date) -> bool:
    return (d + timedelta(days=1)).day == 1


@given(dates, st.integers(min_value=-12 * 800, max_value=12 * 800))
def test_add_months_moves_exactly_that_many_months_keeping_or_clamping_the_day_civil_code_202(
    start: date, months: int
) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == start.day or (result.day < start.day and _is_last_day_of_month(result))


@given(dates, st.integers(min_value=-800, max_value=800))
def test_add_months_by_twelve_per_year_equals_add_years_civil_code_202(
    start: date, years: int
) -> None:
    assert add_months(start, 12 * years) == add_years(start, years)
    assert add_months(start, 12) == add_years(start, 1)


# ---------------------------------------------------------------------------------------------
# Periods of N days (Civil Code Arts. 201, 203)
# ---------------------------------------------------------------------------------------------


def test_15_day_notice_published_2026_11_25_runs_to_12_10_and_allows_action_on_12_11_m1_5() -> None:
    published = date(2026, 11, 25)
    assert period_last_day(published, 15) == date(2026, 12, 10)
    assert earliest_day_after_period(published, 15) == date(2026, 12, 11)
    assert period_end_not_less_than(published, 15) == date(2026, 12, 11)


def test_a_one_day_period_is_the_next_day_civil_code_201() -> None:
    assert period_last_day(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert earliest_day_after_period(date(2026, 12, 31), 1) == date(2027, 1, 2)


@pytest.mark.parametrize("days", [0, -1])
def test_period_functions_refuse_fewer_than_one_day(days: int) -> None:
    for period_function in (period_last_day, earliest_day_after_period, period_end_not_less_than):
        with pytest.raises(ValueError, match="at least 1"):
            period_function(date(2026, 11, 25), days)


def test_period_functions_refuse_a_boolean_number_of_days() -> None:
    with pytest.raises(TypeError):
        period_last_day(date(2026, 11, 25), True)


@given(dates, st.integers(min_value=1, max_value=3650))
def test_period_last_day_is_exactly_days_after_the_start_civil_code_201(
    start: date, days: int
) -> None:
    last = period_last_day(start, days)
    assert (last - start).days == days
    assert earliest_day_after_period(start, days) == last + timedelta(days=1)
    assert period_end_not_less_than(start, days) == last + timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Deadlines in months and full years
# ---------------------------------------------------------------------------------------------


def test_3_month_submission_of_a_result_formed_2026_11_30_is_due_2027_02_28_m8_6() -> None:
    assert months_deadline(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert months_deadline(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_months_deadline_refuses_fewer_than_one_month() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        months_deadline(date(2026, 11, 30), 0)


@pytest.mark.parametrize(
    ("start", "on", "expected"),
    [
        (date(2021, 11, 25), date(2026, 11, 24), 4),
        (date(2021, 11, 25), date(2026, 11, 25), 5),
        (date(2026, 11, 25), date(2026, 11, 25), 0),
        (date(2024, 2, 29), date(2025, 2, 27), 0),
        (date(2024, 2, 29), date(2025, 2, 28), 1),  # no 29 February: the year ends on the 28th
        (date(2024, 2, 29), date(2028, 2, 28), 3),
        (date(2024, 2, 29), date(2028, 2, 29), 4),
    ],
)
def test_years_since_counts_full_years_birthday_style_m4_4(
    start: date, on: date, expected: int
) -> None:
    assert years_since(start, on) == expected


def test_years_since_refuses_a_day_before_the_start() -> None:
    with pytest.raises(ValueError, match="before"):
        years_since(date(2026, 11, 25), date(2026, 11, 24))


@given(dates, dates)
def test_years_since_is_the_largest_n_with_add_years_not_after_the_day(
    first: date, second: date
) -> None:
    start, on = min(first, second), max(first, second)
    years = years_since(start, on)
    assert years >= 0
    assert add_years(start, years) <= on
    assert add_years(start, years + 1) > on
