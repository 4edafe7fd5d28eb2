"""Forms of the findings (M14.2): the record of an inspection, audit or supervision, a finding,
an amendment with its reason, the unit's rectification and the department's review; and the
list's filters."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.core.forms import ModelMultipleIdsField
from kttc.core.models import Organisation
from kttc.core.services import Document
from kttc.core.text import TextGuardMixin
from kttc.oversight.findings.choices import Kind, Rectification, Severity, Status
from kttc.policy.clauses import clause_ids

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def as_document(upload: Any) -> Document:
    return Document(upload.name, upload.read())


def split(text: str) -> list[str]:
    """Items as typed: separated by commas, “、”, semicolons, spaces or lines."""
    return [item.strip() for item in re.split(r"[,，、;；\s]+", text) if item.strip()]


class InspectionForm(TextGuardMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    reference = forms.CharField(
        label=_("Reference number"), max_length=60,
        help_text=_("The department's own number; a department records each number once."),
    )  # fmt: skip
    title = forms.CharField(label=_("Title"), max_length=200)
    subjects = ModelMultipleIdsField(
        label=_("Inspected units"), queryset=Organisation.objects.none()
    )
    period_start = forms.DateField(label=_("Period covered from"), widget=DATE)
    period_end = forms.DateField(label=_("Period covered until"), widget=DATE)
    clauses = forms.CharField(
        label=_("Clauses checked"), max_length=600,
        help_text=_("Obligation ids of the measures, separated by commas, e.g. M5.2, M5.3."),
    )  # fmt: skip
    scope = forms.CharField(
        label=_("Scope"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    fieldwork_start = forms.DateField(label=_("Fieldwork from"), widget=DATE)
    fieldwork_end = forms.DateField(label=_("Fieldwork until"), widget=DATE)
    document = forms.FileField(label=_("Report or working papers"), required=False)
    acknowledge = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, departments: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments
        cast(forms.ModelMultipleChoiceField, self.fields["subjects"]).queryset = units

    def clean_clauses(self) -> list[str]:
        values = [c.upper() for c in split(self.cleaned_data.get("clauses") or "")]
        known = clause_ids()
        for clause in values:
            if clause not in known:
                raise forms.ValidationError(
                    _("%(clause)s is not a clause of the measures (e.g. M3.2)."),
                    params={"clause": clause[:10]},
                )
        if not values:
            raise forms.ValidationError(_("Name the clauses checked, e.g. M5.2."))
        return values


class FindingForm(TextGuardMixin, forms.Form):
    subject = forms.ChoiceField(label=_("Inspected unit"))
    clause = forms.ChoiceField(label=_("Clause"))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    description = forms.CharField(
        label=_("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    links = forms.CharField(
        label=_("Objects concerned"), required=False, max_length=3300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Their links on the platform, one a line, e.g. /office/contracts/12/."),
    )  # fmt: skip
    rectification_required = forms.BooleanField(
        label=_("Rectification required"), required=False, initial=True
    )
    deadline = forms.DateField(label=_("Rectification deadline"), required=False, widget=DATE)

    def __init__(self, *args: Any, subjects: Any, clauses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["subject"]).choices = [(s.pk, s.name) for s in subjects]
        cast(forms.ChoiceField, self.fields["clause"]).choices = [(c, c) for c in clauses]

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]


class AmendForm(TextGuardMixin, forms.Form):
    target = forms.ChoiceField(label=_("What is corrected"))
    reason = forms.CharField(
        label=_("Reason for the amendment"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    scope = forms.CharField(
        label=_("Scope"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", "—"), *Severity.choices]
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    deadline = forms.DateField(label=_("Rectification deadline"), required=False, widget=DATE)

    def __init__(self, *args: Any, findings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = [
            ("", _("The record (title, scope)")),
            *[(f.pk, f"{f.clause} · {f.subject.name}") for f in findings],
        ]


class RectifyForm(TextGuardMixin, forms.Form):
    text = forms.CharField(
        label=_("What the unit did"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    document = forms.FileField(label=_("Evidence"), required=False)


class ReviewForm(TextGuardMixin, forms.Form):
    rectified = forms.TypedChoiceField(
        label=_("Outcome"), coerce=lambda v: v == "yes",
        choices=[("yes", _("Rectified")), ("no", _("Not rectified"))],
        widget=forms.RadioSelect,
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note (required when not rectified)"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class FilterForm(TextGuardMixin, forms.Form):
    """M14.2: the list's filters, each bounded; a wrong value an error beside its field."""

    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Organisation.objects.none(),
        empty_label=_("All departments"),
    )  # fmt: skip
    unit = forms.CharField(label=_("Unit"), required=False, max_length=200)
    clause = forms.CharField(label=_("Clause"), required=False, max_length=10)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All statuses")), *Rectification.choices],
    )  # fmt: skip
    record = forms.ChoiceField(
        label=_("Record"), required=False, choices=[("", _("All records")), *Status.choices]
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments

    def clean_clause(self) -> str:
        clause = str(self.cleaned_data.get("clause") or "").strip().upper()
        if clause and clause not in clause_ids():
            raise forms.ValidationError(
                _("%(clause)s is not a clause of the measures (e.g. M3.2)."),
                params={"clause": clause[:10]},
            )
        return clause
