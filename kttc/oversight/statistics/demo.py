"""The statistics' demo (M13.3): the figures of the demo's data, refreshed once it is loaded
(the other parts' demos load first: ``kttc.oversight.demo`` comes after them)."""

from __future__ import annotations

from kttc.oversight.statistics import services
from kttc.oversight.statistics.models import StatisticsRefresh
from kttc.policy import calendar


def demo_loaded() -> bool:
    return StatisticsRefresh.objects.exists()


def load_demo() -> None:
    services.statistics_refresh(today=calendar.today_in_shanghai())
