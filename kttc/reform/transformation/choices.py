"""Kinds and statuses of time-limited transformation (M4.4), with translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TransformationKind(models.TextChoices):
    TRANSFER = "transfer", _("Transfer")
    EQUITY = "equity", _("Equity investment at a valuation")
    OWN_IMPLEMENTATION = "own", _("Own implementation")
    LICENCE = "licence", _("Licence outside the platform")


class ListingStatus(models.TextChoices):
    LISTED = "listed", _("On the open licensing list")
    TRANSFORMED = "transformed", _("Taken off: transformed")
    JUSTIFIED = "justified", _("Taken off: justification accepted")


class JustificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the bureau")
    ACCEPTED = "accepted", pgettext_lazy("justification", "Accepted")
    REJECTED = "rejected", _("Rejected")
