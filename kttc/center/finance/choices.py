"""The words of technology finance (M12.1, M12.3), their values from :mod:`kttc.policy.finance`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy import finance as rules


class ProductKind(models.TextChoices):
    CREDIT_LOAN = rules.ProductKind.CREDIT_LOAN.value, _("Credit loan")
    PLEDGE_LOAN = rules.ProductKind.PLEDGE_LOAN.value, _("IP pledge loan")
    INNOVATION_BOND = rules.ProductKind.INNOVATION_BOND.value, _("S&T innovation bond")
    GUARANTEE = rules.ProductKind.GUARANTEE.value, pgettext_lazy("finance", "Guarantee")
    INSURANCE = rules.ProductKind.INSURANCE.value, pgettext_lazy("finance", "Insurance")


class CoverPurpose(models.TextChoices):
    RD = rules.CoverPurpose.RD.value, _("Research and development")
    TRANSFORMATION = rules.CoverPurpose.TRANSFORMATION.value, _("Transformation of results")
    INDUSTRIALISATION = rules.CoverPurpose.INDUSTRIALISATION.value, _("Industrialisation")
    DATA_SECURITY = rules.CoverPurpose.DATA_SECURITY.value, _("Data security")
    IP = rules.CoverPurpose.IP.value, _("Intellectual property")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = rules.Status.SUBMITTED.value, _("Waiting for the bank")
    APPROVED = rules.Status.APPROVED.value, pgettext_lazy("finance", "Approved")
    REFUSED = rules.Status.REFUSED.value, pgettext_lazy("finance", "Refused")
    WITHDRAWN = rules.Status.WITHDRAWN.value, pgettext_lazy("finance", "Withdrawn")
    REPAID = rules.Status.REPAID.value, _("Fully repaid")


class RepaymentMethod(models.TextChoices):
    EQUAL_INSTALMENTS = rules.Method.EQUAL_INSTALMENTS.value, _("Equal instalments")
    EQUAL_PRINCIPAL = rules.Method.EQUAL_PRINCIPAL.value, _("Equal principal")


class PledgeState(models.TextChoices):
    REQUESTED = "requested", _("Offered in the application")
    ACTIVE = "active", _("Pledged")
    RELEASED = "released", _("Released")
    VOID = "void", _("Not pledged")
