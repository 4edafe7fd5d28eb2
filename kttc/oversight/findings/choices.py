"""Choices of the findings (M14.2), their values those of :mod:`kttc.policy.findings`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy import findings as rules


class Kind(models.TextChoices):
    INSPECTION = rules.Kind.INSPECTION, pgettext_lazy("findings", "inspection")
    AUDIT = rules.Kind.AUDIT, pgettext_lazy("findings", "audit")
    SUPERVISION = rules.Kind.SUPERVISION, pgettext_lazy("findings", "supervision")


class Severity(models.TextChoices):
    MINOR = rules.Severity.MINOR, pgettext_lazy("finding", "minor")
    SIGNIFICANT = rules.Severity.SIGNIFICANT, pgettext_lazy("finding", "significant")
    SERIOUS = rules.Severity.SERIOUS, pgettext_lazy("finding", "serious")


class Status(models.TextChoices):
    DRAFT = rules.Status.DRAFT, pgettext_lazy("findings", "draft")
    ISSUED = rules.Status.ISSUED, pgettext_lazy("findings", "issued")


class Rectification(models.TextChoices):
    NOT_REQUIRED = rules.Rectification.NOT_REQUIRED, _("no rectification required")
    REQUIRED = rules.Rectification.REQUIRED, _("rectification required")
    SUBMITTED = rules.Rectification.SUBMITTED, _("rectification submitted")
    RECTIFIED = rules.Rectification.RECTIFIED, pgettext_lazy("finding", "rectified")
    NOT_RECTIFIED = rules.Rectification.NOT_RECTIFIED, pgettext_lazy("finding", "not rectified")
