"""What the forms of the benefits part's packages share: the date widget and the row editor in
which a team's agreed shares are entered, a person and a percentage per line (a distribution's
team, M5.2; a team's split of its shares, M6.1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.core.rows import Column, RowsField

DATE = forms.DateInput(attrs={"type": "date"})


class PercentField(forms.DecimalField):
    """A percentage; a trailing “%” is allowed."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().rstrip("%％").strip()
        return super().to_python(value)


SHARE_COLUMNS = [
    Column("name", _("Name"), forms.CharField(max_length=100)),
    Column("percent", _("Percent"), PercentField(max_digits=12, decimal_places=6), "narrow"),
]


class SharesField(RowsField):
    """A team's agreed shares, a person per line: {name: percent}. A name given twice is
    refused with its line; whether the percentages add up is the rules' to say."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(SHARE_COLUMNS, **kwargs)

    def clean(self, value: Any) -> dict[str, Decimal]:  # type: ignore[override]
        shares: dict[str, Decimal] = {}
        for number, row in enumerate(super().clean(value), start=1):
            if row["name"] in shares:
                raise forms.ValidationError(
                    _("Line %(line)s: %(name)s is named twice."),
                    params={"line": number, "name": row["name"]},
                )
            shares[row["name"]] = row["percent"]
        return shares


def organisation_choices(field: forms.Field, organisations: Any) -> None:
    """The units (or platforms) a person acts for as the field's choices; with one, the field is
    hidden and set to it."""
    choice = cast(forms.ChoiceField, field)
    choice.choices = [(o.pk, o.name) for o in organisations]
    if len(choice.choices) == 1:
        choice.widget = forms.HiddenInput()
        choice.initial = choice.choices[0][0]
