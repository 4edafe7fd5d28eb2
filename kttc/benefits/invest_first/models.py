""" "Invest first, equity later" (M7): a case of the designated investment platform: the fiscal
support granted and invested into a company for a stage, the agreed trigger and terms of
conversion and the appropriate return; the rounds and the declared stable development, the
conversion and the exits. Milestones, conversions and exits are evidence (M14.1); a case changes
only its status, once, when it converts."""

from __future__ import annotations

from fractions import Fraction
from typing import TypedDict

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.benefits.invest_first.choices import InvestFirstStage, InvestFirstStatus, MilestoneKind
from kttc.core.fields import MoneyField
from kttc.core.models import Evidence, Organisation
from kttc.policy import investment as invest_rules


class Digits(TypedDict):
    """A decimal field's digits, given to it as keyword arguments."""

    max_digits: int
    decimal_places: int


RATIO: Digits = {"max_digits": 9, "decimal_places": 6}
#: A price per share: up to 6 decimals (the services refuse a finer one rather than round it).
PRICE: Digits = {"max_digits": 20, "decimal_places": 6}


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
    min_round_size = MoneyField(_("smallest round that converts"), null=True, blank=True)
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
