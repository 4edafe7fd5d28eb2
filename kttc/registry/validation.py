"""The one validation of an achievement's data (form, API and import), as the parts above the
registry call it: it lives in :mod:`kttc.registry.achievements.validation` (M8.6)."""

from kttc.registry.achievements.validation import AchievementData, Invalid, validate_achievement

__all__ = ["AchievementData", "Invalid", "validate_achievement"]
