"""The words of service institutions and brokers (M9), their values from
:mod:`kttc.policy.institutions`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy import institutions as rules


class CertificateLevel(models.TextChoices):
    JUNIOR = rules.CertificateLevel.JUNIOR.value, _("Junior technology broker")
    INTERMEDIATE = rules.CertificateLevel.INTERMEDIATE.value, _("Intermediate technology broker")
    SENIOR = rules.CertificateLevel.SENIOR.value, _("Senior technology broker")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = rules.ApplicationStatus.SUBMITTED.value, _("Waiting for the bureau")
    CERTIFIED = rules.ApplicationStatus.CERTIFIED.value, pgettext_lazy("institution", "Certified")
    REFUSED = rules.ApplicationStatus.REFUSED.value, pgettext_lazy("institution", "Refused")
    REVOKED = rules.ApplicationStatus.REVOKED.value, pgettext_lazy("institution", "Revoked")


class DealKind(models.TextChoices):
    """What a broker facilitated (M9)."""

    LICENCE = rules.DealKind.LICENCE.value, pgettext_lazy("deal", "Licence")
    CONTRACT = rules.DealKind.CONTRACT.value, pgettext_lazy("deal", "Technology contract")
    LISTING = rules.DealKind.LISTING.value, pgettext_lazy("deal", "Listing")
    DEMAND = rules.DealKind.DEMAND.value, pgettext_lazy("deal", "Demand")
