"""The center's models, each in its mechanism's package; re-exported here for Django's model
discovery and for ``from kttc.center.models import …``."""

from kttc.center.alerts.models import FollowedField, SavedSearch
from kttc.center.catalog.models import MajorRelease, PromotionEntry
from kttc.center.demands.models import Demand, DemandAnswer
from kttc.center.inquiries.models import Inquiry, InquiryMessage
from kttc.center.listings.models import Bid, Listing, Registration
from kttc.center.matching.models import DemandMatch
from kttc.center.rates.models import ExchangeRate, ReaderCurrency

__all__ = [
    "Bid",
    "Listing",
    "Registration",
    "Demand",
    "DemandAnswer",
    "DemandMatch",
    "ExchangeRate",
    "FollowedField",
    "Inquiry",
    "InquiryMessage",
    "MajorRelease",
    "PromotionEntry",
    "ReaderCurrency",
    "SavedSearch",
]
