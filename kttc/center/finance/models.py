"""Technology finance (科技金融, M12.1, M12.3): a bank's products, an enterprise's applications
to them with the patents it pledges, the bank's decision, the loan's repayment schedule and the
repayments recorded against it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kttc.center.evaluation.models import Evaluation
from kttc.center.finance.choices import (
    ApplicationStatus,
    PledgeState,
    ProductKind,
    RepaymentMethod,
)
from kttc.core.models import Organisation
from kttc.registry.models import Achievement, IPRight


class FinanceProduct(models.Model):
    """A bank's product: a credit loan, an IP pledge loan or an innovation bond (M12.1), a
    guarantee or an insurance (M12.3), with its ranges and indicative rate."""

    bank = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="finance_products",
        verbose_name=_("bank"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=ProductKind.choices)
    name = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description = models.TextField(_("description (Chinese)"))
    description_en = models.TextField(_("description (English)"))
    amount_min = models.DecimalField(_("least amount (yuan)"), max_digits=18, decimal_places=2)
    amount_max = models.DecimalField(_("most amount (yuan)"), max_digits=18, decimal_places=2)
    term_min = models.PositiveSmallIntegerField(_("shortest term (months)"))
    term_max = models.PositiveSmallIntegerField(_("longest term (months)"))
    #: The indicative annual rate in percent (for a guarantee or insurance, its fee or premium).
    rate = models.DecimalField(_("indicative annual rate (%)"), max_digits=6, decimal_places=3)
    eligible = models.TextField(_("eligible fields and collateral"), blank=True)
    #: M12.3: what a guarantee or insurance covers (CoverPurpose values).
    purposes = models.JSONField(_("covers"), default=list, blank=True)
    is_open = models.BooleanField(_("open to applications"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("finance product")
        verbose_name_plural = _("finance products")
        ordering = ("kind", "id")
        indexes = (models.Index(fields=("is_open", "kind")),)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(amount_min__gt=0, amount_max__gte=models.F("amount_min")),
                name="finance_product_amount_range",
            ),
            models.CheckConstraint(
                condition=models.Q(term_min__gte=1, term_max__gte=models.F("term_min")),
                name="finance_product_term_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.bank} · {self.name}"

    @property
    def title(self) -> str:
        """The name in the reader's language: Chinese for Chinese readers, else English."""
        return self.name if (get_language() or "").startswith("zh") else self.name_en

    @property
    def text(self) -> str:
        return self.description if (get_language() or "").startswith("zh") else self.description_en


class FinanceApplication(models.Model):
    """An enterprise's application to a product, as filed and as the bank decided it."""

    product = models.ForeignKey(
        FinanceProduct, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("product"),
    )  # fmt: skip
    bank = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="finance_applications",
        verbose_name=_("applicant"),
    )  # fmt: skip
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProductKind.choices)
    amount = models.DecimalField(_("amount asked (yuan)"), max_digits=18, decimal_places=2)
    term = models.PositiveSmallIntegerField(_("term asked (months)"))
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )  # fmt: skip
    filed_on = models.DateField(_("filed on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    reason = models.TextField(_("reasons"), blank=True)
    # M12.1: what the bank granted on a loan or bond.
    approved_amount = models.DecimalField(
        _("amount granted (yuan)"), null=True, blank=True, max_digits=18, decimal_places=2
    )
    approved_rate = models.DecimalField(
        _("annual rate (%)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    approved_term = models.PositiveSmallIntegerField(_("term (months)"), null=True, blank=True)
    method = models.CharField(
        _("repayment method"), max_length=20, choices=RepaymentMethod.choices, blank=True
    )
    start_on = models.DateField(_("loan made on"), null=True, blank=True)
    # M12.1: the pledge's registration (质押登记) with its date.
    registration_number = models.CharField(
        _("pledge registration number"), max_length=60, blank=True
    )
    registered_on = models.DateField(_("pledge registered on"), null=True, blank=True)
    # M12.3: a guarantee's or insurance's number, cover, premium or fee, and period.
    policy_number = models.CharField(_("policy or guarantee number"), max_length=60, blank=True)
    cover_amount = models.DecimalField(
        _("cover amount (yuan)"), null=True, blank=True, max_digits=18, decimal_places=2
    )
    premium = models.DecimalField(
        _("premium or fee (yuan)"), null=True, blank=True, max_digits=18, decimal_places=2
    )
    cover_start = models.DateField(_("cover from"), null=True, blank=True)
    cover_end = models.DateField(_("cover until"), null=True, blank=True)
    repaid_on = models.DateField(_("fully repaid on"), null=True, blank=True)
    #: M10.1: the signed evaluations of the pledged results, attached at filing for the bank.
    evaluations = models.ManyToManyField(
        Evaluation, blank=True, related_name="finance_applications",
        verbose_name=_("evaluations attached"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finance application")
        verbose_name_plural = _("finance applications")
        ordering = ("-filed_on", "-id")
        indexes = (
            models.Index(fields=("bank", "status")),
            models.Index(fields=("applicant", "status")),
        )
        constraints = (
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="finance_application_amount_positive"
            ),
        )

    def __str__(self) -> str:
        return f"{self.applicant} · {self.product}"

    @property
    def is_loan(self) -> bool:
        return self.kind in (ProductKind.CREDIT_LOAN, ProductKind.PLEDGE_LOAN)

    @property
    def is_cover(self) -> bool:
        return self.kind in (ProductKind.GUARANTEE, ProductKind.INSURANCE)


class Pledge(models.Model):
    """M12.1: a patent of one of the applicant's results, offered in a pledge loan's application;
    active from the bank's approval (with the pledge's registration) until the loan is repaid.
    A patent is under one active pledge at most: the partial unique index below."""

    application = models.ForeignKey(
        FinanceApplication, on_delete=models.PROTECT, related_name="pledges"
    )
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="+")
    ip_right = models.ForeignKey(IPRight, on_delete=models.PROTECT, related_name="+")
    #: The checked application number (ZC 0006-2003), the key of the one-active-pledge rule.
    patent_number = models.CharField(_("patent number"), max_length=20)
    state = models.CharField(
        _("state"), max_length=12, choices=PledgeState.choices, default=PledgeState.REQUESTED
    )
    released_on = models.DateField(_("released on"), null=True, blank=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ("application", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("patent_number",),
                condition=models.Q(state="active"),
                name="finance_one_active_pledge_per_patent",
            ),
            models.UniqueConstraint(
                fields=("application", "patent_number"), name="finance_pledge_once_per_application"
            ),
        )

    def __str__(self) -> str:
        return f"ZL{self.patent_number}"


class Instalment(models.Model):
    """M12.1: an instalment of a loan's schedule, computed once at approval (DESIGN rule 5)."""

    application = models.ForeignKey(
        FinanceApplication, on_delete=models.PROTECT, related_name="instalments"
    )
    number = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due on"))
    principal = models.DecimalField(_("principal"), max_digits=18, decimal_places=2)
    interest = models.DecimalField(_("interest"), max_digits=18, decimal_places=2)
    amount = models.DecimalField(_("amount due"), max_digits=18, decimal_places=2)
    paid = models.DecimalField(_("paid"), default=0, max_digits=18, decimal_places=2)
    #: The sweep's claim: the overdue notice, sent once (DESIGN rule 5).
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ("application", "number")
        indexes = (models.Index(fields=("overdue_notified_at", "due_on")),)
        constraints = (
            models.UniqueConstraint(
                fields=("application", "number"), name="finance_instalment_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(paid__gte=0, paid__lte=models.F("amount")),
                name="finance_instalment_paid_within_amount",
            ),
        )

    def __str__(self) -> str:
        return f"{self.application_id} #{self.number}"

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid


class Repayment(models.Model):
    """M12.1: a repayment the bank received, paid on the earliest instalments first. Never
    updated."""

    application = models.ForeignKey(
        FinanceApplication, on_delete=models.PROTECT, related_name="repayments"
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ("application", "paid_on", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="finance_repayment_amount_positive"
            ),
        )

    def __str__(self) -> str:
        return f"{self.application_id} · {self.amount}"
