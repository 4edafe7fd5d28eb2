"""The statistics' one write (M13.3): rebuild the summary table from the source tables.

Each measure is grouped by each of its breakdowns in the database (GROUP BY); the measures of a
family (the results') share one query per breakdown, each counted under its own condition, and
a country that is the unit's own is read from the counts by unit, so that a million results are
read eight times, not twenty-four. The reads come first, outside any transaction; then the table
is replaced in one short transaction, so that readers see either the old figures or the new ones
and writers elsewhere are not held up while the registry is read. Running it twice on the same
data writes the same rows."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Func, Q, QuerySet, Sum
from django.db.models.functions import Substr, Upper
from django.utils import timezone

from kttc.core.models import Organisation
from kttc.oversight.statistics.expressions import MonthKey
from kttc.oversight.statistics.measures import FAMILIES, MEASURES, Measure
from kttc.oversight.statistics.models import StatisticsFigure, StatisticsRefresh

#: Key of the PostgreSQL advisory lock that lets one refresh replace the table at a time.
REFRESH_LOCK_KEY = 0x4B535453  # "KSTS"

#: Counted: key -> [count, amount or None].
Counted = dict[str, list[Any]]


def key_expression(breakdown: str, path: str) -> Func | F:
    """The key a source row falls under: a month, a GB/T 4754 section letter, a GB/T 13745
    first-level discipline (its first three digits), an organisation or a country."""
    if breakdown == "month":
        return MonthKey(path)
    if breakdown == "industry":
        return Upper(Substr(path, 1, 1))
    if breakdown == "field":
        return Substr(path, 1, 3)
    return F(path)


def _derived_country(measure: Measure) -> bool:
    """Whether the measure's country is its unit's (read from the counts by unit)."""
    unit = measure.path("unit")
    return unit is not None and measure.path("country") == f"{unit}__country"


def _queried(measure: Measure) -> list[str]:
    """The breakdowns the database groups ``measure`` by."""
    wanted = list(measure.breakdowns)
    if "country" in wanted and _derived_country(measure):
        wanted.remove("country")
        if "unit" not in wanted:
            wanted.append("unit")
    return wanted


def _group(
    rows: QuerySet[Any], breakdown: str, path: str, members: list[Measure], today: date
) -> dict[str, Counted]:
    """One GROUP BY query over ``rows``: for each member, how many rows meet its condition and
    the sum of their amounts, by key."""
    sums: dict[str, Any] = {}
    for n, m in enumerate(members):
        where = m.where(today) if m.where is not None else Q()
        sums[f"n{n}"] = Count("pk", filter=where) if where else Count("pk")
        if m.amount:
            when = where & m.amount_when if m.amount_when is not None else where
            sums[f"a{n}"] = Sum(m.amount, filter=when) if when else Sum(m.amount)
    grouped = rows.order_by().annotate(k=key_expression(breakdown, path)).values("k")
    counted: dict[str, Counted] = {m.key: defaultdict(lambda: [0, None]) for m in members}
    for row in grouped.annotate(**sums):
        key = "" if row["k"] is None else str(row["k"])
        for n, m in enumerate(members):
            if not row[f"n{n}"]:
                continue
            figure = counted[m.key][key]
            figure[0] += row[f"n{n}"]
            if row.get(f"a{n}") is not None:
                figure[1] = (figure[1] or Decimal(0)) + row[f"a{n}"]
    return counted


def count_all(today: date) -> dict[tuple[str, str], Counted]:
    """(measure, breakdown) -> counted, every measure by every breakdown it has."""
    plan: dict[tuple[str, str, str], list[Measure]] = defaultdict(list)
    for m in MEASURES:
        for breakdown in _queried(m):
            path = m.path(breakdown)
            assert path is not None
            plan[(m.family or m.key, breakdown, path)].append(m)
    counted: dict[tuple[str, str], Counted] = {}
    for (family, breakdown, path), members in plan.items():
        rows = FAMILIES[family]() if family in FAMILIES else members[0].source(today)
        for key, figures in _group(rows, breakdown, path, members, today).items():
            counted[(key, breakdown)] = figures
    return counted


def _countries(by_unit: Counted, units: dict[int, Organisation]) -> Counted:
    counted: Counted = defaultdict(lambda: [0, None])
    for key, (count, amount) in by_unit.items():
        unit = units.get(int(key)) if key.isdigit() else None
        figure = counted[unit.country if unit else ""]
        figure[0] += count
        if amount is not None:
            figure[1] = (figure[1] or Decimal(0)) + amount
    return counted


def _figures(today: date) -> list[StatisticsFigure]:
    counted = count_all(today)
    ids = {int(k) for (_m, b), c in counted.items() if b == "unit" for k in c if k.isdigit()}
    units = Organisation.objects.only("name", "country").in_bulk(ids)
    figures: list[StatisticsFigure] = []
    for m in MEASURES:
        for breakdown in m.breakdowns:
            found = counted.get((m.key, breakdown))
            if breakdown == "country" and _derived_country(m):
                found = _countries(counted[(m.key, "unit")], units)
            for key, (count, amount) in (found or {}).items():
                unit = units.get(int(key)) if breakdown == "unit" and key.isdigit() else None
                figures.append(
                    StatisticsFigure(
                        measure=m.key, breakdown=breakdown, key=key[:40],
                        label=unit.name if unit else "", count=count,
                        amount=amount if m.amount else None,
                    )
                )  # fmt: skip
    return figures


def statistics_refresh(*, today: date) -> StatisticsRefresh:
    """M13.3: rebuild every figure as on ``today`` (a due date passes: M8.6's overdue)."""
    started = time.perf_counter()
    figures = _figures(today)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two refreshes at once (the sweep and the command): the second waits, then deletes
            # what the first wrote, instead of colliding with it on the unique key.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK_KEY])
        StatisticsFigure.objects.all().delete()
        StatisticsFigure.objects.bulk_create(figures, batch_size=500)
        return StatisticsRefresh.objects.create(
            refreshed_at=timezone.now(),
            as_of=today,
            rows=len(figures),
            seconds=round(time.perf_counter() - started, 3),
        )
