"""Forms of the saved searches and followed fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.center.alerts.choices import FieldScheme
from kttc.core.text import TextGuardMixin


class SaveSearchForm(TextGuardMixin, forms.Form):
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name of the search"), max_length=120, required=False)


class FollowForm(TextGuardMixin, forms.Form):
    scheme = forms.ChoiceField(label=_("Classification"), choices=FieldScheme.choices)
    code = forms.CharField(
        label=_("Code"),
        max_length=7,
        help_text=_("A discipline code such as 520, or an industry section such as C."),
    )
