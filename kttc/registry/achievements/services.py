"""Writes of achievements: entry (M8.6) through the one store step of
:mod:`kttc.registry.achievements.store`, and the submission workflow: the unit submits, the center
publishes, returns or withdraws, each with its reason. Each decision is audited; followers learn
of changes after commit."""

from __future__ import annotations

from django.utils import timezone

from kttc.core.models import Organisation, User
from kttc.core.services import audit_record, decision, model_snapshot, require_capability
from kttc.policy import registry as registry_rules
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.registry.achievements.models import Achievement, AchievementEvent
from kttc.registry.achievements.store import (
    Change,
    StoreRefused,
    achievements_store,
    notify_followers,
)
from kttc.registry.achievements.validation import AchievementData
from kttc.registry.choices import Status


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
    AchievementEvent.objects.create(
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
