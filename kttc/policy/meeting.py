"""Rules of the joint meeting for major achievement transformation (M13.1) and of the tasks it
breaks its decisions into (M13.2).

* **Difficulties** (难点堵点, M13.1): a unit, an enterprise or an institution raises a difficulty
  with a title, a description and evidence; the bureau puts it on the agenda of a session of the
  joint meeting, the meeting decides on it, and the difficulty is tracked to closure.
* **Steps** (:func:`check_step`): a raised difficulty is put on a session's agenda; a decision on
  it is recorded with its tasks; the bureau concludes it resolved only when every one of its
  tasks is closed (:func:`is_resolved`), or closes it unresolved with a reason at any step before.
* **Tasks** (M13.2): each task has an owner from the fixed list of Kunming's municipal departments
  and counties/districts (:data:`OWNERS`), a deadline (:func:`check_deadline`) and a deliverable;
  it is closed with its evidence, and reopened by the bureau with a reason while the difficulty
  is not concluded (:func:`check_task_reopen`).
* **Reminders** (:func:`reminder_due`, :func:`overdue_due`): the owner is reminded
  :data:`REMIND_BEFORE_DAYS` days before a task's deadline, once, and told once that it is
  overdue the day after the deadline passes.

The numbers here are the meeting's working arrangements, not the measures', so they live here
rather than in the versioned parameters of :mod:`kttc.policy.params`.

Pure functions over plain values; ``kttc.oversight.meeting.services`` calls them under the
difficulty's row lock and turns a refusal into an error shown beside the field it names.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from kttc.policy.errors import PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.text import check_text

MEETING: Final = ("M13.1",)
TASKS: Final = ("M13.2",)
CLAUSES: Final = ("M13.1", "M13.2")

#: The longest title, description, deliverable, reason and evidence the platform records.
TITLE_MAX: Final = 200
TEXT_MAX: Final = 4000
DELIVERABLE_MAX: Final = 500
#: A session lists at most this many attendees, each at most ATTENDEE_MAX characters.
ATTENDEES_MAX: Final = 60
ATTENDEE_MAX: Final = 100
#: A task's deadline lies at most this many days after the decision.
TASK_DAYS_MAX: Final = 366
#: A session is convened at most this many days ahead.
CONVENE_AHEAD_MAX: Final = 180
#: The owner is reminded this many days before a task's deadline.
REMIND_BEFORE_DAYS: Final = 7


class OwnerKind(StrEnum):
    DEPARTMENT = "department"  # a municipal department
    DISTRICT = "district"  # a county, district or county-level city


#: The owners a task may have (M13.2): Kunming's municipal departments and its counties,
#: districts and county-level city, by a stable code, with their Chinese names.
OWNERS: Final[dict[str, tuple[OwnerKind, str]]] = {
    "dept_science": (OwnerKind.DEPARTMENT, "市科技局"),
    "dept_finance": (OwnerKind.DEPARTMENT, "市财政局"),
    "dept_education": (OwnerKind.DEPARTMENT, "市教育体育局"),
    "dept_health": (OwnerKind.DEPARTMENT, "市卫生健康委"),
    "dept_sasac": (OwnerKind.DEPARTMENT, "市国资委"),
    "dept_market": (OwnerKind.DEPARTMENT, "市市场监管局"),
    "dept_hrss": (OwnerKind.DEPARTMENT, "市人社局"),
    "dept_industry": (OwnerKind.DEPARTMENT, "市工业和信息化局"),
    "dept_development": (OwnerKind.DEPARTMENT, "市发展改革委"),
    "dept_financial": (OwnerKind.DEPARTMENT, "市金融办"),
    "wuhua": (OwnerKind.DISTRICT, "五华区"),
    "panlong": (OwnerKind.DISTRICT, "盘龙区"),
    "guandu": (OwnerKind.DISTRICT, "官渡区"),
    "xishan": (OwnerKind.DISTRICT, "西山区"),
    "chenggong": (OwnerKind.DISTRICT, "呈贡区"),
    "jinning": (OwnerKind.DISTRICT, "晋宁区"),
    "dongchuan": (OwnerKind.DISTRICT, "东川区"),
    "anning": (OwnerKind.DISTRICT, "安宁市"),
    "fumin": (OwnerKind.DISTRICT, "富民县"),
    "yiliang": (OwnerKind.DISTRICT, "宜良县"),
    "shilin": (OwnerKind.DISTRICT, "石林县"),
    "songming": (OwnerKind.DISTRICT, "嵩明县"),
    "luquan": (OwnerKind.DISTRICT, "禄劝县"),
    "xundian": (OwnerKind.DISTRICT, "寻甸县"),
}


class Category(StrEnum):
    """M13.1: what a difficulty is about, so the bureau routes it and the public counts it."""

    POLICY = "policy"  # rules and approvals
    FUNDING = "funding"  # funding and finance
    TALENT = "talent"  # people and incentives
    FACILITIES = "facilities"  # pilot facilities, platforms, land
    IP = "ip"  # intellectual property
    MARKET = "market"  # market and application
    OTHER = "other"


def check_category(value: str) -> Category:
    """M13.1: a difficulty's field is one of :class:`Category`."""
    try:
        return Category(value)
    except ValueError:
        raise refuse(
            gettext_noop("Choose the field the difficulty belongs to."),
            "meeting.category",
            "category",
            MEETING,
        ) from None


def check_place(value: str) -> str:
    """M13.1: where a session is held, at most :data:`TITLE_MAX` characters (may be left out)."""
    place = _clean(value, field="place", multiline=False, clauses=MEETING)
    if len(place) > TITLE_MAX:
        raise refuse(
            gettext_noop("Write 1 to %(max)s characters here."),
            "meeting.text",
            "place",
            MEETING,
            max=TITLE_MAX,
        )
    return place


class Status(StrEnum):
    RAISED = "raised"  # raised, waiting for the bureau to put it on an agenda
    ON_AGENDA = "on_agenda"  # on the agenda of a session
    DECIDED = "decided"  # the meeting decided; its tasks are under way
    RESOLVED = "resolved"  # every task closed
    CLOSED = "closed"  # closed by the bureau with a reason


class Step(StrEnum):
    SCHEDULE = "schedule"
    DECIDE = "decide"
    RESOLVE = "resolve"
    CLOSE = "close"


class TaskStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


#: From which statuses each step is taken, and the status it leads to. A difficulty decided
#: may be decided on again at a later session (more tasks), and put on a later agenda.
TRANSITIONS: Final[dict[Step, tuple[frozenset[Status], Status]]] = {
    Step.SCHEDULE: (frozenset({Status.RAISED, Status.ON_AGENDA, Status.DECIDED}), Status.ON_AGENDA),
    Step.DECIDE: (frozenset({Status.ON_AGENDA, Status.DECIDED}), Status.DECIDED),
    Step.RESOLVE: (frozenset({Status.DECIDED}), Status.RESOLVED),
    Step.CLOSE: (frozenset({Status.RAISED, Status.ON_AGENDA, Status.DECIDED}), Status.CLOSED),
}
#: The statuses of a difficulty still being tracked.
OPEN: Final = frozenset({Status.RAISED, Status.ON_AGENDA, Status.DECIDED})
#: The statuses of a difficulty whose tracking ended.
ENDED: Final = frozenset({Status.RESOLVED, Status.CLOSED})


def check_step(status: str, step: Step) -> Status:
    """M13.1: the step is one the difficulty's status allows; returns the new status."""
    before, after = TRANSITIONS[step]
    if status not in before:
        raise refuse(
            gettext_noop("This difficulty is no longer waiting for that step."),
            "meeting.status",
            None,
            MEETING,
        )
    return after


def is_resolved(task_statuses: Iterable[str]) -> bool:
    """M13.1, M13.2: a difficulty is resolved when it has tasks and every one is closed."""
    statuses = list(task_statuses)
    return bool(statuses) and all(s == TaskStatus.CLOSED for s in statuses)


def check_resolve(status: str, task_statuses: Iterable[str]) -> Status:
    """M13.1: a decided difficulty is resolved only when all its tasks are closed."""
    after = check_step(status, Step.RESOLVE)
    if not is_resolved(task_statuses):
        raise refuse(
            gettext_noop("A difficulty is resolved only when every one of its tasks is closed."),
            "meeting.tasks_open",
            None,
            CLAUSES,
        )
    return after


def _clean(value: str, *, field: str, multiline: bool, clauses: tuple[str, ...]) -> str:
    """``value`` stripped, refused with the clauses at stake if it holds a control character."""
    try:
        return check_text(value.strip(), field=field, multiline=multiline)
    except PolicyError as error:
        raise PolicyError(
            error.template, code=error.code, field=field, clauses=clauses, params=error.params
        ) from None


def _text(
    value: str, *, field: str, maximum: int, multiline: bool, clauses: tuple[str, ...]
) -> str:
    text = _clean(value, field=field, multiline=multiline, clauses=clauses)
    if not text or len(text) > maximum:
        raise refuse(
            gettext_noop("Write 1 to %(max)s characters here."),
            "meeting.text",
            field,
            clauses,
            max=maximum,
        )
    return text


def check_title(value: str) -> str:
    """M13.1: a difficulty's title, 1 to :data:`TITLE_MAX` characters on one line."""
    return _text(value, field="title", maximum=TITLE_MAX, multiline=False, clauses=MEETING)


def check_description(value: str, *, field: str = "description") -> str:
    """M13.1: a description, minutes, a reason or evidence, 1 to :data:`TEXT_MAX` characters."""
    return _text(value, field=field, maximum=TEXT_MAX, multiline=True, clauses=MEETING)


def check_deliverable(value: str) -> str:
    """M13.2: what a task delivers, 1 to :data:`DELIVERABLE_MAX` characters."""
    return _text(value, field="deliverable", maximum=DELIVERABLE_MAX, multiline=True, clauses=TASKS)


def check_evidence(value: str) -> str:
    """M13.2: the evidence a task is closed with, 1 to :data:`TEXT_MAX` characters."""
    return _text(value, field="evidence", maximum=TEXT_MAX, multiline=True, clauses=TASKS)


def check_attendees(lines: Iterable[str]) -> list[str]:
    """M13.1: the attendees of a session (departments or people), one per line: at least one,
    at most :data:`ATTENDEES_MAX`, each at most :data:`ATTENDEE_MAX` characters, without
    repeats (the first kept)."""
    seen: dict[str, None] = {}
    for line in lines:
        name = _clean(line, field="attendees", multiline=False, clauses=MEETING)
        if not name:
            continue
        if len(name) > ATTENDEE_MAX:
            raise refuse(
                gettext_noop("An attendee's name holds at most %(max)s characters."),
                "meeting.attendee",
                "attendees",
                MEETING,
                max=ATTENDEE_MAX,
            )
        seen.setdefault(name, None)
    if not seen or len(seen) > ATTENDEES_MAX:
        raise refuse(
            gettext_noop("List the attendees, one a line: 1 to %(max)s."),
            "meeting.attendees",
            "attendees",
            MEETING,
            max=ATTENDEES_MAX,
        )
    return list(seen)


def check_owner(code: str) -> str:
    """M13.2: a task's owner is one of Kunming's departments or counties/districts."""
    if code not in OWNERS:
        raise refuse(
            gettext_noop("Choose the department or county/district that owns the task."),
            "meeting.owner",
            "owner",
            TASKS,
        )
    return code


def check_session_date(held_on: date, *, today: date) -> date:
    """M13.1: a session is convened on a day at most :data:`CONVENE_AHEAD_MAX` days ahead and
    at most a year back (a session held before the platform recorded it)."""
    if held_on > today + timedelta(days=CONVENE_AHEAD_MAX) or held_on < today - timedelta(
        days=TASK_DAYS_MAX
    ):
        raise refuse(
            gettext_noop(
                "The session's day lies within a year before and %(max)s days after today."
            ),
            "meeting.session_date",
            "held_on",
            MEETING,
            max=CONVENE_AHEAD_MAX,
        )
    return held_on


def check_minutes_date(held_on: date, *, today: date) -> date:
    """M13.1: the minutes of a session are recorded on or after the day it is held."""
    if today < held_on:
        raise refuse(
            gettext_noop("The minutes are recorded once the session has been held (%(day)s)."),
            "meeting.minutes_date",
            "minutes",
            MEETING,
            day=held_on.isoformat(),
        )
    return held_on


def check_deadline(deadline: date, *, decided_on: date) -> date:
    """M13.2: a task's deadline falls after the decision and at most :data:`TASK_DAYS_MAX` days
    after it."""
    if deadline <= decided_on or deadline > decided_on + timedelta(days=TASK_DAYS_MAX):
        raise refuse(
            gettext_noop(
                "A task's deadline falls after the decision (%(day)s) and within %(max)s days "
                "of it."
            ),
            "meeting.deadline",
            "deadline",
            TASKS,
            day=decided_on.isoformat(),
            max=TASK_DAYS_MAX,
        )
    return deadline


def remind_from(deadline: date) -> date:
    """M13.2: the first day the owner of a task due on ``deadline`` is reminded."""
    return deadline - timedelta(days=REMIND_BEFORE_DAYS)


def reminder_due(deadline: date, *, today: date, status: str, reminded: bool) -> bool:
    """M13.2: an open task not yet reminded is reminded from :func:`remind_from` up to its
    deadline (once)."""
    return status == TaskStatus.OPEN and not reminded and remind_from(deadline) <= today <= deadline


def is_overdue(deadline: date, *, today: date, status: str) -> bool:
    """M13.2: an open task is overdue the day after its deadline."""
    return status == TaskStatus.OPEN and today > deadline


def overdue_due(deadline: date, *, today: date, status: str, notified: bool) -> bool:
    """M13.2: an overdue task's owner and the bureau are told once."""
    return not notified and is_overdue(deadline, today=today, status=status)


def check_task_open(status: str) -> TaskStatus:
    """M13.2: only an open task is closed; returns the new status."""
    if status != TaskStatus.OPEN:
        raise refuse(
            gettext_noop("This task is already closed."),
            "meeting.task_closed",
            None,
            TASKS,
        )
    return TaskStatus.CLOSED


def check_task_reopen(status: str, difficulty_status: str) -> TaskStatus:
    """M13.2: the bureau reopens a task closed by mistake while its difficulty waits for the
    bureau's conclusion (decided, neither resolved nor closed); returns the new status."""
    if status != TaskStatus.CLOSED:
        raise refuse(
            gettext_noop("This task is open; there is nothing to reopen."),
            "meeting.task_open",
            None,
            TASKS,
        )
    if difficulty_status != Status.DECIDED:
        raise refuse(
            gettext_noop("The difficulty is concluded; its tasks are no longer reopened."),
            "meeting.task_concluded",
            None,
            CLAUSES,
        )
    return TaskStatus.OPEN


__all__ = [
    "ATTENDEES_MAX",
    "ATTENDEE_MAX",
    "CLAUSES",
    "CONVENE_AHEAD_MAX",
    "DELIVERABLE_MAX",
    "ENDED",
    "MEETING",
    "OPEN",
    "OWNERS",
    "REMIND_BEFORE_DAYS",
    "TASKS",
    "TASK_DAYS_MAX",
    "TEXT_MAX",
    "TITLE_MAX",
    "TRANSITIONS",
    "Category",
    "OwnerKind",
    "Status",
    "Step",
    "TaskStatus",
    "check_attendees",
    "check_category",
    "check_deadline",
    "check_deliverable",
    "check_description",
    "check_evidence",
    "check_minutes_date",
    "check_owner",
    "check_place",
    "check_resolve",
    "check_session_date",
    "check_step",
    "check_task_open",
    "check_task_reopen",
    "check_title",
    "is_overdue",
    "is_resolved",
    "overdue_due",
    "remind_from",
    "reminder_due",
]
