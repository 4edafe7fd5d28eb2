"""Reads of "invest first, equity later" (M7): who sees which cases; a case's position and the
revolving fund's report (M7.2-M7.4).

Amounts are summed in Python, exactly: SQLite adds decimals as floats."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from kttc.benefits.invest_first.choices import InvestFirstStatus
from kttc.benefits.invest_first.models import (
    InvestFirstCase,
    InvestFirstConversion,
    InvestFirstExit,
)
from kttc.core.models import User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import investment as invest_rules
from kttc.policy.roles import Capability

ZERO = Decimal("0.00")


def _sees_all(user: User) -> bool:
    return user.is_superuser or user_can(user, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL)


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
