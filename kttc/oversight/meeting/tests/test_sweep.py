"""The joint meeting's sweep (M13.2): the bureau is reminded once in the week before a task's
deadline and told once when it is overdue; a closed task is neither."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.core.models import Notification
from kttc.oversight import sweep as part_sweep
from kttc.oversight.meeting import services
from kttc.oversight.meeting.tests.factories import DAY, convened, decided, raised

pytestmark = pytest.mark.django_db


def _told(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_m13_2_reminder_once_then_overdue_once_and_nothing_for_a_closed_task(personas):
    difficulty = raised(personas)
    session = convened(personas, difficulty)
    first, second = decided(
        personas, session, difficulty, owners=("dept_hrss", "wuhua")
    ).tasks.all()
    deadline = first.deadline
    services.task_close(actor=personas.bureau, task=second, evidence="完成", today=DAY)

    assert part_sweep.run(deadline - dt.timedelta(days=8)).items() >= {
        "meeting_tasks_reminded": 0, "meeting_tasks_overdue": 0,
    }.items()  # fmt: skip
    assert part_sweep.run(deadline - dt.timedelta(days=7))["meeting_tasks_reminded"] == 1
    assert part_sweep.run(deadline)["meeting_tasks_reminded"] == 0  # once
    assert _told(personas.bureau, "meeting.task_reminder") == 1
    assert part_sweep.run(deadline)["meeting_tasks_overdue"] == 0  # due today is not late
    assert part_sweep.run(deadline + dt.timedelta(days=1))["meeting_tasks_overdue"] == 1
    assert part_sweep.run(deadline + dt.timedelta(days=2))["meeting_tasks_overdue"] == 0
    assert _told(personas.bureau, "meeting.task_overdue") == 1
    # the raiser hears of none of the sweep's notices
    assert _told(personas.transfer_office, "meeting.task_reminder") == 0
    first.refresh_from_db()
    assert first.reminded_at is not None and first.overdue_notified_at is not None
