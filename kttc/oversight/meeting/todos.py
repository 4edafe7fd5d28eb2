"""What waits at the joint meeting (see ``kttc.core.todos``, M13.1, M13.2): for the bureau, the
difficulties raised and not yet on an agenda, the open tasks due within a week or overdue (the
nearest deadline first), and the difficulties whose every task is closed, to conclude."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Membership
from kttc.core.todos import TodoSection, section
from kttc.oversight.meeting import selectors
from kttc.oversight.meeting.choices import DifficultyStatus
from kttc.oversight.meeting.models import Difficulty, MeetingTask
from kttc.policy import meeting as rules
from kttc.policy.roles import Capability, Role, role_can


def _difficulty(d: Difficulty) -> tuple[str, str]:
    return f"{d.title} · {d.organisation.name}", reverse("meeting:detail", args=[d.pk])


def _task(t: MeetingTask) -> tuple[str, str]:
    return (
        f"{t.owner_name()} · {t.difficulty.title}",
        reverse("meeting:detail", args=[t.difficulty_id]),
    )


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    if not role_can(Role(membership.role), Capability.MANAGE_MEETING_ALL):
        return []
    window = selectors.today() + timedelta(days=rules.REMIND_BEFORE_DAYS)
    raised = Difficulty.objects.filter(status=DifficultyStatus.RAISED).select_related(
        "organisation"
    )
    due = selectors.open_tasks().filter(deadline__lte=window)
    more = reverse("meeting:list")
    return [
        section(
            _("Difficulties waiting for the joint meeting's agenda"), rules.MEETING, raised,
            limit=limit, more_link=more, describe=_difficulty, since="raised_on",
        ),
        section(
            _("Tasks of the joint meeting due within a week or overdue"), rules.TASKS, due,
            limit=limit, more_link=more, describe=_task, since="deadline",
        ),
        section(
            _("Difficulties whose every task is closed, to conclude"), rules.MEETING,
            selectors.to_conclude(), limit=limit, more_link=more, describe=_difficulty,
            since="raised_on",
        ),
    ]  # fmt: skip
