"""The registry's reads as the parts above it call them: each lives in its mechanism's package,
achievements in :mod:`kttc.registry.achievements.selectors` (``public_achievements`` is the only
way public pages, the public API, search, feeds and exports read achievements, DESIGN rule 8),
fiscal projects in :mod:`kttc.registry.projects.selectors`."""

from kttc.registry.achievements.selectors import (
    achievements_visible_to,
    public_achievements,
    reading_in,
    review_queue,
    submissions_due,
    with_readings,
)
from kttc.registry.projects.selectors import (
    projects_missed,
    projects_past_deadline,
    projects_visible_to,
    projects_without_transformation,
)

__all__ = [
    "achievements_visible_to",
    "projects_missed",
    "projects_past_deadline",
    "projects_visible_to",
    "projects_without_transformation",
    "public_achievements",
    "reading_in",
    "review_queue",
    "submissions_due",
    "with_readings",
]
