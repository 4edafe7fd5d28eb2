"""What people hear of the joint meeting at once (DESIGN rule 12, M13.1, M13.2): the bureau of
each difficulty raised; the raising organisation of each step on its difficulty (on an agenda,
decided, each task closed, resolved or closed); the bureau of a task's deadline near and past
(the sweep). Each notice is sent once per event (its dedupe key)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.oversight.meeting.models import Difficulty, MeetingTask
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

CLAUSES = ("M13.1", "M13.2")

RAISED = Notice(
    kind="meeting.raised",
    subject=gettext_noop("Difficulty raised: %(title)s"),
    body=gettext_noop(
        "%(organisation)s raised a difficulty to the joint meeting: “%(title)s” (M13.1). Put "
        "it on the agenda of a session or close it saying why."
    ),
    clauses=CLAUSES,
)
SCHEDULED = Notice(
    kind="meeting.scheduled",
    subject=gettext_noop("On the joint meeting's agenda: %(title)s"),
    body=gettext_noop(
        "Your difficulty “%(title)s” is on the agenda of the joint meeting of %(date)s (M13.1)."
    ),
    clauses=CLAUSES,
)
DECIDED = Notice(
    kind="meeting.decided",
    subject=gettext_noop("The joint meeting decided: %(title)s"),
    body=gettext_noop(
        "The joint meeting decided on your difficulty “%(title)s” (M13.1): %(decision)s Its "
        "tasks: %(tasks)s (M13.2)."
    ),
    clauses=CLAUSES,
)
TASK_CLOSED = Notice(
    kind="meeting.task_closed",
    subject=gettext_noop("A task on your difficulty is closed: %(title)s"),
    body=gettext_noop(
        "%(owner)s closed its task on your difficulty “%(title)s” (M13.2): %(evidence)s"
    ),
    clauses=CLAUSES,
)
TASK_REOPENED = Notice(
    kind="meeting.task_reopened",
    subject=gettext_noop("A task on your difficulty is reopened: %(title)s"),
    body=gettext_noop(
        "The bureau reopened the task of %(owner)s on your difficulty “%(title)s” (M13.2): "
        "%(reason)s"
    ),
    clauses=CLAUSES,
)
RESOLVED = Notice(
    kind="meeting.resolved",
    subject=gettext_noop("Difficulty resolved: %(title)s"),
    body=gettext_noop(
        "Every task on your difficulty “%(title)s” is closed; it is resolved (M13.1)."
    ),
    clauses=CLAUSES,
)
CLOSED = Notice(
    kind="meeting.closed",
    subject=gettext_noop("Difficulty closed: %(title)s"),
    body=gettext_noop("The bureau closed your difficulty “%(title)s” (M13.1): %(reason)s"),
    clauses=CLAUSES,
)
REMINDER = Notice(
    kind="meeting.task_reminder",
    subject=gettext_noop("Task due on %(deadline)s: %(owner)s"),
    body=gettext_noop(
        "The task of %(owner)s on “%(title)s” is due on %(deadline)s (M13.2): %(deliverable)s"
    ),
    clauses=CLAUSES,
)
OVERDUE = Notice(
    kind="meeting.task_overdue",
    subject=gettext_noop("Task overdue since %(deadline)s: %(owner)s"),
    body=gettext_noop(
        "The task of %(owner)s on “%(title)s” was due on %(deadline)s and is not closed "
        "(M13.2): %(deliverable)s"
    ),
    clauses=CLAUSES,
)

register_kind(RAISED.kind, _("A difficulty is raised to the joint meeting"))
register_kind(SCHEDULED.kind, _("Your difficulty is on the joint meeting's agenda"))
register_kind(DECIDED.kind, _("The joint meeting decided on your difficulty"))
register_kind(TASK_CLOSED.kind, _("A task on your difficulty is closed"))
register_kind(TASK_REOPENED.kind, _("A task on your difficulty is reopened"))
register_kind(RESOLVED.kind, _("Your difficulty is resolved"))
register_kind(CLOSED.kind, _("Your difficulty is closed"))
register_kind(REMINDER.kind, _("A task of the joint meeting is due soon"))
register_kind(OVERDUE.kind, _("A task of the joint meeting is overdue"))


def roles_with(capability: Capability) -> tuple[str, ...]:
    return tuple(r.value for r in Role if role_can(r, capability))


def difficulty_page(difficulty: Difficulty) -> str:
    """The difficulty's page (empty where the pages are not installed)."""
    try:
        return reverse("meeting:detail", args=[difficulty.pk])
    except NoReverseMatch:
        return ""


def tell_bureau(difficulty: Difficulty) -> int:
    """The bureau hears of a difficulty raised, once."""
    return notification_send_now(
        roles=roles_with(Capability.MANAGE_MEETING_ALL),
        notice=replace(
            RAISED, params={"title": difficulty.title, "organisation": difficulty.organisation.name}
        ),
        dedupe_key=f"{RAISED.kind}:{difficulty.pk}",
        about=difficulty,
        link=difficulty_page(difficulty),
    )


def tell_raiser(notice: Notice, difficulty: Difficulty, key: str, **params: Any) -> int:
    """The raising organisation's people hear of a step on their difficulty, once per ``key``."""
    return notification_send_now(
        roles=roles_with(Capability.RAISE_DIFFICULTIES),
        organisation=difficulty.organisation,
        notice=replace(notice, params={"title": difficulty.title, **params}),
        dedupe_key=f"{notice.kind}:{difficulty.pk}:{key}",
        about=difficulty,
        link=difficulty_page(difficulty),
    )


def tell_bureau_of_task(notice: Notice, task: MeetingTask) -> int:
    """The bureau (which follows the owners up) hears of a task due soon or overdue, once."""
    return notification_send_now(
        roles=roles_with(Capability.MANAGE_MEETING_ALL),
        notice=replace(
            notice,
            params={
                "title": task.difficulty.title,
                "owner": task.get_owner_display(),
                "deadline": task.deadline.isoformat(),
                "deliverable": task.deliverable,
            },
        ),
        dedupe_key=f"{notice.kind}:{task.pk}",
        about=task,
        link=difficulty_page(task.difficulty),
    )
