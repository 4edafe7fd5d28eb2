"""Rules of public listing with bidding (公开挂牌竞价): a unit lists a result for transfer or an
exclusive licence at a reserve price for a listing period (M4.4: public market transfer of a
result on the open licensing list; M8.5: the transaction disclosed on the platform); verified
enterprises register to bid; bids rise by at least the step above the current price (open
ascending bidding, the close extended when a bid arrives in its last minutes) or are sealed and
opened together at the close; the highest bid wins.

Pure functions over plain values; ``kttc.center.listings.services`` calls them under the
listing's row lock and turns a refusal into an error the user sees beside the field it names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Final

from kttc.policy.errors import PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import FEN, MONEY_MAX_DIGITS

CLAUSES: Final = ("M4.4", "M8.5")
#: The largest price a listing or a bid may state, in yuan: what a money column holds.
PRICE_MAX: Final = Decimal(10 ** (MONEY_MAX_DIGITS - 2)) - FEN
#: The listing period the platform accepts (its own bounds, not the measures').
PERIOD_MIN: Final = timedelta(days=1)
PERIOD_MAX: Final = timedelta(days=180)
#: How long a late bid extends the close (延时), in minutes, at most.
EXTENSION_MAX_MINUTES: Final = 60


class Method(StrEnum):
    ASCENDING = "ascending"  # open bids, each above the current price by the step at least
    SEALED = "sealed"  # one sealed bid per bidder, all opened at the close


class Mode(StrEnum):
    TRANSFER = "transfer"  # the right itself passes to the winner
    EXCLUSIVE_LICENCE = "exclusive_licence"  # the winner is licensed exclusively
    EQUITY_TRANSFER = "equity_transfer"  # M2.1: state equity formed by investing the result


class Status(StrEnum):
    LISTED = "listed"  # its notice is public; bidding between its opening and its close
    CLOSED = "closed"  # bidding is over and a bid won: the unit records the contract
    AWARDED = "awarded"  # the winner's contract is recorded and disclosed (M8.5)
    FAILED = "failed"  # no valid bid by the close (流拍)
    WITHDRAWN = "withdrawn"  # the unit withdrew it before any bid


@dataclass(frozen=True)
class Terms:
    """What a unit states when it lists."""

    method: Method
    reserve: Decimal
    step: Decimal
    deposit: Decimal
    opens_at: datetime
    closes_at: datetime
    extension_minutes: int


def _price(value: Decimal, field: str, *, zero: bool = False) -> None:
    if not value.is_finite() or abs(value) > PRICE_MAX or value != value.quantize(FEN):
        raise refuse(
            gettext_noop("Give an amount in yuan to the fen, up to %(max)s."),
            "listing.amount",
            field,
            CLAUSES,
            max=f"{PRICE_MAX:,}",
        )
    if value < 0 or (value == 0 and not zero):
        raise refuse(
            gettext_noop("The amount must be more than zero."), "listing.amount", field, CLAUSES
        )


def validate_terms(terms: Terms, *, now: datetime) -> None:
    """M4.4, M8.5: a listing states a reserve price above zero, a step above zero for open
    bidding, a deposit between zero and the reserve, a listing period of one day to 180 days
    that has not ended, and a late-bid extension of 0 to 60 minutes (open bidding only)."""
    _price(terms.reserve, "reserve")
    _price(terms.deposit, "deposit", zero=True)
    if terms.deposit > terms.reserve:
        raise refuse(
            gettext_noop("The deposit cannot exceed the reserve price."),
            "listing.deposit",
            "deposit",
            CLAUSES,
        )
    if terms.method is Method.ASCENDING:
        _price(terms.step, "step")
    period = terms.closes_at - terms.opens_at
    if period < PERIOD_MIN or period > PERIOD_MAX:
        raise refuse(
            gettext_noop("The listing period runs from one day to 180 days."),
            "listing.period",
            "closes_at",
            CLAUSES,
        )
    if terms.closes_at <= now:
        raise refuse(
            gettext_noop("The listing period must end in the future."),
            "listing.period",
            "closes_at",
            CLAUSES,
        )
    if not 0 <= terms.extension_minutes <= EXTENSION_MAX_MINUTES:
        raise refuse(
            gettext_noop("A late bid extends the close by 0 to %(max)s minutes."),
            "listing.extension",
            "extension_minutes",
            CLAUSES,
            max=EXTENSION_MAX_MINUTES,
        )


STAKE_CLAUSES: Final = ("M2.1", *CLAUSES)


def check_stake(*, of_this_result: bool, shares: int | None, held: int) -> int:
    """M2.1: a state equity stake is listed from the unit's investment of this very result, a
    number of shares from one to those the unit holds."""
    if not of_this_result:
        raise refuse(
            gettext_noop("Choose the unit's investment of this result whose shares are offered."),
            "listing.investment",
            "investment",
            STAKE_CLAUSES,
        )
    if shares is None or not 0 < shares <= held:
        raise refuse(
            gettext_noop("Offer from 1 to %(held)s shares: those the unit holds."),
            "listing.shares",
            "shares",
            STAKE_CLAUSES,
            held=held,
        )
    return shares


def minimum_bid(*, reserve: Decimal, step: Decimal, current: Decimal | None) -> Decimal:
    """M8.5: the least a bid may offer: the reserve price for the first bid, then the current
    price plus the step (open bidding). A sealed bid is only held to the reserve."""
    return reserve if current is None else current + step


def check_bid(
    *,
    amount: Decimal,
    minimum: Decimal,
    now: datetime,
    opens_at: datetime,
    closes_at: datetime,
) -> None:
    """Refuse a bid outside the bidding period or below ``minimum`` (:func:`minimum_bid`)."""
    if now < opens_at:
        raise refuse(
            gettext_noop("Bidding opens at %(opens)s."),
            "listing.not_open",
            "amount",
            CLAUSES,
            opens=opens_at.isoformat(timespec="minutes"),
        )
    if now >= closes_at:
        raise refuse(
            gettext_noop("Bidding closed at %(closes)s."),
            "listing.closed",
            "amount",
            CLAUSES,
            closes=closes_at.isoformat(timespec="minutes"),
        )
    _price(amount, "amount")
    if amount < minimum:
        raise refuse(
            gettext_noop("A bid must be at least %(minimum)s yuan."),
            "listing.below_minimum",
            "amount",
            CLAUSES,
            minimum=f"{minimum:,}",
        )


def close_after_bid(*, closes_at: datetime, bid_at: datetime, extension_minutes: int) -> datetime:
    """The close after an open bid at ``bid_at``: a bid in the last ``extension_minutes`` moves
    the close to that long after the bid (延时竞价), so every bidder can answer it; earlier bids
    leave it. It never moves earlier."""
    extension = timedelta(minutes=extension_minutes)
    if extension and closes_at - bid_at < extension:
        return max(closes_at, bid_at + extension)
    return closes_at


@dataclass(frozen=True)
class Offer:
    """One bid as the rules see it: its amount, when it was placed, and its id."""

    amount: Decimal
    placed_at: datetime
    ident: int


def winner(offers: Iterable[Offer], *, reserve: Decimal) -> Offer | None:
    """M8.5: the winning bid: the highest at or above the reserve, the earliest of equal ones
    (sealed bids may tie); None when no bid reaches the reserve (the listing fails)."""
    best: Offer | None = None
    for offer in offers:
        if offer.amount < reserve:
            continue
        if best is None or (offer.amount, -offer.placed_at.timestamp(), -offer.ident) > (
            best.amount,
            -best.placed_at.timestamp(),
            -best.ident,
        ):
            best = offer
    return best


__all__ = [
    "CLAUSES",
    "Method",
    "Mode",
    "Offer",
    "PolicyError",
    "Status",
    "Terms",
    "check_bid",
    "close_after_bid",
    "minimum_bid",
    "validate_terms",
    "winner",
]
