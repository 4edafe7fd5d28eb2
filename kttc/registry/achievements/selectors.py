"""Reads of the registry. ``public_achievements`` is the only way public pages, the public API,
search, feeds and exports read achievements: published and not restricted (DESIGN rule 8)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.utils import translation

from kttc.core.models import User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import calendar
from kttc.policy.roles import Capability
from kttc.registry.achievements.models import Achievement, AchievementTranslation
from kttc.registry.choices import Confidentiality, Status


def public_achievements() -> QuerySet[Achievement]:
    """M8.2: what anyone may see: published, public results."""
    return Achievement.objects.filter(
        status=Status.PUBLISHED, confidentiality=Confidentiality.PUBLIC
    )


def achievements_visible_to(user: User) -> QuerySet[Achievement]:
    """The unit's own results for its members; every result for the bureau and auditors."""
    if not user.is_authenticated:
        return Achievement.objects.none()
    if user.is_superuser or user_can(user, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL):
        return Achievement.objects.all()
    units = organisations_where(user, Capability.VIEW_UNIT_ACHIEVEMENTS)
    return Achievement.objects.filter(unit__in=units)


def submissions_due(user: User, *, on: date | None = None) -> QuerySet[Achievement]:
    """M8.6: fiscally funded results not yet submitted, soonest due first, marked overdue."""
    day = on or calendar.today_in_shanghai()
    return (
        achievements_visible_to(user)
        .filter(submission_due__isnull=False, status__in=(Status.DRAFT, Status.RETURNED))
        .annotate(
            overdue=Case(
                When(submission_due__lt=day, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("unit")
        .order_by("submission_due", "id")
    )


def review_queue() -> QuerySet[Achievement]:
    """M8.6: submissions waiting for the center, oldest first."""
    return (
        Achievement.objects.filter(status=Status.SUBMITTED)
        .select_related("unit")
        .order_by("submitted_at", "id")
    )


# --- a result's name in the reader's language ---------------------------------------------------

#: Where :func:`with_readings` and :func:`reading_in` keep each result's translation, per language.
_READINGS = "_kttc_readings"


def _reader_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _original_language(language: str) -> bool:
    return language.lower().startswith("zh")


def with_readings(objects: Iterable[Any], *, attr: str = "") -> None:
    """Load the translations into the reader's language of the results of ``objects`` (the
    results themselves, or each object's ``attr``: a licence's ``achievement``) in one query, for
    :func:`reading_in`."""
    language = _reader_language()
    results = [getattr(o, attr) if attr else o for o in objects]
    results = [a for a in results if a is not None]
    found: dict[int, AchievementTranslation] = {}
    if not _original_language(language) and results:
        found = {
            t.achievement_id: t
            for t in AchievementTranslation.objects.filter(
                achievement_id__in={a.pk for a in results}, language=language
            )
        }
    for achievement in results:
        achievement.__dict__.setdefault(_READINGS, {})[language] = found.get(achievement.pk)


def reading_in(achievement: Achievement) -> AchievementTranslation | None:
    """The result's translation into the reader's language, or None: it is read in its original
    (Chinese). Loaded by :func:`with_readings` or the catalog's prefetch, or looked up once."""
    language = _reader_language()
    if _original_language(language):
        return None
    prefetched: list[AchievementTranslation] | None = getattr(achievement, "reading", None)
    if prefetched is not None:  # the catalog's prefetch of the same language
        return prefetched[0] if prefetched else None
    readings = achievement.__dict__.setdefault(_READINGS, {})
    if language not in readings:
        readings[language] = achievement.translations.filter(language=language).first()
    reading: AchievementTranslation | None = readings[language]
    return reading
