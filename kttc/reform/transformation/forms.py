"""Forms of time-limited transformation (M4.4): recording a transformation, filing a
justification, the bureau's decision. They parse input only; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.core.text import TextGuardMixin
from kttc.reform.inputs import DATE
from kttc.reform.transformation.choices import TransformationKind


class TransformationForm(TextGuardMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of transformation"), choices=TransformationKind.choices)
    happened_on = forms.DateField(label=_("Date of the transformation"), widget=DATE)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "With whom, on which terms, and the contract or decision it rests on. A licence "
            "concluded on the platform counts by itself and needs no record here."
        ),
    )


class JustificationForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the result is not transformed"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "M4.4: a result not transformed without a justified reason goes on the open "
            "licensing list. The bureau reads this and accepts or rejects it."
        ),
    )


class DecisionForm(TextGuardMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(("accept", _("Accept")), ("reject", _("Reject"))),
    )
    valid_until = forms.DateField(
        label=_("Accepted until"),
        required=False,
        widget=DATE,
        help_text=_(
            "When accepting: the last day the justification counts; leave empty for no time "
            "limit. After it the result goes back on the list unless it is transformed."
        ),
    )
    reason = forms.CharField(
        label=_("The bureau's reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting; the unit reads it."),
    )
