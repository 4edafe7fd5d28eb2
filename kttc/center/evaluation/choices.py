"""The words of evaluation (M10.1), their values from :mod:`kttc.policy.evaluation`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy import evaluation as rules


class EvaluationStatus(models.TextChoices):
    REQUESTED = rules.EvaluationStatus.REQUESTED.value, _("Waiting for the institution")
    ACCEPTED = rules.EvaluationStatus.ACCEPTED.value, _("Being evaluated")
    DECLINED = rules.EvaluationStatus.DECLINED.value, pgettext_lazy("evaluation", "Declined")
    WITHDRAWN = rules.EvaluationStatus.WITHDRAWN.value, pgettext_lazy("evaluation", "Withdrawn")
    SIGNED = rules.EvaluationStatus.SIGNED.value, pgettext_lazy("evaluation", "Signed")


class RequesterKind(models.TextChoices):
    UNIT = rules.RequesterKind.UNIT.value, _("The result's unit")
    ENTERPRISE = rules.RequesterKind.ENTERPRISE.value, _("Enterprise")
    BANK = rules.RequesterKind.BANK.value, _("Bank")
    INVESTOR = rules.RequesterKind.INVESTOR.value, _("Investor")


class Dimension(models.TextChoices):
    READINESS = rules.Dimension.READINESS.value, _("Technology readiness")
    ADVANCEMENT = rules.Dimension.ADVANCEMENT.value, _("Technical advancement")
    IP = rules.Dimension.IP.value, _("IP strength")
    MARKET = rules.Dimension.MARKET.value, _("Market")
    TEAM = rules.Dimension.TEAM.value, _("Team and transformation conditions")
    RISK = rules.Dimension.RISK.value, _("Risks")
