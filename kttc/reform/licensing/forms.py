"""Forms of the licence pages (M3) and the transaction page's disclosure (M8.5). Staged payments
are one per line, ``amount; date or milestone``; the royalty rate is entered in percent and
handed to the services as a ratio."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.core.rows import Column, RowsField
from kttc.core.text import TextGuardMixin
from kttc.policy.licensing import (
    DEFAULT_ROYALTY_DUE_DAYS,
    MAX_ROYALTY_DUE_DAYS,
    MAX_TERM_YEARS,
    Stage,
)
from kttc.reform.inputs import DATE
from kttc.reform.licensing.choices import PaymentModel
from kttc.reform.licensing.models import DISCLOSABLE

DISCLOSABLE_LABELS = {
    "licensee": _("The licensee"),
    "exclusive": _("Exclusive or not"),
    "field_of_use": _("Field of use"),
    "territory": _("Territory"),
    "term": _("Term"),
    "payment_model": _("Payment model"),
    "total_fee": _("Licence fee"),
    "royalty_rate": _("Royalty rate"),
}


class OfferForm(TextGuardMixin, forms.Form):
    achievement = forms.TypedChoiceField(label=_("Result"), coerce=int)
    payment_model = forms.ChoiceField(
        label=_("Payment model (M3.2, M3.3)"), choices=PaymentModel.choices
    )
    exclusive = forms.BooleanField(label=_("Exclusive licence"), required=False)
    field_of_use = forms.CharField(label=_("Field of use"), required=False, max_length=300)
    territory = forms.CharField(label=_("Territory"), required=False, max_length=300)
    term_years = forms.IntegerField(
        label=_("Term (years)"), min_value=1, max_value=MAX_TERM_YEARS, initial=5
    )

    def __init__(self, *args: Any, results: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["achievement"])
        field.choices = [(r.pk, r.name) for r in results]


class LicenceApplyForm(TextGuardMixin, forms.Form):
    applicant = forms.TypedChoiceField(label=_("Enterprise"), coerce=int)
    plan = forms.CharField(
        label=_("How the enterprise means to use the result"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    proposed_terms = forms.CharField(
        label=_("Payment terms you propose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        applicant = cast(forms.TypedChoiceField, self.fields["applicant"])
        applicant.choices = [(o.pk, o.name) for o in enterprises]
        if len(applicant.choices) == 1:
            applicant.widget = forms.HiddenInput()
            applicant.initial = applicant.choices[0][0]


class AmountField(forms.DecimalField):
    """An amount in yuan; thousands separators (50,000) are allowed."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.replace(",", "").replace("，", "").strip()
        return super().to_python(value)


STAGE_COLUMNS = [
    Column("amount", _("Amount (yuan)"), AmountField(decimal_places=2), "narrow"),
    Column("due", _("Due on"), forms.DateField(required=False, widget=DATE), "narrow"),
    Column("milestone", _("or at the milestone"), forms.CharField(max_length=200, required=False)),
]


class StagesField(RowsField):
    """M3.2: staged payments, a line each: an amount, due on a date or at a milestone (one of
    the two). A pasted ``amount; pilot line accepted`` reads its second cell as the milestone."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(STAGE_COLUMNS, **kwargs)

    def to_python(self, value: Any) -> list[dict[str, str]]:
        found = super().to_python(value)
        for row in found:
            due, milestone = row.get("due", "").strip(), row.get("milestone", "").strip()
            if due and not milestone:
                try:
                    dt.date.fromisoformat(due)
                except ValueError:
                    row["due"], row["milestone"] = "", due
        return found

    def clean(self, value: Any) -> list[Stage]:  # type: ignore[override]
        stages = []
        for number, row in enumerate(super().clean(value), start=1):
            if (row["due"] is None) == (not row["milestone"]):
                raise forms.ValidationError(
                    _("Line %(line)s: give a due date or a milestone (one of the two)."),
                    params={"line": number},
                )
            if row["due"] is not None:
                stages.append(Stage(row["amount"], due=row["due"]))
            else:
                stages.append(Stage(row["amount"], milestone=row["milestone"]))
        return stages


class ConcludeForm(TextGuardMixin, forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    stages = StagesField(
        label=_("Staged payments (M3.2)"),
        required=False,
        help_text=_(
            "A payment per line: its amount, and the day it falls due or the milestone at "
            "which it does (“pilot line accepted”)."
        ),
    )
    royalty_percent = forms.DecimalField(
        label=_("Royalty on revenue (%)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=4,
    )
    royalty_due_days = forms.IntegerField(
        label=_("Royalty falls due (days after the period)"),
        required=False,
        min_value=1,
        max_value=MAX_ROYALTY_DUE_DAYS,
        initial=DEFAULT_ROYALTY_DUE_DAYS,
        help_text=_(
            "The royalty on each period's revenue falls due this many days after the period "
            "ends (M3.3); the licensee does not choose the day when reporting."
        ),
    )
    total_fee = forms.DecimalField(
        label=_("Licence fee (yuan)"), required=False, min_value=Decimal("0.01"), decimal_places=2
    )
    first_due = forms.DateField(label=_("First instalment due"), required=False, widget=DATE)
    instalments = forms.IntegerField(label=_("Instalments"), min_value=1, initial=1, required=False)
    every_months = forms.IntegerField(
        label=_("Months between instalments"),
        min_value=1,
        max_value=120,
        initial=12,
        required=False,
    )
    grace_months = forms.IntegerField(
        label=_("Grace after the first revenue (months)"), min_value=0, initial=0, required=False
    )
    disclosed = forms.MultipleChoiceField(
        label=_("Published on the transaction page (M8.5)"),
        required=False,
        choices=[(f, DISCLOSABLE_LABELS[f]) for f in DISCLOSABLE],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The result, the unit and the date are always published."),
    )

    #: The fields each payment model asks for (the others do not apply to it).
    FOR_MODEL = {
        "staged_royalty": (
            "starts_on",
            "stages",
            "royalty_percent",
            "royalty_due_days",
            "disclosed",
        ),
        "deferred": (
            "starts_on",
            "total_fee",
            "first_due",
            "instalments",
            "every_months",
            "royalty_percent",
            "royalty_due_days",
            "disclosed",
        ),
        "after_first_revenue": (
            "starts_on",
            "total_fee",
            "instalments",
            "every_months",
            "grace_months",
            "royalty_percent",
            "royalty_due_days",
            "disclosed",
        ),
    }

    def for_model(self, model: str) -> list[Any]:
        """The bound fields that apply to the payment model ``model``."""
        return [self[name] for name in self.FOR_MODEL[model]]

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        percent = d.get("royalty_percent")
        return {
            "starts_on": d["starts_on"],
            "stages": d["stages"],
            "royalty_rate": percent / 100 if percent is not None else None,
            "total_fee": d.get("total_fee"),
            "first_due": d.get("first_due"),
            "instalments": d.get("instalments") or 1,
            "every_months": d.get("every_months") or 12,
            "grace_months": d.get("grace_months") or 0,
            "royalty_due_days": d.get("royalty_due_days") or DEFAULT_ROYALTY_DUE_DAYS,
            "disclosed": d.get("disclosed") or [],
        }


class ReasonForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RevenueForm(TextGuardMixin, forms.Form):
    period_start = forms.DateField(label=_("From"), widget=DATE)
    period_end = forms.DateField(label=_("To"), widget=DATE)
    revenue = forms.DecimalField(label=_("Revenue from the result (yuan)"), decimal_places=2)


class PaymentForm(TextGuardMixin, forms.Form):
    amount = forms.DecimalField(label=_("Amount received (yuan)"), decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)


class MilestoneForm(TextGuardMixin, forms.Form):
    milestone = forms.ChoiceField(label=_("Milestone reached"))
    on = forms.DateField(label=_("Reached on"), widget=DATE)

    def __init__(self, *args: Any, milestones: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["milestone"])
        field.choices = [(m, m) for m in milestones]


class AnswerForm(TextGuardMixin, forms.Form):
    answer = forms.CharField(
        label=_("The licensee's answer"), widget=forms.Textarea(attrs={"rows": 3})
    )
