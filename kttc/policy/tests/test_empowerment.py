"""M1: the rules of the empowerment reform, without a database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import empowerment as rules
from kttc.policy.empowerment import (
    Actor,
    Facts,
    ResultFacts,
    Right,
    RightFacts,
    RightStatus,
    RightStep,
    Status,
    UnitRules,
)
from kttc.policy.errors import PolicyError
from kttc.policy.roles import OrganisationKind

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2200, 12, 31))
minimums = st.integers(min_value=1, max_value=60)
BOTH = frozenset({Right.OWNERSHIP, Right.LONG_TERM_USE})


def _refusal(call: object, *args: object) -> PolicyError:
    assert callable(call)
    with pytest.raises(PolicyError) as info:
        call(*args)
    return info.value


# --- the notice period (M1.5), over dates ------------------------------------------------------


@given(published=days, minimum=minimums, extra=st.integers(0, 30), offset=st.integers(-5, 120))
def test_m1_5_a_grant_is_allowed_exactly_from_the_day_after_the_notice_ends(
    published: date, minimum: int, extra: int, offset: int
) -> None:
    notice = rules.notice_period(published, minimum + extra, minimum)
    on = published + timedelta(days=offset)
    # The day of publication is not counted: the last day is `days` days later.
    assert notice.last_day == published + timedelta(days=minimum + extra)
    assert notice.grant_from == notice.last_day + timedelta(days=1)
    if on >= notice.grant_from:
        rules.check_notice_over(notice, on)
    else:
        error = _refusal(rules.check_notice_over, notice, on)
        assert error.clauses == ("M1.5",)
        assert notice.last_day.isoformat() in error.message
        assert notice.grant_from.isoformat() in error.message


@given(published=days, minimum=minimums, offset=st.integers(-30, 120))
def test_m1_5_objections_are_heard_on_every_day_of_the_notice_and_on_no_other(
    published: date, minimum: int, offset: int
) -> None:
    notice = rules.notice_period(published, minimum, minimum)
    on = published + timedelta(days=offset)
    if published <= on <= notice.last_day:
        rules.check_objection_window(notice, on)
    else:
        assert _refusal(rules.check_objection_window, notice, on).clauses == ("M1.5",)


@given(published=days, minimum=minimums, short=st.integers(1, 60))
def test_m1_5_a_notice_shorter_than_the_parameter_is_refused(
    published: date, minimum: int, short: int
) -> None:
    if short >= minimum:
        assert rules.notice_period(published, short, minimum).days == short
    else:
        error = _refusal(rules.notice_period, published, short, minimum)
        assert error.clauses == ("M1.5",) and str(minimum) in error.message


@pytest.mark.parametrize("too_long", [367, 3_000_000, 10**20])
def test_m1_5_a_notice_longer_than_a_year_is_refused_naming_its_days(too_long: int) -> None:
    assert rules.notice_period(date(2026, 11, 25), 366, 15).days == 366
    error = _refusal(rules.notice_period, date(9999, 1, 1), too_long, 15)
    assert (error.field, error.clauses) == ("days", ("M1.5",))
    assert error.message == f"M1.5: A notice runs at most 366 days; {too_long} days is too long."


def test_m1_5_the_worked_example_of_a_fifteen_day_notice() -> None:
    notice = rules.notice_period(date(2026, 11, 25), 15, 15)
    assert (notice.last_day, notice.grant_from) == (date(2026, 12, 10), date(2026, 12, 11))
    error = _refusal(rules.check_notice_over, notice, date(2026, 12, 10))
    assert error.message == (
        "M1.5: The notice period is at least 15 days; it ends on 2026-12-10, so the right can "
        "be granted from 2026-12-11."
    )


# --- the workflow and its guards ---------------------------------------------------------------


def _ready(on: date) -> Facts:
    notice = rules.notice_period(date(2026, 11, 25), 15, 15)
    return Facts(on=on, notice=notice, open_objections=0, agreement_signed=True)


def test_m1_5_m1_6_a_grant_passes_when_the_notice_ended_objections_are_answered_and_signed() -> (
    None
):
    step = rules.check_transition(
        Status.IN_NOTICE, Status.GRANTED, Actor.UNIT, _ready(date(2026, 12, 11))
    )
    assert step.clauses == ("M1.2", "M1.5", "M1.6")


@pytest.mark.parametrize(
    ("change", "code", "clause"),
    [
        ({"on": date(2026, 12, 10)}, "empowerment.notice_running", "M1.5"),
        ({"notice": None}, "empowerment.no_notice", "M1.5"),
        ({"open_objections": 1}, "empowerment.objections_open", "M1.5"),
        ({"agreement_signed": False}, "empowerment.agreement_unsigned", "M1.6"),
    ],
)
def test_m1_5_m1_6_each_guard_of_the_grant_refuses_with_its_clause(
    change: dict[str, object], code: str, clause: str
) -> None:
    ready = _ready(date(2026, 12, 11))
    facts = Facts(**{**ready.__dict__, **change})
    error = _refusal(rules.check_transition, Status.IN_NOTICE, Status.GRANTED, Actor.UNIT, facts)
    assert error.code == code and error.clauses == (clause,)


def test_m1_5_the_team_cannot_grant_and_a_grant_skips_no_step() -> None:
    facts = _ready(date(2027, 1, 1))
    error = _refusal(rules.check_transition, Status.IN_NOTICE, Status.GRANTED, Actor.TEAM, facts)
    assert error.code == "empowerment.transition_actor"
    error = _refusal(rules.check_transition, Status.APPROVED, Status.GRANTED, Actor.UNIT, facts)
    assert error.code == "empowerment.transition"
    error = _refusal(rules.check_transition, Status.APPLIED, Status.IN_NOTICE, Actor.UNIT, facts)
    assert error.code == "empowerment.transition"


def test_m1_5_a_rejection_names_its_reason() -> None:
    on = date(2026, 12, 1)
    error = _refusal(
        rules.check_transition, Status.APPLIED, Status.REJECTED, Actor.UNIT, Facts(on=on)
    )
    assert error.code == "empowerment.reason_required"
    rules.check_transition(Status.APPLIED, Status.REJECTED, Actor.UNIT, Facts(on, reason="x"))


def test_every_step_leaves_an_open_status_and_closed_ones_are_final() -> None:
    for (source, _target), step in rules.TRANSITIONS.items():
        assert source in rules.OPEN
        assert step.clauses
    closed = set(Status) - rules.OPEN
    assert closed == {Status.GRANTED, Status.REJECTED, Status.WITHDRAWN}
    assert not any(source in closed for source, _ in rules.TRANSITIONS)


# --- eligibility (M1.1, M1.8) ------------------------------------------------------------------


def _result(**change: object) -> ResultFacts:
    values: dict[str, object] = {
        "unit_kind": OrganisationKind.UNIVERSITY,
        "unit_municipal": True,
        "municipal_project": False,
        "national_interest": False,
        "confidentiality": "public",
    }
    values.update(change)
    return ResultFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kind",
    [
        OrganisationKind.UNIVERSITY,
        OrganisationKind.RESEARCH_INSTITUTE,
        OrganisationKind.MEDICAL_INSTITUTION,
    ],
)
def test_m1_1_results_of_municipal_research_units_are_eligible(kind: OrganisationKind) -> None:
    rules.check_eligible(_result(unit_kind=kind))
    rules.check_eligible(_result(unit_kind=kind, confidentiality="restricted"))


def test_m1_1_a_non_municipal_unit_is_refused_unless_the_result_is_of_a_municipal_project() -> None:
    error = _refusal(rules.check_eligible, _result(unit_municipal=False))
    assert error.clauses == ("M1.1",) and error.code == "empowerment.scope"
    rules.check_eligible(_result(unit_municipal=False, municipal_project=True))
    error = _refusal(rules.check_eligible, _result(unit_kind=OrganisationKind.ENTERPRISE))
    assert error.clauses == ("M1.1",)


def test_m1_8_national_interest_results_are_refused_even_in_scope() -> None:
    error = _refusal(rules.check_eligible, _result(national_interest=True, municipal_project=True))
    assert error.clauses == ("M1.8",) and error.code == "empowerment.national_interest"
    assert _refusal(rules.check_eligible, _result(confidentiality="classified")).clauses == (
        "M1.8",
    )


# --- the unit's rules (M1.3) -------------------------------------------------------------------


def test_m1_3_rules_grant_a_right_and_bound_the_term_of_long_term_use() -> None:
    rules.check_rules(UnitRules(BOTH, 10, ("成果转化实施方案",)))
    rules.check_rules(UnitRules(frozenset({Right.OWNERSHIP}), None))
    for bad, field in [
        (UnitRules(frozenset(), 10), "rights"),
        (UnitRules(BOTH, None), "max_term_years"),
        (UnitRules(BOTH, 0), "max_term_years"),
        (UnitRules(BOTH, rules.MAX_TERM_YEARS + 1), "max_term_years"),
        (UnitRules(BOTH, 5, ("a", "a")), "required_documents"),
        (UnitRules(BOTH, 5, (" ",)), "required_documents"),
    ]:
        error = _refusal(rules.check_rules, bad)
        assert error.field == field and "M1.3" in error.clauses


@given(longest=st.integers(1, 50), asked=st.integers(-5, 80))
def test_m1_3_a_long_term_use_right_is_asked_for_at_most_the_units_longest_term(
    longest: int, asked: int
) -> None:
    unit = UnitRules(BOTH, longest)
    if 1 <= asked <= longest:
        rules.check_request(unit, Right.LONG_TERM_USE, asked)
    else:
        error = _refusal(rules.check_request, unit, Right.LONG_TERM_USE, asked)
        assert error.clauses == ("M1.3",) and error.code == "empowerment.term_too_long"


def test_m1_2_m1_3_a_right_the_rules_do_not_grant_is_refused() -> None:
    only_use = UnitRules(frozenset({Right.LONG_TERM_USE}), 10)
    error = _refusal(rules.check_request, only_use, Right.OWNERSHIP, None)
    assert error.code == "empowerment.right_not_offered" and error.clauses == ("M1.3", "M1.2")
    assert "ownership" in error.message
    assert _refusal(rules.check_request, only_use, Right.LONG_TERM_USE, None).field == "term_years"
    ownership = UnitRules(BOTH, 10)
    rules.check_request(ownership, Right.OWNERSHIP, None)
    assert _refusal(rules.check_request, ownership, Right.OWNERSHIP, 5).field == "term_years"


def test_m1_3_m1_4_required_documents_and_partners() -> None:
    unit = UnitRules(BOTH, 10, ("合作单位意向书", "团队成员承诺书"))
    rules.check_documents(unit, ["团队成员承诺书", "合作单位意向书", "其他"])
    error = _refusal(rules.check_documents, unit, ["团队成员承诺书"])
    assert "合作单位意向书" in error.message and "团队成员承诺书" not in error.message
    assert rules.check_partners([" 云岭智造 ", "滇池医院"]) == ("云岭智造", "滇池医院")
    assert rules.check_partners([]) == ()
    assert _refusal(rules.check_partners, ["a", "a"]).clauses == ("M1.4",)


# --- the agreement (M1.6, M5.2) ----------------------------------------------------------------

ratios = st.integers(min_value=0, max_value=10_000).map(lambda bp: Decimal(bp).scaleb(-4))


@given(share=ratios, minimum=ratios.filter(lambda r: r > 0))
def test_m1_6_m5_2_the_teams_share_is_never_below_the_parameter(
    share: Decimal, minimum: Decimal
) -> None:
    if share > 0 and share >= minimum:
        assert rules.check_team_share(share, minimum) == share
    else:
        error = _refusal(rules.check_team_share, share, minimum)
        assert "M1.6" in error.clauses


def test_m5_2_a_share_below_seventy_percent_cites_m5_2_and_m1_6() -> None:
    error = _refusal(rules.check_team_share, Decimal("0.69"), Decimal("0.70"))
    assert error.clauses == ("M5.2", "M1.6") and error.code == "empowerment.share_below_minimum"
    assert _refusal(rules.check_team_share, Decimal("1.01"), Decimal("0.70")).clauses == ("M1.6",)
    with pytest.raises(TypeError):
        rules.check_team_share(0.8, Decimal("0.70"))  # type: ignore[arg-type]


# --- the right (M1.2, M1.7) --------------------------------------------------------------------


@given(start=days, years=st.integers(1, 50), more=st.integers(1, 50))
def test_m1_7_an_extension_moves_the_last_day_later_by_whole_years(
    start: date, years: int, more: int
) -> None:
    end = rules.right_ends(Right.LONG_TERM_USE, start, years)
    assert end is not None and end > start
    assert rules.extended_end(end, more) > end
    assert rules.right_ends(Right.OWNERSHIP, start, None) is None


def _right(**change: object) -> RightFacts:
    values: dict[str, object] = {
        "right": Right.LONG_TERM_USE,
        "on": date(2030, 1, 1),
        "ends_on": date(2031, 1, 1),
        "reason": "转化进展良好，累计收入120万元",
        "years": 5,
        "max_years": 10,
    }
    values.update(change)
    return RightFacts(**values)  # type: ignore[arg-type]


def test_m1_7_the_unit_extends_a_long_term_use_right_on_the_teams_report() -> None:
    assert rules.check_right_step(RightStep.EXTEND, RightStatus.ACTIVE, _right()) is (
        RightStatus.ACTIVE
    )
    cases: list[tuple[dict[str, object], str]] = [
        ({"reason": " "}, "empowerment.report_required"),
        ({"years": 11}, "empowerment.extension_years"),
        ({"years": 0}, "empowerment.extension_years"),
        ({"right": Right.OWNERSHIP, "ends_on": None}, "empowerment.not_long_term_use"),
        ({"on": date(2031, 1, 2)}, "empowerment.lapsed"),
    ]
    for change, code in cases:
        error = _refusal(
            rules.check_right_step, RightStep.EXTEND, RightStatus.ACTIVE, _right(**change)
        )
        assert error.code == code and "M1.7" in error.clauses
    error = _refusal(rules.check_right_step, RightStep.EXTEND, RightStatus.REVOKED, _right())
    assert error.code == "empowerment.right_transition"


def test_m1_2_a_long_term_use_right_expires_only_after_its_last_day() -> None:
    last = date(2031, 1, 1)
    error = _refusal(rules.check_right_step, RightStep.EXPIRE, RightStatus.ACTIVE, _right(on=last))
    assert error.code == "empowerment.not_expired"
    assert (
        rules.check_right_step(
            RightStep.EXPIRE, RightStatus.ACTIVE, _right(on=last + timedelta(days=1))
        )
        is RightStatus.EXPIRED
    )
    ownership = _right(right=Right.OWNERSHIP, ends_on=None, on=date(2099, 1, 1))
    assert _refusal(rules.check_right_step, RightStep.EXPIRE, RightStatus.ACTIVE, ownership)


def test_m1_6_a_revocation_gives_its_reason() -> None:
    error = _refusal(
        rules.check_right_step, RightStep.REVOKE, RightStatus.ACTIVE, _right(reason="")
    )
    assert error.code == "empowerment.reason_required"
    assert rules.check_right_step(RightStep.REVOKE, RightStatus.ACTIVE, _right()) is (
        RightStatus.REVOKED
    )
