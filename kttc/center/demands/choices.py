"""The words of demands, their values from :mod:`kttc.policy.demands`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy import demands as demand_rules


class DemandStatus(models.TextChoices):
    PENDING = demand_rules.Status.PENDING.value, _("Waiting for moderation")
    PUBLISHED = demand_rules.Status.PUBLISHED.value, pgettext_lazy("demand", "Published")
    REJECTED = demand_rules.Status.REJECTED.value, pgettext_lazy("demand", "Rejected")
    CLOSED_MET = demand_rules.Status.CLOSED_MET.value, _("Closed: met")
    CLOSED = demand_rules.Status.CLOSED.value, _("Closed: withdrawn")
    EXPIRED = demand_rules.Status.EXPIRED.value, pgettext_lazy("demand", "Expired")


class CooperationMode(models.TextChoices):
    LICENCE = demand_rules.Mode.LICENCE.value, _("Licence")
    TRANSFER = demand_rules.Mode.TRANSFER.value, _("Transfer")
    JOINT_DEVELOPMENT = demand_rules.Mode.JOINT_DEVELOPMENT.value, _("Joint development")
    CONSULTING = demand_rules.Mode.CONSULTING.value, _("Consulting")
    EQUITY = demand_rules.Mode.EQUITY.value, _("Equity investment")


class DemandLanguage(models.TextChoices):
    # Each language named in itself, as a reader looks for it.
    ZH_HANS = "zh-hans", "中文"
    EN = "en", "English"
    VI = "vi", "Tiếng Việt"
    TH = "th", "ไทย"
    LO = "lo", "ລາວ"
    MY = "my", "မြန်မာ"
    KM = "km", "ខ្មែរ"


#: Countries the hall names in words (the others by their ISO 3166 code).
COUNTRY_NAMES = {
    "CN": _("China"),
    "VN": _("Viet Nam"),
    "TH": _("Thailand"),
    "LA": _("Laos"),
    "MM": _("Myanmar"),
    "KH": _("Cambodia"),
    "MY": _("Malaysia"),
    "SG": _("Singapore"),
    "ID": _("Indonesia"),
    "PH": _("Philippines"),
    "IN": _("India"),
    "BD": _("Bangladesh"),
    "LK": _("Sri Lanka"),
    "NP": _("Nepal"),
    "PK": _("Pakistan"),
}


def country_name(code: str) -> str:
    return str(COUNTRY_NAMES.get(code, code))


#: The hall's budget filter: (value, label, lower bound, upper bound) in yuan.
BUDGET_BANDS = (
    ("lt100k", _("Under 100,000 yuan"), None, 100_000),
    ("100k-1m", _("100,000 to 1 million yuan"), 100_000, 1_000_000),
    ("gt1m", _("Over 1 million yuan"), 1_000_000, None),
)
