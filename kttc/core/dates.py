"""Dates as each reader reads them: the CLDR patterns of the reader's language (through Babel),
for every language of the platform, including those Django has no formats for (Lao, Burmese).

A date is shown in the locale's *medium* pattern unless a page asks for another width: 5 Dec
2026 reads "2026年12月5日", "Dec 5, 2026", "5 thg 12, 2026", "5 ธ.ค. 2026", "5 ທ.ວ. 2026",
"2026 ဒီ 5", "5 ធ្នូ 2026". The calendar is the Gregorian one in every language (Thai readers
get Thai month names with the Gregorian year, as business documents use; no Buddhist era).
Digits are Latin, as in amounts. A moment (an aware datetime) is shown at its time in
Asia/Shanghai, the platform's time zone: legal dates do not move, only their display does.

What leaves the platform as data (exports, the audit chain, API answers, ``datetime``
attributes, form inputs) stays ISO 8601.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

from babel.dates import format_date, format_time, get_datetime_format
from django.conf import settings
from django.utils import timezone, translation

#: The platform's language codes as CLDR names the locales.
CLDR = {"zh-hans": "zh_Hans_CN", "en": "en", "vi": "vi", "th": "th", "lo": "lo", "my": "my",
        "km": "km"}  # fmt: skip

Width = Literal["short", "medium", "long", "full"]
WIDTHS: tuple[Width, ...] = ("short", "medium", "long", "full")

#: A parameter of a message that is a date written for machines (``date.isoformat()``).
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def reader_locale(language: str | None = None) -> str:
    """The CLDR locale of ``language`` (the active language by default); English for any other."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    return CLDR.get(code, "en")


def _width(width: str) -> Width:
    for known in WIDTHS:
        if width == known:
            return known
    return "medium"


def day(value: date | datetime, width: str = "medium") -> str:
    """``value`` as a date in the reader's locale (a datetime by its day in Asia/Shanghai)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date(value, format=_width(width), locale=reader_locale())


def moment(value: datetime, seconds: bool = False) -> str:
    """``value`` as a date and a time of day in the reader's locale, in Asia/Shanghai: the
    medium date and the short time (hours and minutes; with the seconds when asked), joined as
    the locale joins them."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    locale = reader_locale()
    when = format_time(local.time(), format="medium" if seconds else "short", locale=locale)
    joined = str(get_datetime_format("medium", locale=locale))
    return joined.replace("{1}", format_date(local.date(), "medium", locale=locale)).replace(
        "{0}", when
    )


def localized_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of a message with each ISO date (as services store them) shown in the
    reader's locale; every other value as it is."""
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, str) and ISO_DAY.match(value):
            with contextlib.suppress(ValueError):
                value = day(date.fromisoformat(value))
        shown[key] = value
    return shown


__all__ = ["CLDR", "day", "localized_params", "moment", "reader_locale"]
