"""M7: "invest first, equity later" (先投后股), exactly.

* M7.1, M7.2: fiscal S&T funds are granted as project support to the designated municipal
  state-owned investment platform, which invests them into a company for a :class:`Stage`.
* M7.3: once the company raises a market equity round of at least the agreed size, or declares
  the agreed stable-development stage, the support converts into equity on the agreed terms: the
  round's price with a discount, or a valuation cap, whichever gives the lower price.
* M7.4: the platform exits gradually on the "appropriate return" principle: of all it takes back
  from the company it keeps at most the principal plus an agreed return; the rest is above the cap.

Rounding, stated once: shares are whole and rounded **down**, so the investor never receives
shares worth more than the support at the effective price; the support converted is that worth
rounded up to the fen (never above the support, since the support is whole fen) and the remainder
is the rest of the support, in money. The return cap is rounded down to the fen. Prices and
ratios are exact :class:`fractions.Fraction` values. Pure Python: the services store the results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import ceil, floor
from typing import Final

from kttc.policy.benefits import ZERO, check_amount
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import FEN

_M7_3: Final = ("M7.3",)
_M7_4: Final = ("M7.4",)


class Stage(StrEnum):
    """M7.2: what the support pays for (概念验证、小试、中试及二次开发)."""

    CONCEPT_VERIFICATION = "concept_verification"
    SMALL_PILOT = "small_pilot"
    MID_SCALE_PILOT = "mid_scale_pilot"
    SECONDARY_DEVELOPMENT = "secondary_development"


class TriggerKind(StrEnum):
    """M7.3: what made the support convert."""

    MARKET_ROUND = "market_round"  # a market equity round of at least the agreed size
    STABLE_DEVELOPMENT = "stable_development"  # the declared stable-development stage


@dataclass(frozen=True)
class ConversionTrigger:
    """M7.3 as agreed: a market equity round of at least ``min_round_size`` (None: a round
    does not trigger) and/or the company's declared stable development; one at least."""

    min_round_size: Decimal | None = None
    on_stable_development: bool = False


@dataclass(frozen=True)
class Conversion:
    """M7.3: support converted into shares.

    ``effective_price`` is the lower of ``discounted_price`` (the round's price less the
    discount) and ``cap_price`` (the valuation cap over the pre-money shares), exact.
    ``shares × effective_price <= support < (shares + 1) × effective_price``; ``converted`` is
    ``shares × effective_price`` rounded up to the fen and ``converted + remainder == support``.
    """

    support: Decimal
    round_price: Decimal
    discount: Decimal
    discounted_price: Fraction
    cap_price: Fraction | None
    effective_price: Fraction
    shares: int
    converted: Decimal
    remainder: Decimal


@dataclass(frozen=True)
class ExitSplit:
    """M7.4: one exit's proceeds. ``returned`` comes back to the fund within the cap (first as
    ``principal``, then as ``gain``); ``above_cap`` is beyond the appropriate return.
    ``returned + above_cap == proceeds`` and ``returned == principal + gain``."""

    proceeds: Decimal
    cap: Decimal
    returned: Decimal
    principal: Decimal
    gain: Decimal
    above_cap: Decimal


@dataclass(frozen=True)
class FundReport:
    """M7.2-M7.4: the revolving fund, to the fen. ``granted == converted + unconverted``,
    ``exited == returned + above_cap``, ``returned == principal_returned + gain`` and
    ``outstanding == granted - principal_returned`` (the fiscal funds not yet back)."""

    granted: Decimal
    converted: Decimal
    unconverted: Decimal
    exited: Decimal
    returned: Decimal
    principal_returned: Decimal
    gain: Decimal
    above_cap: Decimal
    outstanding: Decimal



def _positive_amount(value: Decimal, field: str, clauses: tuple[str, ...]) -> Decimal:
    money = check_amount(value, field, clauses)
    if money == 0:
        raise refuse(
            gettext_noop("The amount must be more than 0; it is %(amount)s."),
            "invest.amount",
            field,
            clauses,
            amount=money,
        )
    return money


def _positive_number(value: Decimal | int, field: str) -> Fraction:
    """A finite number above 0 (a price per share, a valuation), exactly."""
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int):
        raise TypeError(f"{field} must be a Decimal or an int, not {type(value).__name__}")
    if not Decimal(value).is_finite() or value <= 0:
        raise refuse(
            gettext_noop("A price or valuation must be a number above 0; %(value)s is not."),
            "invest.not_positive",
            field,
            _M7_3,
            value=value,
        )
    return Fraction(value)


def check_trigger(trigger: ConversionTrigger) -> ConversionTrigger:
    """M7.3: an agreed trigger names a round size above 0, the stable-development stage, or
    both."""
    if trigger.min_round_size is None and not trigger.on_stable_development:
        raise refuse(
            gettext_noop(
                "Agree when the support converts: a market equity round of a given size, "
                "stable development, or both."
            ),
            "invest.trigger",
            "trigger",
            _M7_3,
        )
    if trigger.min_round_size is not None:
        _positive_amount(trigger.min_round_size, "min_round_size", _M7_3)
    return trigger


def met_by(
    trigger: ConversionTrigger,
    *,
    round_size: Decimal | None = None,
    stable_development: bool = False,
) -> TriggerKind | None:
    """M7.3: what meets the agreed trigger: a market equity round of ``round_size`` (None: no
    round) of at least the agreed size, or the declared stable development where the agreement
    converts on it; None when neither does. A round that meets it is named first."""
    check_trigger(trigger)
    if round_size is not None:
        size = check_amount(round_size, "round_size", _M7_3)
        if trigger.min_round_size is not None and size >= trigger.min_round_size:
            return TriggerKind.MARKET_ROUND
    if stable_development and trigger.on_stable_development:
        return TriggerKind.STABLE_DEVELOPMENT
    return None


def trigger_met(
    trigger: ConversionTrigger,
    *,
    round_size: Decimal | None = None,
    stable_development: bool = False,
) -> bool:
    """M7.3: whether the support converts now (see :func:`met_by`)."""
    return met_by(trigger, round_size=round_size, stable_development=stable_development) is not None


def _cap_price(valuation_cap: Decimal | None, pre_money_shares: int | None) -> Fraction | None:
    if valuation_cap is None:
        return None
    cap = _positive_number(valuation_cap, "valuation_cap")
    if (
        isinstance(pre_money_shares, bool)
        or not isinstance(pre_money_shares, int)
        or pre_money_shares <= 0
    ):
        raise refuse(
            gettext_noop("A valuation cap needs the company's shares before the round, above 0."),
            "invest.pre_money_shares",
            "pre_money_shares",
            _M7_3,
        )
    return cap / pre_money_shares


def conversion(
    support: Decimal,
    *,
    round_price_per_share: Decimal,
    discount: Decimal,
    valuation_cap: Decimal | None = None,
    pre_money_shares: int | None = None,
) -> Conversion:
    """M7.3: the shares ``support`` converts into on the agreed terms.

    The effective price is the lower of the round's price less ``discount`` (0 ≤ discount < 1)
    and, with a ``valuation_cap``, the cap over ``pre_money_shares``; it is never above the
    round's price. The investor receives the whole shares the support buys at that price,
    rounded down; what is left of the support is reported in money. Refusals cite M7.3."""
    amount = _positive_amount(support, "support", _M7_3)
    price = _positive_number(round_price_per_share, "round_price_per_share")
    if isinstance(discount, bool | float) or not isinstance(discount, Decimal | int):
        raise TypeError(f"discount must be a Decimal, not {type(discount).__name__}")
    if not Decimal(discount).is_finite() or not 0 <= discount < 1:
        raise refuse(
            gettext_noop("A discount is at least 0 and below 1 (100 %%); %(discount)s is not."),
            "invest.discount",
            "discount",
            _M7_3,
            discount=discount,
        )
    discounted = price * (1 - Fraction(discount))
    cap_price = _cap_price(valuation_cap, pre_money_shares)
    effective = discounted if cap_price is None else min(discounted, cap_price)
    shares = floor(Fraction(amount) / effective)
    converted = Decimal(ceil(shares * effective * 100)) * FEN
    return Conversion(
        support=amount,
        round_price=Decimal(round_price_per_share),
        discount=Decimal(discount),
        discounted_price=discounted,
        cap_price=cap_price,
        effective_price=effective,
        shares=shares,
        converted=converted,
        remainder=amount - converted,
    )


def exit_allowed(
    *, invested: Decimal, returned_so_far: Decimal, proceeds: Decimal, return_cap_ratio: Decimal
) -> ExitSplit:
    """M7.4: how much of an exit's ``proceeds`` comes back to the fund on the "appropriate
    return" principle.

    ``return_cap_ratio`` is the agreed return over the principal (``Decimal("0.08")``: the fund
    takes back at most 108 % of ``invested`` in all its exits); the cap is rounded down to the
    fen. Of the proceeds, what fits under the cap after ``returned_so_far`` counts as returned
    (principal first, then gain); the rest is above the cap. Refusals cite M7.4."""
    principal = _positive_amount(invested, "invested", _M7_4)
    so_far = check_amount(returned_so_far, "returned_so_far", _M7_4)
    received = check_amount(proceeds, "proceeds", _M7_4)
    if isinstance(return_cap_ratio, bool | float) or not isinstance(
        return_cap_ratio, Decimal | int
    ):
        raise TypeError(
            f"return_cap_ratio must be a Decimal, not {type(return_cap_ratio).__name__}"
        )
    if not Decimal(return_cap_ratio).is_finite() or return_cap_ratio < 0:
        raise refuse(
            gettext_noop("The appropriate return is a ratio of 0 or more; %(ratio)s is not."),
            "invest.return_cap",
            "return_cap_ratio",
            _M7_4,
            ratio=return_cap_ratio,
        )
    gain_cap = Decimal(floor(Fraction(principal) * Fraction(return_cap_ratio) * 100)) * FEN
    cap = check_amount(principal + gain_cap, "return_cap_ratio", _M7_4)
    returned = min(received, max(cap - so_far, ZERO))
    principal_part = min(returned, max(principal - so_far, ZERO))
    return ExitSplit(
        proceeds=received,
        cap=cap,
        returned=returned,
        principal=principal_part,
        gain=returned - principal_part,
        above_cap=received - returned,
    )


def fund_report(
    grants: Sequence[Decimal], conversions: Sequence[Conversion], exits: Sequence[ExitSplit]
) -> FundReport:
    """M7.2-M7.4: the revolving fund: what was granted, converted into equity, taken back in
    exits, returned to the fund within the caps (principal and gain), above the caps, and the
    fiscal funds still outstanding. Conversions cannot exceed the grants (M7.3), nor the
    principal returned the grants (M7.4)."""
    granted = sum((check_amount(g, "grants", ("M7.2",)) for g in grants), ZERO)
    converted = sum((c.converted for c in conversions), ZERO)
    if converted > granted:
        raise refuse(
            gettext_noop("%(converted)s converted is more than the %(granted)s granted."),
            "invest.report_converted",
            "conversions",
            _M7_3,
            converted=converted,
            granted=granted,
        )
    principal = sum((e.principal for e in exits), ZERO)
    if principal > granted:
        raise refuse(
            gettext_noop(
                "%(principal)s of principal returned is more than the %(granted)s granted."
            ),
            "invest.report_principal",
            "exits",
            _M7_4,
            principal=principal,
            granted=granted,
        )
    returned = sum((e.returned for e in exits), ZERO)
    exited = sum((e.proceeds for e in exits), ZERO)
    return FundReport(
        granted=granted,
        converted=converted,
        unconverted=granted - converted,
        exited=exited,
        returned=returned,
        principal_returned=principal,
        gain=returned - principal,
        above_cap=exited - returned,
        outstanding=granted - principal,
    )
