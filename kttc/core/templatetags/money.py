"""Amounts as people read them: ``{{ amount|money }}`` gives yuan with thousands separators and
two decimals (1234567.5 -> "1,234,567.50"), the same in Chinese and English."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

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
