"""The registry's upcoming deadlines for the back office (found by this name, see
``kttc.core.deadlines``): results to submit (M8.6, :mod:`kttc.registry.achievements.deadlines`)
and projects' transformation deadlines (M4.1, M4.2, :mod:`kttc.registry.projects.deadlines`)."""

from __future__ import annotations

from datetime import date

from kttc.core.deadlines import DeadlineSection
from kttc.core.models import Membership
from kttc.registry.achievements import deadlines as achievements_deadlines
from kttc.registry.projects import deadlines as projects_deadlines


def sections(
    membership: Membership, *, today: date, until: date, limit: int
) -> list[DeadlineSection]:
    """Each mechanism's sections for the membership, results first."""
    return [
        *achievements_deadlines.sections(membership, today=today, until=until, limit=limit),
        *projects_deadlines.sections(membership, today=today, until=until, limit=limit),
    ]
