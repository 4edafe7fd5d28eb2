"""Forms of the empowerment pages (M1). Lists (required documents, partner units) are one entry
per line; the team's share is entered in percent and handed to the services as a ratio."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.core.services import Document
from kttc.core.text import TextGuardMixin
from kttc.reform.empowerment import choices
from kttc.reform.inputs import lines


def as_document(upload: Any) -> Document:
    return Document(upload.name, upload.read())


class RulesForm(TextGuardMixin, forms.Form):
    grants_ownership = forms.BooleanField(label=_("Grants ownership"), required=False)
    grants_long_term_use = forms.BooleanField(
        label=_("Grants long-term use rights"), required=False
    )
    max_term_years = forms.IntegerField(
        label=_("Longest initial term of a long-term use right (years)"),
        required=False,
        min_value=1,
    )
    required_documents = forms.CharField(
        label=_("Required documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line, besides the transformation implementation plan, which is always "
            "required (M1.4)."
        ),
    )
    regulations = forms.CharField(
        label=_("The unit's empowerment regulations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Their title, or the text that applicants should read (M1.3)."),
    )

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {**d, "required_documents": lines(d["required_documents"])}


class ApplyForm(TextGuardMixin, forms.Form):
    right = forms.ChoiceField(label=_("Right applied for"), choices=choices.Right.choices)
    term_years = forms.IntegerField(
        label=_("Term of the long-term use right (years)"), required=False, min_value=1
    )
    partners = forms.CharField(
        label=_("Partner units"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line; leave empty when the completers implement alone (M1.4)."),
    )
    summary = forms.CharField(
        label=_("Summary of the transformation plan"), widget=forms.Textarea(attrs={"rows": 4})
    )
    plan = forms.FileField(label=_("Transformation implementation plan (M1.4)"))
    other = forms.FileField(label=_("Other document"), required=False)

    def __init__(self, *args: Any, rules: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.required_titles = list(rules.required_documents)
        right = cast(forms.ChoiceField, self.fields["right"])
        right.choices = [
            (value, label) for value, label in choices.Right.choices if value in rules.rights
        ]
        if rules.max_term_years:
            term_years = cast(forms.IntegerField, self.fields["term_years"])
            term_years.max_value = rules.max_term_years
            term_years.help_text = _("At most %(years)s years under the unit's rules (M1.3).") % {
                "years": rules.max_term_years
            }
        for index, title in enumerate(self.required_titles):
            self.fields[f"required_{index}"] = forms.FileField(label=title)

    def required_fields(self) -> list[Any]:
        return [self[f"required_{i}"] for i in range(len(self.required_titles))]

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        attachments = [
            (title, as_document(d[f"required_{i}"])) for i, title in enumerate(self.required_titles)
        ]
        if d.get("other"):
            attachments.append(("", as_document(d["other"])))
        return {
            "right": d["right"],
            "term_years": d["term_years"] if d["right"] == choices.Right.LONG_TERM_USE else None,
            "partners": lines(d["partners"]),
            "summary": d["summary"],
            "plan": as_document(d["plan"]),
            "attachments": attachments,
        }


class ReasonForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class NoticeForm(TextGuardMixin, forms.Form):
    days = forms.IntegerField(label=_("Notice period (days)"))

    def __init__(self, *args: Any, min_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = min_days
        self.fields["days"].help_text = _(
            "At least %(days)s days, the minimum in force today (M1.5)."
        ) % {"days": min_days}


class ObjectionForm(TextGuardMixin, forms.Form):
    text = forms.CharField(label=_("Your objection"), widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(TextGuardMixin, forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))


class AgreementForm(TextGuardMixin, forms.Form):
    team_share = forms.DecimalField(
        label=_("Completers' share of the net income (%)"),
        max_digits=7,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )
    terms = forms.CharField(
        label=_("Other terms"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Duties of each side, reporting, confidentiality, disputes (M1.6)."),
    )

    def __init__(self, *args: Any, min_share: Decimal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team_share"].help_text = _(
            "At least %(percent)s%% of the net income (M5.2)."
        ) % {"percent": format((min_share * 100).normalize(), "f")}

    def ratio(self) -> Decimal:
        return Decimal(self.cleaned_data["team_share"]) / 100


class ExtendForm(TextGuardMixin, forms.Form):
    years = forms.IntegerField(label=_("Extend by (years)"), min_value=1)
    report = forms.CharField(
        label=_("The team's progress and income report"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    report_document = forms.FileField(label=_("Report document"), required=False)
