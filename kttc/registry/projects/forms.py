"""The bureau's form for a fiscal project (M4.1, M4.2)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Organisation
from kttc.core.text import TextGuardMixin


class FiscalProjectForm(TextGuardMixin, forms.Form):
    undertaking_unit: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Undertaking unit"), queryset=None
    )
    competent_department = forms.CharField(label=_("Competent department"), max_length=200)
    programme = forms.CharField(label=_("Plan / programme"), max_length=200)
    project_number = forms.CharField(label=_("Project number"), max_length=64)
    title = forms.CharField(label=_("Title"), max_length=300)
    approval_date = forms.DateField(
        label=_("Approval date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    budget = forms.DecimalField(
        label=_("Budget (CNY)"), max_digits=18, decimal_places=2, min_value=0
    )
    transformation_obligation = forms.CharField(
        label=_("Transformation obligation"), widget=forms.Textarea(attrs={"rows": 2})
    )
    transformation_deadline = forms.DateField(
        label=_("Transformation deadline"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most 5 years after approval (M4.2)."),
    )
    is_municipal = forms.BooleanField(
        label=_("Municipal S&T plan project"), required=False, initial=True
    )

    def __init__(self, *args: Any, units: Any, max_years: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast("forms.ModelChoiceField[Organisation]", self.fields["undertaking_unit"])
        unit.queryset = units
        self.fields["transformation_deadline"].help_text = _(
            "At most %(years)s years after approval (M4.2)."
        ) % {"years": max_years}
