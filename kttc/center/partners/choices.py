"""The words of partnerships abroad, their values from :mod:`kttc.policy.partners`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy import partners as rules


class PartnerType(models.TextChoices):
    TRANSFER_CENTER = rules.PartnerType.TRANSFER_CENTER.value, _("Technology transfer center")
    UNIVERSITY = rules.PartnerType.UNIVERSITY.value, _("University")
    INDUSTRIAL_PARK = rules.PartnerType.INDUSTRIAL_PARK.value, _("Industrial park")
    CHAMBER_OF_COMMERCE = rules.PartnerType.CHAMBER_OF_COMMERCE.value, _("Chamber of commerce")
    OTHER = rules.PartnerType.OTHER.value, pgettext_lazy("partner type", "Other")


class PartnershipStatus(models.TextChoices):
    ACTIVE = rules.PartnershipStatus.ACTIVE.value, pgettext_lazy("partnership", "Active")
    SUSPENDED = rules.PartnershipStatus.SUSPENDED.value, pgettext_lazy("partnership", "Suspended")
    ENDED = rules.PartnershipStatus.ENDED.value, pgettext_lazy("partnership", "Ended")
