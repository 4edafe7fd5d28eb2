"""Part 4's share of ``kttc sweep`` (found by this name, see ``kttc.core.parts``): the joint
meeting's tasks due soon and overdue are told of (M13.2, :mod:`kttc.oversight.meeting.sweep`),
and the rectifications of findings due soon and overdue (M14.2,
:mod:`kttc.oversight.findings.sweep`)."""

from __future__ import annotations

from datetime import date

from kttc.core import tasks
from kttc.oversight.findings import sweep as findings_sweep
from kttc.oversight.meeting import sweep as meeting_sweep
from kttc.oversight.reports import sweep as reports_sweep
from kttc.oversight.statistics import sweep as statistics_sweep


def run(today: date) -> dict[str, int]:
    """M13.2, M14.2: each mechanism's sweep, its counts side by side."""
    counts = {**meeting_sweep.run(today), **reports_sweep.run(today), **findings_sweep.run(today)}
    # M13.3: the figures last, so that they count what the sweeps above changed today; with a
    # broker, as a task of their own on the long queue (a refresh takes seconds at 1M results).
    if tasks.broker_configured():
        from kttc.oversight.tasks import statistics_refresh

        tasks.enqueue(statistics_refresh, today.isoformat())
        return {**counts, "statistics_refresh_queued": 1}
    return {**counts, **statistics_sweep.run(today)}
