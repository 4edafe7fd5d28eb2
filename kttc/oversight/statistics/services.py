"""The statistics' one write (M13.3): rebuild the summary table from the source tables.

Each measure is grouped by each of its breakdowns in one query (GROUP BY in the database); the
reads come first, outside any transaction, then the table is replaced in one short transaction,
so that readers see either the old figures or the new ones and writers elsewhere are not held up
while the registry is read. Running it twice on the same data writes the same rows."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Func, Sum
from django.db.models.functions import Substr, TruncMonth, Upper
from django.utils import timezone

from kttc.core.models import Organisation
from kttc.oversight.statistics.measures import MEASURES, Measure
from kttc.oversight.statistics.models import StatisticsFigure, StatisticsRefresh

Counted = dict[str, list[Any]]


def key_expression(breakdown: str, path: str) -> Func | F:
    """The key a source row falls under: a month, a GB/T 4754 section letter, a GB/T 13745
    first-level discipline (its first three digits), an organisation or a country."""
    if breakdown == "month":
        return TruncMonth(path)
    if breakdown == "industry":
        return Upper(Substr(path, 1, 1))
    if breakdown == "field":
        return Substr(path, 1, 3)
    return F(path)


def key_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value:%Y-%m}"
    return str(value)


def count_by(measure: Measure, breakdown: str, today: date) -> Counted:
    """One GROUP BY query: how many rows of ``measure`` and the sum of their amounts, by key."""
    path = measure.path(breakdown)
    assert path is not None
    sums: dict[str, Any] = {"n": Count("pk")}
    if measure.amount:
        sums["total"] = Sum(measure.amount, filter=measure.amount_when)
    rows = (
        measure.source(today)
        .order_by()
        .annotate(k=key_expression(breakdown, path))
        .values("k")
        .annotate(**sums)
    )
    counted: Counted = defaultdict(lambda: [0, None])
    for row in rows:
        figure = counted[key_text(row["k"])]
        figure[0] += row["n"]
        if row.get("total") is not None:
            figure[1] = (figure[1] or Decimal(0)) + row["total"]
    return counted


def _figures(today: date) -> list[StatisticsFigure]:
    figures: list[StatisticsFigure] = []
    for measure in MEASURES:
        for breakdown in measure.breakdowns:
            counted = count_by(measure, breakdown, today)
            names: dict[int, Organisation] = {}
            if breakdown == "unit":
                names = Organisation.objects.only("name").in_bulk(
                    [int(k) for k in counted if k.isdigit()]
                )
            for key, (count, amount) in counted.items():
                organisation = names.get(int(key)) if key.isdigit() else None
                figures.append(
                    StatisticsFigure(
                        measure=measure.key,
                        breakdown=breakdown,
                        key=key[:40],
                        label=organisation.name if organisation else "",
                        count=count,
                        amount=amount if measure.amount else None,
                    )
                )
    return figures


def statistics_refresh(*, today: date) -> StatisticsRefresh:
    """M13.3: rebuild every figure as on ``today`` (a due date passes: M8.6's overdue)."""
    started = time.perf_counter()
    figures = _figures(today)
    with transaction.atomic():
        StatisticsFigure.objects.all().delete()
        StatisticsFigure.objects.bulk_create(figures, batch_size=500)
        return StatisticsRefresh.objects.create(
            refreshed_at=timezone.now(),
            as_of=today,
            rows=len(figures),
            seconds=round(time.perf_counter() - started, 3),
        )
