"""The center's models, each in its mechanism's package; re-exported here for Django's model
discovery and for ``from kttc.center.models import …``."""

from kttc.center.catalog.models import MajorRelease, PromotionEntry

__all__ = ["MajorRelease", "PromotionEntry"]
