"""Checks of the values a person gives the benefits part's services (shareholding, state equity,
invest first), each refusing with the clause at stake and naming its field, never rounding."""

from __future__ import annotations

from decimal import Decimal

from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import to_money


def text(value: str, field: str, clauses: tuple[str, ...], *, max_length: int) -> str:
    """The text, trimmed: not empty and at most ``max_length`` characters."""
    trimmed = value.strip()
    if not trimmed or len(trimmed) > max_length:
        raise refuse(
            gettext_noop("Fill this in, in at most %(max)s characters."),
            "required",
            field,
            clauses,
            max=max_length,
        )
    return trimmed


def positive_money(value: Decimal, field: str, clauses: tuple[str, ...]) -> Decimal:
    """An amount above 0, given to the fen."""
    amount = to_money(value)
    if amount <= 0 or amount != value:
        raise refuse(
            gettext_noop("%(amount)s is not an amount above 0, to the fen."),
            "money",
            field,
            clauses,
            amount=value,
        )
    return amount


def positive_shares(value: int | None, field: str, clauses: tuple[str, ...]) -> int:
    """A whole number of shares above 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise refuse(
            gettext_noop("Give a whole number of shares above 0; %(value)s is not."),
            "shares",
            field,
            clauses,
            value=value,
        )
    return value
