"""Findings shared between supervising departments (M14.2), without a database: the scope's
clauses are obligation ids, an issued record is never changed (amended with a reason), the
rectification's steps, deadlines and reminders, and which records overlap (examples and
properties)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import findings as rules
from kttc.policy.clauses import clause_ids
from kttc.policy.errors import PolicyError

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 12, 31))
KNOWN = list(clause_ids())


def _refusal(func: Callable[..., object], *args: object, **kwargs: object) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        func(*args, **kwargs)
    return refused.value


@given(st.lists(st.sampled_from(KNOWN), min_size=1, max_size=10))
def test_m14_2_clauses_checked_are_obligation_ids_once_in_the_measures_order(
    picked: list[str],
) -> None:
    checked = rules.check_clauses([c.lower() for c in picked], KNOWN)
    assert set(checked) == set(picked)
    assert checked == sorted(checked, key=KNOWN.index)


@given(
    st.text(min_size=1, max_size=8).filter(
        lambda t: bool(t.strip()) and t.strip().upper() not in clause_ids()
    )
)
def test_m14_2_an_unknown_clause_is_refused_on_its_field(value: str) -> None:
    refused = _refusal(rules.check_clauses, ["M5.2", value], KNOWN)
    assert refused.field == "clauses" and refused.clauses == ("M14.2",)


def test_m14_2_no_clause_is_refused() -> None:
    assert _refusal(rules.check_clauses, [" "], KNOWN).code == "findings.clauses"


def test_m14_2_a_finding_names_a_clause_of_the_scope() -> None:
    assert rules.check_finding_clause(" m5.2", ["M5.2"]) == "M5.2"
    assert _refusal(rules.check_finding_clause, "M3.2", ["M5.2"]).field == "clause"


def test_m14_2_an_issued_record_is_never_changed_only_amended_with_a_reason() -> None:
    assert rules.check_issue(rules.Status.DRAFT, 1) is rules.Status.ISSUED
    assert _refusal(rules.check_issue, rules.Status.DRAFT, 0).code == "findings.no_findings"
    assert _refusal(rules.check_issue, rules.Status.ISSUED, 3).code == "findings.issued"
    assert _refusal(rules.check_draft, rules.Status.ISSUED).code == "findings.issued"
    assert rules.check_amend(rules.Status.ISSUED, " 复核更正 ") == "复核更正"
    assert _refusal(rules.check_amend, rules.Status.ISSUED, "  ").field == "reason"
    assert _refusal(rules.check_amend, rules.Status.DRAFT, "x").code == "findings.not_issued"


@given(st.sampled_from(list(rules.Rectification)), st.sampled_from(list(rules.RectificationStep)))
def test_m14_2_rectification_steps_follow_the_table(
    status: rules.Rectification, step: rules.RectificationStep
) -> None:
    before, after = rules.RECTIFICATION_TRANSITIONS[step]
    if status in before:
        assert rules.check_rectification_step(status, step) is after
    else:
        assert _refusal(rules.check_rectification_step, status, step).code == (
            "findings.rectification_status"
        )


def test_m14_2_a_rectification_rejected_is_owed_again_one_accepted_is_not() -> None:
    rejected = rules.check_rectification_step(
        rules.Rectification.SUBMITTED, rules.RectificationStep.REJECT
    )
    assert rejected in rules.OWED
    assert rules.check_rectification_step(rejected, rules.RectificationStep.SUBMIT) == "submitted"
    assert rules.Rectification.RECTIFIED not in rules.OWED


@given(days, st.integers(min_value=-30, max_value=400), st.booleans())
def test_m14_2_a_deadline_lies_after_today_within_a_year_when_required(
    today: date, offset: int, required: bool
) -> None:
    deadline = today + timedelta(days=offset)
    if not required:
        assert rules.check_rectification_deadline(False, deadline, today=today) is None
    elif 0 < offset <= rules.DEADLINE_DAYS_MAX:
        assert rules.check_rectification_deadline(True, deadline, today=today) == deadline
    else:
        refused = _refusal(rules.check_rectification_deadline, True, deadline, today=today)
        assert refused.field == "deadline"


@given(days, days, days)
def test_m14_2_a_period_ends_on_or_before_today_after_its_start(
    start: date, end: date, today: date
) -> None:
    valid = start <= end <= today and (end - start).days <= rules.PERIOD_DAYS_MAX
    if valid:
        assert rules.check_period(start, end, today=today) == (start, end)
    else:
        assert _refusal(rules.check_period, start, end, today=today).field == "period_end"


@given(days, st.integers(min_value=-20, max_value=20))
def test_m14_2_reminded_in_the_week_before_and_overdue_the_day_after(
    today: date, offset: int
) -> None:
    deadline = today + timedelta(days=offset)
    assert rules.reminder_due(deadline, today=today) == (0 <= offset <= 7)
    assert rules.overdue(deadline, today=today) == (offset < 0)


@given(days, st.integers(min_value=-10, max_value=800))
def test_m14_2_recent_means_within_the_last_year(today: date, back: int) -> None:
    assert rules.is_recent(today - timedelta(days=back), today=today) == (0 <= back <= 365)


@given(st.lists(st.sampled_from(KNOWN[:12])), st.lists(st.sampled_from(KNOWN[:12])))
def test_m14_2_overlapping_clauses_are_those_both_check(mine: list[str], theirs: list[str]) -> None:
    shared = rules.overlapping_clauses(mine, theirs)
    assert set(shared) == set(mine) & set(theirs)


def test_m14_2_links_are_the_platforms_own() -> None:
    assert rules.check_links(["/a/1/", " /a/1/ ", ""]) == ["/a/1/"]
    for bad in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        assert _refusal(rules.check_links, [bad]).field == "links"
    assert _refusal(rules.check_links, [f"/x/{i}/" for i in range(11)]).code == "findings.links"


def test_m14_2_reference_kind_and_severity_are_checked_on_their_fields() -> None:
    assert rules.check_reference(" 昆审〔2026〕12号 ") == "昆审〔2026〕12号"
    assert _refusal(rules.check_reference, "").field == "reference"
    assert _refusal(rules.check_reference, "号\n2").field == "reference"
    assert _refusal(rules.check_kind, "raid").field == "kind"
    assert _refusal(rules.check_severity, "fatal").field == "severity"
