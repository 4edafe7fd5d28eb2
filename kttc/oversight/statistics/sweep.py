"""The statistics' part of ``kttc sweep`` (through ``kttc.oversight.sweep``), M13.3: the summary
table is rebuilt once a day, so that the dashboard counts what became overdue (M8.6) today."""

from __future__ import annotations

from datetime import date

from kttc.oversight.statistics import services


def run(today: date) -> dict[str, int]:
    """M13.3: rebuild the figures as on ``today``; how many rows the summary table now has."""
    return {"statistics_rows": services.statistics_refresh(today=today).rows}
