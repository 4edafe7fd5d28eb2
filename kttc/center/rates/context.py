"""The currency switch of every page's header: the reader's currency and the currencies she
may choose (the yuan alone, and each with a rate in use)."""

from __future__ import annotations

from typing import Any

from babel.numbers import get_currency_name
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kttc.center.rates import selectors
from kttc.center.rates.choices import YUAN_ONLY
from kttc.core.dates import reader_locale


def _choices() -> list[tuple[str, str]]:
    locale = reader_locale()
    return [
        (rate.currency, f"{rate.currency} · {get_currency_name(rate.currency, locale=locale)}")
        for rate in selectors.rates_in_use()
    ]


def currency(request: HttpRequest) -> dict[str, Any]:
    """``currencies`` (empty while no rate is in use: no switch is shown), ``reader_currency``
    and ``yuan_only``; looked up only when a page shows the switch."""
    return {
        "currencies": SimpleLazyObject(_choices),
        "reader_currency": SimpleLazyObject(lambda: selectors.reader_currency(request)),
        "yuan_only": YUAN_ONLY,
    }
