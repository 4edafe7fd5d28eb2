"""Part 4's demo data (``kttc demo`` finds it by this name): each mechanism's own, once."""

from __future__ import annotations

from kttc.oversight.findings import demo as findings_demo
from kttc.oversight.meeting import demo as meeting_demo
from kttc.oversight.reports import demo as reports_demo
from kttc.oversight.statistics import demo as statistics_demo

# The statistics count the other parts' demo data: theirs last.
PARTS = (meeting_demo, reports_demo, findings_demo, statistics_demo)


def demo_loaded() -> bool:
    return all(part.demo_loaded() for part in PARTS)


def load_demo() -> None:
    for part in PARTS:
        if not part.demo_loaded():
            part.load_demo()
