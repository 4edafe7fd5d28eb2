"""The words of fast patent pre-examination (M11.1), their values from
:mod:`kttc.policy.ip_services`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy import ip_services as rules


class PreExaminationStatus(models.TextChoices):
    SUBMITTED = rules.Status.SUBMITTED.value, _("Waiting for the center")
    RETURNED = rules.Status.RETURNED.value, _("Returned for correction")
    ACCEPTED = rules.Status.ACCEPTED.value, pgettext_lazy("pre-examination", "Accepted")
    REFUSED = rules.Status.REFUSED.value, pgettext_lazy("pre-examination", "Refused")
    FORWARDED = rules.Status.FORWARDED.value, _("Forwarded to the national pre-examination")
    PASSED = rules.Status.PASSED.value, _("Pre-examination passed")
    FAILED = rules.Status.FAILED.value, _("Pre-examination not passed")


class PatentApplicationKind(models.TextChoices):
    INVENTION = "invention", _("Invention")
    UTILITY_MODEL = "utility_model", _("Utility model")
    DESIGN = "design", _("Design")


class Industry(models.TextChoices):
    BIOLOGICAL_PRODUCTS = (
        rules.Industry.BIOLOGICAL_PRODUCTS.value,
        _("Biological products manufacturing"),
    )
    INTELLIGENT_EQUIPMENT = (
        rules.Industry.INTELLIGENT_EQUIPMENT.value,
        _("Intelligent manufacturing equipment"),
    )
