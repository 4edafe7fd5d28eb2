"""The words of listings, their values from :mod:`kttc.policy.listings`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy import listings as rules


class ListingMode(models.TextChoices):
    TRANSFER = rules.Mode.TRANSFER.value, _("Transfer of the result")
    EXCLUSIVE_LICENCE = rules.Mode.EXCLUSIVE_LICENCE.value, _("Exclusive licence")
    EQUITY_TRANSFER = rules.Mode.EQUITY_TRANSFER.value, _("State equity stake (M2.1)")


class ListingMethod(models.TextChoices):
    ASCENDING = rules.Method.ASCENDING.value, _("Open ascending bids")
    SEALED = rules.Method.SEALED.value, _("Sealed bids")


class ListingStatus(models.TextChoices):
    LISTED = rules.Status.LISTED.value, pgettext_lazy("listing", "Listed")
    CLOSED = rules.Status.CLOSED.value, pgettext_lazy("listing", "Bidding closed")
    AWARDED = rules.Status.AWARDED.value, pgettext_lazy("listing", "Awarded")
    FAILED = rules.Status.FAILED.value, pgettext_lazy("listing", "No valid bid")
    WITHDRAWN = rules.Status.WITHDRAWN.value, pgettext_lazy("listing", "Withdrawn")
