"""Forms of the threads on results: open one from a result's page, write in one."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.center.inquiries.choices import InquiryKind
from kttc.center.inquiries.models import SUBJECT_MAX, TEXT_MAX
from kttc.core.text import TextGuardMixin


class InquiryOpenForm(TextGuardMixin, forms.Form):
    asker = forms.TypedChoiceField(label=_("On behalf of"), coerce=int)
    kind = forms.ChoiceField(
        label=_("What you write"),
        choices=InquiryKind.choices,
        initial=InquiryKind.QUESTION,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    text = forms.CharField(
        label=_("Message"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The unit's transfer office reads it and answers here."),
    )

    def __init__(self, *args: Any, askers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        asker = cast(forms.TypedChoiceField, self.fields["asker"])
        asker.choices = [(o.pk, o.name) for o in askers]
        if len(asker.choices) == 1:
            asker.widget = forms.HiddenInput()
            asker.initial = asker.choices[0][0]


class InquiryReplyForm(TextGuardMixin, forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
