"""Dates in pages as the reader's language writes them (CLDR through Babel, see
``kttc.core.dates``): ``{{ d|day }}`` a date in the locale's medium pattern ("5 thg 12, 2026"),
``{{ d|day:"long" }}`` another width (short, medium, long, full); ``{{ t|moment }}`` a date and
a time of day in Asia/Shanghai, ``{{ t|moment:"seconds" }}`` with the seconds. Nothing for
None or "", so ``|default:"—"`` still applies; anything else that is not a date as it is."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template

from kttc.core import dates

register = template.Library()


@register.filter
def day(value: Any, width: str = "medium") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return dates.day(value, width)
    return str(value)


@register.filter
def moment(value: Any, precision: str = "") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return dates.moment(value, seconds=precision == "seconds")
    if isinstance(value, date):
        return dates.day(value)
    return str(value)
