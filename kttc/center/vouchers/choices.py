"""The words of innovation vouchers (M12.2), their values from :mod:`kttc.policy.vouchers`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy import vouchers as rules


class ServiceKind(models.TextChoices):
    EVALUATION = rules.ServiceKind.EVALUATION.value, _("Achievement evaluation")
    IP_SERVICES = rules.ServiceKind.IP_SERVICES.value, _("IP services")
    FINANCE_SERVICES = rules.ServiceKind.FINANCE_SERVICES.value, _("Technology finance services")
    TESTING = rules.ServiceKind.TESTING.value, _("Testing and inspection")


class ValueMode(models.TextChoices):
    FIXED = rules.ValueMode.FIXED.value, _("Fixed value")
    MAXIMUM = rules.ValueMode.MAXIMUM.value, _("Up to a maximum")


class ProgrammeStatus(models.TextChoices):
    OPEN = rules.ProgrammeStatus.OPEN.value, pgettext_lazy("voucher programme", "Open")
    CLOSED = rules.ProgrammeStatus.CLOSED.value, pgettext_lazy("voucher programme", "Closed")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = rules.ApplicationStatus.SUBMITTED.value, _("Waiting for the bureau")
    ISSUED = rules.ApplicationStatus.ISSUED.value, _("Voucher issued")
    REFUSED = rules.ApplicationStatus.REFUSED.value, pgettext_lazy("voucher application", "Refused")


class VoucherStatus(models.TextChoices):
    ISSUED = rules.VoucherStatus.ISSUED.value, _("Ready to use")
    REDEEMED = rules.VoucherStatus.REDEEMED.value, _("Redeemed")
    EXPIRED = rules.VoucherStatus.EXPIRED.value, pgettext_lazy("voucher", "Expired")
