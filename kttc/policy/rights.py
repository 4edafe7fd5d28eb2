"""M1.2, M1.7: a right granted to the completers: ownership, or a long-term use right with its
term; its own life (extend, expire, revoke) is the table :data:`RIGHT_TRANSITIONS`, each step
with its guards. Pure functions over plain values; the application that leads to a grant is
:mod:`kttc.policy.empowerment`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from kttc.policy.calendar import add_years
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop


class Right(StrEnum):
    """M1.2: the rights a unit may grant its completers."""

    OWNERSHIP = "ownership"  # 所有权
    LONG_TERM_USE = "long_term_use"  # 长期使用权


class RightStatus(StrEnum):
    """Where a granted right stands."""

    ACTIVE = "active"
    EXPIRED = "expired"  # a long-term use right past its last day
    REVOKED = "revoked"  # the unit took it back, with its reason


#: What each state of a right is called where a refusal names it.
RIGHT_STATUS_LABELS: Final[dict[str, str]] = {
    RightStatus.ACTIVE: gettext_noop("active"),
    RightStatus.EXPIRED: gettext_noop("expired"),
    RightStatus.REVOKED: gettext_noop("revoked"),
}


def require_reason(reason: str) -> None:
    """A refusal or a revocation says why, so the team knows."""
    if not reason.strip():
        raise refuse(
            gettext_noop("Say why, so the completers know the reason."),
            "empowerment.reason_required",
            "reason",
            ("M1.5",),
        )


def whole_number(value: object, field: str) -> int:
    """``value`` as a whole number (never a bool), else TypeError naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field} must be an int, not {type(value).__name__}")
    return value


# --- the right (M1.2, M1.7) ------------------------------------------------------------------


def right_ends(right: Right, starts_on: date, term_years: int | None) -> date | None:
    """M1.2: ownership has no end; a long-term use right granted on ``starts_on`` for
    ``term_years`` years lasts until the corresponding day (Civil Code Arts. 201, 202)."""
    if right is Right.OWNERSHIP:
        return None
    if term_years is None:
        raise ValueError("a long-term use right needs its term")
    return add_years(starts_on, whole_number(term_years, "term_years"))


@dataclass(frozen=True)
class RightFacts:
    """What the guards of a right's step look at."""

    right: Right
    on: date
    ends_on: date | None
    reason: str = ""
    years: int = 0
    max_years: int | None = None


RightGuard = Callable[[RightFacts], None]


def _long_term_use(facts: RightFacts) -> None:
    if facts.right is not Right.LONG_TERM_USE or facts.ends_on is None:
        raise refuse(
            gettext_noop("Only a long-term use right has a term to extend or to expire."),
            "empowerment.not_long_term_use",
            "right",
            ("M1.7",),
        )


def _report_given(facts: RightFacts) -> None:
    """M1.7: the unit extends on the team's report of progress and income."""
    if not facts.reason.strip():
        raise refuse(
            gettext_noop(
                "An extension rests on the team's report of the transformation's progress and "
                "its income."
            ),
            "empowerment.report_required",
            "report",
            ("M1.7",),
        )


def _extension_years(facts: RightFacts) -> None:
    longest = facts.max_years or 0
    if not 1 <= facts.years <= longest:
        raise refuse(
            gettext_noop(
                "The unit's rules extend a long-term use right by 1 to %(max)s years at a time; "
                "%(years)s years were asked."
            ),
            "empowerment.extension_years",
            "years",
            ("M1.7", "M1.3"),
            max=longest,
            years=facts.years,
        )


def _not_lapsed(facts: RightFacts) -> None:
    if facts.ends_on is not None and facts.on > facts.ends_on:
        raise refuse(
            gettext_noop("The right ended on %(end)s; a lapsed right is not extended."),
            "empowerment.lapsed",
            "ends_on",
            ("M1.7",),
            end=facts.ends_on.isoformat(),
        )


def _past_its_end(facts: RightFacts) -> None:
    if facts.ends_on is None or facts.on <= facts.ends_on:
        raise refuse(
            gettext_noop("The right runs until %(end)s; it has not expired."),
            "empowerment.not_expired",
            "ends_on",
            ("M1.7",),
            end=facts.ends_on.isoformat() if facts.ends_on else "—",
        )


def _revocation_reason(facts: RightFacts) -> None:
    require_reason(facts.reason)


@dataclass(frozen=True)
class RightTransition:
    """One step of a granted right: the clauses it carries out and its guards (the unit takes
    each; expiry is recorded by the platform's sweep)."""

    clauses: tuple[str, ...]
    guards: tuple[RightGuard, ...]


class RightStep(StrEnum):
    EXTEND = "extend"
    EXPIRE = "expire"
    REVOKE = "revoke"


STEP_LABELS: Final[dict[RightStep, str]] = {
    RightStep.EXTEND: gettext_noop("extended"),
    RightStep.EXPIRE: gettext_noop("recorded as expired"),
    RightStep.REVOKE: gettext_noop("revoked"),
}


#: A granted right's life: step -> (from, to) and its guards.
RIGHT_TRANSITIONS: Final[dict[RightStep, tuple[RightStatus, RightStatus, RightTransition]]] = {
    RightStep.EXTEND: (
        RightStatus.ACTIVE,
        RightStatus.ACTIVE,
        RightTransition(("M1.7",), (_long_term_use, _not_lapsed, _report_given, _extension_years)),
    ),
    RightStep.EXPIRE: (
        RightStatus.ACTIVE,
        RightStatus.EXPIRED,
        RightTransition(("M1.2",), (_long_term_use, _past_its_end)),
    ),
    RightStep.REVOKE: (
        RightStatus.ACTIVE,
        RightStatus.REVOKED,
        RightTransition(("M1.6",), (_revocation_reason,)),
    ),
}


def check_right_step(step: RightStep, current: RightStatus, facts: RightFacts) -> RightStatus:
    """Whether ``step`` may be taken on a right that is ``current`` now; returns the status it
    leads to."""
    source, target, transition = RIGHT_TRANSITIONS[step]
    if current is not source:
        raise refuse(
            gettext_noop("A right that is %(current)s cannot be %(step)s."),
            "empowerment.right_transition",
            "status",
            transition.clauses,
            current=RIGHT_STATUS_LABELS[current],
            step=STEP_LABELS[step],
        )
    for guard in transition.guards:
        guard(facts)
    return target


def extended_end(ends_on: date, years: int) -> date:
    """M1.7: the new last day of a long-term use right extended by ``years`` years."""
    return add_years(ends_on, whole_number(years, "years"))
