"""M4.1–M4.3 and M8.6 as pure rules; classification codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import classifications as cls
from kttc.policy import registry as rules
from kttc.policy.calendar import add_years
from kttc.policy.errors import IdentifierError, PolicyError


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    st.integers(min_value=0, max_value=4000),
)
def test_m4_2_deadline_at_most_five_years_after_approval(approval: dt.date, days: int) -> None:
    deadline = approval + dt.timedelta(days=days)
    if deadline <= add_years(approval, 5):
        rules.check_transformation_deadline(approval, deadline, 5)
    else:
        with pytest.raises(PolicyError) as info:
            rules.check_transformation_deadline(approval, deadline, 5)
        assert info.value.clauses == ("M4.2",) and info.value.field == "transformation_deadline"


def test_m4_2_the_last_allowed_day_is_the_fifth_anniversary() -> None:
    rules.check_transformation_deadline(dt.date(2024, 2, 29), dt.date(2029, 2, 28), 5)
    with pytest.raises(PolicyError):
        rules.check_transformation_deadline(dt.date(2024, 2, 29), dt.date(2029, 3, 1), 5)


def test_m4_3_acceptance_needs_both_outcomes() -> None:
    rules.check_acceptance("已许可两家企业", "授权发明专利2件")
    with pytest.raises(PolicyError) as info:
        rules.check_acceptance("已许可", "  ")
    assert info.value.field == "ip_outcome" and info.value.clauses == ("M4.3",)


def test_m8_6_due_three_months_after_formation_clamped_to_month_end() -> None:
    assert rules.submission_due(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert rules.submission_due(dt.date(2026, 1, 15), 3) == dt.date(2026, 4, 15)


def test_m8_6_classified_is_refused_restricted_is_kept() -> None:
    assert rules.check_confidentiality("restricted") is rules.Confidentiality.RESTRICTED
    with pytest.raises(PolicyError) as info:
        rules.check_confidentiality("classified")
    assert info.value.code == "achievement.classified"


@pytest.mark.parametrize(
    "current,target,actor",
    [
        ("draft", "submitted", "unit"),
        ("returned", "submitted", "unit"),
        ("submitted", "published", "center"),
        ("submitted", "returned", "center"),
        ("published", "withdrawn", "center"),
    ],
)
def test_m8_6_allowed_transitions(current: str, target: str, actor: str) -> None:
    rules.check_transition(rules.Status(current), rules.Status(target), rules.Actor(actor))


@pytest.mark.parametrize(
    "current,target,actor,code",
    [
        ("draft", "published", "center", "achievement.transition"),
        ("submitted", "published", "unit", "achievement.transition_actor"),
        ("draft", "submitted", "center", "achievement.transition_actor"),
        ("withdrawn", "published", "center", "achievement.transition"),
    ],
)
def test_m8_6_refused_transitions(current: str, target: str, actor: str, code: str) -> None:
    with pytest.raises(PolicyError) as info:
        rules.check_transition(rules.Status(current), rules.Status(target), rules.Actor(actor))
    assert info.value.code == code


@given(st.lists(st.integers(min_value=1, max_value=10000), min_size=1, max_size=8))
def test_shares_are_accepted_exactly_when_they_sum_to_100(cents: list[int]) -> None:
    shares = [Decimal(c) / 100 for c in cents]
    if sum(cents) == 10000:
        rules.check_shares(shares, field="completers")
    else:
        with pytest.raises(PolicyError):
            rules.check_shares(shares, field="completers")


@pytest.mark.parametrize(
    "level,stage",
    [(1, "early"), (4, "early"), (5, "middle"), (7, "middle"), (8, "mature"), (9, "mature")],
)
def test_trl_stages(level: int, stage: str) -> None:
    assert rules.trl_stage(level) == stage


@pytest.mark.parametrize("level", [0, 10, -1])
def test_trl_outside_1_to_9_is_refused(level: int) -> None:
    with pytest.raises(PolicyError):
        rules.trl_stage(level)


@pytest.mark.parametrize(
    "code,expected", [("520", "520"), ("520.10", "52010"), ("5202010", "5202010")]
)
def test_discipline_codes(code: str, expected: str) -> None:
    assert cls.validate_discipline_code(code) == expected


@pytest.mark.parametrize("code", ["52", "5201", "abc", ""])
def test_bad_discipline_codes(code: str) -> None:
    with pytest.raises(IdentifierError):
        cls.validate_discipline_code(code)


@pytest.mark.parametrize(
    "code,expected",
    [("C3562", "C3562"), ("3562", "C3562"), ("c", "C"), ("A01", "A01"), ("I65", "I65")],
)
def test_industry_codes_carry_their_section(code: str, expected: str) -> None:
    assert cls.validate_industry_code(code) == expected


@pytest.mark.parametrize("code", ["A35", "Z01", "C99", "C35621", ""])
def test_bad_industry_codes(code: str) -> None:
    with pytest.raises(IdentifierError):
        cls.validate_industry_code(code)
