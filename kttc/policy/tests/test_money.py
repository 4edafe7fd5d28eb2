"""Money in CNY (DESIGN rule 4): Decimal to the fen, ROUND_HALF_UP, splits that add up exactly."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy.errors import PolicyError
from kttc.policy.money import FEN, allocate, percent, share_of, to_money

# ---------------------------------------------------------------------------------------------
# to_money
# ---------------------------------------------------------------------------------------------


def test_fen_is_one_hundredth_of_a_yuan() -> None:
    assert Decimal("0.01") == FEN
    assert FEN.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.005", "1.01"),
        ("1.00499", "1.00"),
        ("2.675", "2.68"),  # the amount a float would round to 2.67
        ("-1.005", "-1.01"),  # half up means away from zero
        ("0.1", "0.10"),
        (Decimal("12.3456"), "12.35"),
        (3, "3.00"),
        (" 100000 ", "100000.00"),
        ("1E+3", "1000.00"),
    ],
)
def test_to_money_rounds_half_up_to_the_fen(value: Decimal | int | str, expected: str) -> None:
    amount = to_money(value)
    assert amount == Decimal(expected)
    assert str(amount) == expected
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("value", ["-0", "-0.004", Decimal("-0.00")])
def test_to_money_never_returns_negative_zero(value: Decimal | str) -> None:
    assert str(to_money(value)) == "0.00"


@pytest.mark.parametrize("value", [0.1, 1.0, True])
def test_to_money_refuses_floats_and_booleans_with_type_error(value: object) -> None:
    with pytest.raises(TypeError):
        to_money(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", ["NaN", "sNaN", "Infinity", "-Infinity", Decimal("NaN"), Decimal("Inf"), "1,000", ""]
)
def test_to_money_refuses_non_finite_and_non_numeric_values(value: Decimal | str) -> None:
    with pytest.raises(PolicyError) as caught:
        to_money(value)
    assert caught.value.code == "money.invalid"


def test_to_money_refuses_amounts_beyond_the_18_digit_money_column() -> None:
    assert to_money("9999999999999999.99") == Decimal("9999999999999999.99")
    for too_large in ("10000000000000000", "-10000000000000000", "9999999999999999.995", "1E+40"):
        with pytest.raises(PolicyError) as caught:
            to_money(too_large)
        assert caught.value.code == "money.range"


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12))
def test_to_money_agrees_with_decimal_quantize_half_up(value: Decimal) -> None:
    with localcontext() as context:
        context.prec = 60
        expected = value.quantize(FEN, rounding=ROUND_HALF_UP)
    assert to_money(value) == expected
    assert abs(to_money(value) - value) <= Decimal("0.005")


# ---------------------------------------------------------------------------------------------
# allocate
# ---------------------------------------------------------------------------------------------


def test_allocate_gives_the_leftover_fen_to_the_earlier_part_on_equal_remainders() -> None:
    assert allocate(Decimal("100.00"), [1, 1, 1]) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert allocate(Decimal("0.01"), [1, 1, 1]) == [Decimal("0.01"), Decimal(0), Decimal(0)]
    assert allocate(Decimal("0.02"), [1, 1, 1]) == [
        Decimal("0.01"),
        Decimal("0.01"),
        Decimal("0.00"),
    ]


def test_allocate_gives_the_leftover_fen_to_the_largest_remainder_first() -> None:
    # 100 fen × 1/3 = 33.33…, × 2/3 = 66.66…: the later part has the larger remainder.
    assert allocate(Decimal("1.00"), [1, 2]) == [Decimal("0.33"), Decimal("0.67")]
    # 70 % / 30 % of 100.01: 70.007 and 30.003; the single leftover fen goes to the 70 % part.
    assert allocate(Decimal("100.01"), [Decimal("0.7"), Decimal("0.3")]) == [
        Decimal("70.01"),
        Decimal("30.00"),
    ]


def test_allocate_gives_nothing_to_a_zero_weight() -> None:
    assert allocate(Decimal("0.05"), [0, 1, 0, 1]) == [
        Decimal("0.00"),
        Decimal("0.03"),
        Decimal("0.00"),
        Decimal("0.02"),
    ]


def test_allocate_splits_a_negative_total_as_the_mirror_of_the_positive_one() -> None:
    assert allocate(Decimal("-100.00"), [1, 1, 1]) == [
        Decimal("-33.34"),
        Decimal("-33.33"),
        Decimal("-33.33"),
    ]


def test_allocate_parts_have_two_decimal_places_and_no_negative_zero() -> None:
    parts = allocate(Decimal("-0.01"), [1, 1])
    assert [str(part) for part in parts] == ["-0.01", "0.00"]


def test_allocate_refuses_a_total_that_is_not_a_whole_number_of_fen() -> None:
    with pytest.raises(PolicyError) as caught:
        allocate(Decimal("10.005"), [1, 1])
    assert caught.value.code == "money.allocate"
    assert caught.value.params == {"total": Decimal("10.005")}


@pytest.mark.parametrize(
    "weights",
    [[], [0, 0], [Decimal(0)], [1, -1], [Decimal("-0.1"), Decimal("1")], [Decimal("NaN"), 1]],
)
def test_allocate_refuses_empty_negative_non_finite_or_all_zero_weights(
    weights: list[Decimal | int],
) -> None:
    with pytest.raises(PolicyError) as caught:
        allocate(Decimal("10.00"), weights)
    assert caught.value.code == "money.allocate"


def test_allocate_refuses_floats_with_type_error() -> None:
    with pytest.raises(TypeError):
        allocate(10.0, [1, 1])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        allocate(Decimal("10.00"), [0.5, 0.5])  # type: ignore[list-item]


def test_allocate_refuses_a_non_finite_total() -> None:
    with pytest.raises(PolicyError) as caught:
        allocate(Decimal("Infinity"), [1])
    assert caught.value.code == "money.invalid"


fen_totals = st.integers(min_value=-(10**15), max_value=10**15).map(lambda n: Decimal(n) * FEN)
weight_values = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.decimals(min_value=0, max_value=1000, places=4),
)
weight_lists = st.lists(weight_values, min_size=1, max_size=12).filter(any)


def _exact_share(total: Decimal, weights: list[Decimal | int], index: int) -> Fraction:
    return Fraction(total) * Fraction(weights[index]) / sum(Fraction(w) for w in weights)


@given(fen_totals, weight_lists)
def test_allocate_parts_always_sum_exactly_to_the_total(
    total: Decimal, weights: list[Decimal | int]
) -> None:
    parts = allocate(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts, Decimal(0)) == total
    assert all(part.as_tuple().exponent == -2 for part in parts)


@given(fen_totals, weight_lists)
def test_allocate_each_part_is_within_one_fen_of_its_exact_share(
    total: Decimal, weights: list[Decimal | int]
) -> None:
    parts = allocate(total, weights)
    for index, part in enumerate(parts):
        assert abs(Fraction(part) - _exact_share(total, weights, index)) < Fraction(FEN)


@given(fen_totals, weight_lists)
def test_allocate_parts_are_non_negative_for_non_negative_totals_and_mirror_for_negative(
    total: Decimal, weights: list[Decimal | int]
) -> None:
    parts = allocate(abs(total), weights)
    assert all(part >= 0 for part in parts)
    assert allocate(-abs(total), weights) == [-part for part in parts]


@given(fen_totals, weight_lists)
def test_allocate_is_deterministic_and_scale_free_in_its_weights(
    total: Decimal, weights: list[Decimal | int]
) -> None:
    parts = allocate(total, weights)
    assert allocate(total, list(weights)) == parts
    assert allocate(total, [Decimal(w) * 7 for w in weights]) == parts


@given(fen_totals, st.integers(min_value=1, max_value=20))
def test_allocate_equal_weights_differ_by_at_most_one_fen_earlier_parts_first(
    total: Decimal, count: int
) -> None:
    parts = [abs(part) for part in allocate(total, [1] * count)]
    assert max(parts) - min(parts) <= FEN
    assert parts == sorted(parts, reverse=True)


# ---------------------------------------------------------------------------------------------
# share_of and percent
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "fraction", "expected"),
    [
        ("100000.00", "0.70", "70000.00"),
        ("0.05", "0.5", "0.03"),  # 0.025 rounds half up
        ("-0.05", "0.5", "-0.03"),
        ("0.03", "0.1", "0.00"),  # 0.003
        ("123.45", "0", "0.00"),
        ("123.45", "1", "123.45"),
        ("1", "0.333333333333333333333333333333333333335", "0.33"),
    ],
)
def test_share_of_rounds_the_exact_product_half_up_to_the_fen(
    total: str, fraction: str, expected: str
) -> None:
    result = share_of(Decimal(total), Decimal(fraction))
    assert str(result) == expected


@pytest.mark.parametrize("fraction", [Decimal("-0.01"), Decimal("1.01"), Decimal("NaN")])
def test_share_of_refuses_a_fraction_outside_0_to_1(fraction: Decimal) -> None:
    with pytest.raises(PolicyError) as caught:
        share_of(Decimal("100.00"), fraction)
    assert caught.value.code == "money.share"


def test_share_of_refuses_float_arguments() -> None:
    with pytest.raises(TypeError):
        share_of(Decimal("100.00"), 0.7)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        share_of(100.0, Decimal("0.7"))  # type: ignore[arg-type]


@given(fen_totals, st.decimals(min_value=0, max_value=1, places=6))
def test_share_of_agrees_with_decimal_half_up_of_the_exact_product(
    total: Decimal, fraction: Decimal
) -> None:
    with localcontext() as context:
        context.prec = 60
        expected = (total * fraction).quantize(FEN, rounding=ROUND_HALF_UP)
    result = share_of(total, fraction)
    assert result == expected
    assert str(result) != "-0.00"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("0.7"), None, "70%"),
        (Decimal("0.70"), None, "70%"),
        (Decimal("0.125"), None, "12.5%"),
        (Decimal("1"), None, "100%"),
        (Decimal("0"), None, "0%"),
        (Decimal("0.12345"), 1, "12.3%"),
        (Decimal("0.12355"), 2, "12.36%"),
        (Decimal("0.1"), 2, "10.00%"),
        (Decimal("-0.00001"), 0, "0%"),
    ],
)
def test_percent_formats_a_ratio_as_a_percentage(
    value: Decimal, places: int | None, expected: str
) -> None:
    assert percent(value, places) == expected


def test_percent_refuses_floats() -> None:
    with pytest.raises(TypeError):
        percent(0.7)  # type: ignore[arg-type]
