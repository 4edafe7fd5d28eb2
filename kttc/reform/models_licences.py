""" "Use first, pay later" licences (M3): a unit's offer of a result, the licence concluded with
an enterprise on one of the payment models of M3.2/M3.3, its stored schedule, the licensee's
revenue reports (each with its royalty) and the payments received. Reports and payments are
evidence: never updated or deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Organisation
from kttc.policy import licensing as policy
from kttc.reform.models import _Evidence
from kttc.registry.models import Achievement

MONEY = {"max_digits": 18, "decimal_places": 2}


class PaymentModel(models.TextChoices):
    STAGED_ROYALTY = (
        policy.PaymentModel.STAGED_ROYALTY.value,
        _("Zero entry fee, staged payments and a royalty on revenue"),
    )
    DEFERRED = policy.PaymentModel.DEFERRED.value, _("Deferred payment by dates")
    AFTER_FIRST_REVENUE = (
        policy.PaymentModel.AFTER_FIRST_REVENUE.value,
        _("Payment after the licensee's first revenue"),
    )


class Trigger(models.TextChoices):
    DATE = policy.Trigger.DATE.value, _("on a date")
    MILESTONE = policy.Trigger.MILESTONE.value, _("at a milestone")
    FIRST_REVENUE = policy.Trigger.FIRST_REVENUE.value, _("after the first revenue")


class LicenceStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    BREACHED = "breached", _("Breached by the licensee")
    ENDED = "ended", _("Ended")


class CreditStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered by the licensee")
    REMOVED = "removed", _("Removed (cured)")


class LicenceOffer(models.Model):
    """M3.1: a unit offers one of its results for licence, with the terms it proposes."""

    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="licence_offers"
    )
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    exclusive = models.BooleanField(_("exclusive"), default=False)
    field_of_use = models.CharField(_("field of use"), max_length=300, blank=True)
    territory = models.CharField(_("territory"), max_length=300, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"))
    payment_model = models.CharField(
        _("payment model"), max_length=24, choices=PaymentModel.choices
    )
    open = models.BooleanField(_("open to applications"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("licence offer")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return str(self.achievement)


class Licence(models.Model):
    """M3.2, M3.3: a licence concluded between the unit and a licensee on a payment model."""

    offer = models.ForeignKey(LicenceOffer, on_delete=models.PROTECT, related_name="licences")
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="licences")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    licensee = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="licences_held"
    )
    exclusive = models.BooleanField(_("exclusive"))
    field_of_use = models.CharField(_("field of use"), max_length=300, blank=True)
    territory = models.CharField(_("territory"), max_length=300, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    payment_model = models.CharField(
        _("payment model"), max_length=24, choices=PaymentModel.choices
    )
    total_fee = models.DecimalField(_("licence fee"), **MONEY, null=True, blank=True)
    royalty_rate = models.DecimalField(
        _("royalty rate"), max_digits=7, decimal_places=6, null=True, blank=True
    )
    grace_months = models.PositiveSmallIntegerField(_("grace after the first revenue"), default=0)
    every_months = models.PositiveSmallIntegerField(_("months between instalments"), default=12)
    first_revenue_on = models.DateField(_("first revenue"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.ACTIVE
    )
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    concluded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("licence")
        ordering = ("-concluded_at",)

    def __str__(self) -> str:
        return f"{self.achievement} → {self.licensee}"


class LicenceInstalment(models.Model):
    """One payment of the licence's schedule; ``due`` is stored once its trigger happened."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    amount = models.DecimalField(_("amount"), **MONEY)
    trigger = models.CharField(_("falls due"), max_length=16, choices=Trigger.choices)
    milestone = models.CharField(_("milestone"), max_length=200, blank=True)
    due = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    # Claimed by the sweep (``kttc sweep``) when it reminded of the instalment, and when it told
    # both parties the instalment was overdue: each once.
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("number",)
        constraints = (
            models.UniqueConstraint(fields=("licence", "number"), name="instalment_number_unique"),
        )

    def __str__(self) -> str:
        return f"{self.licence_id} #{self.number}"


class RevenueReport(_Evidence):
    """M3.2: the licensee's revenue from the result for one period, and the royalty it owes."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="revenue_reports")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    revenue = models.DecimalField(_("revenue"), **MONEY)
    royalty = models.DecimalField(_("royalty due"), **MONEY)
    due = models.DateField(_("due on"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("period_start",)
        constraints = (
            models.UniqueConstraint(
                fields=("licence", "period_start"), name="one_report_per_period"
            ),
            models.CheckConstraint(condition=models.Q(revenue__gte=0), name="revenue_not_negative"),
        )

    def __str__(self) -> str:
        return f"{self.licence_id} {self.period_start}–{self.period_end}"


class LicencePayment(_Evidence):
    """A payment the unit received under the licence."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("paid_on", "id")
        constraints = (
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
        )

    def __str__(self) -> str:
        return f"{self.licence_id} {self.amount} {self.paid_on}"


class CreditRecord(models.Model):
    """M3.4: a licensee's breach of a licence, declared by the unit: a credit record that units
    see when they consider a new licence, with the licensee's answer, removed once cured."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="credit_records")
    licensee = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="credit_records"
    )
    reason = models.TextField(_("breach"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CreditStatus.choices, default=CreditStatus.OPEN
    )
    answer = models.TextField(_("the licensee's answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.TextField(_("why removed"), blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("credit record")
        ordering = ("-declared_at",)
        indexes = (models.Index(fields=("licensee", "status")),)

    def __str__(self) -> str:
        return f"{self.licensee}: {self.reason[:40]}"
