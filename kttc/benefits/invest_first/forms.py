"""Forms of the invest-first pages (M7). Ratios are entered in percent and handed to the
services as ratios."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.benefits.forms import DATE, organisation_choices
from kttc.benefits.invest_first.choices import InvestFirstStage
from kttc.core.text import TextGuardMixin


def _ratio(percent: Decimal | None) -> Decimal | None:
    return percent / 100 if percent is not None else None


class GrantForm(TextGuardMixin, forms.Form):
    platform = forms.TypedChoiceField(label=_("Investment platform"), coerce=int)
    company = forms.CharField(label=_("Company invested in"), max_length=300)
    project = forms.CharField(label=_("Project supported"), max_length=300)
    stage = forms.ChoiceField(label=_("Stage (M7.2)"), choices=InvestFirstStage.choices)
    support = forms.DecimalField(label=_("Fiscal support (yuan)"), decimal_places=2)
    granted_on = forms.DateField(label=_("Granted on"), widget=DATE)
    min_round_size = forms.DecimalField(
        label=_("Converts on a market equity round of at least (yuan)"),
        required=False,
        decimal_places=2,
    )
    on_stable_development = forms.BooleanField(
        label=_("Converts on declared stable development"), required=False
    )
    discount_percent = forms.DecimalField(
        label=_("Discount on the round's price (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("99.9999"),
        decimal_places=4,
        initial=0,
    )
    valuation_cap = forms.DecimalField(
        label=_("Valuation cap (yuan)"), required=False, decimal_places=2
    )
    return_cap_percent = forms.DecimalField(
        label=_("Appropriate return over the support (%) (M7.4)"),
        min_value=Decimal("0"),
        decimal_places=4,
    )

    def __init__(self, *args: Any, platforms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_choices(self.fields["platform"], platforms)

    def values(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d.pop("platform")
        d["discount"] = _ratio(d.pop("discount_percent")) or Decimal(0)
        d["return_cap_ratio"] = _ratio(d.pop("return_cap_percent"))
        return d


class RoundForm(TextGuardMixin, forms.Form):
    closed_on = forms.DateField(label=_("Round closed on"), widget=DATE)
    round_size = forms.DecimalField(label=_("Round size (yuan)"), decimal_places=2)
    price_per_share = forms.DecimalField(label=_("Price per share (yuan)"), decimal_places=6)
    pre_money_shares = forms.IntegerField(
        label=_("Company's shares before the round"),
        required=False,
        min_value=1,
        help_text=_("Needed when a valuation cap was agreed."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class StableForm(TextGuardMixin, forms.Form):
    declared_on = forms.DateField(label=_("Declared on"), widget=DATE)
    price_per_share = forms.DecimalField(
        label=_("Agreed appraisal per share (yuan)"), decimal_places=6
    )
    pre_money_shares = forms.IntegerField(label=_("Company's shares"), required=False, min_value=1)
    grounds = forms.CharField(
        label=_("Grounds of the declaration"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ExitForm(TextGuardMixin, forms.Form):
    exited_on = forms.DateField(label=_("Exited on"), widget=DATE)
    shares = forms.IntegerField(label=_("Shares sold"), min_value=1)
    proceeds = forms.DecimalField(label=_("Proceeds (yuan)"), decimal_places=2)
    buyer = forms.CharField(label=_("Buyer"), required=False, max_length=300)
