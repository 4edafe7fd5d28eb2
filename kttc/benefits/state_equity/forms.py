"""Forms of the state equity pages (M2): a matter of the ledger, the superior's approval and
rejection, the value preservation report. They parse what a person types; the rules, and the
refusals citing their clause, are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.benefits.forms import DATE, organisation_choices
from kttc.benefits.shareholding.forms import FlagsMixin
from kttc.benefits.state_equity.choices import StateEquityMatterKind
from kttc.core.text import TextGuardMixin


class MatterForm(FlagsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Matter"), choices=StateEquityMatterKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount (yuan)"), decimal_places=2)
    shares = forms.IntegerField(
        label=_("Shares of the unit"),
        required=False,
        help_text=_("For a transfer or an outward investment; leave empty for an impairment."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ("kind", "occurred_on", "amount", "shares", "description")


class ApproveForm(TextGuardMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=4000)


class RejectForm(TextGuardMixin, forms.Form):
    # Not required here: the service refuses an empty reason, citing M2.2, beside the field.
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PreservationForm(TextGuardMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    opening = forms.DecimalField(label=_("Opening value (yuan)"), decimal_places=2)
    closing = forms.DecimalField(label=_("Closing value (yuan)"), decimal_places=2)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_choices(self.fields["unit"], units)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data
