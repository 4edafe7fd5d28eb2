"""Rules of the registry: fiscal projects (M4.1–M4.3), achievements and their submission (M8.6).

Pure functions over plain values; ``kttc.registry.services`` calls them with the parameters in
force on the relevant date and turns a refusal into an error the user sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final

from kttc.policy.calendar import add_years, months_deadline
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop

HUNDRED: Final = Decimal("100")


class Confidentiality(StrEnum):
    PUBLIC = "public"
    RESTRICTED = "restricted"  # kept for its unit and the bureau, never shown publicly
    CLASSIFIED = "classified"  # 涉密: never enters the platform


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Actor(StrEnum):
    UNIT = "unit"  # the unit's transfer office
    CENTER = "center"  # the center's reviewers (the bureau)


#: M8.6: the submission workflow; (from, to) -> who may move it.
TRANSITIONS: Final[dict[tuple[Status, Status], Actor]] = {
    (Status.DRAFT, Status.SUBMITTED): Actor.UNIT,
    (Status.RETURNED, Status.SUBMITTED): Actor.UNIT,
    (Status.SUBMITTED, Status.PUBLISHED): Actor.CENTER,
    (Status.SUBMITTED, Status.RETURNED): Actor.CENTER,
    (Status.PUBLISHED, Status.WITHDRAWN): Actor.CENTER,
}

#: GB/T 22900 readiness levels grouped into the registration form's stages (a convention of
#: ours, see docs/policy/CONVENTIONS.md).
TRL_STAGES: Final[dict[range, str]] = {range(1, 5): "early", range(5, 8): "middle",
                                       range(8, 10): "mature"}  # fmt: skip


def check_transition(current: Status, target: Status, actor: Actor) -> None:
    """M8.6: whether ``actor`` may move an achievement from ``current`` to ``target``."""
    allowed = TRANSITIONS.get((current, target))
    if allowed is None:
        raise PolicyError(
            gettext_noop("An achievement cannot go from %(current)s to %(target)s."),
            code="achievement.transition",
            field="status",
            clauses=("M8.6",),
            params={"current": current.value, "target": target.value},
        )
    if allowed is not actor:
        raise PolicyError(
            gettext_noop("Only the %(actor)s may move an achievement to %(target)s."),
            code="achievement.transition_actor",
            field="status",
            clauses=("M8.6",),
            params={"actor": allowed.value, "target": target.value},
        )


def check_confidentiality(level: str) -> Confidentiality:
    """M8.6: only non-classified results are submitted; a classified one is refused at the door,
    before anything about it is stored."""
    try:
        parsed = Confidentiality(level)
    except ValueError:
        raise PolicyError(
            gettext_noop("Unknown confidentiality level: %(level)s."),
            code="achievement.confidentiality",
            field="confidentiality",
            params={"level": level},
        ) from None
    if parsed is Confidentiality.CLASSIFIED:
        raise PolicyError(
            gettext_noop(
                "Classified results never enter the platform; only non-classified results "
                "are submitted."
            ),
            code="achievement.classified",
            field="confidentiality",
            clauses=("M8.6",),
        )
    return parsed


def submission_due(formation: date, months: int) -> date:
    """M8.6: a fiscally funded result is due on the platform ``months`` after it was formed."""
    return months_deadline(formation, months)


def check_shares(shares: Sequence[Decimal], *, field: str) -> None:
    """Contribution shares, in percent, are each positive and sum to exactly 100."""
    if not shares:
        raise PolicyError(
            gettext_noop("At least one is required, with its contribution share."),
            code="shares.empty",
            field=field,
        )
    if any(share <= 0 for share in shares):
        raise PolicyError(
            gettext_noop("Every contribution share must be above 0 %%."),
            code="shares.positive",
            field=field,
        )
    total = sum(shares, Decimal(0))
    if total != HUNDRED:
        raise PolicyError(
            gettext_noop("Contribution shares must sum to 100 %%; they sum to %(total)s %%."),
            code="shares.total",
            field=field,
            params={"total": format(total.normalize(), "f")},
        )


def trl_stage(level: int) -> str:
    """GB/T 22900: the stage (early, middle, mature) of a readiness level 1–9."""
    for levels, stage in TRL_STAGES.items():
        if level in levels:
            return stage
    raise PolicyError(
        gettext_noop("The readiness level must be 1 to 9 (GB/T 22900); it is %(level)s."),
        code="achievement.trl",
        field="trl",
        params={"level": level},
    )


def check_transformation_deadline(approval: date, deadline: date, max_years: int) -> None:
    """M4.1, M4.2: the transformation deadline is fixed at approval, at most ``max_years`` after
    the approval date, and not before it."""
    latest = add_years(approval, max_years)
    if deadline > latest:
        raise PolicyError(
            gettext_noop(
                "The transformation deadline is at most %(years)s years after approval: "
                "%(latest)s at the latest, not %(deadline)s."
            ),
            code="project.deadline_too_late",
            field="transformation_deadline",
            clauses=("M4.2",),
            params={"years": max_years, "latest": latest.isoformat(),
                    "deadline": deadline.isoformat()},
        )  # fmt: skip
    if deadline < approval:
        raise PolicyError(
            gettext_noop("The transformation deadline cannot be before the approval date."),
            code="project.deadline_before_approval",
            field="transformation_deadline",
            clauses=("M4.1",),
        )


def check_acceptance(transformation_outcome: str, ip_outcome: str) -> None:
    """M4.3: acceptance (验收) must see what was transformed and which IP was created or used."""
    for value, field in ((transformation_outcome, "transformation_outcome"),
                         (ip_outcome, "ip_outcome")):  # fmt: skip
        if not value.strip():
            raise PolicyError(
                gettext_noop(
                    "Acceptance records the transformation and the IP outcomes of the project."
                ),
                code="project.acceptance_incomplete",
                field=field,
                clauses=("M4.3",),
            )
