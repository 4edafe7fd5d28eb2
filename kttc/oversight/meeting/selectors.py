"""Reads of the joint meeting (M13.1, M13.2): an organisation's difficulties, the bureau's view
of all, the tasks by deadline, and the public summary (organisations and departments only)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet

from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.oversight.meeting.choices import DifficultyStatus, TaskStatus
from kttc.oversight.meeting.models import Difficulty, MeetingSession, MeetingTask
from kttc.policy import calendar
from kttc.policy import meeting as rules
from kttc.policy.roles import Capability


def today() -> date:
    """The legal date of a step: today in Asia/Shanghai."""
    return calendar.today_in_shanghai()


def difficulties_of(organisation: Organisation) -> QuerySet[Difficulty]:
    """An organisation's difficulties, the latest first."""
    return Difficulty.objects.filter(organisation=organisation).select_related("organisation")


def difficulties_for(user: User) -> QuerySet[Difficulty]:
    """Every difficulty for the bureau and auditors; else those of the user's organisations."""
    if user_can(user, Capability.VIEW_MEETING_ALL):
        return Difficulty.objects.select_related("organisation")
    mine = organisations_where(user, Capability.RAISE_DIFFICULTIES)
    return Difficulty.objects.filter(organisation__in=mine).select_related("organisation")


def agenda_candidates() -> QuerySet[Difficulty]:
    """M13.1: the difficulties a session may put on its agenda (still open), the oldest first."""
    return (
        Difficulty.objects.filter(status__in=[s.value for s in rules.OPEN])
        .select_related("organisation")
        .order_by("raised_on", "id")
    )


def to_conclude() -> QuerySet[Difficulty]:
    """M13.1: the decided difficulties whose every task is closed, waiting for the bureau's
    conclusion."""
    return (
        Difficulty.objects.filter(status=DifficultyStatus.DECIDED, tasks__isnull=False)
        .exclude(tasks__status=TaskStatus.OPEN)
        .select_related("organisation")
        .distinct()
        .order_by("raised_on", "id")
    )


def sessions() -> QuerySet[MeetingSession]:
    return MeetingSession.objects.prefetch_related("agenda")


def open_tasks() -> QuerySet[MeetingTask]:
    """M13.2: the open tasks, the nearest deadline first."""
    return MeetingTask.objects.filter(status=TaskStatus.OPEN).select_related("difficulty")


def public_counts() -> dict[str, dict[str, int]]:
    """M13.1, M13.2: how many difficulties by status and how many tasks by owner and status."""
    by_status = {
        row["status"]: row["n"]
        for row in Difficulty.objects.values("status").annotate(n=Count("id"))
    }
    by_owner: dict[str, int] = {}
    for row in MeetingTask.objects.values("owner").annotate(n=Count("id")):
        by_owner[row["owner"]] = row["n"]
    return {"by_status": by_status, "by_owner": by_owner}


def resolved() -> QuerySet[Difficulty]:
    """M13.1: the difficulties resolved, with their raising organisation and tasks."""
    return (
        Difficulty.objects.filter(status=DifficultyStatus.RESOLVED)
        .select_related("organisation")
        .prefetch_related("tasks")
        .order_by("-ended_on", "-id")
    )
