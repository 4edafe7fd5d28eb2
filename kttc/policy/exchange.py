"""Indicative conversion of amounts in CNY for readers abroad (M8.1: the center radiates to South
and Southeast Asia), at the rates the center publishes.

The amount in CNY is the legal one everywhere; a conversion is only shown beside it, marked
indicative with the rate's date. A rate is "CNY per one unit of the currency" (7.1 for USD,
0.00028 for VND), so converting divides; the result is rounded half up to the currency's minor
units (ISO 4217: two decimals for USD and THB, none for VND, LAK or MMK), never a float.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Final

from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop

#: The decimals a rate is stored with: enough for one Vietnamese dong or Lao kip (0.00028 CNY)
#: to keep six significant digits.
RATE_PLACES: Final = 10
#: The largest rate taken (CNY per unit): above any currency's, so a slip of the decimal
#: separator is refused rather than published.
RATE_MAX: Final = Decimal(100_000)
#: The currency the amounts are in; it has no rate to itself.
BASE_CURRENCY: Final = "CNY"


def indicative(amount: Decimal, cny_per_unit: Decimal, minor_units: int) -> Decimal:
    """M8.1: ``amount`` yuan in a currency worth ``cny_per_unit`` yuan a unit, rounded half up to
    the currency's ``minor_units`` decimals. Amounts are not negative and rates are positive;
    anything else is a programming error (``ValueError``), never a number shown."""
    if not amount.is_finite() or amount < 0:
        raise ValueError("an amount to convert is a finite number not below zero")
    if not cny_per_unit.is_finite() or cny_per_unit <= 0:
        raise ValueError("a rate is a finite number above zero")
    if minor_units < 0:
        raise ValueError("minor units are not negative")
    # Enough digits for the largest amount (18) over the smallest rate (ten decimals) to the
    # thousandth: the default 28 would fail on them, and a page must not.
    with localcontext() as context:
        context.prec = 60
        exact = amount / cny_per_unit
        return exact.quantize(Decimal(1).scaleb(-minor_units), rounding=ROUND_HALF_UP)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def rate_check(
    *, currency: str, cny_per_unit: Decimal, rate_date: date, today: date, known: frozenset[str]
) -> None:
    """M8.1: a rate the center may publish: a currency of ISO 4217 other than CNY, a positive
    rate of at most ``RATE_PLACES`` decimals below ``RATE_MAX``, of a day not after ``today``
    (a rate is of a day that has come). Each refusal names its field."""
    if currency == BASE_CURRENCY or currency not in known:
        raise PolicyError(
            gettext_noop("%(currency)s is not a currency of ISO 4217 other than the yuan."),
            code="rates.currency",
            field="currency",
            params={"currency": currency},
        )
    if (
        not cny_per_unit.is_finite()
        or cny_per_unit <= 0
        or cny_per_unit >= RATE_MAX
        or _places(cny_per_unit) > RATE_PLACES
    ):
        raise PolicyError(
            gettext_noop(
                "A rate is a number of yuan above zero and below 100000, with at most 10 decimals."
            ),
            code="rates.rate",
            field="cny_per_unit",
        )
    if rate_date > today:
        raise PolicyError(
            gettext_noop("A rate is of a day that has come: %(date)s is after today."),
            code="rates.future",
            field="rate_date",
            params={"date": rate_date.isoformat()},
        )


__all__ = ["BASE_CURRENCY", "RATE_MAX", "RATE_PLACES", "indicative", "rate_check"]
