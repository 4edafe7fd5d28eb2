"""M1: the empowerment reform (职务科技成果赋权改革): which results may be granted to their
completers, what a unit's own rules allow, the notice inside the unit, the written agreement,
the grant of ownership or a long-term use right, and its extension, expiry and revocation.

The workflow of an application is the table :data:`TRANSITIONS`: each allowed step names who
takes it, the clauses it carries out and the guards that must pass; a right's own life (extend,
expire, revoke) is :data:`RIGHT_TRANSITIONS`. Pure functions over plain values:
``kttc.reform.empowerment.services`` reads the unit's rules (M1.3) and the parameters in force
on the relevant date, calls these and stores what they compute.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final

from kttc.policy.calendar import period_end_not_less_than, period_last_day
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.rights import (
    RIGHT_STATUS_LABELS,
    require_reason,
    whole_number,
)

# A right's own rules live in kttc.policy.rights; the application's callers read them here too.
from kttc.policy.rights import (
    RIGHT_TRANSITIONS as RIGHT_TRANSITIONS,
)
from kttc.policy.rights import (
    STEP_LABELS as STEP_LABELS,
)
from kttc.policy.rights import (
    Right as Right,
)
from kttc.policy.rights import (
    RightFacts as RightFacts,
)
from kttc.policy.rights import (
    RightStatus as RightStatus,
)
from kttc.policy.rights import (
    RightStep as RightStep,
)
from kttc.policy.rights import (
    RightTransition as RightTransition,
)
from kttc.policy.rights import (
    check_right_step as check_right_step,
)
from kttc.policy.rights import (
    extended_end as extended_end,
)
from kttc.policy.rights import (
    right_ends as right_ends,
)
from kttc.policy.roles import OrganisationKind, is_reform_unit

#: The longest term, in years, that a unit's rules may set for one grant or extension of a
#: long-term use right: a bound of sanity for the input, not a number of the measures.
MAX_TERM_YEARS: Final = 50


class Status(StrEnum):
    """Where an application stands."""

    APPLIED = "applied"  # the completers applied (M1.4)
    APPROVED = "approved"  # the unit approved (M1.5), the notice is still to be published
    IN_NOTICE = "in_notice"  # the notice is published inside the unit (M1.5)
    GRANTED = "granted"  # the right is granted (M1.2, M1.6)
    REJECTED = "rejected"  # the unit refused, with its reason
    WITHDRAWN = "withdrawn"  # the completers withdrew


class Actor(StrEnum):
    TEAM = "team"  # the completers, through their applicant
    UNIT = "unit"  # the unit's technology transfer office


#: Words for the values above inside messages (the interfaces translate them).
LABELS: Final[dict[str, str]] = {
    Right.OWNERSHIP: gettext_noop("ownership"),
    Right.LONG_TERM_USE: gettext_noop("a long-term use right"),
    Status.APPLIED: gettext_noop("applied"),
    Status.APPROVED: gettext_noop("approved"),
    Status.IN_NOTICE: gettext_noop("in notice"),
    Status.GRANTED: gettext_noop("granted"),
    Status.REJECTED: gettext_noop("rejected"),
    Status.WITHDRAWN: gettext_noop("withdrawn"),
    **RIGHT_STATUS_LABELS,
    Actor.TEAM: gettext_noop("completers"),
    Actor.UNIT: gettext_noop("unit's transfer office"),
}

#: Applications still on their way: a result has at most one of them at a time.
OPEN: Final[frozenset[Status]] = frozenset({Status.APPLIED, Status.APPROVED, Status.IN_NOTICE})


@dataclass(frozen=True)
class NoticePeriod:
    """M1.5: a notice published on ``published_on`` for ``days`` days (Civil Code Arts. 201, 203:
    the day of publication is not counted). Objections are heard up to ``last_day``; the right
    can be granted from ``grant_from``, the day after."""

    published_on: date
    days: int
    last_day: date
    grant_from: date


@dataclass(frozen=True)
class Facts:
    """What the guards of a step look at, as the service reads them when it takes the step."""

    on: date
    reason: str = ""
    notice: NoticePeriod | None = None
    open_objections: int = 0
    agreement_signed: bool = False


Guard = Callable[[Facts], None]


@dataclass(frozen=True)
class Transition:
    """One allowed step: who takes it, the clauses it carries out, the guards that must pass."""

    actor: Actor
    clauses: tuple[str, ...]
    guards: tuple[Guard, ...] = ()



# --- guards ----------------------------------------------------------------------------------


def reason_given(facts: Facts) -> None:
    """A refusal or a revocation says why, so the team knows."""
    require_reason(facts.reason)


def notice_period_over(facts: Facts) -> None:
    """M1.5: nothing is granted before the notice has run its course."""
    if facts.notice is None:
        raise refuse(
            gettext_noop("The notice has not been published inside the unit."),
            "empowerment.no_notice",
            None,
            ("M1.5",),
        )
    check_notice_over(facts.notice, facts.on)


def objections_answered(facts: Facts) -> None:
    """M1.5: every objection raised during the notice is answered before anything is granted."""
    if facts.open_objections:
        raise refuse(
            gettext_noop(
                "%(count)s objection(s) to the notice are not answered yet; answer every "
                "objection before the right is granted."
            ),
            "empowerment.objections_open",
            "objections",
            ("M1.5",),
            count=facts.open_objections,
        )


def agreement_signed(facts: Facts) -> None:
    """M1.6: unit and completers have both signed the written agreement."""
    if not facts.agreement_signed:
        raise refuse(
            gettext_noop(
                "The unit and the completers must both sign the written agreement on income "
                "distribution and other terms before the right is granted."
            ),
            "empowerment.agreement_unsigned",
            "agreement",
            ("M1.6",),
        )


#: The workflow of an application: (from, to) -> who, which clauses, which guards.
TRANSITIONS: Final[dict[tuple[Status, Status], Transition]] = {
    (Status.APPLIED, Status.APPROVED): Transition(Actor.UNIT, ("M1.5",)),
    (Status.APPLIED, Status.REJECTED): Transition(Actor.UNIT, ("M1.5",), (reason_given,)),
    (Status.APPROVED, Status.IN_NOTICE): Transition(Actor.UNIT, ("M1.5",)),
    (Status.APPROVED, Status.REJECTED): Transition(Actor.UNIT, ("M1.5",), (reason_given,)),
    # An objection the unit upholds ends the application.
    (Status.IN_NOTICE, Status.REJECTED): Transition(Actor.UNIT, ("M1.5",), (reason_given,)),
    (Status.IN_NOTICE, Status.GRANTED): Transition(
        Actor.UNIT,
        ("M1.2", "M1.5", "M1.6"),
        (notice_period_over, objections_answered, agreement_signed),
    ),
    (Status.APPLIED, Status.WITHDRAWN): Transition(Actor.TEAM, ("M1.4",)),
    (Status.APPROVED, Status.WITHDRAWN): Transition(Actor.TEAM, ("M1.4",)),
    (Status.IN_NOTICE, Status.WITHDRAWN): Transition(Actor.TEAM, ("M1.4",)),
}


def check_transition(current: Status, target: Status, actor: Actor, facts: Facts) -> Transition:
    """Whether ``actor`` may move an application from ``current`` to ``target`` now: the step
    must be in the table, taken by its actor, and pass every guard. Returns the step."""
    step = TRANSITIONS.get((current, target))
    if step is None:
        raise refuse(
            gettext_noop("An application cannot go from %(current)s to %(target)s."),
            "empowerment.transition",
            "status",
            ("M1.5",),
            current=LABELS[current],
            target=LABELS[target],
        )
    if step.actor is not actor:
        raise refuse(
            gettext_noop("Only the %(actor)s may move an application to %(target)s."),
            "empowerment.transition_actor",
            "status",
            step.clauses,
            actor=LABELS[step.actor],
            target=LABELS[target],
        )
    for guard in step.guards:
        guard(facts)
    return step


# --- eligibility (M1.1, M1.8) ----------------------------------------------------------------


@dataclass(frozen=True)
class ResultFacts:
    """What decides whether a result may be granted to its completers."""

    unit_kind: OrganisationKind
    unit_municipal: bool
    municipal_project: bool  # formed in a municipal fiscally funded S&T plan project
    national_interest: bool
    confidentiality: str


def check_eligible(result: ResultFacts) -> None:
    """M1.1, M1.8: results of municipal universities, research institutes and medical
    institutions, or of municipal fiscal projects, may be granted; results that may affect
    national security or major public interests may not; classified results never reach here."""
    if result.confidentiality == "classified":
        raise refuse(
            gettext_noop("Classified results never enter the platform."),
            "empowerment.classified",
            "achievement",
            ("M1.8",),
        )
    if result.national_interest:
        raise refuse(
            gettext_noop(
                "Results that may affect national security, defence, public security, economic "
                "security, social stability or other major national or public interests are "
                "not eligible for empowerment."
            ),
            "empowerment.national_interest",
            "achievement",
            ("M1.8",),
        )
    reform_unit = is_reform_unit(result.unit_kind, municipal=result.unit_municipal)
    if not (reform_unit or result.municipal_project):
        raise refuse(
            gettext_noop(
                "Only results of municipal universities, research institutes and medical "
                "institutions, or of municipal fiscally funded projects, can be granted to "
                "their completers."
            ),
            "empowerment.scope",
            "achievement",
            ("M1.1",),
        )


# --- the unit's own rules (M1.3) -------------------------------------------------------------


@dataclass(frozen=True)
class UnitRules:
    """M1.3: a reform unit's own empowerment rules."""

    rights: frozenset[Right]
    max_term_years: int | None  # the longest initial term of a long-term use right
    required_documents: tuple[str, ...] = ()


def check_rules(rules: UnitRules) -> UnitRules:
    """M1.3: the rules grant at least one right; a unit that grants long-term use rights sets
    their longest initial term (1 to :data:`MAX_TERM_YEARS` years); document names are given
    once each."""
    if not rules.rights:
        raise refuse(
            gettext_noop("The unit's rules grant at least one right: ownership or long-term use."),
            "empowerment.rules_rights",
            "rights",
            ("M1.3", "M1.2"),
        )
    if Right.LONG_TERM_USE in rules.rights:
        if rules.max_term_years is None:
            raise refuse(
                gettext_noop("Set the longest initial term of a long-term use right."),
                "empowerment.rules_term",
                "max_term_years",
                ("M1.3",),
            )
        years = whole_number(rules.max_term_years, "max_term_years")
        if not 1 <= years <= MAX_TERM_YEARS:
            raise refuse(
                gettext_noop("The longest term is 1 to %(max)s years; %(years)s is not."),
                "empowerment.rules_term",
                "max_term_years",
                ("M1.3",),
                max=MAX_TERM_YEARS,
                years=years,
            )
    names = [name.strip() for name in rules.required_documents]
    if any(not name for name in names) or len(set(names)) != len(names):
        raise refuse(
            gettext_noop("Name each required document once."),
            "empowerment.rules_documents",
            "required_documents",
            ("M1.3",),
        )
    return rules


def check_request(rules: UnitRules, right: Right, term_years: int | None) -> None:
    """M1.2, M1.3: the right asked for is one the unit's rules grant; a long-term use right asks
    for a term of at least one year and at most the rules' longest initial term; ownership has
    no term."""
    if right not in rules.rights:
        raise refuse(
            gettext_noop("The unit's empowerment rules do not grant %(right)s."),
            "empowerment.right_not_offered",
            "right",
            ("M1.3", "M1.2"),
            right=LABELS[right],
        )
    if right is Right.OWNERSHIP:
        if term_years is not None:
            raise refuse(
                gettext_noop("Ownership is granted without a term."),
                "empowerment.term_ownership",
                "term_years",
                ("M1.2",),
            )
        return
    if term_years is None:
        raise refuse(
            gettext_noop("Give the term of the long-term use right, in years."),
            "empowerment.term_required",
            "term_years",
            ("M1.2", "M1.3"),
        )
    years = whole_number(term_years, "term_years")
    longest = rules.max_term_years or 0
    if not 1 <= years <= longest:
        raise refuse(
            gettext_noop(
                "The unit's rules grant a long-term use right for at most %(max)s years; "
                "%(years)s years were asked."
            ),
            "empowerment.term_too_long",
            "term_years",
            ("M1.3",),
            max=longest,
            years=years,
        )


def check_documents(rules: UnitRules, provided: Collection[str]) -> None:
    """M1.3, M1.4: every document the unit's rules require comes with the application."""
    given = {name.strip() for name in provided}
    missing = [name for name in rules.required_documents if name.strip() not in given]
    if missing:
        raise refuse(
            gettext_noop("The unit's rules require these documents: %(missing)s."),
            "empowerment.documents_missing",
            "documents",
            ("M1.3", "M1.4"),
            missing="、".join(missing),
        )


def check_partners(partners: Sequence[str]) -> tuple[str, ...]:
    """M1.4: the completers implement alone (no partners) or jointly with other units, each
    named once."""
    names = tuple(name.strip() for name in partners)
    if any(not name for name in names) or len(set(names)) != len(names):
        raise refuse(
            gettext_noop("Name each partner unit once."),
            "empowerment.partners",
            "partners",
            ("M1.4",),
        )
    return names


# --- the notice (M1.5) -----------------------------------------------------------------------


# The longest notice a unit may publish: the measures set a minimum only, but a notice that
# outlasts a year holds the right back for nothing (and far beyond, no calendar holds its end).
NOTICE_MAX_DAYS = 366


def notice_period(published_on: date, days: int, min_days: int) -> NoticePeriod:
    """M1.5: the notice runs ``days`` days from the day after ``published_on``; ``days`` is at
    least ``min_days``, the parameter in force on the day of publication, and at most
    ``NOTICE_MAX_DAYS``."""
    days = whole_number(days, "days")
    if days > max(NOTICE_MAX_DAYS, min_days):
        raise refuse(
            gettext_noop("A notice runs at most %(max)s days; %(days)s days is too long."),
            "empowerment.notice_too_long",
            "days",
            ("M1.5",),
            max=max(NOTICE_MAX_DAYS, min_days),
            days=days,
        )
    if days < min_days:
        raise refuse(
            gettext_noop("The notice period is at least %(min)s days; %(days)s days is too short."),
            "empowerment.notice_too_short",
            "days",
            ("M1.5",),
            min=min_days,
            days=days,
        )
    return NoticePeriod(
        published_on,
        days,
        period_last_day(published_on, days),
        period_end_not_less_than(published_on, days),
    )


def check_notice_over(notice: NoticePeriod, on: date) -> None:
    """M1.5: on ``on`` the notice has run its course (``on`` is on or after its grant day)."""
    if on < notice.grant_from:
        raise refuse(
            gettext_noop(
                "The notice period is at least %(days)s days; it ends on %(end)s, so the right "
                "can be granted from %(from)s."
            ),
            "empowerment.notice_running",
            "notice",
            ("M1.5",),
            days=notice.days,
            end=notice.last_day.isoformat(),
            **{"from": notice.grant_from.isoformat()},
        )


def check_objection_window(notice: NoticePeriod, on: date) -> None:
    """M1.5: objections are raised while the notice runs: from its day of publication to its
    last day."""
    if not notice.published_on <= on <= notice.last_day:
        raise refuse(
            gettext_noop(
                "Objections are raised during the notice, from %(start)s to %(end)s; today is "
                "%(today)s."
            ),
            "empowerment.objection_window",
            "text",
            ("M1.5",),
            start=notice.published_on.isoformat(),
            end=notice.last_day.isoformat(),
            today=on.isoformat(),
        )


# --- the agreement (M1.6) --------------------------------------------------------------------


def check_team_share(share: Decimal, min_share: Decimal) -> Decimal:
    """M1.6, M5.2: the agreement gives the completers a share of the net income, a ratio above 0
    and at most 1, not below ``min_share`` (the parameter in force)."""
    if isinstance(share, bool) or not isinstance(share, Decimal):
        raise TypeError(f"share must be a Decimal, not {type(share).__name__}")
    if not share.is_finite() or not Decimal(0) < share <= Decimal(1):
        raise refuse(
            gettext_noop("The team's share is a ratio above 0 and at most 1; %(share)s is not."),
            "empowerment.share_range",
            "team_share",
            ("M1.6",),
            share=share,
        )
    if share < min_share:
        raise refuse(
            gettext_noop(
                "The completers' share of the net income is at least %(min)s; %(share)s is "
                "below it."
            ),
            "empowerment.share_below_minimum",
            "team_share",
            ("M5.2", "M1.6"),
            min=min_share,
            share=share,
        )
    return share
