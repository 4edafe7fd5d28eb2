"""Exact money in CNY: Decimal amounts quantised to the fen, and splits that add up.

DESIGN rule 4: money is ``Decimal`` in yuan with two places (the database column is
``DecimalField(max_digits=18, decimal_places=2)``), never a float, and every split of an amount
goes through :func:`allocate`, whose parts always add up to the whole, to the fen. Rounding to the
fen is ROUND_HALF_UP (half a fen rounds away from zero), the rule of Chinese accounting practice.

Intermediate arithmetic is done on integers of fen and on :class:`fractions.Fraction`, so no
result depends on the caller's decimal context or its precision.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from typing import Final

from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop

#: One fen, the smallest unit of CNY amounts.
FEN: Final = Decimal("0.01")
#: Digits of the money column (``max_digits=18``, two of them after the point).
MONEY_MAX_DIGITS: Final = 18
#: The largest amount the money column holds, in fen.
_MAX_FEN: Final = 10**MONEY_MAX_DIGITS - 1
#: Enough precision for every exact operation on amounts within the column's range.
_CONTEXT: Final = Context(prec=MONEY_MAX_DIGITS + 20, rounding=ROUND_HALF_UP)


def _refuse_inexact_type(value: object, what: str) -> None:
    """Raise TypeError for floats (inexact by nature), booleans and other non-numbers."""
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int | str):
        raise TypeError(
            f"{what} must be a Decimal, an int or a decimal string, not {type(value).__name__}"
        )


def _to_decimal(value: Decimal | int | str) -> Decimal:
    """A finite Decimal from ``value``, or PolicyError ``money.invalid``."""
    _refuse_inexact_type(value, "an amount of money")
    try:
        amount = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise PolicyError(
            gettext_noop("“%(value)s” is not an amount of money."),
            code="money.invalid",
            params={"value": value},
        )
    return amount


def _fen_of(amount: Decimal) -> int:
    """ROUND_HALF_UP ``amount`` (in yuan) to a whole number of fen, refusing out-of-range sums."""
    # A number this large cannot fit the column; refusing it before quantising also keeps the
    # quantisation within the context's precision.
    if amount and amount.adjusted() >= MONEY_MAX_DIGITS:
        fen = _MAX_FEN + 1
    else:
        fen = int(amount.scaleb(2, context=_CONTEXT).quantize(Decimal(1), ROUND_HALF_UP))
    if abs(fen) > _MAX_FEN:
        raise PolicyError(
            gettext_noop(
                "%(value)s is more than the largest amount the platform records, %(max)s yuan."
            ),
            code="money.range",
            params={"value": amount, "max": _from_fen(_MAX_FEN)},
        )
    return fen


def _from_fen(fen: int) -> Decimal:
    """The amount in yuan, with exactly two places (``0.00``, never ``-0.00``)."""
    return Decimal(fen).scaleb(-2, context=_CONTEXT)


def _round_half_up_to_fen(yuan: Fraction) -> int:
    """An exact rational amount in yuan, rounded half up (away from zero) to whole fen."""
    scaled = abs(yuan) * 100
    fen = int(scaled + Fraction(1, 2))  # int() truncates; scaled is non-negative
    return fen if yuan >= 0 else -fen


def to_money(value: Decimal | int | str) -> Decimal:
    """DESIGN rule 4: ``value`` as CNY with two places, rounded half up to the fen.

    Floats (and booleans) raise TypeError: a float has already lost the fen it was meant to
    hold. NaN, infinities and text that is not a number raise PolicyError ``money.invalid``;
    amounts beyond the money column (18 digits) raise PolicyError ``money.range``.
    """
    return _from_fen(_fen_of(_to_decimal(value)))


def _allocation_weights(weights: Sequence[Decimal | int]) -> list[Fraction]:
    """The weights as exact fractions, refusing negative, non-finite, empty or all-zero ones."""
    exact: list[Fraction] = []
    for index, weight in enumerate(weights):
        _refuse_inexact_type(weight, "a weight")
        if isinstance(weight, str):
            raise TypeError(f"weight {index + 1} must be a Decimal or an int, not {weight!r}")
        if isinstance(weight, Decimal) and not weight.is_finite():
            raise PolicyError(
                gettext_noop("Share %(index)s, %(weight)s, is not a number."),
                code="money.allocate",
                params={"index": index + 1, "weight": weight},
            )
        if weight < 0:
            raise PolicyError(
                gettext_noop("Shares cannot be negative; share %(index)s is %(weight)s."),
                code="money.allocate",
                params={"index": index + 1, "weight": weight},
            )
        exact.append(Fraction(weight))
    if not exact:
        raise PolicyError(
            gettext_noop("An amount can only be split into one share or more; none was given."),
            code="money.allocate",
        )
    if not any(exact):
        raise PolicyError(
            gettext_noop("An amount can only be split by shares of which one at least is not 0."),
            code="money.allocate",
        )
    return exact


def allocate(total: Decimal, weights: Sequence[Decimal | int]) -> list[Decimal]:
    """DESIGN rule 4: split ``total`` in parts proportional to ``weights``, summing exactly to it.

    Largest-remainder method, in whole fen: each part first gets the fen below its exact share
    ``total × weight / Σ weights``; the fen left over (fewer than the number of parts) go one each
    to the parts with the largest remainders. Tie rule: among equal remainders the part with the
    earlier index wins, so ``allocate(Decimal("100.00"), [1, 1, 1])`` is
    ``[33.34, 33.33, 33.33]``. Every part is within one fen of its exact share, and a part of
    weight 0 gets nothing.

    A negative total (a refund or the reversal of a distribution) is allowed: its absolute value
    is allocated and every part negated, so that a reversal mirrors the original split exactly.

    ``total`` must be a whole number of fen (an amount from :func:`to_money`): rounding it here
    would make the parts add up to something else than the caller's total. Refusals are
    PolicyError ``money.allocate`` (also for no weights, negative, non-finite or all-zero weights)
    or ``money.invalid``/``money.range`` for the total; floats raise TypeError.
    """
    amount = _to_decimal(total)
    total_fen = _fen_of(amount)
    if _from_fen(total_fen) != amount:
        raise PolicyError(
            gettext_noop("The amount to split, %(total)s, is not a whole number of fen."),
            code="money.allocate",
            params={"total": amount},
        )
    exact_weights = _allocation_weights(weights)
    weight_sum = sum(exact_weights, Fraction(0))
    shares = [abs(total_fen) * weight / weight_sum for weight in exact_weights]
    parts = [int(share) for share in shares]  # floor: shares are non-negative
    left_over = abs(total_fen) - sum(parts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for index in by_remainder[:left_over]:
        parts[index] += 1
    sign = -1 if total_fen < 0 else 1
    return [_from_fen(sign * part) for part in parts]


def share_of(total: Decimal, fraction: Decimal) -> Decimal:
    """DESIGN rule 4: ``total × fraction`` rounded half up to the fen, computed exactly.

    ``fraction`` is a ratio from 0 to 1 (a policy share such as ``Decimal("0.70")``); outside
    that range PolicyError ``money.share`` is raised. The product is rounded once, from the exact
    value, so ``share_of(Decimal("0.05"), Decimal("0.5"))`` is ``0.03``. To split an amount into
    parts that must add up, use :func:`allocate` instead: separately rounded shares need not.
    """
    amount = _to_decimal(total)
    if isinstance(fraction, bool) or not isinstance(fraction, Decimal | int):
        raise TypeError(f"fraction must be a Decimal, not {type(fraction).__name__}")
    if not Decimal(fraction).is_finite() or not 0 <= fraction <= 1:
        raise PolicyError(
            gettext_noop("A share must lie between 0 and 1; %(fraction)s does not."),
            code="money.share",
            params={"fraction": fraction},
        )
    fen = _round_half_up_to_fen(Fraction(amount) * Fraction(fraction))
    _fen_of(_from_fen(fen))  # refuses a result beyond the money column
    return _from_fen(fen)


def percent(value: Decimal, places: int | None = None) -> str:
    """Format a ratio as a percentage: ``Decimal("0.7")`` → ``"70%"``, ``0.125`` → ``"12.5%"``.

    With ``places`` the percentage is rounded half up to that many decimals (``percent(
    Decimal("0.12345"), 1)`` → ``"12.3%"``); without, it is exact, trailing zeros dropped.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"value must be a Decimal, not {type(value).__name__}")
    if not Decimal(value).is_finite():
        raise ValueError(f"cannot format {value!r} as a percentage")
    scaled = Decimal(value).scaleb(2, context=_CONTEXT)
    if places is not None:
        scaled = scaled.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, context=_CONTEXT)
    text = format(scaled, "f")
    if places is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if scaled.is_zero():
        text = text.lstrip("-")
    return f"{text}%"
