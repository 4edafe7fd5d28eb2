"""Template filters of the benefits pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from kttc.policy.money import percent

register = template.Library()


@register.filter(name="ratio_percent")
def ratio_percent(ratio: Any) -> str:
    """A stored ratio as a percentage to at most two decimals: 0.700000 → "70%"."""
    if ratio is None or ratio == "":
        return "—"
    text = percent(Decimal(ratio), 2)
    whole, _dot, decimals = text[:-1].partition(".")
    decimals = decimals.rstrip("0")
    return f"{whole}.{decimals}%" if decimals else f"{whole}%"
