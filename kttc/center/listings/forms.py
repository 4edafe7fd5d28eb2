"""Forms of public listing with bidding (M8.5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.center.listings.choices import ListingMethod, ListingMode
from kttc.core.text import TextGuardMixin
from kttc.policy import listings as rules


def _money(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0"),
    )


MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ListingForm(TextGuardMixin, forms.Form):
    mode = forms.ChoiceField(label=_("What is offered"), choices=ListingMode.choices)
    method = forms.ChoiceField(
        label=_("Bidding"),
        choices=ListingMethod.choices,
        widget=forms.RadioSelect,
        initial=ListingMethod.ASCENDING,
    )
    reserve = _money(_("Reserve price (yuan)"))
    step = _money(
        _("Bid step (yuan)"),
        required=False,
        help_text=_("Open bidding: each bid beats the current price by at least this much."),
    )
    deposit = _money(
        _("Deposit (yuan)"),
        required=False,
        help_text=_("Asked of each bidder before it may bid; none when empty."),
    )
    opens_at = forms.DateTimeField(label=_("Bidding opens"), widget=MOMENT)
    closes_at = forms.DateTimeField(label=_("Bidding closes"), widget=MOMENT)
    extension_minutes = forms.IntegerField(
        label=_("Late-bid extension (minutes)"),
        min_value=0,
        max_value=rules.EXTENSION_MAX_MINUTES,
        initial=5,
        help_text=_("Open bidding: a bid in the last minutes moves the close this long after it."),
    )
    investment = forms.TypedChoiceField(
        label=_("Investment whose shares are offered"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("A state equity stake only (M2.1): the unit's investment of this result."),
    )
    shares = forms.IntegerField(
        label=_("Shares offered"),
        required=False,
        min_value=1,
        help_text=_("A state equity stake only."),
    )
    conditions = forms.CharField(
        label=_("Conditions for bidders"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    notice = forms.CharField(label=_("Notice"), widget=forms.Textarea(attrs={"rows": 6}))

    def terms(self) -> rules.Terms:
        data = self.cleaned_data
        return rules.Terms(
            method=rules.Method(data["method"]),
            reserve=data["reserve"],
            step=data["step"] or Decimal(0),
            deposit=data["deposit"] or Decimal(0),
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            extension_minutes=data["extension_minutes"],
        )


class BidForm(forms.Form):
    amount = _money(_("Your bid (yuan)"))


class RegisterForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Bid as"), coerce=int)


class AwardForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Contract signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class WithdrawForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DepositForm(TextGuardMixin, forms.Form):
    reference = forms.CharField(label=_("Payment reference"), required=False, max_length=100)
