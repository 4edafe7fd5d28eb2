"""The bureau's editor of rates: one rate a line (currency, yuan per unit, day, source); lines
may be pasted from a spreadsheet. Each refusal names its line and column."""

from __future__ import annotations

from typing import Any

from babel.numbers import get_currency_name
from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.center.rates.choices import OFFERED
from kttc.center.rates.services import RateInput, rate_refusal
from kttc.core.dates import reader_locale
from kttc.core.errors import translated_message
from kttc.core.rows import ChoiceCell, Column, RowsField
from kttc.core.text import TextGuardMixin
from kttc.policy.exchange import RATE_PLACES

DATE = forms.DateInput(attrs={"type": "date"})

#: The column of each field a rule names.
COLUMN_OF = {"currency": 0, "cny_per_unit": 1, "rate_date": 2, "source": 3}


def currency_choices() -> list[tuple[str, str]]:
    """The offered currencies, each with its name in the reader's language (CLDR)."""
    locale = reader_locale()
    return [(code, f"{code} · {get_currency_name(code, locale=locale)}") for code in OFFERED]


class CurrencyCell(ChoiceCell):
    """A currency chosen from the offered ones, or any ISO 4217 code typed or pasted (upper
    case), for the rule to accept or refuse naming the field."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value).upper()


class RateField(forms.DecimalField):
    """Yuan per unit: a dot for decimals, or a comma as Vietnamese, Lao or Khmer write them (a
    rate is below 100000 yuan and is never typed with thousands separators)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and "." not in value and value.count(",") == 1:
            value = value.replace(",", ".")
        return super().to_python(value)


def rate_columns() -> list[Column]:
    return [
        Column("currency", _("Currency"), CurrencyCell(choices=currency_choices(), strict=False)),
        Column(
            "cny_per_unit",
            _("Yuan per unit"),
            RateField(max_digits=RATE_PLACES + 10, decimal_places=RATE_PLACES),
            "narrow",
        ),
        Column("rate_date", _("Rate of"), forms.DateField(widget=DATE), "narrow"),
        Column("source", _("Source"), forms.CharField(max_length=200), "wide"),
    ]


class RatesForm(TextGuardMixin, forms.Form):
    def __init__(self, *args: Any, today: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.columns = rate_columns()
        self.fields["rates"] = RowsField(
            self.columns,
            label=_("Rates to publish"),
            help_text=_(
                "One line per currency: how many yuan one unit was worth on the day, and where "
                "the rate comes from. A dot for decimals (0.00028 for a dong)."
            ),
            paste_help=_("Paste lines from a spreadsheet: currency, yuan per unit, day, source."),
        )

    def clean_rates(self) -> list[RateInput]:
        rates = [RateInput(**row) for row in self.cleaned_data["rates"]]
        errors = []
        for number, rate in enumerate(rates, start=1):
            refusal = rate_refusal(rate, self.today)
            if refusal is None:
                continue
            column = self.columns[COLUMN_OF.get(refusal.field or "", 0)]
            errors.append(
                forms.ValidationError(
                    _("Line %(line)s, %(column)s: %(message)s"),
                    code="row",
                    params={
                        "line": number,
                        "column": column.label,
                        "message": translated_message(refusal),
                    },
                )
            )
        if errors:
            raise forms.ValidationError(errors)
        return rates


class CurrencyForm(TextGuardMixin, forms.Form):
    """The reader's choice of currency for indicative amounts."""

    currency = forms.CharField(max_length=3)
    next = forms.CharField(required=False, max_length=2000)
