"""Indicative amounts on public pages: ``{% indicative amount %}`` after an amount in yuan shows
it in the reader's currency at the rate the center publishes ("≈ 1.234 US$"), marked
indicative with the rate's day; ``{% indicative low high %}`` a range. Nothing when the reader
reads the yuan alone or no rate of her currency is in use: never a wrong number. The amount in
yuan stays the one that counts; back-office pages and exports do not use these tags.

``{% indicative_note %}`` (at the foot of every page) explains the conversions the page
showed: the currency, the rate, its day and source."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_currency, format_decimal, get_currency_name
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from kttc.center.rates.selectors import Conversion, conversion_for
from kttc.core.dates import day, reader_locale

register = template.Library()

_SHOWN = "_kttc_indicative_shown"


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def _money(conversion: Conversion, amount: Decimal) -> str:
    return format_currency(conversion.of(amount), conversion.currency, locale=reader_locale())


@register.filter
def rate(value: Decimal) -> str:
    """A rate (yuan per unit) with the decimals it has, up to ten, as the language writes
    numbers: 7.1, 0.00028 (never 7.1000000000 or 1E+1)."""
    return format_decimal(value, format="#,##0.##########", locale=reader_locale())


def _rate(conversion: Conversion) -> str:
    return rate(conversion.rate.cny_per_unit)


def _title(conversion: Conversion) -> str:
    return gettext(
        "Indicative, at the rate of %(date)s published by the center: 1 %(currency)s = "
        "%(rate)s yuan. The amount in yuan is the one that counts."
    ) % {
        "date": day(conversion.rate.rate_date),
        "currency": conversion.currency,
        "rate": _rate(conversion),
    }


@register.simple_tag(takes_context=True)
def indicative(context: template.Context, amount: Any, high: Any = None) -> SafeString | str:
    request = context.get("request")
    low = _amount(amount)
    if request is None or low is None:
        return ""
    conversion = conversion_for(request)
    if conversion is None:
        return ""
    shown = _money(conversion, low)
    top = _amount(high)
    if top is not None:
        shown = f"{shown} – {_money(conversion, top)}"
    setattr(request, _SHOWN, conversion)
    return format_html(
        '<span class="indicative" data-indicative="{}" title="{}">≈\u00a0{}'
        '<span class="visually-hidden"> ({})</span></span>',
        conversion.currency,
        _title(conversion),
        shown,
        gettext("indicative"),
    )


@register.simple_tag(takes_context=True)
def indicative_note(context: template.Context) -> SafeString | str:
    request = context.get("request")
    conversion = getattr(request, _SHOWN, None) if request is not None else None
    if not isinstance(conversion, Conversion):
        return ""
    rate = conversion.rate
    text = gettext(
        "≈ Amounts in %(currency)s are indicative, converted at the rate of %(date)s "
        "published by the center (1 %(code)s = %(rate)s yuan; source: %(source)s). The "
        "amount in yuan is the one that counts."
    ) % {
        "currency": get_currency_name(conversion.currency, locale=reader_locale()),
        "code": conversion.currency,
        "date": day(rate.rate_date),
        "rate": _rate(conversion),
        "source": rate.source,
    }
    return format_html('<p class="note indicative-note" id="indicative-note">{}</p>', text)
