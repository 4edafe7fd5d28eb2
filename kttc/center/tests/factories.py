"""Catalog data for the center's tests: results published through the registry's services (so the
search index and the catalog see them as a visitor would), and curated lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from kttc.center.catalog import services as catalog_services
from kttc.center.catalog.models import MajorRelease, PromotionEntry
from kttc.core.models import Organisation, User
from kttc.policy.roles import Role
from kttc.registry import services as registry_services
from kttc.registry.models import Achievement
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement

#: The day the catalog's tests enter their results.
TODAY = dt.date(2026, 11, 25)

#: ``django_capture_on_commit_callbacks`` (pytest-django): runs the commit hooks that keep the
#: search index in step with the registry.
Capture = Callable[..., AbstractContextManager[Any]]


def published_achievement(
    personas: Any,
    capture: Capture,
    *,
    unit: Organisation | None = None,
    today: dt.date = TODAY,
    **changes: Any,
) -> Achievement:
    """A result entered by the transfer office of ``unit`` (its own university by default),
    submitted and published by the bureau, each step committed on its own so the index follows
    it as in production. ``changes`` override :func:`achievement_raw`."""
    at = unit or personas.organisations[Role.TRANSFER_OFFICE]
    office: User = personas.transfer_office
    data = validate_achievement(achievement_raw(**changes), today=today)
    with capture(execute=True):
        achievement = registry_services.achievement_create(actor=office, unit=at, data=data)
    with capture(execute=True):
        registry_services.achievement_submit(actor=office, achievement=achievement)
    with capture(execute=True):
        registry_services.achievement_publish(actor=personas.bureau, achievement=achievement)
    return achievement


def promoted(personas: Any, achievement: Achievement, *, note: str = "") -> PromotionEntry:
    """M8.3: the result on the promotion list, put there by the bureau."""
    return catalog_services.promotion_add(actor=personas.bureau, achievement=achievement, note=note)


def major_release(
    personas: Any, achievements: list[Achievement], *, title: str = "2026年重大科技成果发布"
) -> MajorRelease:
    """M8.2: a release of ``achievements`` by the bureau, dated :data:`TODAY`."""
    return catalog_services.major_release_create(
        actor=personas.bureau,
        title=title,
        release_date=TODAY,
        achievement_ids=[a.pk for a in achievements],
    )
