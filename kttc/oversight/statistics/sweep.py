"""The statistics' part of ``kttc sweep`` (through ``kttc.oversight.sweep``), M13.3: the summary
table is rebuilt once a day, so that the dashboard counts what became overdue (M8.6) that day. A
second sweep the same day finds the figures of the day already there and reads nothing (at a
million results a refresh takes seconds); ``kttc statistics refresh`` rebuilds them at will."""

from __future__ import annotations

from datetime import date

from kttc.oversight.statistics import selectors, services


def run(today: date) -> dict[str, int]:
    """M13.3: rebuild the figures as on ``today`` unless done already; the rows written."""
    last = selectors.last_refresh()
    if last is not None and last.as_of == today:
        return {"statistics_rows": 0}
    return {"statistics_rows": services.statistics_refresh(today=today).rows}
