"""M5: the income of technology contracts and its distribution, to the fen.

* **Contracts** (Civil Code Art. 843, 862-863): development, transfer, licence, consulting and
  service. M5.2 covers transfers and licences **registered** as technology contracts (认定登记).
* **Net income**: the income received less the costs the unit deducts, each with its reason.
* **Distribution** of a net income: the completers (team) receive at least the M5.2 minimum of it
  (a unit's own rule may set more), split by the team's agreed shares; from the unit's retained
  part the unit may reward technology transfer service staff, at least the M5.3 minimum of it when
  it does; what is left stays with the unit. M5.1: each person's reward is a line of its own.

Rounding, stated once: the team's part is ``net × team_ratio`` **rounded up** to the fen and the
service staff's reward is ``retained × service_ratio`` rounded up to the fen, so neither ever falls
below the ratio applied (and hence below its minimum); each group is then split among its people by
one :func:`kttc.policy.money.allocate`, so every amount adds up to the net income exactly.

Pure Python: the services store what these functions compute; the minimums come from the policy
parameters in force (``completer_income_min_share``, ``service_staff_reward_min_share``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import ceil
from types import MappingProxyType
from typing import Final

from kttc.policy.errors import PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import FEN, allocate, percent, to_money

ZERO: Final = Decimal("0.00")
#: What agreed shares may add up to: ratios (1) or percentages (100).
SHARE_TOTALS: Final = (1, 100)
_NO_SHARES: Final[Mapping[str, Decimal]] = MappingProxyType({})


class ContractKind(StrEnum):
    """The technology contracts of the Civil Code (Art. 843; licences apart since 2020,
    Arts. 862-863); the same codes as the contracts of the benefits part."""

    DEVELOPMENT = "development"  # 技术开发 (commissioned or cooperative)
    TRANSFER = "transfer"  # 技术转让
    LICENCE = "licence"  # 技术许可
    CONSULTING = "consulting"  # 技术咨询
    SERVICE = "service"  # 技术服务


#: M5.2: the kinds whose registered contracts give the completers at least the minimum share.
M5_2_KINDS: Final = frozenset({ContractKind.TRANSFER, ContractKind.LICENCE})


class Role(StrEnum):
    """Who a person's line of a distribution rewards (codes of the benefits part's lines)."""

    TEAM = "team"  # a completer
    SERVICE_STAFF = "service_staff"  # technology transfer service staff (M5.3)


@dataclass(frozen=True)
class Cost:
    """A cost the unit deducts from a contract's income (M5.2 net income), with its reason."""

    amount: Decimal
    reason: str


@dataclass(frozen=True)
class NetIncome:
    """M5.2: the income received, the costs deducted (with their reasons) and the net income."""

    income: Decimal
    costs: tuple[Cost, ...]
    costs_total: Decimal
    net: Decimal


@dataclass(frozen=True)
class PersonLine:
    """M5.1: what one person receives from a distribution, reported as a line of its own.

    ``share`` is the person's agreed share of their group as a ratio (a share given in
    percent is divided by 100). A cash reward (``cash_reward``, the default) counts in the
    unit's total performance pay but is not capped by it, is not a base for next year's total
    and is not a social insurance contribution base: reports show it apart, never inside the
    performance-pay cap or the insurance base.
    """

    name: str
    role: Role
    share: Decimal
    amount: Decimal
    cash_reward: bool = True

    @property
    def within_performance_pay_cap(self) -> bool:
        """M5.1: a cash reward is outside the performance-pay cap (and next year's base)."""
        return not self.cash_reward

    @property
    def social_insurance_base(self) -> bool:
        """M5.1: a cash reward is not a social insurance contribution base."""
        return not self.cash_reward


@dataclass(frozen=True)
class IncomeDistribution:
    """M5.1-M5.3: a net income distributed. ``team_total + service_reward + unit_remainder ==
    net``; the completers' amounts add up to ``team_total``, the service staff's to
    ``service_reward``, and ``unit_retained == service_reward + unit_remainder``, all to the fen.
    People are listed largest share first, then by name."""

    net: Decimal
    kind: ContractKind
    team_ratio: Decimal
    service_ratio: Decimal | None
    team_total: Decimal
    completers: tuple[PersonLine, ...]
    unit_retained: Decimal
    service_reward: Decimal
    service_staff: tuple[PersonLine, ...]
    unit_remainder: Decimal
    clauses: tuple[str, ...]

    @property
    def people(self) -> tuple[PersonLine, ...]:
        """M5.1: every person's line, completers first."""
        return self.completers + self.service_staff



def m5_2_applies(kind: ContractKind) -> bool:
    """M5.2: whether the minimum share for the completers governs contracts of ``kind``
    (transfers and licences)."""
    return ContractKind(kind) in M5_2_KINDS


def minimum_team_ratio(
    kind: ContractKind, *, policy_minimum: Decimal, unit_minimum: Decimal | None = None
) -> Decimal:
    """M5.2: the least share of net income the team may receive under a contract of ``kind``.

    For a transfer or licence it is the policy minimum, or the unit's own rule where that sets
    more; M5.2 sets no minimum for the other kinds, where only the unit's rule (if any) binds.
    """
    policy = check_ratio(policy_minimum, "policy_minimum", ("M5.2",))
    unit = ZERO if unit_minimum is None else check_ratio(unit_minimum, "unit_minimum", ("M5.2",))
    return max(policy, unit) if m5_2_applies(kind) else unit


def check_amount(value: Decimal | int, field: str, clauses: tuple[str, ...]) -> Decimal:
    """An amount of CNY that is a whole number of fen and not negative, else PolicyError
    ``money.amount`` naming ``field`` (floats raise TypeError)."""
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int):
        raise TypeError(f"{field} must be a Decimal or an int, not {type(value).__name__}")
    if not Decimal(value).is_finite():
        raise refuse(
            gettext_noop("%(value)s is not an amount of money."),
            "money.amount",
            field,
            clauses,
            value=value,
        )
    try:
        money = to_money(value)
    except PolicyError as error:  # beyond the money column: name the field and the clause
        raise PolicyError(
            error.template, code=error.code, field=field, clauses=clauses, params=error.params
        ) from error
    if money != value or money < 0:
        raise refuse(
            gettext_noop("%(value)s is not an amount of money 0 or more, to the fen."),
            "money.amount",
            field,
            clauses,
            value=value,
        )
    return money


def check_ratio(value: Decimal | int, field: str, clauses: tuple[str, ...]) -> Decimal:
    """A ratio from 0 to 1 (``Decimal("0.70")`` is 70 %), else PolicyError ``ratio.range``
    naming ``field`` (floats raise TypeError)."""
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int):
        raise TypeError(f"{field} must be a Decimal, not {type(value).__name__}")
    if not Decimal(value).is_finite() or not 0 <= value <= 1:
        raise refuse(
            gettext_noop("%(value)s is not a share from 0 to 1 (100 %%)."),
            "ratio.range",
            field,
            clauses,
            value=value,
        )
    return Decimal(value)


def agreed_shares(
    shares: Mapping[str, Decimal | int], *, field: str, clauses: tuple[str, ...]
) -> dict[str, Decimal]:
    """The shares a group agreed on, as ratios, largest first and then by name.

    Every name is non-blank and every share above 0; the shares add up exactly to 1 (ratios)
    or to 100 (percentages, divided by 100 here). The fixed order makes an allocation over
    them independent of the order in which the shares were given. Refusals name ``field``."""
    if not shares:
        raise refuse(
            gettext_noop("Give the shares of at least one person."),
            "shares.empty",
            field,
            clauses,
        )
    for name, share in shares.items():
        if isinstance(share, bool | float) or not isinstance(share, Decimal | int):
            raise TypeError(f"the share of {name!r} must be a Decimal, not {type(share).__name__}")
        if not isinstance(name, str) or not name.strip():
            raise refuse(
                gettext_noop("Every share needs the name of its person."),
                "shares.name",
                field,
                clauses,
            )
        if not Decimal(share).is_finite() or share <= 0:
            raise refuse(
                gettext_noop("The share of %(name)s must be more than 0; it is %(share)s."),
                "shares.not_positive",
                field,
                clauses,
                name=name,
                share=share,
            )
    total = sum((Fraction(share) for share in shares.values()), Fraction(0))
    if total not in SHARE_TOTALS:
        raise refuse(
            gettext_noop("The shares add up to %(total)s; they must add up to 1 or to 100 %%."),
            "shares.sum",
            field,
            clauses,
            total=Decimal(total.numerator) / Decimal(total.denominator),
        )
    scale = -2 if total == 100 else 0
    ordered = sorted(shares.items(), key=lambda item: (-Fraction(item[1]), item[0]))
    return {name: Decimal(share).scaleb(scale) for name, share in ordered}


def net_income(income: Decimal, costs: Sequence[Cost]) -> NetIncome:
    """M5.2: the net income of a contract: its income less the costs the unit deducts.

    Amounts are whole fen and not negative; every cost gives its reason; the costs may not add
    up to more than the income (a net income below 0 cannot be distributed)."""
    received = check_amount(income, "income", ("M5.2",))
    for cost in costs:
        check_amount(cost.amount, "costs", ("M5.2",))
        if not cost.reason.strip():
            raise refuse(
                gettext_noop("Say why the cost of %(amount)s is deducted."),
                "income.cost_reason",
                "costs",
                ("M5.2",),
                amount=cost.amount,
            )
    deducted = sum((to_money(cost.amount) for cost in costs), ZERO)
    if deducted > received:
        raise refuse(
            gettext_noop("The costs, %(costs)s, are more than the income, %(income)s."),
            "income.costs_exceed_income",
            "costs",
            ("M5.2",),
            costs=deducted,
            income=received,
        )
    return NetIncome(received, tuple(costs), deducted, received - deducted)


def _ceil_to_fen(total: Decimal, fraction: Decimal) -> Decimal:
    """``total × fraction`` rounded up to the fen, exactly (both are non-negative)."""
    fen = ceil(Fraction(total) * Fraction(fraction) * 100)
    return Decimal(fen) * FEN


def _lines(total: Decimal, shares: Mapping[str, Decimal], role: Role) -> tuple[PersonLine, ...]:
    """One exact allocation of ``total`` over the (ordered) shares."""
    amounts = allocate(total, list(shares.values()))
    return tuple(
        PersonLine(name, role, share, part)
        for (name, share), part in zip(shares.items(), amounts, strict=True)
    )


def _check_team_ratio(kind: ContractKind, team_ratio: Decimal, minimum: Decimal) -> None:
    if team_ratio >= minimum:
        return
    if m5_2_applies(kind):
        template = gettext_noop(
            "The completers receive at least %(minimum)s of the net income of a registered "
            "transfer or licence; %(ratio)s is less."
        )
        clauses: tuple[str, ...] = ("M5.2",)
    else:
        # M5.2 sets no minimum for this kind: the minimum is the unit's own rule.
        template = gettext_noop(
            "The unit's rule gives the completers at least %(minimum)s of the net income; "
            "%(ratio)s is less."
        )
        clauses = ()
    raise refuse(
        template,
        "distribution.team_below_minimum",
        "team_ratio",
        clauses,
        minimum=percent(minimum),
        ratio=percent(team_ratio),
    )


def _service_part(
    retained: Decimal,
    service_ratio: Decimal | None,
    min_service_ratio: Decimal,
    service_shares: Mapping[str, Decimal],
) -> tuple[Decimal, tuple[PersonLine, ...]]:
    """M5.3: the service staff's reward from the unit's retained part, and its lines."""
    minimum = check_ratio(min_service_ratio, "min_service_ratio", ("M5.3",))
    if service_ratio is None:
        if service_shares:
            raise refuse(
                gettext_noop("Give the share of the unit's part that rewards the service staff."),
                "distribution.service_ratio_missing",
                "service_ratio",
                ("M5.3",),
            )
        return ZERO, ()
    applied = check_ratio(service_ratio, "service_ratio", ("M5.3",))
    if applied < minimum:
        raise refuse(
            gettext_noop(
                "A reward for technology transfer service staff is at least %(minimum)s of the "
                "unit's part; %(ratio)s is less."
            ),
            "distribution.service_below_minimum",
            "service_ratio",
            ("M5.3",),
            minimum=percent(minimum),
            ratio=percent(applied),
        )
    shares = agreed_shares(service_shares, field="service_shares", clauses=("M5.3",))
    reward = _ceil_to_fen(retained, applied)
    return reward, _lines(reward, shares, Role.SERVICE_STAFF)


def distribute(
    net: Decimal,
    *,
    registered: bool,
    kind: ContractKind,
    team_ratio: Decimal,
    min_team_ratio: Decimal,
    team_shares: Mapping[str, Decimal],
    min_service_ratio: Decimal,
    service_ratio: Decimal | None = None,
    service_shares: Mapping[str, Decimal] = _NO_SHARES,
) -> IncomeDistribution:
    """M5.1, M5.2, M5.3: distribute the net income of a contract.

    * M5.2: a transfer or licence is distributed only once registered as a technology contract;
      the team receives ``team_ratio`` of ``net``, at least ``min_team_ratio`` (the policy
      minimum, or a unit rule that sets more: :func:`minimum_team_ratio`);
    * the team's part is split among the completers by ``team_shares`` (ratios adding up to 1,
      or percentages to 100) in one exact allocation;
    * M5.3: when the unit rewards service staff (``service_ratio`` given), the reward is
      ``service_ratio`` of the unit's retained part, at least ``min_service_ratio``, split by
      ``service_shares``;
    * M5.1: each person's amount is a :class:`PersonLine` reported apart.

    The team's part and the service reward are rounded up to the fen (see the module); every
    amount is whole fen and all of them add up to ``net``."""
    try:
        kind = ContractKind(kind)
    except ValueError:
        raise refuse(
            gettext_noop("“%(kind)s” is not a kind of technology contract."),
            "distribution.kind",
            "kind",
            ("M5.2",),
            kind=kind,
        ) from None
    if m5_2_applies(kind) and not registered:
        raise refuse(
            gettext_noop(
                "Register the contract as a technology contract before distributing its income."
            ),
            "distribution.unregistered",
            "registered",
            ("M5.2",),
        )
    total = check_amount(net, "net", ("M5.2",))
    applied = check_ratio(team_ratio, "team_ratio", ("M5.2",))
    _check_team_ratio(kind, applied, check_ratio(min_team_ratio, "min_team_ratio", ("M5.2",)))
    completer_shares = agreed_shares(team_shares, field="team_shares", clauses=("M5.2",))
    team_total = _ceil_to_fen(total, applied)
    retained = total - team_total
    reward, staff = _service_part(retained, service_ratio, min_service_ratio, service_shares)
    clauses = ("M5.1", "M5.2") if m5_2_applies(kind) else ("M5.1",)
    return IncomeDistribution(
        net=total,
        kind=kind,
        team_ratio=applied,
        service_ratio=None if service_ratio is None else Decimal(service_ratio),
        team_total=team_total,
        completers=_lines(team_total, completer_shares, Role.TEAM),
        unit_retained=retained,
        service_reward=reward,
        service_staff=staff,
        unit_remainder=retained - reward,
        clauses=clauses + (("M5.3",) if staff else ()),
    )
