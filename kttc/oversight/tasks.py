"""Part 4's tasks (found by this name when a worker starts, see ``kttc.core.tasks``): the
statistics' daily refresh (M13.3), queued by the sweep with a broker so that the sweep itself
stays short. A second refresh the same day finds the figures there and reads nothing."""

from __future__ import annotations

from datetime import date

from kttc.core import tasks
from kttc.oversight.statistics import sweep as statistics_sweep


@tasks.task("kttc.oversight.statistics_refresh", queue=tasks.LONG_QUEUE)
def statistics_refresh(today: str) -> dict[str, int]:
    """M13.3: rebuild the figures as on ``today`` (ISO date) unless done already."""
    return statistics_sweep.run(date.fromisoformat(today))
