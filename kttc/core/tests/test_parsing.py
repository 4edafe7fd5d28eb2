"""The one parser of ids, page numbers and small integers (DESIGN rule 10)."""

from __future__ import annotations

import pytest
from django.http import Http404
from hypothesis import given
from hypothesis import strategies as st

from kttc.core import parsing


@pytest.mark.parametrize(
    "value",
    ["AAA", "²", "١٢", "１２", "", " ", None, "0", "-1", "1.5", "1e3", "+1", "9" * 20, True],
)
def test_a_malformed_id_is_none_and_a_page_answers_404(value: object) -> None:
    assert parsing.parse_id(value) is None
    with pytest.raises(Http404):
        parsing.id_or_404(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), (" 42 ", 42), (7, 7), (str(2**63 - 1), 2**63 - 1), ("007", 7)],
)
def test_a_well_formed_id_is_read(value: object, expected: int) -> None:
    assert parsing.parse_id(value) == parsing.id_or_404(value) == expected


def test_an_id_beyond_the_databases_integers_is_none() -> None:
    assert parsing.parse_id(str(2**63)) is None
    assert parsing.parse_id(2**63) is None


@pytest.mark.parametrize(
    ("value", "page"),
    [
        ("10000000000000000000", parsing.PAGE_MAX),
        ("-1", 1),
        ("0", 1),
        ("²", 1),
        ("AAA", 1),
        (None, 1),
        ("3", 3),
    ],
)
def test_a_page_number_is_clamped_to_its_bounds(value: object, page: int) -> None:
    assert parsing.page_number(value) == page


def test_a_list_filter_ignores_a_malformed_id_and_checkboxes_keep_the_good_ones() -> None:
    assert parsing.optional_id({"unit": "²"}, "unit") is None
    assert parsing.optional_id({"unit": "12"}, "unit") == 12
    assert parsing.ids(["1", "²", "AAA", "9" * 25, "-3", "5"]) == [1, 5]


@given(st.text(max_size=25))
def test_whatever_is_sent_an_integer_is_none_or_within_its_bounds(text: str) -> None:
    found = parsing.integer(text, minimum=-5, maximum=10)
    assert found is None or -5 <= found <= 10
    if found is not None:
        assert int(text) == found
