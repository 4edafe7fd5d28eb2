"""The statistics' API (M13.3, M8.5): the bureau and auditors read a measure's figures by a
breakdown; anyone reads the public totals and the public figures. The same summary table as the
pages; refusals in the one error shape, naming the field and the clause."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from kttc.core.api import AUTH
from kttc.core.errors import AccessDenied
from kttc.core.selectors import user_can
from kttc.core.web import acting_user
from kttc.oversight.statistics import measures, selectors, services
from kttc.oversight.statistics.measures import Measure
from kttc.oversight.statistics.models import StatisticsRefresh
from kttc.policy import calendar
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

router = Router(tags=["statistics"])

Breakdown = Literal["month", "unit", "industry", "field", "country"]
PublicBreakdown = Literal["month", "industry", "field", "country"]


class StatisticsFigureOut(Schema):
    key: str
    label: str
    count: int
    amount: Decimal | None


class StatisticsTableOut(Schema):
    measure: str
    clause: str
    title: str
    breakdown: str
    as_of: date
    refreshed_at: datetime
    figures: list[StatisticsFigureOut]


class StatisticsTotalOut(Schema):
    measure: str
    clause: str
    title: str
    count: int
    amount: Decimal | None


class StatisticsPublicOut(Schema):
    as_of: date
    refreshed_at: datetime
    totals: list[StatisticsTotalOut]
    #: M8.4: the countries and regions reached abroad (ISO 3166-1 alpha-2).
    countries: list[str]
    tables: list[StatisticsTableOut]


def _refreshed() -> StatisticsRefresh:
    return selectors.last_refresh() or services.statistics_refresh(
        today=calendar.today_in_shanghai()
    )


def _table(measure: Measure, breakdown: str, refresh: StatisticsRefresh) -> dict[str, object]:
    return {
        "measure": measure.key, "clause": measure.clause, "title": str(measure.title),
        "breakdown": breakdown, "as_of": refresh.as_of, "refreshed_at": refresh.refreshed_at,
        "figures": selectors.figures(measure, breakdown),
    }  # fmt: skip


@router.get("/figures", response=StatisticsTableOut, auth=AUTH)
def figures(
    request: HttpRequest,
    measure: str = Query(..., max_length=40, description="e.g. results_registered, transfers"),
    by: Breakdown = "month",
) -> dict[str, object]:
    """M13.3: the bureau and auditors: one measure's figures by month, unit, industry, field or
    country."""
    if not user_can(acting_user(request), Capability.VIEW_STATISTICS_ALL):
        raise AccessDenied()
    found = measures.measure_or_none(measure, public=False)
    if found is None:
        raise refuse(
            gettext_noop("M13.3: there is no measure %(measure)s in the statistics."),
            "statistics.measure", "measure", ("M13.3",), measure=measure,
        )  # fmt: skip
    if by not in found.breakdowns:
        raise refuse(
            gettext_noop("M13.3: %(measure)s is not broken down by %(by)s."),
            "statistics.breakdown", "by", ("M13.3",), measure=measure, by=by,
        )  # fmt: skip
    return _table(found, by, _refreshed())


@router.get("/public", response=StatisticsPublicOut, auth=None)
def public(request: HttpRequest, by: PublicBreakdown = "month") -> dict[str, object]:
    """M8.5, M13.3: what may be public: the totals, the countries reached and each public
    measure's figures by the breakdown asked for."""
    refresh = _refreshed()
    return {
        "as_of": refresh.as_of,
        "refreshed_at": refresh.refreshed_at,
        "totals": [
            {"measure": t.measure.key, "clause": t.measure.clause, "title": str(t.measure.title),
             "count": t.count, "amount": t.amount if t.measure.amount else None}
            for t in selectors.totals(measures.PUBLIC)
        ],
        "countries": selectors.countries_reached(),
        "tables": [_table(m, by, refresh) for m in measures.PUBLIC if by in m.breakdowns],
    }  # fmt: skip
