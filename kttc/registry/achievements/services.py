"""Writes of achievements: entry (M8.6) through the one store step of
:mod:`kttc.registry.achievements.store`, and the submission workflow: the unit submits, the center
publishes, returns or withdraws, each with its reason. Each decision is audited; followers learn
of changes after commit. Whoever waits for a step hears of it at once (DESIGN rule 12): the
reviewers of a submission, the unit's transfer office of a publication or a return."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from kttc.core.models import Organisation, User
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.core.services import audit_record, decision, model_snapshot, require_capability
from kttc.policy import registry as registry_rules
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can
from kttc.registry.achievements.models import Achievement, AchievementEvent
from kttc.registry.achievements.store import (
    Change,
    StoreRefused,
    achievements_store,
    notify_followers,
)
from kttc.registry.achievements.validation import AchievementData
from kttc.registry.choices import Status

SUBMITTED = Notice(
    kind="registry.achievement_submitted",
    subject=gettext_noop("Result submitted for review: %(name)s"),
    body=gettext_noop(
        "%(unit)s submitted the result “%(name)s” to the platform (M8.6). Review it: publish "
        "it, or return it to the unit saying what to change."
    ),
    clauses=("M8.6",),
)
PUBLISHED = Notice(
    kind="registry.achievement_published",
    subject=gettext_noop("Result published: %(name)s"),
    body=gettext_noop("The center published the result “%(name)s” on the platform (M8.6)."),
    clauses=("M8.6",),
)
RETURNED = Notice(
    kind="registry.achievement_returned",
    subject=gettext_noop("Result returned to the unit: %(name)s"),
    body=gettext_noop(
        "The center returned the result “%(name)s” to the unit; change it and submit it again "
        "(M8.6). The reason given: %(reason)s"
    ),
    clauses=("M8.6",),
)

# A bulk action's notices, one per unit and step instead of one per result (the same kinds, so
# the same preferences apply).
SUBMITTED_MANY = Notice(
    kind=SUBMITTED.kind,
    subject=gettext_noop("%(count)s results submitted for review by %(unit)s"),
    body=gettext_noop(
        "%(unit)s submitted %(count)s results to the platform at once (M8.6), among them "
        "“%(name)s”. Review them in the queue: publish each, or return it saying what to change."
    ),
    clauses=("M8.6",),
)
PUBLISHED_MANY = Notice(
    kind=PUBLISHED.kind,
    subject=gettext_noop("%(count)s results of %(unit)s published"),
    body=gettext_noop(
        "The center published %(count)s results of %(unit)s on the platform at once (M8.6), "
        "among them “%(name)s”."
    ),
    clauses=("M8.6",),
)
RETURNED_MANY = Notice(
    kind=RETURNED.kind,
    subject=gettext_noop("%(count)s results of %(unit)s returned to the unit"),
    body=gettext_noop(
        "The center returned %(count)s results of %(unit)s at once, among them “%(name)s”; "
        "change them and submit them again (M8.6). The reason given: %(reason)s"
    ),
    clauses=("M8.6",),
)


@dataclass
class _Held:
    """The notices of a bulk action, held until it ends: per (step, unit), the results."""

    events: dict[tuple[str, int], list[tuple[Achievement, AchievementEvent]]] = field(
        default_factory=dict
    )


_held: ContextVar[_Held | None] = ContextVar("registry_bulk_notices", default=None)


@contextmanager
def _notices_grouped() -> Iterator[_Held]:
    held = _Held()
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


def _tell_many(held: _Held) -> None:
    """One notice per step and unit for what a bulk action did (a single result's as usual)."""
    batch = uuid.uuid4().hex[:12]
    for (kind, unit_pk), items in held.events.items():
        if len(items) == 1:
            _tell(*items[0])
            continue
        first, event = items[0]
        unit = first.unit
        params = {"count": len(items), "unit": unit.name, "name": first.name,
                  "reason": event.reason}  # fmt: skip
        if kind == Status.SUBMITTED:
            notice, organisation = SUBMITTED_MANY, None
            roles = _roles(Capability.REVIEW_ACHIEVEMENTS_ALL)
            link = reverse("registry:review")
        else:
            notice = RETURNED_MANY if kind == Status.RETURNED else PUBLISHED_MANY
            organisation, roles = unit, _roles(Capability.MANAGE_ACHIEVEMENTS)
            link = f"{reverse('registry:achievements')}?{urlencode({'status': kind})}"
        with transaction.atomic():
            notification_send_now(
                roles=roles,
                organisation=organisation,
                notice=Notice(notice.kind, notice.subject, notice.body, notice.clauses, params),
                dedupe_key=f"{notice.kind}:bulk:{batch}:{unit_pk}",
                link=link,
            )


# The kinds of notices sent here, for people's preferences (kttc.core.notifications.kinds).
register_kind(SUBMITTED.kind, gettext_lazy("A result is submitted for review"))
register_kind(PUBLISHED.kind, gettext_lazy("A result is published"))
register_kind(
    RETURNED.kind, gettext_lazy("A result is returned to its unit, with the reason"), mandatory=True
)


def _roles(capability: Capability) -> tuple[str, ...]:
    """The roles that carry ``capability``: who reviews, who keeps a unit's results."""
    return tuple(r.value for r in Role if role_can(r, capability))


def _tell(achievement: Achievement, event: AchievementEvent) -> None:
    """DESIGN rule 12: whoever waits for this step hears of it at once, once per event; within
    a bulk action, once for all the results of a unit (:func:`_tell_many`)."""
    held = _held.get()
    if held is not None:
        # the step's last act: its decision is done once this is reached
        held.events.setdefault((event.kind, achievement.unit_id), []).append((achievement, event))
        return
    params = {"name": achievement.name, "unit": achievement.unit.name}
    if event.kind == Status.SUBMITTED:
        notice, organisation = SUBMITTED, None
        roles = _roles(Capability.REVIEW_ACHIEVEMENTS_ALL)
        link = reverse("registry:achievement_review", args=[achievement.pk])
    elif event.kind in (Status.PUBLISHED, Status.RETURNED):
        returned = event.kind == Status.RETURNED
        notice = RETURNED if returned else PUBLISHED
        organisation, roles = achievement.unit, _roles(Capability.MANAGE_ACHIEVEMENTS)
        page = "registry:achievement_edit" if returned else "registry:achievement_detail"
        link = reverse(page, args=[achievement.pk])
        params["reason"] = event.reason
    else:
        return
    notification_send_now(
        roles=roles,
        organisation=organisation,
        notice=Notice(notice.kind, notice.subject, notice.body, notice.clauses, params),
        dedupe_key=f"{notice.kind}:{achievement.pk}:{event.pk}",
        about=achievement,
        link=link,
    )


def _store_one(*, actor: User, unit: Organisation, change: Change, imported: bool) -> Achievement:
    try:
        (pk,) = achievements_store(actor=actor, unit=unit, changes=[change], imported=imported)
    except StoreRefused as refused:
        raise refused.error from None
    return Achievement.objects.get(pk=pk)


@decision
def achievement_create(
    *, actor: User, unit: Organisation, data: AchievementData, imported: bool = False
) -> Achievement:
    """Enter a non-classified result as a draft of its unit, with its due date (M8.6)."""
    return _store_one(actor=actor, unit=unit, change=Change(data), imported=imported)


@decision
def achievement_update(
    *, actor: User, achievement: Achievement, data: AchievementData, imported: bool = False
) -> Achievement:
    """Change a draft or a returned result; a submitted or published one is the center's."""
    unit = Organisation.objects.get(pk=achievement.unit_id)
    return _store_one(
        actor=actor, unit=unit, change=Change(data, achievement.pk), imported=imported
    )


def _transition(
    *,
    actor: User,
    achievement: Achievement,
    target: Status,
    who: registry_rules.Actor,
    reason: str = "",
) -> Achievement:
    achievement = Achievement.objects.select_for_update().get(pk=achievement.pk)
    if who is registry_rules.Actor.UNIT:
        require_capability(actor, Capability.MANAGE_ACHIEVEMENTS, achievement.unit)
    else:
        require_capability(actor, Capability.REVIEW_ACHIEVEMENTS_ALL)
    registry_rules.check_transition(
        registry_rules.Status(achievement.status), registry_rules.Status(target), who
    )
    before = model_snapshot(achievement, ("status",))
    now = timezone.now()
    achievement.status = target
    if target == Status.SUBMITTED:
        achievement.submitted_at, achievement.return_reason = now, ""
    elif target == Status.PUBLISHED:
        achievement.published_at = now
    elif target in (Status.RETURNED, Status.WITHDRAWN):
        achievement.return_reason = reason
    achievement.save()
    event = AchievementEvent.objects.create(
        achievement=achievement, actor=actor, kind=target.value, reason=reason
    )
    audit_record(
        actor=actor,
        organisation=achievement.unit,
        action=f"achievement.{target.value}",
        obj=achievement,
        before=before,
        after={"status": target.value, "reason": reason},
        clauses=("M8.6",),
    )
    notify_followers([achievement.pk])
    _tell(achievement, event)
    return achievement


@decision
def achievement_submit(*, actor: User, achievement: Achievement) -> Achievement:
    """M8.6: the unit submits the result to the center for review."""
    return _transition(
        actor=actor, achievement=achievement, target=Status.SUBMITTED, who=registry_rules.Actor.UNIT
    )


@decision
def achievement_publish(*, actor: User, achievement: Achievement) -> Achievement:
    """M8.2, M8.6: the center publishes a submitted result (a restricted one stays inside)."""
    return _transition(
        actor=actor,
        achievement=achievement,
        target=Status.PUBLISHED,
        who=registry_rules.Actor.CENTER,
    )


def _reason_required(reason: str) -> str:
    if not reason.strip():
        raise PolicyError(
            gettext_noop("Say why, so the unit knows what to change."),
            code="required",
            field="reason",
            clauses=("M8.6",),
        )
    return reason.strip()


@decision
def achievement_return(*, actor: User, achievement: Achievement, reason: str) -> Achievement:
    """M8.6: the center sends a submission back to its unit, with the reason."""
    return _transition(
        actor=actor,
        achievement=achievement,
        target=Status.RETURNED,
        who=registry_rules.Actor.CENTER,
        reason=_reason_required(reason),
    )


@decision
def achievement_withdraw(*, actor: User, achievement: Achievement, reason: str) -> Achievement:
    """The center takes a published result off the catalog, with the reason."""
    return _transition(
        actor=actor,
        achievement=achievement,
        target=Status.WITHDRAWN,
        who=registry_rules.Actor.CENTER,
        reason=_reason_required(reason),
    )


# --- bulk work ---------------------------------------------------------------------------------

#: The most results one bulk action takes (a page of a thousand imports and then some).
BULK_MAX = 5_000
#: What a bulk action may do to each result, by the service that does it.
BULK_ACTIONS = ("submit", "publish", "return")


@dataclass(frozen=True)
class BulkOutcome:
    """What a bulk action did: the results it moved, and each refused one with the reason."""

    done: list[Achievement]
    refused: list[tuple[Achievement, PolicyError]]


def bulk_check(action: str, reason: str = "") -> str:
    """What a bulk action needs before it starts: an action, and for a return its reason
    (returned cleaned)."""
    if action not in BULK_ACTIONS:
        raise PolicyError(
            gettext_noop("Choose what to do with the results."), code="required", field="action"
        )
    return _reason_required(reason) if action == "return" else reason


def achievements_bulk(
    *,
    actor: User,
    achievements: Iterable[Achievement],
    action: str,
    reason: str = "",
    progress: Callable[[int], None] | None = None,
) -> BulkOutcome:
    """Submit, publish or return many results, each through its own service and in its own
    transaction (one decision and one audit entry per result, as one at a time): a result
    refused (not in the state the action needs, not the actor's to move) is reported and the
    others go on. A return needs one reason, given to every result. ``progress(n)`` is told
    after each result how many are behind."""
    reason = bulk_check(action, reason)
    done: list[Achievement] = []
    refused: list[tuple[Achievement, PolicyError]] = []
    with _notices_grouped() as held:
        try:
            for count, achievement in enumerate(achievements, start=1):
                try:
                    if action == "submit":
                        achievement_submit(actor=actor, achievement=achievement)
                    elif action == "publish":
                        achievement_publish(actor=actor, achievement=achievement)
                    else:
                        achievement_return(actor=actor, achievement=achievement, reason=reason)
                except PolicyError as exc:
                    refused.append((achievement, exc))
                else:
                    done.append(achievement)
                if progress is not None:
                    progress(count)
        finally:
            _held.set(None)  # what was done is told, even if the work stopped early
            _tell_many(held)
    return BulkOutcome(done, refused)
