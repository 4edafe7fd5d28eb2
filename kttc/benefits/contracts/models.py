"""Technology contracts and the distribution of their income (M5).

A contract of one of the five kinds, linked to the result it is about and, for a licence
concluded on the platform, to that licence; its registration (认定登记) with the number and the
certified technology-transaction amount; the income received under it and the costs the unit
deducts, each with its reason (evidence: never changed or deleted); and each distribution of
net income among the completers, the technology transfer service staff and the unit, stored
line by line to the fen (M5.1-M5.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.benefits.contracts import choices
from kttc.core.fields import MoneyField
from kttc.core.models import Evidence, Organisation
from kttc.reform.models import Licence, LicencePayment
from kttc.registry.models import Achievement

#: M8.5: what the parties may agree to publish of a contract.
DISCLOSABLE = ("counterparty", "amount", "registration_number", "certified_amount")


class TechnologyContract(models.Model):
    """A technology contract of the unit (the seller: developer, transferor, licensor,
    consultant or service party) with a counterparty."""

    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="technology_contracts"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=choices.ContractKind.choices)
    title = models.CharField(_("title"), max_length=300)
    counterparty = models.CharField(_("counterparty"), max_length=300)
    #: ISO 3166-1 alpha-2 of the counterparty (the buyer or licensee): a transfer abroad when not
    #: "CN" (M8.4). Always public with the kind and the day, counted by country (M8.5).
    counterparty_country = models.CharField(
        _("counterparty's country or region"), max_length=2, default="CN"
    )
    achievement = models.ForeignKey(
        Achievement,
        on_delete=models.PROTECT,
        related_name="technology_contracts",
        null=True,
        blank=True,
    )
    # A licence concluded on the platform (M3): the reform sits below this part.
    licence = models.OneToOneField(
        Licence,
        on_delete=models.PROTECT,
        related_name="technology_contract",
        null=True,
        blank=True,
    )
    signed_on = models.DateField(_("signed on"))
    amount = MoneyField(_("contract amount"))
    registration_number = models.CharField(
        _("registration number (认定登记)"), max_length=40, blank=True
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    certified_amount = MoneyField(
        _("certified technology-transaction amount"), null=True, blank=True
    )
    # M8.5: the terms the parties agreed to publish on the transaction page (of DISCLOSABLE);
    # the result, the unit, the kind and the date of a transfer or licence are always public.
    disclosed = models.JSONField(_("published on the transaction page"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("technology contract")
        ordering = ("-signed_on", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=("registration_number",),
                condition=~models.Q(registration_number=""),
                name="contract_registration_number_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="contract_amount_not_negative"
            ),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def is_registered(self) -> bool:
        return bool(self.registration_number)


class ContractIncome(Evidence):
    """Income the unit received under the contract."""

    contract = models.ForeignKey(
        TechnologyContract, on_delete=models.PROTECT, related_name="incomes"
    )
    amount = MoneyField(_("amount"))
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The licence payment it was taken from, when it came through the platform (M3).
    licence_payment = models.OneToOneField(
        LicencePayment,
        on_delete=models.PROTECT,
        related_name="contract_income",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("received_on", "id")
        constraints = (
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="income_positive"),
        )

    def __str__(self) -> str:
        return f"{self.contract}: {self.amount} ({self.received_on:%Y-%m-%d})"


class DeductibleCost(Evidence):
    """A cost the unit deducts from the contract's income, with its reason (M5.2: net income)."""

    contract = models.ForeignKey(TechnologyContract, on_delete=models.PROTECT, related_name="costs")
    amount = MoneyField(_("amount"))
    reason = models.CharField(_("reason"), max_length=300)
    incurred_on = models.DateField(_("incurred on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("incurred_on", "id")
        constraints = (
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="cost_positive"),
        )

    def __str__(self) -> str:
        return f"{self.contract}: {self.reason} ({self.incurred_on:%Y-%m-%d})"


class IncomeRules(models.Model):
    """M5.2: the unit's own rule for the completers' share of net income, where it gives them
    more than the policy's minimum (it may not give less)."""

    unit = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="income_rules")
    team_min_ratio = models.DecimalField(
        _("the unit's minimum for the team"), max_digits=7, decimal_places=6
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("the unit's income distribution rules")

    def __str__(self) -> str:
        return f"{self.unit}: {self.team_min_ratio}"


class Distribution(models.Model):
    """One distribution of the contract's net income over a period (M5.2, M5.3): the ratios
    applied, the net income, and its lines to the fen."""

    contract = models.ForeignKey(
        TechnologyContract, on_delete=models.PROTECT, related_name="distributions"
    )
    period_start = models.DateField(_("income from"))
    period_end = models.DateField(_("income to"))
    income = MoneyField(_("income"))
    costs = MoneyField(_("deducted costs"))
    net_income = MoneyField(_("net income"))
    team_ratio = models.DecimalField(_("team's share"), max_digits=7, decimal_places=6)
    service_ratio = models.DecimalField(
        _("service staff's share of the unit's part"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
    )
    policy_version = models.CharField(_("policy version"), max_length=32)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("income distribution")
        ordering = ("-period_end", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=("contract", "period_start"), name="one_distribution_per_period"
            ),
        )

    def __str__(self) -> str:
        return f"{self.contract} {self.period_start}–{self.period_end}"


class DistributionLine(Evidence):
    """What one beneficiary receives from a distribution. Cash rewards to people are reported
    as their own line: outside the performance-pay cap and not a base for next year's total or
    social insurance (M5.1)."""

    distribution = models.ForeignKey(Distribution, on_delete=models.PROTECT, related_name="lines")
    beneficiary = models.CharField(
        _("beneficiary"), max_length=16, choices=choices.Beneficiary.choices
    )
    name = models.CharField(_("name"), max_length=100)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="distribution_lines",
        null=True,
        blank=True,
    )
    share = models.DecimalField(_("share"), max_digits=9, decimal_places=6, null=True)
    amount = MoneyField(_("amount"))

    class Meta:
        ordering = ("distribution", "beneficiary", "id")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"
