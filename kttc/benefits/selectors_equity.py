"""Reads of researcher shareholding (M6.1) and state equity (M2): who sees which investments and
matters; the team's split in force; the bureau's queue of matters waiting for approval; value
preservation with impairment apart (M2.3).

Amounts are summed in Python, exactly: SQLite adds decimals as floats."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from kttc.benefits.models_equity import (
    EquityInvestment,
    StateEquityMatter,
    StateEquityMatterKind,
    StateEquityStatus,
    TeamSplit,
)
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import equity as equity_rules
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
