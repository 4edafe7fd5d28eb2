"""Reads of the statistics (M13.3): the figures of a measure by a breakdown from the summary
table (one query per chart), the totals of every measure (one query), and the source rows behind
one bar (the drill-down), paginated with the count the summary table already knows."""

from __future__ import annotations

import calendar as months
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet, Sum
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext

from kttc.core import countries, parsing
from kttc.oversight.statistics import measures
from kttc.oversight.statistics.measures import Measure
from kttc.oversight.statistics.models import StatisticsFigure, StatisticsRefresh
from kttc.policy import calendar, classifications

#: The months a chart by month shows (the table lists them all).
CHART_MONTHS = 24
#: The bars a chart by anything else shows, the largest first (the table lists them all).
CHART_BARS = 12
DRILL_PAGE = 50
FEN = Decimal("0.01")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    count: int
    amount: Decimal | None


@dataclass(frozen=True)
class Total:
    measure: Measure
    count: int
    amount: Decimal | None


def _fen(amount: Decimal | None) -> Decimal | None:
    """An amount to the fen (a sum read back from SQLite may have lost its places)."""
    return None if amount is None else Decimal(amount).quantize(FEN)


def last_refresh() -> StatisticsRefresh | None:
    return StatisticsRefresh.objects.order_by("-refreshed_at", "-id").first()


def key_label(breakdown: str, key: str, label: str = "") -> str:
    """What a key reads as, in the reader's language."""
    if not key:
        return gettext("Not given")
    language = get_language() or "zh-hans"
    if breakdown == "industry":
        return classifications.industry_name(key, language) or key
    if breakdown == "field":
        return classifications.discipline_name(key, language) or key
    if breakdown == "country":
        return countries.country_name(key, language)
    if breakdown == "unit":
        return label or key
    return key


def figures(measure: Measure, breakdown: str) -> list[Figure]:
    """The figures of ``measure`` by ``breakdown``: by month in time order, else the largest
    first (by amount where the measure has one)."""
    rows = StatisticsFigure.objects.filter(measure=measure.key, breakdown=breakdown)
    found = [
        Figure(r.key, key_label(breakdown, r.key, r.label), r.count, _fen(r.amount))
        for r in rows.only("key", "label", "count", "amount")
    ]
    if breakdown == "month":
        return sorted(found, key=lambda f: f.key or "9999")
    return sorted(found, key=lambda f: (-(f.amount or 0), -f.count, f.label))


def charted(breakdown: str, found: list[Figure]) -> list[Figure]:
    """What a chart shows of ``found``: the last months, or the largest bars."""
    if breakdown == "month":
        return [f for f in found if f.key][-CHART_MONTHS:]
    return found[:CHART_BARS]


def totals(shown: list[Measure]) -> list[Total]:
    """Each measure's total count and amount, in one query (its rows by month add up to it)."""
    rows = {
        r["measure"]: r
        for r in StatisticsFigure.objects.filter(
            breakdown="month", measure__in=[m.key for m in shown]
        )
        .values("measure")
        .annotate(n=Sum("count"), total=Sum("amount"))
    }
    return [
        Total(m, rows.get(m.key, {}).get("n") or 0, _fen(rows.get(m.key, {}).get("total")))
        for m in shown
    ]


def countries_reached() -> list[str]:
    """M8.4: the countries and regions abroad of the public transactions and demands."""
    return sorted(
        set(
            StatisticsFigure.objects.filter(
                breakdown="country",
                measure__in=("public_licences", "public_contracts", "public_demands"),
            )
            .exclude(key__in=("", measures.CHINA))
            .values_list("key", flat=True)
        )
    )


def _month_bounds(key: str) -> tuple[date, date] | None:
    try:
        year, month = (int(p) for p in key.split("-"))
        last = months.monthrange(year, month)[1]
        return date(year, month, 1), date(year, month, last)
    except (ValueError, TypeError):
        return None


def rows_under(measure: Measure, breakdown: str, key: str) -> QuerySet[Model] | None:
    """The source rows of ``measure`` behind ``key`` of ``breakdown`` (None: no such key)."""
    path = measure.path(breakdown)
    if path is None:
        return None
    last = last_refresh()
    # The rows as on the figures' day (M8.6: what was overdue then), else as today.
    rows = measures.select_related_for(
        measure, last.as_of if last is not None else calendar.today_in_shanghai()
    )
    if not key:
        blank: dict[str, Any] = {f"{path}__isnull": True}
        if breakdown in ("industry", "field", "country"):
            return rows.filter(**blank) | rows.filter(**{path: ""})
        return rows.filter(**blank)
    if breakdown == "month":
        bounds = _month_bounds(key)
        if bounds is None:
            return None
        return rows.filter(**{f"{path}__year": bounds[0].year, f"{path}__month": bounds[0].month})
    if breakdown in ("industry", "field"):
        return rows.filter(**{f"{path}__istartswith": key})
    if breakdown == "unit":
        pk = parsing.parse_id(key)
        return rows.filter(**{path: pk}) if pk is not None else None
    return rows.filter(**{path: key})


class KnownCountPaginator(Paginator):
    """A paginator told the count (the summary table's) instead of counting a million rows."""

    def __init__(self, rows: Any, per_page: int, count: int) -> None:
        super().__init__(rows, per_page)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known


def drill_page(
    measure: Measure, breakdown: str, key: str, page: object
) -> tuple[Figure | None, Page[Any] | None]:
    """The figure behind a bar and one page of its source rows, the newest first."""
    rows = rows_under(measure, breakdown, key)
    found = StatisticsFigure.objects.filter(
        measure=measure.key, breakdown=breakdown, key=key
    ).first()
    if rows is None or found is None:
        return None, None
    figure = Figure(key, key_label(breakdown, key, found.label), found.count, _fen(found.amount))
    paginator = KnownCountPaginator(rows.order_by("-pk"), DRILL_PAGE, found.count)
    return figure, paginator.get_page(parsing.page_number(page))
