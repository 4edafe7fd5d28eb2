"""Choices of the units' reports (M13.3), their values those of :mod:`kttc.policy.unit_reports`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy import unit_reports as rules


class ReportStatus(models.TextChoices):
    DRAFT = rules.Status.DRAFT, pgettext_lazy("unit report", "draft")
    SUBMITTED = rules.Status.SUBMITTED, pgettext_lazy("unit report", "submitted")
    RETURNED = rules.Status.RETURNED, pgettext_lazy("unit report", "returned")
    ACCEPTED = rules.Status.ACCEPTED, pgettext_lazy("unit report", "accepted")


class EventKind(models.TextChoices):
    PREPARED = "prepared", pgettext_lazy("unit report", "prepared by the platform")
    SAVED = "saved", pgettext_lazy("unit report", "figures saved")
    SUBMITTED = "submitted", pgettext_lazy("unit report", "submitted")
    RETURNED = "returned", pgettext_lazy("unit report", "returned")
    ACCEPTED = "accepted", pgettext_lazy("unit report", "accepted")


class Filing(models.TextChoices):
    NOT_FILED = rules.Filing.NOT_FILED, _("not filed")
    LATE = rules.Filing.LATE, _("late")
    FILED = rules.Filing.FILED, _("filed, waiting for review")
    ACCEPTED = rules.Filing.ACCEPTED, pgettext_lazy("unit report", "accepted")
