"""What the forms of the benefits part's packages share: the date widget and the ``name; percent``
lines in which a team's agreed shares are typed (a distribution's team, M5.2; a team's split of
its shares, M6.1)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"})


def parse_shares(text: str) -> dict[str, Decimal]:
    """``name; percent`` per line → {name: percent}. Raises ValidationError naming the line."""
    shares: dict[str, Decimal] = {}
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        name, _sep, value = (part.strip() for part in line.replace("；", ";").partition(";"))
        try:
            percent = Decimal(value.rstrip("%").strip())
        except InvalidOperation:
            raise forms.ValidationError(
                _("Line %(line)s: write “name; percent”, for example “李明; 60”."),
                params={"line": number},
            ) from None
        if name in shares:
            raise forms.ValidationError(
                _("Line %(line)s: %(name)s is named twice."), params={"line": number, "name": name}
            )
        shares[name] = percent
    return shares


def organisation_choices(field: forms.Field, organisations: Any) -> None:
    """The units (or platforms) a person acts for as the field's choices; with one, the field is
    hidden and set to it."""
    choice = cast(forms.ChoiceField, field)
    choice.choices = [(o.pk, o.name) for o in organisations]
    if len(choice.choices) == 1:
        choice.widget = forms.HiddenInput()
        choice.initial = choice.choices[0][0]
