"""The words of IP protection cases (M11.2), their values from :mod:`kttc.policy.ip_protection`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy import ip_protection as rules


class CaseKind(models.TextChoices):
    COMPLAINT = rules.CaseKind.COMPLAINT.value, _("Infringement complaint")
    ADJUDICATION = rules.CaseKind.ADJUDICATION.value, _("Patent dispute adjudication")


class CaseStatus(models.TextChoices):
    FILED = rules.CaseStatus.FILED.value, _("Waiting for intake")
    ACCEPTED = rules.CaseStatus.ACCEPTED.value, _("Accepted, in mediation")
    REFUSED = rules.CaseStatus.REFUSED.value, pgettext_lazy("ip case", "Not taken on")
    SETTLED = rules.CaseStatus.SETTLED.value, _("Settled by agreement")
    HEARING = rules.CaseStatus.HEARING.value, _("To be heard and decided")
    ENFORCEMENT = rules.CaseStatus.ENFORCEMENT.value, _("Decided, measures being enforced")
    CLOSED = rules.CaseStatus.CLOSED.value, pgettext_lazy("ip case", "Decided and closed")


class MediationOutcome(models.TextChoices):
    SETTLED = rules.MediationOutcome.SETTLED.value, _("Settled")
    FAILED = rules.MediationOutcome.FAILED.value, _("Failed: to a hearing")
    ADJOURNED = rules.MediationOutcome.ADJOURNED.value, _("Adjourned: another session")


class Outcome(models.TextChoices):
    INFRINGEMENT_FOUND = rules.Outcome.INFRINGEMENT_FOUND.value, _("Infringement found")
    NO_INFRINGEMENT = rules.Outcome.NO_INFRINGEMENT.value, _("No infringement found")
    FOR_COMPLAINANT = rules.Outcome.FOR_COMPLAINANT.value, _("Decided for the complainant")
    FOR_RESPONDENT = rules.Outcome.FOR_RESPONDENT.value, _("Decided for the respondent")
