from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.core import parsing
from kttc.core.choices import AUDIT_ACTION_LABELS, OrganisationKind, Role
from kttc.core.text import TextGuardMixin
from kttc.policy import params as policy_params
from kttc.policy.clauses import clause_ids


class ModelMultipleIdsField(forms.ModelMultipleChoiceField):
    """Several objects chosen by id; an id beyond the database's integers is refused as an
    invalid choice beside the field, never sent to the database (DESIGN rule 10: Django's
    ``__in`` lookup would fail on SQLite with an overflow)."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            if pk not in self.empty_values and parsing.parse_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class OrganisationFilterForm(TextGuardMixin, forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganisationKind.choices]
    )


class ApiTokenForm(TextGuardMixin, forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the unit's reporting script."),
    )


class MembershipGrantForm(TextGuardMixin, forms.Form):
    email = forms.EmailField(label=_("Person's e-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AuditFilterForm(TextGuardMixin, forms.Form):
    """M14.1: what an auditor narrows the record to; each field bounded, a wrong value an error
    beside its field (DESIGN rule 10)."""

    date_from = forms.DateField(
        label=pgettext_lazy("date filter", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date filter", "Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    actor = forms.CharField(
        label=_("Actor (e-mail or name)"), required=False, max_length=200, strip=True
    )
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    action = forms.ChoiceField(label=_("Action"), required=False)
    clause = forms.CharField(
        label=_("Clause"), required=False, max_length=10, help_text=_("For example M3.2.")
    )
    q = forms.CharField(label=_("Object contains"), required=False, max_length=200)

    def __init__(self, *args: object, actions: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", _("All actions")),
            *[(a, AUDIT_ACTION_LABELS.get(a, a)) for a in actions],
        ]

    def clean_clause(self) -> str:
        clause = str(self.cleaned_data.get("clause") or "").strip().upper()
        if clause and clause not in clause_ids():
            raise forms.ValidationError(
                _("%(clause)s is not a clause of the measures (e.g. M3.2)."),
                params={"clause": clause[:10]},
            )
        return clause

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end is before the start."))
        return data


class PolicyVersionForm(TextGuardMixin, forms.Form):
    """A new version of the parameters: one field per parameter, checked by the policy layer."""

    code = forms.CharField(
        label=_("Version code"), max_length=40, help_text=_("For example KM-2027.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    source = forms.CharField(label=_("Source document"), max_length=300, required=False)
    effective_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_until = forms.DateField(
        label=_("In force until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, initial_values: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for spec in policy_params.SPECS:
            self.fields[f"param_{spec.key}"] = forms.CharField(
                label=_(spec.title),
                initial=initial_values.get(spec.key, ""),
                help_text=", ".join(spec.clauses),
            )

    def values(self) -> dict[str, str]:
        return {spec.key: self.cleaned_data[f"param_{spec.key}"] for spec in policy_params.SPECS}


class MeasuresStartForm(forms.Form):
    """V.1: the day the measures took effect in this installation (checked by the service)."""

    effective_from = forms.DateField(
        label=_("The measures took effect on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The first policy version is in force from this day; earlier dates are judged by it."
        ),
    )
