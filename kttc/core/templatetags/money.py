"""Amounts as people read them: ``{{ amount|money }}`` gives yuan with thousands separators and
two decimals in the reader's language's convention (CLDR, through Babel): 1234567.5 reads
"1,234,567.50" in Chinese, English, Thai and Burmese, "1.234.567,50" in Vietnamese, Lao and
Khmer; ``{{ p|price }}`` a price that may be an exact fraction (31/3) as a decimal, the fraction
on hover. Digits are always Latin (the PDFs and exports carry the same figures)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern
from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html

register = template.Library()

FEN = Decimal("0.01")

#: The platform's language codes as CLDR names the locales.
CLDR = {"zh-hans": "zh_Hans_CN", "en": "en", "vi": "vi", "th": "th", "lo": "lo", "my": "my",
        "km": "km"}  # fmt: skip


@lru_cache(maxsize=16)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=16)
def _pattern(places: int) -> NumberPattern:
    return parse_pattern("#,##0." + "0" * places if places else "#,##0")


def grouped(amount: Decimal, places: int) -> str:
    """``amount`` with ``places`` decimals, grouped by thousands as the active language does.

    What ``babel.numbers.format_decimal`` gives, with the locale and the pattern parsed once (a
    catalog page prints a hundred counts); a whole number from 0 to 999 has no separator in any
    language and is printed at once."""
    if not places and 0 <= amount < 1000 and amount == amount.to_integral_value():
        return str(int(amount))
    language = (translation.get_language() or settings.LANGUAGE_CODE).lower()
    return _pattern(places).apply(
        amount, _locale(CLDR.get(language, "en")), decimal_quantization=True
    )


@register.filter
def money(value: Any) -> str:
    """An amount in yuan, grouped by thousands; nothing for None, and anything that is not a
    finite number shown as it is."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    if not amount.is_finite():
        return str(value)
    return grouped(amount, 2)


#: The decimals shown of a price that has no exact decimal (31/3 reads 10.3333).
PRICE_PLACES = 4
#: The most decimals of a price shown as it is (a price stored to the millionth).
EXACT_PLACES = 6


@register.filter
def price(value: Any) -> str:
    """A price (per share, per unit) as a decimal grouped by thousands, with at least two
    decimals: exact when it has at most six (14 -> "14.00", 2.125 -> "2.125"); otherwise rounded
    to four, marked "≈", with the exact fraction on hover and for screen readers (31/3 ->
    "≈10.3333", titled "31/3")."""
    if value is None or value == "":
        return ""
    try:
        exact = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return str(value)
    as_decimal = Decimal(exact.numerator) / Decimal(exact.denominator)
    shown = as_decimal.quantize(Decimal(1).scaleb(-EXACT_PLACES), rounding=ROUND_HALF_UP)
    if Fraction(shown) == exact:
        exponent = shown.normalize().as_tuple().exponent  # an int for a finite number
        places = max(2, -exponent) if isinstance(exponent, int) else 2
        return format_html("{}", grouped(shown, places))
    rounded = as_decimal.quantize(Decimal(1).scaleb(-PRICE_PLACES), rounding=ROUND_HALF_UP)
    fraction = f"{exact.numerator}/{exact.denominator}"
    return format_html(
        '<span title="{}">≈{}<span class="visually-hidden"> ({})</span></span>',
        fraction,
        grouped(rounded, PRICE_PLACES),
        fraction,
    )


class Counted(int):
    """A count that prints grouped as the reader's language groups it (1.234 in Vietnamese)
    while a ``{% blocktranslate count %}`` still chooses the plural form by its value: Django
    prints a counter through ``str`` when it does not group numbers itself."""

    def __str__(self) -> str:
        return grouped(Decimal(int(self)), 0)


@register.filter
def number(value: Any) -> Any:
    """A whole number (a count, a total) grouped by thousands as the reader's language does;
    use it on the counter of ``{% blocktranslate count counter=n|number %}`` too. Anything that
    is not a whole number as it is."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return Counted(value)
