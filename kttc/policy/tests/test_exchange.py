"""M8.1: the indicative conversion of amounts in yuan, and the rates the center may publish."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy.errors import PolicyError
from kttc.policy.exchange import indicative, rate_check

amounts = st.decimals(min_value=0, max_value=Decimal("9999999999999999.99"), places=2)
rates = st.decimals(min_value=Decimal("0.0000000001"), max_value=Decimal("99999"), places=10)
minor = st.integers(min_value=0, max_value=3)


def test_m8_1_an_amount_is_divided_by_the_rate_and_rounded_half_up_to_minor_units() -> None:
    assert indicative(Decimal("710.00"), Decimal("7.1"), 2) == Decimal("100.00")
    assert indicative(Decimal("1.00"), Decimal("0.00028"), 0) == Decimal("3571")  # 3571.43
    assert indicative(Decimal("0.07"), Decimal("0.00028"), 0) == Decimal("250")
    assert indicative(Decimal("0.01"), Decimal("2"), 2) == Decimal("0.01")  # 0.005 half up
    assert indicative(Decimal("100000.00"), Decimal("0.205"), 2) == Decimal("487804.88")
    # the largest amount over the smallest rate, to the thousandth, does not overflow
    largest = Decimal("9999999999999999.99")
    assert indicative(largest, Decimal("0.0000000001"), 3) == largest * 10**10


@given(amount=amounts, rate=rates, places=minor)
def test_m8_1_a_conversion_is_never_negative_and_has_the_currencys_decimals(
    amount: Decimal, rate: Decimal, places: int
) -> None:
    converted = indicative(amount, rate, places)
    assert converted >= 0
    assert converted.as_tuple().exponent == -places
    # within half a minor unit of the exact quotient
    assert abs(converted - amount / rate) <= Decimal(1).scaleb(-places) / 2


@given(a=amounts, b=amounts, rate=rates, places=minor)
def test_m8_1_a_larger_amount_never_converts_to_less(
    a: Decimal, b: Decimal, rate: Decimal, places: int
) -> None:
    low, high = sorted((a, b))
    assert indicative(low, rate, places) <= indicative(high, rate, places)


@given(amount=amounts, low=rates, high=rates, places=minor)
def test_m8_1_a_dearer_currency_never_gives_more_units(
    amount: Decimal, low: Decimal, high: Decimal, places: int
) -> None:
    cheap, dear = sorted((low, high))
    assert indicative(amount, dear, places) <= indicative(amount, cheap, places)


@pytest.mark.parametrize(
    ("amount", "rate"), [(Decimal(-1), Decimal(7)), (Decimal(1), Decimal(0)),
                         (Decimal(1), Decimal(-7)), (Decimal("NaN"), Decimal(7))],
)  # fmt: skip
def test_m8_1_a_negative_amount_or_a_rate_not_above_zero_is_never_converted(
    amount: Decimal, rate: Decimal
) -> None:
    with pytest.raises(ValueError):
        indicative(amount, rate, 2)


TODAY = dt.date(2026, 12, 5)
KNOWN = frozenset({"USD", "VND"})


def _check(**changes: Any) -> None:
    values: dict[str, Any] = {"currency": "USD", "cny_per_unit": Decimal("7.1"), "rate_date": TODAY,
              "today": TODAY, "known": KNOWN} | changes  # fmt: skip
    rate_check(**values)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "CNY"}, "currency"),
        ({"cny_per_unit": Decimal("-7.1")}, "cny_per_unit"),
        ({"cny_per_unit": Decimal(0)}, "cny_per_unit"),
        ({"cny_per_unit": Decimal("100000")}, "cny_per_unit"),
        ({"cny_per_unit": Decimal("0.00000000001")}, "cny_per_unit"),
        ({"rate_date": TODAY + dt.timedelta(days=1)}, "rate_date"),
    ],
)
def test_m8_1_a_rate_that_cannot_be_right_is_refused_naming_its_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(PolicyError) as refused:
        _check(**changes)
    assert refused.value.field == field


def test_m8_1_a_rate_of_today_or_before_with_ten_decimals_is_taken() -> None:
    _check(cny_per_unit=Decimal("0.0002812345"), currency="VND")
    _check(rate_date=TODAY - dt.timedelta(days=400))
