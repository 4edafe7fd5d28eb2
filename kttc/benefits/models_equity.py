"""Researcher shareholding (M6.1), the state equity it forms (M2) and "invest first, equity
later" (M7).

* A municipal unit's investment of a result at a valuation into a company, with the cap table
  of the shares it gave (the completers at least the minimum directly, the rest the unit or a
  municipal state-owned company) and the team's internal split of its shares.
* The ledger of the unit's state equity from such investments: each matter as the unit decided
  it (M2.1) or as it waits for, and receives, the superior's decision (M2.2); impairments are
  matters too, reported apart (M2.3).
* A case of the designated investment platform: the fiscal support granted and invested into a
  company for a stage, the agreed trigger and terms of conversion and the appropriate return;
  the rounds and the declared stable development, the conversion and the exits.

Investments, cap tables, splits, milestones, conversions and exits are evidence (M14.1): never
changed or deleted. A state equity matter changes only its status, once, by the superior's
decision; an invest-first case only its status, once, when it converts."""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.core.fields import MoneyField
from kttc.core.models import Evidence, Organisation
from kttc.policy import equity as equity_rules
from kttc.policy import investment as invest_rules
from kttc.registry.models import Achievement

RATIO = {"max_digits": 9, "decimal_places": 6}
#: A price per share: up to 6 decimals (the services refuse a finer one rather than round it).
PRICE = {"max_digits": 20, "decimal_places": 6}


# --- choices --------------------------------------------------------------------------------


class HolderKind(models.TextChoices):
    """M6.1: who may hold the shares from a result invested at a valuation."""

    COMPLETER = equity_rules.HolderKind.COMPLETER.value, _("Completer (directly)")
    UNIT = equity_rules.HolderKind.UNIT.value, _("The unit")
    MUNICIPAL_SOE = (
        equity_rules.HolderKind.MUNICIPAL_SOE.value,
        _("Municipal state-owned company"),
    )


class StateEquityMatterKind(models.TextChoices):
    PUBLIC_MARKET_TRANSFER = (
        equity_rules.StateEquityMatter.PUBLIC_MARKET_TRANSFER.value,
        _("Transfer on the public market"),
    )
    FREE_INTERNAL_TRANSFER = (
        equity_rules.StateEquityMatter.FREE_INTERNAL_TRANSFER.value,
        _("Free internal transfer"),
    )
    OUTWARD_INVESTMENT = (
        equity_rules.StateEquityMatter.OUTWARD_INVESTMENT.value,
        _("Outward investment"),
    )
    IMPAIRMENT = equity_rules.StateEquityMatter.IMPAIRMENT.value, _("Impairment")


class StateEquityRoute(models.TextChoices):
    UNIT_DECIDES = equity_rules.Route.UNIT_DECIDES.value, _("The unit decides (M2.1)")
    SUPERIOR_APPROVAL = (
        equity_rules.Route.SUPERIOR_APPROVAL.value,
        _("The superior approves (M2.2)"),
    )


class StateEquityStatus(models.TextChoices):
    DECIDED = "decided", _("Decided by the unit")
    WAITING_APPROVAL = "waiting_approval", _("Waiting for the superior's approval")
    APPROVED = "approved", _("Approved by the superior")
    REJECTED = "rejected", _("Rejected by the superior")


class InvestFirstStage(models.TextChoices):
    """M7.2: what the support pays for."""

    CONCEPT_VERIFICATION = invest_rules.Stage.CONCEPT_VERIFICATION.value, _("Concept verification")
    SMALL_PILOT = invest_rules.Stage.SMALL_PILOT.value, _("Small pilot")
    MID_SCALE_PILOT = invest_rules.Stage.MID_SCALE_PILOT.value, _("Mid-scale pilot")
    SECONDARY_DEVELOPMENT = (
        invest_rules.Stage.SECONDARY_DEVELOPMENT.value,
        _("Secondary development"),
    )


class MilestoneKind(models.TextChoices):
    """M7.3: what may trigger the conversion."""

    MARKET_ROUND = invest_rules.TriggerKind.MARKET_ROUND.value, _("Market equity round")
    STABLE_DEVELOPMENT = (
        invest_rules.TriggerKind.STABLE_DEVELOPMENT.value,
        _("Stable development declared"),
    )


class InvestFirstStatus(models.TextChoices):
    INVESTED = "invested", _("Invested, not converted")
    CONVERTED = "converted", _("Converted into equity")


# --- M6.1 researcher shareholding -----------------------------------------------------------


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


# --- M2 state equity ------------------------------------------------------------------------


class StateEquityMatter(models.Model):
    """M2: one matter of the unit's state equity in the company: a transfer, an outward
    investment or an impairment of ``amount`` (and, but for an impairment, of ``shares`` of the
    unit's shares). Routed when recorded: the unit's own decision (M2.1), or waiting for the
    superior (M2.2), who approves or rejects it once."""

    investment = models.ForeignKey(
        EquityInvestment, on_delete=models.PROTECT, related_name="state_equity_matters"
    )
    kind = models.CharField(_("matter"), max_length=32, choices=StateEquityMatterKind.choices)
    occurred_on = models.DateField(_("date"))
    amount = MoneyField(_("amount"))
    shares = models.PositiveBigIntegerField(_("shares"), null=True, blank=True)
    description = models.TextField(_("description"))
    touches_secrets = models.BooleanField(_("touches national secrets"), default=False)
    touches_security = models.BooleanField(_("touches national security"), default=False)
    key_core_technology = models.BooleanField(_("key core technology"), default=False)
    route = models.CharField(_("route"), max_length=32, choices=StateEquityRoute.choices)
    reasons = models.JSONField(_("reasons for the superior's approval"), default=list)
    status = models.CharField(
        _("status"), max_length=32, choices=StateEquityStatus.choices, db_index=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("superior's decision"), null=True, blank=True)
    decision_note = models.TextField(_("superior's note"), blank=True)

    class Meta:
        verbose_name = _("state equity matter")
        ordering = ("-occurred_on", "-id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="state_equity_amount_positive"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(route=StateEquityRoute.UNIT_DECIDES, status=StateEquityStatus.DECIDED)
                    | models.Q(
                        route=StateEquityRoute.SUPERIOR_APPROVAL,
                        status__in=(
                            StateEquityStatus.WAITING_APPROVAL,
                            StateEquityStatus.APPROVED,
                            StateEquityStatus.REJECTED,
                        ),
                    )
                ),
                name="state_equity_status_follows_route",
            ),
        )

    def __str__(self) -> str:
        return f"{self.investment.company}: {self.get_kind_display()} {self.occurred_on}"


# --- M7 invest first, equity later -------------------------------------------------------------


class InvestFirstCase(models.Model):
    """M7.1-M7.4: fiscal support granted to the designated platform and invested into a
    company for a stage, with the agreed trigger (a market round of at least
    ``min_round_size``, the declared stable development, or either), the conversion terms (the
    round's price less ``discount``, or the ``valuation_cap`` over the company's shares before
    the round, whichever is lower) and the appropriate return (at most ``return_cap_ratio``
    over the support, in all exits)."""

    platform = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invest_first_cases"
    )
    company = models.CharField(_("company"), max_length=300)
    project = models.CharField(_("project"), max_length=300)
    stage = models.CharField(_("stage"), max_length=32, choices=InvestFirstStage.choices)
    support = MoneyField(_("fiscal support"))
    granted_on = models.DateField(_("granted on"))
    min_round_size = MoneyField(
        _("smallest round that converts"), null=True, blank=True
    )
    on_stable_development = models.BooleanField(
        _("converts on declared stable development"), default=False
    )
    discount = models.DecimalField(_("discount on the round's price"), **RATIO)
    valuation_cap = MoneyField(_("valuation cap"), null=True, blank=True)
    return_cap_ratio = models.DecimalField(_("appropriate return"), **RATIO)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InvestFirstStatus.choices,
        default=InvestFirstStatus.INVESTED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invest first, equity later case")
        ordering = ("-granted_on", "-id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(support__gt=0), name="invest_first_support_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(min_round_size__isnull=False)
                | models.Q(on_stable_development=True),
                name="invest_first_has_trigger",
            ),
            models.CheckConstraint(
                condition=models.Q(discount__gte=0, discount__lt=1),
                name="invest_first_discount_range",
            ),
            models.CheckConstraint(
                condition=models.Q(return_cap_ratio__gte=0),
                name="invest_first_return_cap_not_negative",
            ),
        )

    def __str__(self) -> str:
        return f"{self.company}: {self.project}"

    @property
    def trigger(self) -> invest_rules.ConversionTrigger:
        return invest_rules.ConversionTrigger(
            min_round_size=self.min_round_size, on_stable_development=self.on_stable_development
        )


class InvestFirstMilestone(Evidence):
    """M7.3: a market equity round the company closed, or its declared stable development, at
    ``price_per_share`` with ``pre_money_shares`` before it; ``met`` when it met the trigger."""

    case = models.ForeignKey(InvestFirstCase, on_delete=models.PROTECT, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=32, choices=MilestoneKind.choices)
    occurred_on = models.DateField(_("date"))
    round_size = MoneyField(_("round size"), null=True, blank=True)
    price_per_share = models.DecimalField(_("price per share"), **PRICE)
    pre_money_shares = models.PositiveBigIntegerField(
        _("company's shares before"), null=True, blank=True
    )
    met = models.BooleanField(_("meets the trigger"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("case", "occurred_on", "id")

    def __str__(self) -> str:
        return f"{self.case.company}: {self.get_kind_display()} {self.occurred_on}"


class InvestFirstConversion(Evidence):
    """M7.3: the support converted into ``shares`` at the effective price; ``converted`` (the
    shares' worth, up to the fen) and ``remainder`` (the rest, in money) add up to the support.
    The prices are kept exactly, as fractions ("p/q")."""

    case = models.OneToOneField(
        InvestFirstCase, on_delete=models.PROTECT, related_name="conversion"
    )
    milestone = models.OneToOneField(
        InvestFirstMilestone, on_delete=models.PROTECT, related_name="conversion"
    )
    trigger = models.CharField(_("trigger"), max_length=32, choices=MilestoneKind.choices)
    converted_on = models.DateField(_("converted on"))
    support = MoneyField(_("fiscal support"))
    round_price = models.DecimalField(_("round's price per share"), **PRICE)
    discount = models.DecimalField(_("discount"), **RATIO)
    valuation_cap = MoneyField(_("valuation cap"), null=True, blank=True)
    pre_money_shares = models.PositiveBigIntegerField(null=True, blank=True)
    discounted_price = models.CharField(_("discounted price"), max_length=80)
    cap_price = models.CharField(_("cap price"), max_length=80, blank=True)
    effective_price = models.CharField(_("effective price"), max_length=80)
    shares = models.PositiveBigIntegerField(_("shares"))
    converted = MoneyField(_("converted"))
    remainder = MoneyField(_("remainder in money"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conversion into equity")

    def __str__(self) -> str:
        return f"{self.case.company}: {self.shares}"

    def as_rule(self) -> invest_rules.Conversion:
        """The stored conversion as the policy layer's exact value."""
        return invest_rules.Conversion(
            support=self.support,
            round_price=self.round_price,
            discount=self.discount,
            discounted_price=Fraction(self.discounted_price),
            cap_price=Fraction(self.cap_price) if self.cap_price else None,
            effective_price=Fraction(self.effective_price),
            shares=self.shares,
            converted=self.converted,
            remainder=self.remainder,
        )


class InvestFirstExit(Evidence):
    """M7.4: the platform sold ``shares`` for ``proceeds``: what comes back to the fund within
    the appropriate return (principal first, then gain) and what is above the cap."""

    case = models.ForeignKey(InvestFirstCase, on_delete=models.PROTECT, related_name="exits")
    exited_on = models.DateField(_("exited on"))
    buyer = models.CharField(_("buyer"), max_length=300, blank=True)
    shares = models.PositiveBigIntegerField(_("shares sold"))
    proceeds = MoneyField(_("proceeds"))
    cap = MoneyField(_("return cap"))
    returned = MoneyField(_("returned to the fund"))
    principal = MoneyField(_("principal returned"))
    gain = MoneyField(_("gain returned"))
    above_cap = MoneyField(_("above the cap"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exit")
        ordering = ("case", "exited_on", "id")
        constraints = (
            models.CheckConstraint(condition=models.Q(shares__gt=0), name="exit_shares_positive"),
        )

    def __str__(self) -> str:
        return f"{self.case.company}: {self.shares} ({self.exited_on})"

    def as_rule(self) -> invest_rules.ExitSplit:
        """The stored exit as the policy layer's value."""
        return invest_rules.ExitSplit(
            proceeds=self.proceeds,
            cap=self.cap,
            returned=self.returned,
            principal=self.principal,
            gain=self.gain,
            above_cap=self.above_cap,
        )
