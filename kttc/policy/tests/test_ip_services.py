"""Fast patent pre-examination (M11.1), without a database: eligibility by industry and by
registration in Kunming, the kinds, the steps of a request, and the center's time limit in
working days (examples and properties)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import ip_services as rules
from kttc.policy.errors import PolicyError
from kttc.policy.identifiers import USCC_ALPHABET, make_uscc


def _refusal(func: Callable[..., object], *args: object, **kwargs: object) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        func(*args, **kwargs)
    return refused.value


def test_m11_1_the_two_industries_are_eligible_with_their_subclasses() -> None:
    assert rules.check_industry("C2761") == ("C2761", rules.Industry.BIOLOGICAL_PRODUCTS)
    assert rules.check_industry("276") == ("C276", rules.Industry.BIOLOGICAL_PRODUCTS)
    assert rules.check_industry(" c3491 ") == ("C3491", rules.Industry.INTELLIGENT_EQUIPMENT)
    assert rules.check_industry("C4011")[1] is rules.Industry.INTELLIGENT_EQUIPMENT
    assert rules.check_industry("C3493")[1] is rules.Industry.INTELLIGENT_EQUIPMENT


@pytest.mark.parametrize("code", ["C27", "C2710", "C34", "C3499", "C4012", "I6510", "C"])
def test_m11_1_other_industries_are_refused_naming_the_field_and_clause(code: str) -> None:
    refused = _refusal(rules.check_industry, code)
    assert refused.field == "industry_code"
    assert refused.clauses == ("M11.1",)
    assert refused.code == "pre_examination.industry"


def test_m11_1_a_malformed_industry_code_is_refused_on_its_field() -> None:
    refused = _refusal(rules.check_industry, "Z99")
    assert (refused.field, refused.clauses, refused.code) == (
        "industry_code",
        ("M11.1",),
        "industry.format",
    )


@given(st.sampled_from(sorted(rules.ELIGIBLE_CLASSES)), st.text("0123456789", max_size=4))
def test_every_code_under_an_eligible_entry_is_eligible(prefix: str, tail: str) -> None:
    code = (prefix + tail)[:5]
    assert rules.industry_of(code) is rules.ELIGIBLE_CLASSES[prefix]


@given(st.integers(min_value=13, max_value=43), st.text("0123456789", min_size=2, max_size=2))
def test_industry_of_matches_the_list_exactly(division: int, rest: str) -> None:
    code = f"C{division:02d}{rest}"
    expected = any(code.startswith(p) for p in rules.ELIGIBLE_CLASSES)
    assert (rules.industry_of(code) is not None) == expected


KUNMING = make_uscc("91530100MA6K0000X")


def test_m11_1_an_applicant_registered_in_kunming_is_local() -> None:
    assert rules.check_local(KUNMING.lower()) == KUNMING
    assert rules.division_of(KUNMING) == "530100"


def test_m11_1_an_applicant_registered_elsewhere_is_refused_naming_the_division() -> None:
    beijing = make_uscc("91110108MA000000X")
    refused = _refusal(rules.check_local, beijing)
    assert (refused.field, refused.clauses, refused.code) == (
        "credit_code",
        ("M11.1",),
        "pre_examination.local",
    )
    assert refused.params["division"] == "110108"
    # Yunnan but not Kunming (Qujing, 5303).
    assert _refusal(rules.check_local, make_uscc("91530302MA000000X")).field == "credit_code"


@pytest.mark.parametrize("code", ["", "   ", "91530100MA6K00000", "91530100MA6K0000X0"])
def test_m11_1_a_missing_or_bad_credit_code_is_refused_on_its_field(code: str) -> None:
    refused = _refusal(rules.check_local, code)
    assert refused.field == "credit_code"
    assert refused.clauses == ("M11.1",)


@given(
    st.text("0123456789", min_size=2, max_size=2),
    st.text(USCC_ALPHABET, min_size=9, max_size=9),
)
def test_every_checking_kunming_code_is_local(county: str, rest: str) -> None:
    code = make_uscc("91" + "5301" + county + rest)
    assert rules.check_local(code) == code


@given(
    st.text("0123456789", min_size=6, max_size=6), st.text(USCC_ALPHABET, min_size=9, max_size=9)
)
def test_local_exactly_when_the_division_is_in_kunming(division: str, rest: str) -> None:
    code = make_uscc("91" + division + rest)
    try:
        rules.check_local(code)
        local = True
    except PolicyError:
        local = False
    assert local == division.startswith("5301")


def test_m11_1_the_kinds_are_invention_utility_model_and_design() -> None:
    assert [rules.check_kind(k).value for k in ("invention", "utility_model", "design")] == [
        "invention",
        "utility_model",
        "design",
    ]
    for kind in ("pct_invention", "trademark", ""):
        assert _refusal(rules.check_kind, kind).field == "kind"


def test_m11_1_steps_follow_the_table() -> None:
    s, t = rules.Status, rules.Step
    assert rules.check_step("submitted", t.ACCEPT) is s.ACCEPTED
    assert rules.check_step("submitted", t.RETURN) is s.RETURNED
    assert rules.check_step("returned", t.RESUBMIT) is s.SUBMITTED
    assert rules.check_step("accepted", t.REFUSE) is s.REFUSED
    assert rules.check_step("accepted", t.FORWARD) is s.FORWARDED
    assert rules.check_step("forwarded", t.PASS) is s.PASSED
    assert rules.check_step("forwarded", t.FAIL) is s.FAILED


@given(st.sampled_from(list(rules.Status)), st.sampled_from(list(rules.Step)))
def test_a_step_is_allowed_only_from_its_statuses(status: rules.Status, step: rules.Step) -> None:
    before, after = rules.TRANSITIONS[step]
    if status in before:
        assert rules.check_step(status.value, step) is after
    else:
        refused = _refusal(rules.check_step, status.value, step)
        assert refused.clauses == ("M11.1",)


def test_the_final_statuses_allow_no_step() -> None:
    for status in (rules.Status.REFUSED, rules.Status.PASSED, rules.Status.FAILED):
        assert not any(status in before for before, _ in rules.TRANSITIONS.values())


def test_m11_1_due_five_working_days_after_acceptance() -> None:
    assert rules.DECIDE_WITHIN_WORKING_DAYS == 5
    assert rules.due_on(date(2026, 12, 4)) == date(2026, 12, 11)  # a Friday to the next Friday
    assert rules.due_on(date(2026, 12, 5)) == date(2026, 12, 11)  # a Saturday
    assert rules.due_on(date(2026, 12, 7)) == date(2026, 12, 14)  # a Monday
    assert rules.remind_from(date(2026, 12, 14)) == date(2026, 12, 12)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 60))
def test_adding_working_days_counts_only_weekdays(start: date, days: int) -> None:
    end = rules.add_working_days(start, days)
    counted = sum(
        rules.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1)
    )
    assert counted == days
    if days:
        assert rules.is_working_day(end)
        assert end - start <= timedelta(days=days + 2 * (days // 5 + 1))
    else:
        assert end == start


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(1, 30))
def test_due_dates_never_move_earlier_for_a_later_acceptance(start: date, gap: int) -> None:
    assert rules.due_on(start) <= rules.due_on(start + timedelta(days=gap))
    assert rules.due_on(start) > start


def test_m11_1_reference_and_outcome_date() -> None:
    assert rules.check_reference(" YS-2026-0012 ") == "YS-2026-0012"
    for bad in ("", "a b", "x" * 61):
        assert _refusal(rules.check_reference, bad).field == "reference"
    day = date(2026, 12, 4)
    assert rules.check_outcome_date(day, forwarded_on=day, today=day) == day
    for wrong in (day - timedelta(days=1), day + timedelta(days=1)):
        refused = _refusal(rules.check_outcome_date, wrong, forwarded_on=day, today=day)
        assert refused.field == "decided_on"
