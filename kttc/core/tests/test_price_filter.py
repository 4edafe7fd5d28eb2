"""Prices read as decimals: exact when they have a short decimal, rounded with the exact fraction
on hover when not (a conversion price of 31/3 no longer reads "31/3")."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from kttc.core.templatetags.money import price


def test_a_price_with_a_short_decimal_is_shown_exactly():
    assert price(Decimal("14")) == "14.00"
    assert price("2.125") == "2.125"
    assert price(Decimal("1234567.5")) == "1,234,567.50"


def test_a_price_without_an_exact_decimal_is_rounded_with_its_fraction_on_hover():
    shown = price("31/3")
    assert shown.startswith('<span title="31/3">≈10.3333')
    assert "(31/3)" in shown  # screen readers hear the exact value too
    assert price(None) == "" and price("not a number") == "not a number"


@given(
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=1, max_value=10**6),
)
def test_the_rounded_price_is_within_half_a_ten_thousandth_of_the_exact_one(num, den):
    exact = Fraction(num, den)
    shown = price(f"{num}/{den}")
    if shown.startswith("<span"):
        number = shown.split("≈", 1)[1].split("<", 1)[0].replace(",", "")
        assert abs(Fraction(number) - exact) <= Fraction(1, 2 * 10**4)
    else:
        assert Fraction(shown.replace(",", "")) == exact
