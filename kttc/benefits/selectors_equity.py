"""Reads of researcher shareholding (M6.1), state equity (M2) and "invest first, equity later"
(M7): who sees which investments, matters and cases; the team's split in force; the bureau's
queue of matters waiting for approval; value preservation with impairment apart (M2.3); a case's
position and the revolving fund's report (M7.2-M7.4).

Amounts are summed in Python, exactly: SQLite adds decimals as floats."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from kttc.benefits.models_equity import (
    EquityInvestment,
    InvestFirstCase,
    InvestFirstConversion,
    InvestFirstExit,
    InvestFirstStatus,
    StateEquityMatter,
    StateEquityMatterKind,
    StateEquityStatus,
    TeamSplit,
)
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import equity as equity_rules
from kttc.policy import investment as invest_rules
from kttc.policy.roles import Capability

ZERO = Decimal("0.00")
#: M2.3: the impairments that count: the unit's own decisions and those the superior approved.
_IN_EFFECT = (StateEquityStatus.DECIDED, StateEquityStatus.APPROVED)


def _sees_all(user: User) -> bool:
    return user.is_superuser or user_can(user, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL)


# --- M6.1 and M2 ----------------------------------------------------------------------------


def equity_investments_visible_to(user: User) -> QuerySet[EquityInvestment]:
    """The unit's investments of results for its transfer office; all of them for the bureau
    and auditors."""
    query = EquityInvestment.objects.select_related("unit", "achievement")
    if _sees_all(user):
        return query
    return query.filter(unit__in=organisations_where(user, Capability.MANAGE_CONTRACTS))


def team_split_in_force(investment: EquityInvestment) -> TeamSplit | None:
    """M6.1: the team's latest split of its shares (earlier ones stay as evidence)."""
    return investment.team_splits.prefetch_related("lines").order_by("-decided_on", "-id").first()


def state_equity_matters_visible_to(user: User) -> QuerySet[StateEquityMatter]:
    """M2: the ledger of the unit's state equity for its transfer office; every unit's for the
    bureau (the superior) and auditors."""
    query = StateEquityMatter.objects.select_related("investment__unit")
    if _sees_all(user) or user_can(user, Capability.APPROVE_STATE_EQUITY_ALL):
        return query
    units = organisations_where(user, Capability.MANAGE_CONTRACTS)
    return query.filter(investment__unit__in=units)


def state_equity_awaiting_approval() -> QuerySet[StateEquityMatter]:
    """M2.2: the matters waiting for the superior's approval, the oldest first."""
    return (
        StateEquityMatter.objects.filter(status=StateEquityStatus.WAITING_APPROVAL)
        .select_related("investment__unit")
        .order_by("recorded_at", "id")
    )


def state_equity_impairments(
    *, unit: Organisation, period_start: date, period_end: date
) -> list[Decimal]:
    """M2.3: the impairments of the unit's state equity in effect in the period."""
    return list(
        StateEquityMatter.objects.filter(
            investment__unit=unit,
            kind=StateEquityMatterKind.IMPAIRMENT,
            status__in=_IN_EFFECT,
            occurred_on__range=(period_start, period_end),
        )
        .order_by("occurred_on", "id")
        .values_list("amount", flat=True)
    )


def state_equity_preservation(
    *, unit: Organisation, period_start: date, period_end: date, opening: Decimal,
    closing: Decimal,
) -> equity_rules.PreservationReport:  # fmt: skip
    """M2.3: value preservation and appreciation of the unit's state equity from investing
    results over the period, from its ``opening`` and ``closing`` values: the impairments of the
    ledger in the period are added back and reported apart
    (``kttc.policy.equity.preservation_report``)."""
    impairments = state_equity_impairments(
        unit=unit, period_start=period_start, period_end=period_end
    )
    return equity_rules.preservation_report(opening, closing, impairments)


# --- M7 invest first, equity later -------------------------------------------------------------


def invest_first_cases_visible_to(user: User) -> QuerySet[InvestFirstCase]:
    """The platform's cases for its staff; every case for the bureau and auditors."""
    query = InvestFirstCase.objects.select_related("platform")
    if _sees_all(user):
        return query
    return query.filter(platform__in=organisations_where(user, Capability.MANAGE_INVESTMENTS))


@dataclass(frozen=True)
class Position:
    """M7.3, M7.4: where a case stands: the shares converted and still held, what came back to
    the fund so far and how much more may within the appropriate return."""

    converted_shares: int
    shares_held: int
    returned: Decimal
    cap: Decimal

    @property
    def cap_left(self) -> Decimal:
        return max(self.cap - self.returned, ZERO)


def invest_first_position(case: InvestFirstCase) -> Position:
    exits = list(case.exits.all())
    converted = case.conversion.shares if case.status == InvestFirstStatus.CONVERTED else 0
    cap = invest_rules.exit_allowed(
        invested=case.support,
        returned_so_far=ZERO,
        proceeds=ZERO,
        return_cap_ratio=case.return_cap_ratio,
    ).cap
    return Position(
        converted_shares=converted,
        shares_held=converted - sum(e.shares for e in exits),
        returned=sum((e.returned for e in exits), ZERO),
        cap=cap,
    )


def fund_report(cases: Iterable[InvestFirstCase]) -> invest_rules.FundReport:
    """M7.2-M7.4: the revolving fund over ``cases`` (a queryset or a list): granted, converted
    and not, exited, returned within the caps (principal and gain), above the caps, and the
    fiscal funds outstanding, to the fen (``kttc.policy.investment.fund_report``)."""
    ids = cases.values("pk") if isinstance(cases, QuerySet) else [case.pk for case in cases]
    grants = InvestFirstCase.objects.filter(pk__in=ids).values_list("support", flat=True)
    conversions = InvestFirstConversion.objects.filter(case__in=ids).order_by("id")
    exits = InvestFirstExit.objects.filter(case__in=ids).order_by("id")
    return invest_rules.fund_report(
        list(grants), [c.as_rule() for c in conversions], [e.as_rule() for e in exits]
    )
