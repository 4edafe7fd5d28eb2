"""The currencies of the rates, and the reader's currency by language."""

from __future__ import annotations

from typing import Final

from babel.numbers import list_currencies

from kttc.policy.exchange import BASE_CURRENCY

#: Every currency of ISO 4217 Babel knows (CLDR), the yuan aside: what a rate may be of.
KNOWN: Final[frozenset[str]] = frozenset(list_currencies()) - {BASE_CURRENCY}

#: The currencies offered first in the bureau's editor: those of the region the center serves
#: (M8.1) and the usual ones of trade. Any other code of ISO 4217 may be typed or pasted.
OFFERED: Final[tuple[str, ...]] = (
    "USD", "EUR", "VND", "THB", "LAK", "MMK", "KHR", "MYR", "SGD", "IDR", "PHP", "BND",
    "INR", "BDT", "NPR", "LKR", "PKR", "HKD", "JPY", "KRW", "GBP",
)  # fmt: skip

#: The reader's currency when she has not chosen one: that of her language's country; none
#: (the yuan alone) for Chinese.
BY_LANGUAGE: Final[dict[str, str]] = {
    "vi": "VND", "th": "THB", "lo": "LAK", "my": "MMK", "km": "KHR", "en": "USD",
}  # fmt: skip

#: The reader's choice of the yuan alone (no conversion).
YUAN_ONLY: Final = BASE_CURRENCY

#: The cookie that remembers the reader's choice (as the language's does).
COOKIE: Final = "kttc_currency"
#: A rate older than this many days is not used: no conversion rather than a stale one.
FRESH_DAYS: Final = 31
