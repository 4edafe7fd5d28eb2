"""The joint meeting (M13.1) and its tasks (M13.2), without a database: the steps of a
difficulty, resolution only when every task is closed, owners, deadlines, and when reminders
and overdue notices fall (examples and properties)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import meeting as rules
from kttc.policy.errors import PolicyError

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 12, 31))
task_statuses = st.lists(st.sampled_from(list(rules.TaskStatus)), max_size=8)


def _refusal(func: Callable[..., object], *args: object, **kwargs: object) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        func(*args, **kwargs)
    return refused.value


def test_m13_1_a_difficulty_goes_from_raised_to_the_agenda_to_a_decision_to_resolved() -> None:
    status = rules.check_step(rules.Status.RAISED, rules.Step.SCHEDULE)
    assert status is rules.Status.ON_AGENDA
    status = rules.check_step(status, rules.Step.DECIDE)
    assert status is rules.Status.DECIDED
    assert rules.check_resolve(status, ["closed", "closed"]) is rules.Status.RESOLVED


def test_m13_1_a_raised_difficulty_cannot_be_decided_before_it_is_on_an_agenda() -> None:
    refused = _refusal(rules.check_step, rules.Status.RAISED, rules.Step.DECIDE)
    assert (refused.code, refused.clauses) == ("meeting.status", ("M13.1",))


@pytest.mark.parametrize("status", [rules.Status.RESOLVED, rules.Status.CLOSED])
@pytest.mark.parametrize("step", list(rules.Step))
def test_m13_1_an_ended_difficulty_takes_no_step(status: rules.Status, step: rules.Step) -> None:
    assert _refusal(rules.check_step, status, step).code == "meeting.status"


@given(st.sampled_from(list(rules.Status)), st.sampled_from(list(rules.Step)))
def test_every_step_leads_where_the_table_says_or_is_refused(
    status: rules.Status, step: rules.Step
) -> None:
    before, after = rules.TRANSITIONS[step]
    if status in before:
        assert rules.check_step(status, step) is after
    else:
        assert _refusal(rules.check_step, status, step).clauses == ("M13.1",)
    # no step leaves a difficulty whose tracking ended
    assert not (before & rules.ENDED)


@given(task_statuses)
def test_m13_1_a_difficulty_is_resolved_only_when_all_its_tasks_are_closed(
    statuses: list[rules.TaskStatus],
) -> None:
    expected = bool(statuses) and all(s is rules.TaskStatus.CLOSED for s in statuses)
    assert rules.is_resolved(statuses) is expected
    if expected:
        assert rules.check_resolve(rules.Status.DECIDED, statuses) is rules.Status.RESOLVED
    else:
        refused = _refusal(rules.check_resolve, rules.Status.DECIDED, statuses)
        assert (refused.code, refused.clauses) == ("meeting.tasks_open", ("M13.1", "M13.2"))


def test_m13_1_a_difficulty_without_tasks_is_not_resolved() -> None:
    assert not rules.is_resolved([])


@given(task_statuses)
def test_m13_1_only_a_decided_difficulty_is_resolved(statuses: list[rules.TaskStatus]) -> None:
    for status in rules.Status:
        if status is not rules.Status.DECIDED:
            assert _refusal(rules.check_resolve, status, statuses).code == "meeting.status"


def test_m13_2_owners_are_kunmings_departments_and_counties() -> None:
    names = {name for _, name in rules.OWNERS.values()}
    assert {"市人社局", "五华区", "安宁市", "寻甸县", "市科技局"} <= names
    assert len(names) == len(rules.OWNERS)
    assert rules.check_owner("wuhua") == "wuhua"
    refused = _refusal(rules.check_owner, "nowhere")
    assert (refused.field, refused.clauses) == ("owner", ("M13.2",))


@given(days, st.integers(min_value=-400, max_value=800))
def test_m13_2_a_deadline_falls_after_the_decision_and_within_a_year(
    decided_on: date, offset: int
) -> None:
    deadline = decided_on + timedelta(days=offset)
    if 0 < offset <= rules.TASK_DAYS_MAX:
        assert rules.check_deadline(deadline, decided_on=decided_on) == deadline
    else:
        refused = _refusal(rules.check_deadline, deadline, decided_on=decided_on)
        assert (refused.field, refused.clauses) == ("deadline", ("M13.2",))


@given(days, days, st.sampled_from(list(rules.TaskStatus)), st.booleans())
def test_m13_2_the_owner_is_reminded_once_in_the_week_before_the_deadline(
    deadline: date, today: date, status: rules.TaskStatus, reminded: bool
) -> None:
    due = rules.reminder_due(deadline, today=today, status=status, reminded=reminded)
    window = deadline - timedelta(days=rules.REMIND_BEFORE_DAYS) <= today <= deadline
    assert due is (window and status is rules.TaskStatus.OPEN and not reminded)
    # once reminded, never again
    assert not rules.reminder_due(deadline, today=today, status=status, reminded=True)


@given(days, days, st.sampled_from(list(rules.TaskStatus)), st.booleans())
def test_m13_2_an_open_task_past_its_deadline_is_notified_overdue_once(
    deadline: date, today: date, status: rules.TaskStatus, notified: bool
) -> None:
    overdue = rules.is_overdue(deadline, today=today, status=status)
    assert overdue is (status is rules.TaskStatus.OPEN and today > deadline)
    assert rules.overdue_due(deadline, today=today, status=status, notified=notified) is (
        overdue and not notified
    )
    # a reminder and an overdue notice never fall on the same day
    assert not (
        overdue and rules.reminder_due(deadline, today=today, status=status, reminded=False)
    )


def test_m13_2_the_reminder_starts_seven_days_before_and_overdue_the_day_after() -> None:
    deadline = date(2026, 12, 20)
    assert rules.remind_from(deadline) == date(2026, 12, 13)
    open_ = rules.TaskStatus.OPEN
    assert not rules.reminder_due(deadline, today=date(2026, 12, 12), status=open_, reminded=False)
    assert rules.reminder_due(deadline, today=date(2026, 12, 13), status=open_, reminded=False)
    assert not rules.is_overdue(deadline, today=deadline, status=open_)
    assert rules.is_overdue(deadline, today=date(2026, 12, 21), status=open_)
    assert not rules.is_overdue(deadline, today=date(2026, 12, 21), status=rules.TaskStatus.CLOSED)


def test_m13_2_a_closed_task_is_not_closed_again() -> None:
    assert rules.check_task_open(rules.TaskStatus.OPEN) is rules.TaskStatus.CLOSED
    refused = _refusal(rules.check_task_open, rules.TaskStatus.CLOSED)
    assert (refused.code, refused.clauses) == ("meeting.task_closed", ("M13.2",))


@given(st.sampled_from(list(rules.TaskStatus)), st.sampled_from(list(rules.Status)))
def test_m13_2_only_a_closed_task_of_a_difficulty_not_concluded_is_reopened(
    task: rules.TaskStatus, difficulty: rules.Status
) -> None:
    if task is rules.TaskStatus.CLOSED and difficulty is rules.Status.DECIDED:
        assert rules.check_task_reopen(task, difficulty) is rules.TaskStatus.OPEN
        return
    refused = _refusal(rules.check_task_reopen, task, difficulty)
    expected = "meeting.task_open" if task is rules.TaskStatus.OPEN else "meeting.task_concluded"
    assert refused.code == expected and "M13.2" in refused.clauses


@given(st.lists(st.text(max_size=12), max_size=80))
def test_m13_1_attendees_are_one_a_line_without_repeats(lines: list[str]) -> None:
    names = [line.strip() for line in lines if line.strip()]
    try:
        kept = rules.check_attendees(lines)
    except PolicyError as refused:
        assert refused.field == "attendees"
        assert refused.clauses == ("M13.1",)
        return
    assert kept == list(dict.fromkeys(names))
    assert 1 <= len(kept) <= rules.ATTENDEES_MAX


def test_m13_1_attendees_are_refused_when_none_or_too_long() -> None:
    assert _refusal(rules.check_attendees, ["", "  "]).code == "meeting.attendees"
    assert _refusal(rules.check_attendees, ["x" * 101]).code == "meeting.attendee"
    assert rules.check_attendees(["市科技局", " 市科技局 ", "五华区"]) == ["市科技局", "五华区"]


@pytest.mark.parametrize(
    ("check", "field", "clause", "maximum"),
    [
        (rules.check_title, "title", "M13.1", rules.TITLE_MAX),
        (rules.check_description, "description", "M13.1", rules.TEXT_MAX),
        (rules.check_deliverable, "deliverable", "M13.2", rules.DELIVERABLE_MAX),
        (rules.check_evidence, "evidence", "M13.2", rules.TEXT_MAX),
    ],
)
def test_texts_are_refused_empty_too_long_or_with_controls_naming_their_field(
    check: Callable[[str], str], field: str, clause: str, maximum: int
) -> None:
    assert check("  科研人员离岗创业审批流程长 ") == "科研人员离岗创业审批流程长"
    assert check("x" * maximum) == "x" * maximum
    for bad in ("", "   ", "x" * (maximum + 1)):
        refused = _refusal(check, bad)
        assert (refused.field, refused.clauses) == (field, (clause,))
    assert _refusal(check, "a\x00b").field == field


def test_m13_1_a_title_holds_one_line_and_a_description_several() -> None:
    assert _refusal(rules.check_title, "a\nb").field == "title"
    assert rules.check_description("a\nb") == "a\nb"


@given(days, st.integers(min_value=-500, max_value=500))
def test_m13_1_a_session_is_convened_within_a_year_back_and_six_months_ahead(
    today: date, offset: int
) -> None:
    held_on = today + timedelta(days=offset)
    if -rules.TASK_DAYS_MAX <= offset <= rules.CONVENE_AHEAD_MAX:
        assert rules.check_session_date(held_on, today=today) == held_on
    else:
        assert _refusal(rules.check_session_date, held_on, today=today).field == "held_on"
    if offset > 0:
        assert _refusal(rules.check_minutes_date, held_on, today=today).field == "minutes"
    else:
        assert rules.check_minutes_date(held_on, today=today) == held_on


@given(st.text(max_size=20))
def test_m13_1_a_difficulty_belongs_to_one_of_the_fields(value: str) -> None:
    if value in set(rules.Category):
        assert rules.check_category(value) == value
        return
    refused = _refusal(rules.check_category, value)
    assert (refused.code, refused.field, refused.clauses) == (
        "meeting.category",
        "category",
        ("M13.1",),
    )


def test_m13_1_a_session_place_may_be_left_out_and_holds_one_line() -> None:
    assert rules.check_place("  ") == ""
    assert rules.check_place(" 市政府第三会议室 ") == "市政府第三会议室"
    assert _refusal(rules.check_place, "x" * (rules.TITLE_MAX + 1)).field == "place"
    assert _refusal(rules.check_place, "a\nb").field == "place"
