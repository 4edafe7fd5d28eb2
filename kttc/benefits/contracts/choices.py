"""Statuses and kinds of the benefits part (M5), as TextChoices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractKind(models.TextChoices):
    """The technology contracts of the Civil Code (Art. 843, 862-863)."""

    DEVELOPMENT = "development", _("Technology development")
    TRANSFER = "transfer", _("Technology transfer")
    LICENCE = "licence", _("Technology licence")
    CONSULTING = "consulting", _("Technology consulting")
    SERVICE = "service", _("Technology service")


class DistributionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DECIDED = "decided", _("Decided")


class Beneficiary(models.TextChoices):
    TEAM = "team", _("Completer (team)")
    SERVICE_STAFF = "service_staff", _("Technology transfer service staff")
    UNIT = "unit", _("The unit")
