"""Researcher shareholding (M6.1): a municipal unit's investment of a result at a valuation into
a company, with the cap table of the shares it gave (the completers at least the minimum
directly, the rest the unit or a municipal state-owned company) and the team's internal split of
its shares. Investments, cap tables and splits are evidence (M14.1): never changed or deleted.
The state equity these shares form is ``kttc.benefits.state_equity``'s."""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.benefits.shareholding.choices import HolderKind
from kttc.core.fields import MoneyField
from kttc.core.models import Evidence, Organisation
from kttc.policy import equity as equity_rules
from kttc.registry.models import Achievement


class Digits(TypedDict):
    """A decimal field's digits, given to it as keyword arguments."""

    max_digits: int
    decimal_places: int


RATIO: Digits = {"max_digits": 9, "decimal_places": 6}


class EquityInvestment(Evidence):
    """M6.1: the unit invested a result at a valuation into a company for ``shares_issued``
    shares, held as its cap table says. The flags say whether the result touches national
    secrets, national security or key core technology: every state equity matter of these
    shares then goes to the superior (M2.2)."""

    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="equity_investments"
    )
    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="equity_investments"
    )
    company = models.CharField(_("company"), max_length=300)
    valuation = MoneyField(_("valuation of the result"))
    shares_issued = models.PositiveBigIntegerField(_("shares issued for the result"))
    invested_on = models.DateField(_("invested on"))
    touches_secrets = models.BooleanField(_("touches national secrets"), default=False)
    touches_security = models.BooleanField(_("touches national security"), default=False)
    key_core_technology = models.BooleanField(_("key core technology"), default=False)
    completer_shares = models.PositiveBigIntegerField(_("shares held by the completers"))
    unit_shares = models.PositiveBigIntegerField(_("shares held by the unit"))
    # For display; the check used the exact ratio (kttc.policy.equity.check_cap_table).
    completer_ratio = models.DecimalField(_("completers' share"), **RATIO)
    policy_version = models.CharField(_("policy version"), max_length=32)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("investment of a result at a valuation")
        ordering = ("-invested_on", "-id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(valuation__gt=0), name="equity_valuation_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(shares_issued__gt=0), name="equity_shares_positive"
            ),
        )

    def __str__(self) -> str:
        return f"{self.company} ({self.invested_on})"

    @property
    def needs_superior_approval(self) -> bool:
        """M2.2: whether the state equity of these shares is the superior's to approve."""
        return equity_rules.needs_superior_approval(
            touches_secrets=self.touches_secrets,
            touches_security=self.touches_security,
            key_core_technology=self.key_core_technology,
        )


class CapTableHolder(Evidence):
    """M6.1: one holder of the shares issued for the result."""

    investment = models.ForeignKey(
        EquityInvestment, on_delete=models.PROTECT, related_name="holders"
    )
    kind = models.CharField(_("holder"), max_length=16, choices=HolderKind.choices)
    name = models.CharField(_("name"), max_length=200)
    shares = models.PositiveBigIntegerField(_("shares"))

    class Meta:
        ordering = ("investment", "kind", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("investment", "kind", "name"), name="cap_table_holder_once"
            ),
            models.CheckConstraint(condition=models.Q(shares__gt=0), name="holder_shares_positive"),
        )

    def __str__(self) -> str:
        return f"{self.name}: {self.shares}"


class TeamSplit(Evidence):
    """M6.1: the team's internal split of the completers' shares, as the team decided it on
    ``decided_on``. A later split replaces it for the future; the earlier stays as evidence."""

    investment = models.ForeignKey(
        EquityInvestment, on_delete=models.PROTECT, related_name="team_splits"
    )
    decided_on = models.DateField(_("decided on"))
    team_shares = models.PositiveBigIntegerField(_("the team's shares"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team's internal split")
        ordering = ("investment", "-decided_on", "-id")

    def __str__(self) -> str:
        return f"{self.investment} {self.decided_on}"


class TeamSplitLine(Evidence):
    """M6.1: one member's part of the team's shares, in whole shares."""

    split = models.ForeignKey(TeamSplit, on_delete=models.PROTECT, related_name="lines")
    name = models.CharField(_("name"), max_length=100)
    share = models.DecimalField(_("agreed share"), **RATIO)
    shares = models.PositiveBigIntegerField(_("shares"))

    class Meta:
        ordering = ("split", "id")

    def __str__(self) -> str:
        return f"{self.name}: {self.shares}"
