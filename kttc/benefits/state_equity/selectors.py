"""Reads of state equity (M2): who sees which matters; the bureau's queue of matters waiting for
approval (M2.2); value preservation with impairment apart (M2.3).

Amounts are summed in Python, exactly: SQLite adds decimals as floats."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from kttc.benefits.shareholding.selectors import equity_investments_visible_to, sees_all
from kttc.benefits.state_equity.choices import StateEquityMatterKind, StateEquityStatus
from kttc.benefits.state_equity.models import StateEquityMatter
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import equity as equity_rules
from kttc.policy.roles import Capability

#: M2.3: the impairments that count: the unit's own decisions and those the superior approved.
_IN_EFFECT = (StateEquityStatus.DECIDED, StateEquityStatus.APPROVED)


def state_equity_matters_visible_to(user: User) -> QuerySet[StateEquityMatter]:
    """M2: the ledger of the unit's state equity for its transfer office; every unit's for the
    bureau (the superior) and auditors."""
    query = StateEquityMatter.objects.select_related("investment__unit")
    if sees_all(user) or user_can(user, Capability.APPROVE_STATE_EQUITY_ALL):
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


def preservation_units(user: User) -> QuerySet[Organisation]:
    """M2.3: the units whose preservation the person reads: the units whose transfer office
    they are, and every unit with investments they see (all of them for the bureau)."""
    own = organisations_where(user, Capability.MANAGE_CONTRACTS).values("pk")
    invested = equity_investments_visible_to(user).values("unit")
    return Organisation.objects.filter(Q(pk__in=own) | Q(pk__in=invested)).order_by("name")
