"""The units' reports (M13.3) without a database: the field list, figures (whole counts, amounts
to the fen, never negative), corrections with their reasons, completeness, the steps and the
frozen report, the filing state and when reminders fall (examples and properties)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import unit_reports as rules
from kttc.policy.errors import PolicyError

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 12, 31))
statuses = st.one_of(st.none(), st.sampled_from(list(rules.Status)))
counts = [f.code for f in rules.FIELDS if f.kind is rules.Kind.COUNT]
amounts = [f.code for f in rules.FIELDS if f.kind is rules.Kind.AMOUNT]


def _refusal(func: Callable[..., object], *args: object, **kwargs: object) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        func(*args, **kwargs)
    return refused.value


def test_m13_3_each_field_carries_its_clause_source_and_national_item() -> None:
    assert len(rules.CODES) == len(set(rules.CODES)) == len(rules.FIELDS)
    for field in rules.FIELDS:
        assert field.clauses[0] == "M13.3" and field.item and field.rule
        assert field.source in rules.SOURCE_LABELS and field.group in rules.GROUP_LABELS
    unknown = {f.group for f in rules.FIELDS if not f.prefilled}
    assert unknown == {rules.Group.PEOPLE, rules.Group.PLATFORMS}


@given(st.sampled_from(counts), st.integers(min_value=0, max_value=rules.COUNT_MAX))
def test_m13_3_a_count_is_a_whole_number_kept_as_written(code: str, n: int) -> None:
    assert rules.normalised(code, str(n)) == str(n)
    assert rules.normalised(code, n) == str(n)


@given(
    st.sampled_from(amounts),
    st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
)
def test_m13_3_an_amount_is_kept_to_the_fen(code: str, amount: Decimal) -> None:
    stored = rules.normalised(code, str(amount))
    assert stored is not None and Decimal(stored) == amount
    assert stored == f"{amount:.2f}"


@given(st.sampled_from(amounts), st.integers(min_value=1, max_value=9))
def test_m13_3_an_amount_below_the_fen_is_refused(code: str, thousandth: int) -> None:
    refused = _refusal(rules.check_figure, code, f"10.00{thousandth}")
    assert (refused.code, refused.field, refused.clauses) == (
        "unit_report.amount",
        code,
        ("M13.3",),
    )


@given(st.sampled_from(rules.CODES), st.integers(min_value=1, max_value=10**6))
def test_m13_3_no_figure_is_negative(code: str, n: int) -> None:
    refused = _refusal(rules.check_figure, code, str(-n))
    assert (refused.code, refused.field) == ("unit_report.negative", code)


@pytest.mark.parametrize("raw", ["1.5", "abc", "NaN", "Infinity"])
def test_m13_3_a_count_refuses_what_is_not_a_whole_number(raw: str) -> None:
    refused = _refusal(rules.check_figure, "rd_staff", raw)
    assert refused.field == "rd_staff" and refused.code in (
        "unit_report.count",
        "unit_report.number",
    )


def test_m13_3_blank_stays_blank_and_an_unknown_field_is_named() -> None:
    assert rules.check_figure("rd_staff", "  ") is None
    assert rules.check_figure("rd_staff", None) is None
    assert _refusal(rules.check_figure, "nonsense", "1").field == "nonsense"


@given(
    st.sampled_from(amounts),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
)
def test_m13_3_a_figure_other_than_the_platforms_needs_a_reason(
    code: str, platform_fen: int, filed_fen: int
) -> None:
    platform = f"{Decimal(platform_fen) / 100:.2f}"
    filed = f"{Decimal(filed_fen) / 100:.2f}"
    if platform_fen == filed_fen:
        assert rules.check_correction(code, platform=platform, value=filed, reason="") == ""
    else:
        refused = _refusal(rules.check_correction, code, platform=platform, value=filed, reason=" ")
        assert (refused.code, refused.field) == ("unit_report.reason_required", code)
        assert "M13.3" in refused.message
        kept = rules.check_correction(code, platform=platform, value=filed, reason=" 补录合同 ")
        assert kept == "补录合同"


def test_m13_3_what_the_platform_does_not_know_needs_no_reason() -> None:
    assert rules.check_correction("rd_staff", platform=None, value="320", reason="") == ""


def test_m13_3_a_report_is_submitted_only_complete() -> None:
    full = {code: "0" for code in rules.CODES}
    rules.check_complete(full)
    for code in rules.CODES:
        refused = _refusal(rules.check_complete, {**full, code: None})
        assert (refused.code, refused.field) == ("unit_report.required", code)


@given(st.sampled_from(list(rules.Status)), st.sampled_from(list(rules.Step)))
def test_m13_3_every_step_goes_where_the_table_says_and_an_accepted_report_is_frozen(
    status: rules.Status, step: rules.Step
) -> None:
    before, after = rules.TRANSITIONS[step]
    if status in before:
        assert rules.check_step(status, step) is (after or status)
    else:
        refused = _refusal(rules.check_step, status, step)
        expected = "unit_report.frozen" if status is rules.Status.ACCEPTED else "unit_report.status"
        assert refused.code == expected
    assert rules.Status.ACCEPTED not in before


@given(statuses, days, days)
def test_m13_3_the_filing_state(status: str | None, due_on: date, today: date) -> None:
    state = rules.filing_state(status, due_on=due_on, today=today)
    if status == rules.Status.ACCEPTED:
        assert state is rules.Filing.ACCEPTED
    elif status == rules.Status.SUBMITTED:
        assert state is rules.Filing.FILED
    else:
        assert state is (rules.Filing.LATE if today > due_on else rules.Filing.NOT_FILED)


@given(statuses, days, st.integers(min_value=-60, max_value=60), st.booleans())
def test_m13_3_reminders_fall_before_the_due_date_and_late_notices_after_it(
    status: str | None, due_on: date, offset: int, told: bool
) -> None:
    today = due_on + timedelta(days=offset)
    waiting = status not in (rules.Status.SUBMITTED, rules.Status.ACCEPTED)
    reminded = rules.reminder_due(status, due_on=due_on, today=today, reminded=told)
    late = rules.overdue_due(status, due_on=due_on, today=today, notified=told)
    assert reminded is (waiting and not told and -rules.REMIND_BEFORE_DAYS <= offset <= 0)
    assert late is (waiting and not told and offset > 0)


@given(
    st.decimals(min_value="0.01", max_value=10**10, places=2),
    st.integers(min_value=1, max_value=10**9),
    st.data(),
)
def test_m13_3_the_equity_reward_is_the_completers_part_to_the_fen(
    valuation: Decimal, issued: int, data: st.DataObject
) -> None:
    completers = data.draw(st.integers(min_value=0, max_value=issued))
    value = rules.equity_reward(valuation, completers, issued)
    assert value == value.quantize(Decimal("0.01"))
    assert abs(value - valuation * completers / issued) <= Decimal("0.005")
    assert Decimal(0) <= value <= valuation


@given(st.integers(min_value=2015, max_value=2030), days)
def test_m13_3_a_period_is_a_calendar_year_due_after_it_starts(year: int, today: date) -> None:
    due_on = max(today, date(year, 1, 2))
    if year > today.year or due_on > date(year, 12, 31) + rules.DUE_AFTER_END_MAX:
        assert _refusal(rules.check_period, year, due_on, today=today).clauses == ("M13.3",)
    else:
        assert rules.check_period(year, due_on, today=today) == rules.annual_period(year)
    assert _refusal(rules.check_period, 2014, today, today=today).field == "year"
