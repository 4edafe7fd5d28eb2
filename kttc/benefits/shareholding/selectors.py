"""Reads of researcher shareholding (M6.1): who sees which investments; the team's split in
force."""

from __future__ import annotations

from django.db.models import QuerySet

from kttc.benefits.shareholding.models import EquityInvestment, TeamSplit
from kttc.core.models import User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy.roles import Capability


def sees_all(user: User) -> bool:
    """The bureau and auditors see every unit's investments (and, in the other packages of the
    part, every matter and case)."""
    return user.is_superuser or user_can(user, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL)


def equity_investments_visible_to(user: User) -> QuerySet[EquityInvestment]:
    """The unit's investments of results for its transfer office; all of them for the bureau
    and auditors."""
    query = EquityInvestment.objects.select_related("unit", "achievement")
    if sees_all(user):
        return query
    return query.filter(unit__in=organisations_where(user, Capability.MANAGE_CONTRACTS))


def team_split_in_force(investment: EquityInvestment) -> TeamSplit | None:
    """M6.1: the team's latest split of its shares (earlier ones stay as evidence)."""
    return investment.team_splits.prefetch_related("lines").order_by("-decided_on", "-id").first()
