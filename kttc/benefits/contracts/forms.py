"""Forms of the contract pages (M5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.benefits.contracts.choices import ContractKind
from kttc.benefits.forms import DATE, SharesField, organisation_choices
from kttc.core import countries
from kttc.core.text import TextGuardMixin


class ContractForm(TextGuardMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=ContractKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    counterparty = forms.CharField(label=_("Counterparty"), max_length=300)
    counterparty_country = forms.ChoiceField(
        label=_("Counterparty's country or region"),
        initial="CN",
        help_text=_("A transfer or licence to a party abroad is counted as cross-border (M8.4)."),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    amount = forms.DecimalField(label=_("Contract amount (yuan)"), decimal_places=2)
    achievement = forms.TypedChoiceField(
        label=_("Result"), coerce=int, required=False, empty_value=None
    )
    disclosed = forms.MultipleChoiceField(
        label=_("Published on the transaction page (M8.5)"),
        required=False,
        choices=[
            ("counterparty", _("Counterparty")),
            ("amount", _("Contract amount (yuan)")),
            ("registration_number", _("Registration number")),
            ("certified_amount", _("Certified technology-transaction amount (yuan)")),
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A transfer or licence of a public result is always listed with the result, the unit "
            "and the date."
        ),
    )

    def __init__(self, *args: Any, units: Any, results: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_choices(self.fields["unit"], units)
        country = cast(forms.ChoiceField, self.fields["counterparty_country"])
        country.choices = countries.country_choices()
        achievement = cast(forms.ChoiceField, self.fields["achievement"])
        achievement.choices = [("", "—"), *((r.pk, r.name) for r in results)]


class RegistrationForm(TextGuardMixin, forms.Form):
    registration_number = forms.CharField(label=_("Registration number"), max_length=40)
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE)
    certified_amount = forms.DecimalField(
        label=_("Certified technology-transaction amount (yuan)"), decimal_places=2
    )


class IncomeForm(TextGuardMixin, forms.Form):
    amount = forms.DecimalField(label=_("Amount received (yuan)"), decimal_places=2)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class CostForm(TextGuardMixin, forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    incurred_on = forms.DateField(label=_("Incurred on"), widget=DATE)


class DistributionForm(TextGuardMixin, forms.Form):
    period_start = forms.DateField(label=_("Income from"), widget=DATE)
    period_end = forms.DateField(label=_("Income to"), widget=DATE)
    team_percent = forms.DecimalField(
        label=_("Team's share of the net income (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=4,
        help_text=_("For a registered transfer or licence at least the minimum in force (M5.2)."),
    )
    team_shares = SharesField(
        label=_("The team's agreed shares"),
        help_text=_(
            "A completer per line with her percentage; they add up to 100. Filled in from the "
            "result's registered completers: change them if the team agreed otherwise."
        ),
    )
    service_percent = forms.DecimalField(
        label=_("Service staff's reward, share of the unit's part (%)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=4,
        help_text=_("Leave empty when the unit gives no such reward; at least the minimum (M5.3)."),
    )
    service_shares = SharesField(
        label=_("Service staff's shares"),
        required=False,
        help_text=_("A person per line with her percentage."),
    )

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        service = d.get("service_percent")
        return {
            "period_start": d["period_start"],
            "period_end": d["period_end"],
            "team_ratio": d["team_percent"] / 100,
            "team_shares": d["team_shares"],
            "service_ratio": service / 100 if service is not None else None,
            "service_shares": d["service_shares"],
        }


class IncomeRulesForm(TextGuardMixin, forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput())
    team_min_percent = forms.DecimalField(
        label=_("The unit's minimum for the team, in percent of the net income"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=4,
        help_text=_("More than the policy's minimum if the unit's rules give more (M5.2)."),
    )
