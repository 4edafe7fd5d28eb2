"""Forms of the contract pages (M5)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.benefits.choices import ContractKind

DATE = forms.DateInput(attrs={"type": "date"})


class ContractForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=ContractKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    counterparty = forms.CharField(label=_("Counterparty"), max_length=300)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    amount = forms.DecimalField(label=_("Contract amount (yuan)"), decimal_places=2)
    achievement = forms.TypedChoiceField(
        label=_("Result"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, units: Any, results: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        if len(self.fields["unit"].choices) == 1:
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = self.fields["unit"].choices[0][0]
        self.fields["achievement"].choices = [("", "—"), *((r.pk, r.name) for r in results)]


class RegistrationForm(forms.Form):
    registration_number = forms.CharField(label=_("Registration number"), max_length=40)
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE)
    certified_amount = forms.DecimalField(
        label=_("Certified technology-transaction amount (yuan)"), decimal_places=2
    )


class IncomeForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount received (yuan)"), decimal_places=2)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class CostForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    incurred_on = forms.DateField(label=_("Incurred on"), widget=DATE)
