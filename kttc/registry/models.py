"""The registry's models, each in its mechanism's package; re-exported here for Django's model
discovery and for ``from kttc.registry.models import …``."""

from kttc.registry.achievements.models import (
    Achievement,
    AchievementEvent,
    AchievementTranslation,
    AchievementUnit,
    Completer,
    IPRight,
)
from kttc.registry.outbox import IndexOutbox
from kttc.registry.projects.models import FiscalProject

__all__ = [
    "Achievement",
    "AchievementEvent",
    "AchievementTranslation",
    "AchievementUnit",
    "Completer",
    "FiscalProject",
    "IPRight",
    "IndexOutbox",
]
