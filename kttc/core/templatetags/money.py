"""Amounts as people read them: ``{{ amount|money }}`` gives yuan with thousands separators and
two decimals (1234567.5 -> "1,234,567.50"), the same in Chinese and English; ``{{ p|price }}`` a
price that may be an exact fraction (31/3) as a decimal, the fraction on hover."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django import template
from django.utils.html import format_html

register = template.Library()

FEN = Decimal("0.01")


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
    return f"{amount:,.2f}"


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
        return format_html("{}", f"{shown:,.{places}f}")
    rounded = as_decimal.quantize(Decimal(1).scaleb(-PRICE_PLACES), rounding=ROUND_HALF_UP)
    fraction = f"{exact.numerator}/{exact.denominator}"
    return format_html(
        '<span title="{}">≈{}<span class="visually-hidden"> ({})</span></span>',
        fraction,
        f"{rounded:,.{PRICE_PLACES}f}",
        fraction,
    )
