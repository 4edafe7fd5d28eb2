"""``{{ amount|money }}``: yuan grouped by thousands with two decimals, as each reader's language
groups them (CLDR); what is not a finite number is shown as it is, never an error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from kttc.core.templatetags.money import money


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
