"""Innovation vouchers (科技创新券, M12.2): the bureau's programmes with their budget, the
enterprises' applications, the vouchers issued (a code, a value, an expiry) and their
redemption by a certified service institution (M9.1) against a service delivered.

The budget is guarded twice: the issuing service checks it under the programme's row lock, and
the programme keeps ``committed`` (the value of the vouchers issued and not yet used plus the
amounts redeemed), which a database constraint holds within the budget."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.center.vouchers.choices import (
    ApplicationStatus,
    ProgrammeStatus,
    ServiceKind,
    ValueMode,
    VoucherStatus,
)
from kttc.core.fields import MoneyField
from kttc.core.models import Organisation


class VoucherProgramme(models.Model):
    """M12.2: a voucher programme the bureau opens, and what it has committed of its budget."""

    name = models.CharField(_("name"), max_length=200)
    budget = MoneyField(_("budget (yuan)"))
    services = models.JSONField(_("eligible services"), default=list)
    value_mode = models.CharField(_("value of a voucher"), max_length=16, choices=ValueMode.choices)
    value = MoneyField(_("value per voucher (yuan)"))
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    valid_until = models.DateField(_("vouchers valid until"))
    local_only = models.BooleanField(_("only enterprises registered in Kunming"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ProgrammeStatus.choices, default=ProgrammeStatus.OPEN
    )
    #: Vouchers issued and not yet used, plus the amounts redeemed (never above the budget).
    committed = MoneyField(_("committed (yuan)"), default=0)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voucher programme")
        verbose_name_plural = _("voucher programmes")
        ordering = ("-opens_on", "-id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(committed__gte=0, committed__lte=models.F("budget")),
                name="voucher_programme_within_budget",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gt=0, value__lte=models.F("budget")),
                name="voucher_programme_value_within_budget",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on"))
                & models.Q(valid_until__gte=models.F("closes_on")),
                name="voucher_programme_dates_in_order",
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def remaining(self) -> object:
        return self.budget - self.committed

    @property
    def service_names(self) -> list[str]:
        names = dict(ServiceKind.choices)
        return [str(names.get(code, code)) for code in self.services]


class VoucherApplication(models.Model):
    """M12.2: an enterprise's application to a programme, and the bureau's decision."""

    programme = models.ForeignKey(
        VoucherProgramme, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("programme"),
    )  # fmt: skip
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="voucher_applications",
        verbose_name=_("enterprise"),
    )  # fmt: skip
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    service = models.CharField(_("service"), max_length=24, choices=ServiceKind.choices)
    amount = MoneyField(_("amount asked (yuan)"))
    purpose = models.TextField(_("purpose"))
    applied_on = models.DateField(_("applied on"))
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voucher application")
        verbose_name_plural = _("voucher applications")
        ordering = ("-applied_on", "-id")
        indexes = (models.Index(fields=("status", "applied_on")),)
        constraints = (
            models.UniqueConstraint(
                fields=("programme", "enterprise"),
                condition=models.Q(status=ApplicationStatus.SUBMITTED),
                name="one_waiting_voucher_application",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="voucher_application_amount_positive"
            ),
        )

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.programme}"


class Voucher(models.Model):
    """M12.2: a voucher issued to an enterprise: its code, value and expiry; the certified
    institution the enterprise presented it to; its state."""

    programme = models.ForeignKey(
        VoucherProgramme, on_delete=models.PROTECT, related_name="vouchers",
        verbose_name=_("programme"),
    )  # fmt: skip
    application = models.OneToOneField(
        VoucherApplication, on_delete=models.PROTECT, related_name="voucher"
    )
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="vouchers",
        verbose_name=_("enterprise"),
    )  # fmt: skip
    code = models.CharField(_("code"), max_length=16, unique=True)
    service = models.CharField(_("service"), max_length=24, choices=ServiceKind.choices)
    value = MoneyField(_("value (yuan)"))
    issued_on = models.DateField(_("issued on"))
    #: DESIGN rule 5: the programme's validity, kept on the voucher when it is issued.
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(
        _("status"), max_length=16, choices=VoucherStatus.choices, default=VoucherStatus.ISSUED
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    #: The certified institution the enterprise chose to use it with (its agreement).
    institution = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("service institution"),
    )  # fmt: skip
    presented_on = models.DateField(_("presented on"), null=True, blank=True)
    #: The sweep's claim (DESIGN rule 5): set once, when the voucher expired unused.
    expired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("innovation voucher")
        verbose_name_plural = _("innovation vouchers")
        ordering = ("-issued_on", "-id")
        indexes = (models.Index(fields=("status", "expires_on")),)
        constraints = (
            models.CheckConstraint(condition=models.Q(value__gt=0), name="voucher_value_positive"),
        )

    def __str__(self) -> str:
        return f"{self.code} · {self.enterprise}"


class VoucherRedemption(models.Model):
    """M12.2: the redemption of a voucher, once, by a certified institution against a service
    delivered: what, the invoice and the amount (not above the voucher's value)."""

    voucher = models.OneToOneField(Voucher, on_delete=models.PROTECT, related_name="redemption")
    institution = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="voucher_redemptions",
        verbose_name=_("service institution"),
    )  # fmt: skip
    description = models.TextField(_("service delivered"))
    invoice_number = models.CharField(_("invoice number"), max_length=40)
    amount = MoneyField(_("amount (yuan)"))
    redeemed_on = models.DateField(_("redeemed on"))
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voucher redemption")
        verbose_name_plural = _("voucher redemptions")
        ordering = ("-redeemed_on", "-id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="voucher_redemption_amount_positive"
            ),
            models.UniqueConstraint(
                fields=("institution", "invoice_number"), name="voucher_invoice_once"
            ),
        )

    def __str__(self) -> str:
        return f"{self.voucher.code} · {self.amount}"
