"""Forms of the units' reports (M13.3): the bureau's period, the unit's figures with their
reasons (one pair of inputs per field of :data:`kttc.policy.unit_reports.FIELDS`), the bureau's
reason for a return. The services check the figures; these only carry them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kttc.core.text import TextGuardMixin
from kttc.oversight.reports.models import UnitReport
from kttc.policy import unit_reports as rules


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year reported on"), min_value=rules.FIRST_YEAR)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class ReturnForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the report is returned"),
        max_length=rules.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def value_name(code: str) -> str:
    return f"v_{code}"


def reason_name(code: str) -> str:
    return f"r_{code}"


class FiguresForm(forms.Form):
    """A figure and a reason per field, the report's filed figures and reasons as initial
    values. Blank figures are allowed here: a draft may be saved incomplete."""

    def __init__(self, *args: Any, report: UnitReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        for field in rules.FIELDS:
            decimal = field.kind is rules.Kind.AMOUNT
            self.fields[value_name(field.code)] = forms.CharField(
                label=gettext(field.label),
                required=False,
                max_length=40,
                initial=report.figures.get(field.code) or "",
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal" if decimal else "numeric",
                        "autocomplete": "off",
                        "data-platform": report.platform.get(field.code) or "",
                    }
                ),
            )
            self.fields[reason_name(field.code)] = forms.CharField(
                label=gettext("Reason for the difference: %(field)s")
                % {"field": gettext(field.label)},
                required=False,
                max_length=rules.REASON_MAX,
                initial=report.reasons.get(field.code, ""),
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )

    def entries(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            f.code: (data.get(value_name(f.code)) or "", data.get(reason_name(f.code)) or "")
            for f in rules.FIELDS
        }

    def rows(self) -> list[dict[str, Any]]:
        """Each field with its bound inputs, grouped as the national form groups them."""
        found = []
        for field in rules.FIELDS:
            found.append(
                {
                    "field": field,
                    "label": gettext(field.label),
                    "group": gettext(rules.GROUP_LABELS[field.group]),
                    "source": gettext(rules.SOURCE_LABELS[field.source]),
                    "rule": gettext(field.rule),
                    "platform": self.report.platform.get(field.code),
                    "value": self[value_name(field.code)],
                    "reason": self[reason_name(field.code)],
                }
            )
        return found
