""" "Use first, pay later" licences (M3): a unit's offer of a result, the licence concluded with
an enterprise on one of the payment models of M3.2/M3.3, its stored schedule, the licensee's
revenue reports (each with its royalty) and the payments received. Reports and payments are
evidence: never updated or deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.core.fields import MoneyField
from kttc.core.models import Evidence, Organisation
from kttc.policy.licensing import DEFAULT_ROYALTY_DUE_DAYS, MAX_ROYALTY_DUE_DAYS
from kttc.reform.licensing.choices import (
    CreditStatus,
    LicenceApplicationStatus,
    LicenceStatus,
    PaymentModel,
    Trigger,
)
from kttc.registry.models import Achievement


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
    # M4.4: the default "use first, pay later" offer the sweep makes when it puts a result on the
    # open licensing list (no person made it).
    open_licensing = models.BooleanField(_("open licensing (M4.4)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("licence offer")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return str(self.achievement)


class LicenceApplication(models.Model):
    """M3.1: an enterprise applies for a licence on an open offer; the unit concludes a licence
    with it or declines, with its reason."""

    offer = models.ForeignKey(LicenceOffer, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="licence_applications"
    )
    plan = models.TextField(_("intended use and plan"))
    proposed_terms = models.TextField(_("proposed payment terms"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=LicenceApplicationStatus.choices,
        default=LicenceApplicationStatus.PENDING,
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("licence application")
        ordering = ("-applied_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("offer", "applicant"),
                condition=models.Q(status="pending"),
                name="one_pending_application_per_offer",
            ),
        )

    def __str__(self) -> str:
        return f"{self.applicant} → {self.offer}"


#: M8.5: what the parties may agree to publish of a licence, beyond the result, the unit, the
#: kind of transaction and its date, which are always public.
DISCLOSABLE = (
    "licensee",
    "exclusive",
    "field_of_use",
    "territory",
    "term",
    "payment_model",
    "total_fee",
    "royalty_rate",
)


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
    total_fee = MoneyField(_("licence fee"), null=True, blank=True)
    royalty_rate = models.DecimalField(
        _("royalty rate"), max_digits=7, decimal_places=6, null=True, blank=True
    )
    grace_months = models.PositiveSmallIntegerField(_("grace after the first revenue"), default=0)
    every_months = models.PositiveSmallIntegerField(_("months between instalments"), default=12)
    # M3.3: the agreed time to pay each royalty, in days after the end of the period reported;
    # a report's due day is computed from it (kttc.policy.licensing.royalty_due), never chosen.
    royalty_due_days = models.PositiveSmallIntegerField(
        _("days to pay a royalty after the period"), default=DEFAULT_ROYALTY_DUE_DAYS
    )
    first_revenue_on = models.DateField(_("first revenue"), null=True, blank=True)
    application = models.OneToOneField(
        LicenceApplication,
        on_delete=models.PROTECT,
        related_name="licence",
        null=True,
        blank=True,
    )
    # M8.5: the fields of DISCLOSABLE the parties agreed to publish on the transaction page.
    disclosed = models.JSONField(_("published on the transaction page"), default=list)
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
        constraints = (
            models.CheckConstraint(
                condition=models.Q(royalty_due_days__gte=1)
                & models.Q(royalty_due_days__lte=MAX_ROYALTY_DUE_DAYS),
                name="royalty_due_days_in_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.achievement} → {self.licensee}"


class LicenceInstalment(models.Model):
    """One payment of the licence's schedule; ``due`` is stored once its trigger happened. The
    royalty of each revenue report joins the schedule as an instalment of its own (trigger
    ``royalty``, due the licence's ``royalty_due_days`` after the period reported), so reminders,
    overdue notices, the balance and the deadlines treat fees and royalties alike."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    amount = MoneyField(_("amount"))
    trigger = models.CharField(_("falls due"), max_length=16, choices=Trigger.choices)
    # The milestone of a staged payment; for a royalty, the period reported ("from/to").
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


class RevenueReport(Evidence):
    """M3.2: the licensee's revenue from the result for one period, and the royalty it owes."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="revenue_reports")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    revenue = MoneyField(_("revenue"))
    royalty = MoneyField(_("royalty due"))
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


class LicencePayment(Evidence):
    """A payment the unit received under the licence."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="payments")
    amount = MoneyField(_("amount"))
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
