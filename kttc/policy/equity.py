"""M6.1 researcher shareholding and M2 state equity, exactly.

* **M6.1 cap table**: when a municipal unit invests a result at a valuation, at least the minimum
  share (``completer_equity_min_share``, 70 % under the measures) of the resulting shares or
  capital contribution is held **directly** by the completers; the rest only by the unit or a
  municipal state-owned company. The equity belongs to the team, which records its internal split.
* **M2 state equity** formed by such investments: public market transfers, qualifying free
  internal transfers and outward investments are the unit's own decision (M2.1), unless the matter
  touches national secrets, national security or key core technology, which goes to the superior
  for approval (M2.2). Impairment is reported apart from value preservation (M2.3).

Ratios are exact :class:`fractions.Fraction` values: no rounding ever decides whether a cap table
passes. Pure Python: the services store what these functions decide.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from math import floor
from typing import Final

from kttc.policy.benefits import ZERO, agreed_shares, check_amount, check_ratio
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import allocate, percent

_M6_1: Final = ("M6.1",)


class HolderKind(StrEnum):
    """M6.1: who holds a stake in the company the result was invested into."""

    COMPLETER = "completer"  # a completer, holding directly
    UNIT = "unit"  # the unit that invested the result
    MUNICIPAL_SOE = "municipal_soe"  # a municipal state-owned company
    OTHER = "other"  # anyone else, a holding vehicle of the team included: not allowed by M6.1


#: M6.1: who may hold what the completers do not.
OTHER_ALLOWED_HOLDERS: Final = frozenset({HolderKind.UNIT, HolderKind.MUNICIPAL_SOE})


@dataclass(frozen=True)
class Holder:
    """One line of a cap table: a holder and its stake, a number of shares (``int``) or a
    ratio or capital contribution (``Decimal``); all stakes of a table are of the same type."""

    name: str
    kind: HolderKind
    stake: int | Decimal


@dataclass(frozen=True)
class CapTable:
    """M6.1: a cap table that passed: the stakes by kind of holder and the completers' exact
    ratio of the total (``completer_ratio``, a Fraction: never rounded)."""

    total: int | Decimal
    completers: int | Decimal
    unit: int | Decimal
    municipal_soe: int | Decimal
    completer_ratio: Fraction

    def completer_ratio_rounded(self, places: int = 4) -> Decimal:
        """The completers' ratio for display, rounded half up to ``places`` decimals (the
        check itself always uses the exact ratio)."""
        exact = Decimal(self.completer_ratio.numerator) / Decimal(self.completer_ratio.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


class StateEquityMatter(StrEnum):
    """M2.1, M2.3: what happens to state equity formed by investing a result."""

    PUBLIC_MARKET_TRANSFER = "public_market_transfer"  # 公开市场转让
    FREE_INTERNAL_TRANSFER = "free_internal_transfer"  # 符合条件的内部无偿划转
    OUTWARD_INVESTMENT = "outward_investment"  # 对外投资
    IMPAIRMENT = "impairment"  # 减值 (M2.3: reported apart)


class Route(StrEnum):
    """M2.1, M2.2: who decides a state equity matter."""

    UNIT_DECIDES = "unit_decides"  # M2.1: no report to superiors for approval or filing
    SUPERIOR_APPROVAL = "superior_approval"  # M2.2


class ApprovalReason(StrEnum):
    """M2.2: why a matter goes to the superior."""

    NATIONAL_SECRETS = "national_secrets"
    NATIONAL_SECURITY = "national_security"
    KEY_CORE_TECHNOLOGY = "key_core_technology"


@dataclass(frozen=True)
class Routing:
    """M2.1, M2.2: how a matter is decided, the clause that says so and, for an approval, why."""

    matter: StateEquityMatter
    route: Route
    reasons: tuple[ApprovalReason, ...]
    clauses: tuple[str, ...]

    @property
    def needs_approval(self) -> bool:
        return self.route is Route.SUPERIOR_APPROVAL


@dataclass(frozen=True)
class PreservationReport:
    """M2.3: value preservation of state equity over a period, impairment reported apart.

    ``ratio`` is the preservation and appreciation ratio (保值增值率) with impairment excluded:
    ``(closing + impairment) / opening``, exact. At 1 the value is preserved; above 1 it grew.
    ``ratio_with_impairment`` (``closing / opening``) is shown beside it for comparison only."""

    opening: Decimal
    closing: Decimal
    impairment: Decimal
    closing_before_impairment: Decimal
    ratio: Fraction
    ratio_with_impairment: Fraction

    @property
    def preserved(self) -> bool:
        return self.ratio >= 1

    @property
    def appreciated(self) -> bool:
        return self.ratio > 1



def _holder_kind(holder: Holder) -> HolderKind:
    try:
        return HolderKind(holder.kind)
    except ValueError:
        raise refuse(
            gettext_noop("“%(kind)s” is not a kind of holder."),
            "equity.holder_kind",
            "holders",
            _M6_1,
            kind=holder.kind,
        ) from None


def _check_holders(holders: Sequence[Holder]) -> None:
    """Non-empty, named once each, positive stakes all of one type; only allowed holders."""
    if not holders:
        raise refuse(
            gettext_noop("A cap table needs its holders."), "equity.empty", "holders", _M6_1
        )
    stake_types = {type(holder.stake) for holder in holders}
    names = [(holder.name.strip(), _holder_kind(holder)) for holder in holders]
    for holder in holders:
        stake = holder.stake
        if isinstance(stake, bool | float) or not isinstance(stake, Decimal | int):
            raise TypeError(f"a stake must be an int or a Decimal, not {type(stake).__name__}")
        if not holder.name.strip() or not Decimal(stake).is_finite() or stake <= 0:
            raise refuse(
                gettext_noop(
                    "Every holder has a name and a stake above 0; %(name)s has %(stake)s."
                ),
                "equity.stake",
                "holders",
                _M6_1,
                name=holder.name,
                stake=stake,
            )
        if _holder_kind(holder) not in OTHER_ALLOWED_HOLDERS | {HolderKind.COMPLETER}:
            raise refuse(
                gettext_noop(
                    "Only the completers (directly), the unit or a municipal state-owned company "
                    "may hold these shares; %(name)s may not."
                ),
                "equity.holder_not_allowed",
                "holders",
                _M6_1,
                name=holder.name,
            )
    if len(stake_types) > 1:
        raise refuse(
            gettext_noop("Give every stake as a number of shares, or every stake as a ratio."),
            "equity.stake_types",
            "holders",
            _M6_1,
        )
    if len(set(names)) < len(names):
        raise refuse(
            gettext_noop("Each holder appears once in a cap table."),
            "equity.holder_duplicate",
            "holders",
            _M6_1,
        )


def _percent_down(value: Fraction) -> str:
    """A ratio as a percentage to two decimals, rounded down, so that a refused share never
    reads as the minimum (69.999 % shows as 69.99 %, not 70 %)."""
    hundredths_of_percent = floor(value * 10_000)
    return percent(Decimal(hundredths_of_percent).scaleb(-4), 2)


def check_cap_table(holders: Sequence[Holder], *, min_completer_ratio: Decimal) -> CapTable:
    """M6.1: check the cap table of a result invested at a valuation.

    The completers hold directly at least ``min_completer_ratio`` (the policy parameter
    ``completer_equity_min_share``) of the total, compared exactly; everyone else is the unit or
    a municipal state-owned company. Returns the stakes by kind and the completers' exact ratio;
    refusals are PolicyError citing M6.1, field ``holders``."""
    minimum = check_ratio(min_completer_ratio, "min_completer_ratio", _M6_1)
    _check_holders(holders)
    zero: int | Decimal = 0 if isinstance(holders[0].stake, int) else ZERO

    def total_of(*kinds: HolderKind) -> int | Decimal:
        return sum((h.stake for h in holders if _holder_kind(h) in kinds), zero)

    total = total_of(*HolderKind)
    completers = total_of(HolderKind.COMPLETER)
    completer_ratio = Fraction(completers) / Fraction(total)
    if completer_ratio < minimum:
        raise refuse(
            gettext_noop(
                "The completers must hold directly at least %(minimum)s of the shares; they "
                "hold %(ratio)s."
            ),
            "equity.completers_below_minimum",
            "holders",
            _M6_1,
            minimum=percent(minimum),
            ratio=_percent_down(completer_ratio),
        )
    return CapTable(
        total=total,
        completers=completers,
        unit=total_of(HolderKind.UNIT),
        municipal_soe=total_of(HolderKind.MUNICIPAL_SOE),
        completer_ratio=completer_ratio,
    )


def team_split(team_shares_total: int, internal_split: Mapping[str, Decimal]) -> dict[str, int]:
    """M6.1: the team's internal split of its shares, in whole shares that add up exactly.

    ``internal_split`` gives each member's share as a ratio (adding up to 1) or a percentage
    (to 100). The shares are allocated by the largest-remainder rule of
    :func:`kttc.policy.money.allocate` (the same remainder rule as money, counted in shares
    instead of fen), largest share first and then by name, so the order the split is given in
    does not matter. Returns the members in that order with their number of shares."""
    if isinstance(team_shares_total, bool) or not isinstance(team_shares_total, int):
        raise TypeError(f"team_shares_total must be an int, not {type(team_shares_total).__name__}")
    if team_shares_total <= 0:
        raise refuse(
            gettext_noop("The team's shares must be a whole number above 0; %(total)s is not."),
            "equity.team_shares",
            "team_shares_total",
            _M6_1,
            total=team_shares_total,
        )
    shares = agreed_shares(internal_split, field="internal_split", clauses=_M6_1)
    # allocate() splits whole fen; counting one share as one fen reuses its remainder rule.
    parts = allocate(
        check_amount(Decimal(team_shares_total).scaleb(-2), "team_shares_total", _M6_1),
        list(shares.values()),
    )
    return {name: int(part.scaleb(2)) for name, part in zip(shares, parts, strict=True)}


def needs_superior_approval(
    *, touches_secrets: bool, touches_security: bool, key_core_technology: bool
) -> bool:
    """M2.2: a matter touching national secrets, national security or key core technology
    needs the superior's approval; any other is the unit's own decision (M2.1)."""
    return bool(touches_secrets or touches_security or key_core_technology)


def route(
    matter: StateEquityMatter,
    *,
    touches_secrets: bool,
    touches_security: bool,
    key_core_technology: bool,
) -> Routing:
    """M2.1, M2.2: how a state equity matter is decided. The unit decides alone, with no report
    to superiors for approval or filing (M2.1), unless the matter touches national secrets,
    national security or key core technology: then it waits for the superior's approval (M2.2),
    whatever the matter, impairment included, so that none passes silently."""
    try:
        matter = StateEquityMatter(matter)
    except ValueError:
        raise refuse(
            gettext_noop("“%(matter)s” is not a state equity matter."),
            "equity.matter",
            "matter",
            ("M2.1",),
            matter=matter,
        ) from None
    flags = (
        (touches_secrets, ApprovalReason.NATIONAL_SECRETS),
        (touches_security, ApprovalReason.NATIONAL_SECURITY),
        (key_core_technology, ApprovalReason.KEY_CORE_TECHNOLOGY),
    )
    reasons = tuple(reason for flag, reason in flags if flag)
    if reasons:
        return Routing(matter, Route.SUPERIOR_APPROVAL, reasons, ("M2.2",))
    return Routing(matter, Route.UNIT_DECIDES, (), ("M2.1",))


def preservation_report(
    opening: Decimal, closing: Decimal, impairments: Sequence[Decimal]
) -> PreservationReport:
    """M2.3: the value preservation and appreciation of state equity from investing results
    over a period, impairment excluded: the impairments recognised in the period are added
    back to the closing value before it is compared with the opening value, and reported on
    their own. The opening value is above 0; amounts are whole fen, not negative."""
    start = check_amount(opening, "opening", ("M2.3",))
    if start == 0:
        raise refuse(
            gettext_noop("Value preservation is measured against an opening value above 0."),
            "equity.opening",
            "opening",
            ("M2.3",),
        )
    end = check_amount(closing, "closing", ("M2.3",))
    impairment = sum((check_amount(i, "impairments", ("M2.3",)) for i in impairments), ZERO)
    before = end + impairment
    return PreservationReport(
        opening=start,
        closing=end,
        impairment=impairment,
        closing_before_impairment=before,
        ratio=Fraction(before) / Fraction(start),
        ratio_with_impairment=Fraction(end) / Fraction(start),
    )
