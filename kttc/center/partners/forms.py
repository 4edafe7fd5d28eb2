"""Forms of partners abroad (M8.4): refer an enterprise, record a partnership."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.center.partners.choices import PartnershipStatus, PartnerType
from kttc.core.text import TextGuardMixin


class ReferForm(TextGuardMixin, forms.Form):
    name = forms.CharField(label=_("Name of the enterprise"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    registration_number = forms.CharField(
        label=_("National registration number"),
        max_length=64,
        help_text=_("Its number in your country's register of companies."),
    )
    email = forms.EmailField(
        label=_("E-mail of its first person"),
        help_text=_("Invited to join the enterprise on the platform; the enterprise is told so."),
    )


class PartnershipForm(TextGuardMixin, forms.Form):
    partner_type = forms.ChoiceField(label=_("Type of partner"), choices=PartnerType.choices)
    agreement_date = forms.DateField(
        label=_("Agreement signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    scope = forms.CharField(
        label=_("Scope of cooperation"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    status = forms.ChoiceField(label=_("Status"), choices=PartnershipStatus.choices)
