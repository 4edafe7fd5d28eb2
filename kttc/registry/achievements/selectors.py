"""Reads of the registry. ``public_achievements`` is the only way public pages, the public API,
search, feeds and exports read achievements: published and not restricted (DESIGN rule 8)."""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, QuerySet, Value, When

from kttc.core.models import User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import calendar
from kttc.policy.roles import Capability
from kttc.registry.achievements.models import Achievement
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
