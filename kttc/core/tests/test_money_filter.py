"""``{{ amount|money }}``: yuan grouped by thousands with two decimals, as each reader's language
groups them (CLDR); what is not a finite number is shown as it is, never an error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kttc.core.templatetags.money import CLDR, grouped, money


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234567.5"), "1,234,567.50"),
        (Decimal("999.99"), "999.99"),
        (Decimal("1000"), "1,000.00"),
        (0, "0.00"),
        ("-1234.005", "-1,234.01"),
        (None, ""),
        ("", ""),
        ("abc", "abc"),
        ("NaN", "NaN"),
        ("1e400", "1e400"),
    ],
)
def test_money(value, shown):
    with translation.override("zh-hans"):
        assert money(value) == shown


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("zh-hans", "123,456.78"),
        ("en", "123,456.78"),
        ("th", "123,456.78"),
        ("my", "123,456.78"),
        ("vi", "123.456,78"),  # Vietnamese groups with points and decimals with a comma
        ("lo", "123.456,78"),
    ],
)
def test_the_filter_groups_as_each_language_does(language, shown):
    with translation.override(language):
        rendered = Template("{% load money %}{{ v|money }}").render(
            Context({"v": Decimal("123456.78")})
        )
    assert rendered == shown


@given(
    amount=st.one_of(
        st.integers(min_value=-(10**15), max_value=10**15).map(Decimal),
        st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False),
    ),
    places=st.sampled_from([0, 2, 4, 6]),
    language=st.sampled_from(sorted(CLDR)),
)
def test_grouped_prints_what_babel_prints_in_every_language(amount, places, language):
    """The parsed locale and pattern kept between calls, and the short way for 0–999, print
    exactly what Babel's format_decimal prints for the same number and language."""
    pattern = "#,##0." + "0" * places if places else "#,##0"
    expected = format_decimal(
        amount, format=pattern, locale=CLDR[language], decimal_quantization=True
    )
    with translation.override(language):
        assert grouped(amount, places) == expected
