"""The joint meeting's part of ``kttc sweep`` (through ``kttc.oversight.sweep``), M13.2:

* the bureau, which follows the owners up, is reminded once of each open task whose deadline is
  within :data:`kttc.policy.meeting.REMIND_BEFORE_DAYS` days;
* a task still open the day after its deadline is overdue: the bureau is told once.

DESIGN rule 5: a task is claimed with a conditional UPDATE (``… SET reminded_at = <now> WHERE
reminded_at IS NULL``) before its notice is written, in one transaction; running the sweep
twice, or two at once, tells nobody twice."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from kttc.oversight.meeting import notices
from kttc.oversight.meeting.choices import TaskStatus
from kttc.oversight.meeting.models import MeetingTask
from kttc.policy import meeting as rules


def _claim_and_tell(task_ids: list[int], claim: str, notice: notices.Notice) -> int:
    told = 0
    for pk in task_ids:
        with transaction.atomic():
            claimed = MeetingTask.objects.filter(
                pk=pk, status=TaskStatus.OPEN, **{f"{claim}__isnull": True}
            ).update(**{claim: timezone.now()})
            if claimed:
                task = MeetingTask.objects.select_related("difficulty").get(pk=pk)
                notices.tell_bureau_of_task(notice, task)
                told += 1
    return told


def run(today: date) -> dict[str, int]:
    """M13.2: remind the bureau of tasks due soon; tell it of those overdue. Each once."""
    open_tasks = MeetingTask.objects.filter(status=TaskStatus.OPEN)
    window = today + timedelta(days=rules.REMIND_BEFORE_DAYS)
    due_soon = list(
        open_tasks.filter(reminded_at__isnull=True, deadline__gte=today, deadline__lte=window)
        .order_by("deadline", "id")
        .values_list("pk", flat=True)
    )
    overdue = list(
        open_tasks.filter(overdue_notified_at__isnull=True, deadline__lt=today)
        .order_by("deadline", "id")
        .values_list("pk", flat=True)
    )
    return {
        "meeting_tasks_reminded": _claim_and_tell(due_soon, "reminded_at", notices.REMINDER),
        "meeting_tasks_overdue": _claim_and_tell(overdue, "overdue_notified_at", notices.OVERDUE),
    }
