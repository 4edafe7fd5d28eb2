"""Writes of the catalog: the bureau curates the promotion list (M8.3) and major releases
(M8.2). Only public achievements can be curated; each decision is audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Exists, Max, OuterRef

from kttc.center.catalog.models import MajorRelease, PromotionEntry
from kttc.core.models import User
from kttc.core.services import audit_record, decision, require_capability
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.registry import outbox
from kttc.registry.models import Achievement
from kttc.registry.selectors import public_achievements


def _require_curator(actor: User) -> None:
    require_capability(actor, Capability.CURATE_CATALOG_ALL)


def _public(achievement_ids: Sequence[int]) -> list[Achievement]:
    # By key, each checked against the public set (see ``search.indexable`` for why).
    public = public_achievements().filter(pk=OuterRef("pk"))
    found = list(Achievement.objects.filter(pk__in=achievement_ids).filter(Exists(public)))
    if len(found) != len(set(achievement_ids)):
        raise PolicyError(
            gettext_noop("Only published, public results can be promoted or released."),
            code="catalog.not_public",
            field="achievements",
            clauses=("M8.2", "M8.3"),
        )
    return found


def _reindex(ids: list[int]) -> None:
    outbox.record(ids)


@decision
def promotion_add(*, actor: User, achievement: Achievement, note: str = "") -> PromotionEntry:
    """M8.3: put a public result on the promotion list, at the end."""
    _require_curator(actor)
    _public([achievement.pk])
    if PromotionEntry.objects.filter(achievement=achievement).exists():
        raise PolicyError(
            gettext_noop("This result is already on the promotion list."),
            code="catalog.promoted",
            field="achievements",
            clauses=("M8.3",),
        )
    last = PromotionEntry.objects.aggregate(m=Max("position"))["m"] or 0
    entry = PromotionEntry.objects.create(
        achievement=achievement, position=last + 1, note=note.strip()[:300], added_by=actor
    )
    audit_record(
        actor=actor,
        organisation=achievement.unit,
        action="catalog.promote",
        obj=achievement,
        after={"note": entry.note},
        clauses=("M8.3",),
    )
    _reindex([achievement.pk])
    return entry


@decision
def promotion_remove(*, actor: User, entry: PromotionEntry) -> None:
    _require_curator(actor)
    achievement = entry.achievement
    audit_record(
        actor=actor,
        organisation=achievement.unit,
        action="catalog.unpromote",
        obj=achievement,
        before={"note": entry.note},
        clauses=("M8.3",),
    )
    entry.delete()
    _reindex([achievement.pk])


@decision
def major_release_create(
    *,
    actor: User,
    title: str,
    release_date: date,
    achievement_ids: Sequence[int],
    title_en: str = "",
    description: str = "",
) -> MajorRelease:
    """M8.2: release a selection of major public results on a date."""
    _require_curator(actor)
    if not title.strip():
        raise PolicyError(gettext_noop("The title is required."), code="required", field="title")
    if not achievement_ids:
        raise PolicyError(
            gettext_noop("Choose at least one result."),
            code="required",
            field="achievements",
            clauses=("M8.2",),
        )
    achievements = _public(achievement_ids)
    release = MajorRelease.objects.create(
        title=title.strip(),
        title_en=title_en.strip(),
        release_date=release_date,
        description=description.strip(),
        created_by=actor,
    )
    release.achievements.set(achievements)
    audit_record(
        actor=actor,
        organisation=None,
        action="catalog.major_release",
        obj=release,
        after={"release_date": release_date, "achievements": sorted(achievement_ids)},
        clauses=("M8.2",),
    )
    _reindex([a.pk for a in achievements])
    return release
