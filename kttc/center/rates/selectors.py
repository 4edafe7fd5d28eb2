"""Reads of the rates: the rate in use for a currency, the rates in use, the history, and the
reader's currency with its conversion (once per request)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from babel.numbers import get_currency_precision
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone, translation

from kttc.center.rates.choices import BY_LANGUAGE, COOKIE, FRESH_DAYS, KNOWN, YUAN_ONLY
from kttc.center.rates.models import ExchangeRate, ReaderCurrency
from kttc.core.models import User
from kttc.policy.exchange import indicative


def history() -> QuerySet[ExchangeRate]:
    """Every rate published, the latest first, with who published it."""
    return ExchangeRate.objects.select_related("published_by").order_by("-published_at", "-pk")


def _fresh(today: date) -> QuerySet[ExchangeRate]:
    """The rates of a day from ``FRESH_DAYS`` before ``today`` to ``today``, the one in use of
    each currency first (the latest day, then the latest published: a correction)."""
    return ExchangeRate.objects.filter(
        rate_date__lte=today, rate_date__gte=today - timedelta(days=FRESH_DAYS)
    ).order_by("currency", "-rate_date", "-published_at", "-pk")


def rate_in_use(currency: str, today: date | None = None) -> ExchangeRate | None:
    """The rate of ``currency`` in use on ``today``; None when the center published none lately
    (no conversion rather than a stale one)."""
    return _fresh(today or timezone.localdate()).filter(currency=currency).first()


def rates_in_use(today: date | None = None) -> list[ExchangeRate]:
    """The rate in use of each currency that has one, by currency."""
    seen: dict[str, ExchangeRate] = {}
    for rate in _fresh(today or timezone.localdate()).select_related("published_by"):
        seen.setdefault(rate.currency, rate)
    return list(seen.values())


def default_currency(language: str | None = None) -> str:
    """The reader's currency by her language when she chose none (the yuan alone for Chinese)."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    return BY_LANGUAGE.get(code, YUAN_ONLY)


def valid_currency(code: str | None) -> str | None:
    """``code`` as a reader's currency (upper case), or None when it is none."""
    code = (code or "").strip().upper()
    return code if code == YUAN_ONLY or code in KNOWN else None


def chosen_currency(user: User | None) -> str | None:
    """The currency a signed-in reader chose, if any."""
    if user is None or not user.is_authenticated:
        return None
    found = ReaderCurrency.objects.filter(user=user).values_list("currency", flat=True).first()
    return valid_currency(found)


def reader_currency(request: HttpRequest) -> str:
    """The reader's currency: her choice on this browser (the cookie), else the one she chose
    signed in on another, else her language's."""
    return (
        valid_currency(request.COOKIES.get(COOKIE))
        or chosen_currency(getattr(request, "user", None))
        or default_currency()
    )


@dataclass(frozen=True)
class Conversion:
    """The indicative conversion into the reader's currency at the rate in use."""

    rate: ExchangeRate

    @property
    def currency(self) -> str:
        return self.rate.currency

    def of(self, amount: Decimal) -> Decimal:
        """``amount`` yuan in the currency, rounded to its minor units (ISO 4217, CLDR)."""
        return indicative(amount, self.rate.cny_per_unit, get_currency_precision(self.currency))


_UNSET = object()


def conversion_for(request: HttpRequest) -> Conversion | None:
    """The conversion for this reader (looked up once per request), or None: she reads the
    yuan alone, or no rate of her currency is in use."""
    cached = getattr(request, "_kttc_conversion", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    currency = reader_currency(request)
    rate = None if currency == YUAN_ONLY else rate_in_use(currency)
    conversion = Conversion(rate) if rate is not None else None
    request._kttc_conversion = conversion  # type: ignore[attr-defined]
    return conversion
