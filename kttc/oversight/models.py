"""Tables of this part, each in its mechanism's package; re-exported here for Django's model
discovery and for ``from kttc.oversight.models import …``."""

from kttc.oversight.findings.models import (
    Amendment,
    Finding,
    Inspection,
    InspectionDocument,
    RectificationDocument,
)
from kttc.oversight.meeting.models import (
    Difficulty,
    DifficultyDocument,
    MeetingDecision,
    MeetingSession,
    MeetingTask,
    MeetingTaskDocument,
)
from kttc.oversight.reports.models import ReportPeriod, UnitReport, UnitReportEvent
from kttc.oversight.statistics.models import StatisticsFigure, StatisticsRefresh

__all__ = [
    "Amendment",
    "Difficulty",
    "DifficultyDocument",
    "Finding",
    "Inspection",
    "InspectionDocument",
    "MeetingDecision",
    "MeetingSession",
    "MeetingTask",
    "MeetingTaskDocument",
    "RectificationDocument",
    "ReportPeriod",
    "StatisticsFigure",
    "StatisticsRefresh",
    "UnitReport",
    "UnitReportEvent",
]
