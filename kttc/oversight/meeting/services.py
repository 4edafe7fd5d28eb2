"""Decisions of the joint meeting (M13.1, M13.2).

* :func:`difficulty_raise`: a verified unit, enterprise or institution raises a difficulty with
  its description and evidence (documents kept by SHA-256); the bureau hears of it.
* :func:`session_convene`: the bureau convenes a session on a day, with its attendees and the
  difficulties on its agenda; each raiser hears of it.
* :func:`session_minutes`: the bureau records the minutes once the session is held.
* :func:`decision_record`: the session decides on a difficulty on its agenda and breaks the
  decision into tasks, each owned by a department or a county/district with a deadline and a
  deliverable (M13.2); the raiser hears of it.
* :func:`task_close`: a task is closed with its evidence (text, documents by hash).
* :func:`task_reopen`: the bureau reopens a task closed by mistake, saying why, while the
  difficulty is not concluded.
* :func:`difficulty_resolve`: once every task is closed, the bureau concludes the difficulty
  resolved, once (the difficulty's row lock).
* :func:`difficulty_close`: the bureau closes a difficulty still open unresolved, saying why.

Each takes the audit chain's lock first (``@decision``), then the difficulty's row lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from kttc.core.documents import Attachment, check_attachments, keep
from kttc.core.models import Organisation, User
from kttc.core.services import audit_record, decision, model_snapshot, require_capability
from kttc.oversight.meeting import notices, selectors
from kttc.oversight.meeting.models import (
    Difficulty,
    DifficultyDocument,
    MeetingDecision,
    MeetingSession,
    MeetingTask,
    MeetingTaskDocument,
)
from kttc.policy import meeting as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

MEETING = rules.MEETING
TASKS = rules.TASKS
CLAUSES = rules.CLAUSES
#: The largest document the platform keeps, and the most documents of one step.
#: The most tasks one decision is broken into.
MAX_TASKS = 30
FOLDER = "meeting"
FIELDS = ("status", "title", "description", "category", "raised_on", "resolution", "ended_on")
TASK_FIELDS = ("status", "owner", "deliverable", "deadline", "evidence", "closed_on")


@dataclass(frozen=True)
class TaskPlan:
    """A task as the meeting decides it (M13.2): its owner's code, deliverable and deadline."""

    owner: str
    deliverable: str
    deadline: date


def _record(
    actor: User, difficulty: Difficulty, action: str, obj: Any = None, **kwargs: Any
) -> None:
    audit_record(
        actor=actor,
        organisation=difficulty.organisation,
        action=f"meeting.{action}",
        obj=obj if obj is not None else difficulty,
        clauses=kwargs.pop("clauses", CLAUSES),
        **kwargs,
    )


def _check_documents(attachments: Sequence[Attachment]) -> list[Attachment]:
    return check_attachments(
        attachments, field="documents", clauses=MEETING, too_many_code="meeting.too_many_documents"
    )


def _keep(difficulty: Difficulty, attachment: Attachment, actor: User) -> DifficultyDocument:
    return keep(DifficultyDocument, attachment, folder=FOLDER, actor=actor, difficulty=difficulty)


def _keep_for_task(task: MeetingTask, attachment: Attachment, actor: User) -> MeetingTaskDocument:
    return keep(MeetingTaskDocument, attachment, folder=FOLDER, actor=actor, task=task)


@decision
def difficulty_raise(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    description: str,
    category: str = rules.Category.OTHER,
    documents: Sequence[Attachment] = (),
    today: date | None = None,
) -> Difficulty:
    """M13.1: a verified unit, enterprise or institution raises a difficulty with its
    description and evidence; the bureau hears of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.RAISE_DIFFICULTIES, organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.is_verified:
        raise refuse(
            gettext_noop("Only a verified organisation raises a difficulty to the joint meeting."),
            "meeting.unverified",
            None,
            MEETING,
        )
    checked_title = rules.check_title(title)
    checked_description = rules.check_description(description)
    checked_category = rules.check_category(category)
    checked = _check_documents(documents)
    difficulty = Difficulty.objects.create(
        organisation=organisation, raised_by=actor, title=checked_title,
        description=checked_description, category=checked_category.value, raised_on=on,
    )  # fmt: skip
    hashes = {a.title: _keep(difficulty, a, actor).sha256 for a in checked}
    _record(
        actor, difficulty, "raise",
        after={**model_snapshot(difficulty, FIELDS), "documents": hashes},
        documents=[a.document for a in checked], clauses=MEETING,
    )  # fmt: skip
    notices.tell_bureau(difficulty)
    return difficulty


def _lock(difficulty: Difficulty) -> Difficulty:
    return (
        Difficulty.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=difficulty.pk)
    )


@decision
def session_convene(
    *,
    actor: User,
    held_on: date,
    title: str,
    attendees: Sequence[str],
    agenda: Sequence[Difficulty],
    place: str = "",
    today: date | None = None,
) -> MeetingSession:
    """M13.1: the bureau convenes a session of the joint meeting on a day, with its attendees
    and the difficulties on its agenda; each raiser hears that its difficulty is on it."""
    on = today or selectors.today()
    require_capability(actor, Capability.MANAGE_MEETING_ALL)
    rules.check_session_date(held_on, today=on)
    checked_title = rules.check_title(title)
    names = rules.check_attendees(attendees)
    checked_place = rules.check_place(place)
    if not agenda:
        raise refuse(
            gettext_noop("Put at least one difficulty on the session's agenda."),
            "meeting.agenda_empty",
            "agenda",
            MEETING,
        )
    locked = [_lock(d) for d in sorted(agenda, key=lambda d: d.pk)]
    for difficulty in locked:
        try:
            rules.check_step(difficulty.status, rules.Step.SCHEDULE)
        except Exception as error:
            raise refuse(
                gettext_noop("“%(title)s” is no longer open for the agenda."),
                "meeting.agenda_closed",
                "agenda",
                MEETING,
                title=difficulty.title,
            ) from error
    session = MeetingSession.objects.create(
        held_on=held_on, title=checked_title, place=checked_place, attendees=names,
        convened_by=actor,
    )  # fmt: skip
    session.agenda.set(locked)
    for difficulty in locked:
        before = model_snapshot(difficulty, FIELDS)
        difficulty.status = rules.check_step(difficulty.status, rules.Step.SCHEDULE).value
        difficulty.save(update_fields=["status"])
        _record(
            actor, difficulty, "convene", obj=session, before=before,
            after={
                **model_snapshot(difficulty, FIELDS), "session": session.pk,
                "held_on": held_on.isoformat(), "place": checked_place, "attendees": names,
            },
            clauses=MEETING,
        )  # fmt: skip
        notices.tell_raiser(
            notices.SCHEDULED, difficulty, f"s{session.pk}", date=held_on.isoformat()
        )
    return session


@decision
def session_minutes(
    *, actor: User, session: MeetingSession, minutes: str, today: date | None = None
) -> MeetingSession:
    """M13.1: the bureau records the minutes of a session once it is held."""
    on = today or selectors.today()
    require_capability(actor, Capability.MANAGE_MEETING_ALL)
    session = MeetingSession.objects.select_for_update().get(pk=session.pk)
    rules.check_minutes_date(session.held_on, today=on)
    before = {"minutes": session.minutes}
    session.minutes = rules.check_description(minutes, field="minutes")
    session.minutes_recorded_at = timezone.now()
    session.save(update_fields=["minutes", "minutes_recorded_at"])
    audit_record(
        actor=actor, organisation=None, action="meeting.minutes", obj=session,
        before=before, after={"minutes": session.minutes}, clauses=MEETING,
    )  # fmt: skip
    return session


@decision
def decision_record(
    *,
    actor: User,
    session: MeetingSession,
    difficulty: Difficulty,
    text: str,
    tasks: Sequence[TaskPlan],
    today: date | None = None,
) -> MeetingDecision:
    """M13.1, M13.2: the session decides on a difficulty on its agenda and breaks the decision
    into tasks, each owned by a department or county/district with a deadline and a
    deliverable; the raiser hears of the decision and its tasks."""
    on = today or selectors.today()
    require_capability(actor, Capability.MANAGE_MEETING_ALL)
    difficulty = _lock(difficulty)
    if not session.agenda.filter(pk=difficulty.pk).exists():
        raise refuse(
            gettext_noop("The session decides only on the difficulties on its agenda."),
            "meeting.not_on_agenda",
            "difficulty",
            MEETING,
        )
    rules.check_minutes_date(session.held_on, today=on)
    status = rules.check_step(difficulty.status, rules.Step.DECIDE)
    checked_text = rules.check_description(text, field="text")
    if not tasks or len(tasks) > MAX_TASKS:
        raise refuse(
            gettext_noop("Break the decision into 1 to %(max)s tasks, each with its owner."),
            "meeting.tasks",
            "tasks",
            TASKS,
            max=MAX_TASKS,
        )
    decided_on = session.held_on
    plans = [
        (rules.check_owner(p.owner), rules.check_deliverable(p.deliverable),
         rules.check_deadline(p.deadline, decided_on=decided_on))
        for p in tasks
    ]  # fmt: skip
    before = model_snapshot(difficulty, FIELDS)
    made = MeetingDecision.objects.create(
        session=session, difficulty=difficulty, text=checked_text, decided_on=decided_on,
        decided_by=actor,
    )  # fmt: skip
    created = [
        MeetingTask.objects.create(
            decision=made,
            difficulty=difficulty,
            owner=owner,
            deliverable=deliverable,
            deadline=deadline,
        )
        for owner, deliverable, deadline in plans
    ]
    difficulty.status = status.value
    difficulty.save(update_fields=["status"])
    _record(
        actor, difficulty, "decide", obj=made, before=before,
        after={
            **model_snapshot(difficulty, FIELDS), "session": session.pk, "decision": checked_text,
            "tasks": [model_snapshot(t, TASK_FIELDS) for t in created],
        },
    )  # fmt: skip
    notices.tell_raiser(
        notices.DECIDED, difficulty, f"d{made.pk}", decision=checked_text,
        tasks="; ".join(f"{t.get_owner_display()} ({t.deadline.isoformat()})" for t in created),
    )  # fmt: skip
    return made


@decision
def task_close(
    *,
    actor: User,
    task: MeetingTask,
    evidence: str,
    documents: Sequence[Attachment] = (),
    today: date | None = None,
) -> MeetingTask:
    """M13.2: a task is closed with its evidence (text and documents kept by hash); the raiser
    hears of it. Once every task is closed the bureau concludes the difficulty
    (:func:`difficulty_resolve`)."""
    on = today or selectors.today()
    require_capability(actor, Capability.MANAGE_MEETING_ALL)
    difficulty_id = MeetingTask.objects.values_list("difficulty_id", flat=True).get(pk=task.pk)
    difficulty = _lock(Difficulty(pk=difficulty_id))
    task = MeetingTask.objects.select_for_update().get(pk=task.pk)
    status = rules.check_task_open(task.status)
    checked_evidence = rules.check_evidence(evidence)
    checked = _check_documents(documents)
    before = model_snapshot(task, TASK_FIELDS)
    task.status = status.value
    task.evidence = checked_evidence
    task.closed_on = on
    task.closed_by = actor
    task.save(update_fields=["status", "evidence", "closed_on", "closed_by"])
    hashes = {a.title: _keep_for_task(task, a, actor).sha256 for a in checked}
    _record(
        actor, difficulty, "task_close", obj=task, before=before,
        after={**model_snapshot(task, TASK_FIELDS), "documents": hashes},
        documents=[a.document for a in checked], clauses=TASKS,
    )  # fmt: skip
    notices.tell_raiser(
        notices.TASK_CLOSED, difficulty, f"t{task.pk}:{timezone.now().timestamp()}",
        owner=task.get_owner_display(), evidence=checked_evidence,
    )  # fmt: skip
    return task


@decision
def task_reopen(
    *, actor: User, task: MeetingTask, reason: str, today: date | None = None
) -> MeetingTask:
    """M13.2: the bureau reopens a task closed by mistake, saying why, while its difficulty is
    not concluded; the evidence recorded stays in the audit record and its documents are kept.
    The raiser hears of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.MANAGE_MEETING_ALL)
    difficulty_id = MeetingTask.objects.values_list("difficulty_id", flat=True).get(pk=task.pk)
    difficulty = _lock(Difficulty(pk=difficulty_id))
    task = MeetingTask.objects.select_for_update().get(pk=task.pk)
    status = rules.check_task_reopen(task.status, difficulty.status)
    checked_reason = rules.check_description(reason, field="reason")
    before = model_snapshot(task, TASK_FIELDS)
    task.status = status.value
    task.evidence = ""
    task.closed_on = None
    task.closed_by = None
    task.save(update_fields=["status", "evidence", "closed_on", "closed_by"])
    _record(
        actor, difficulty, "task_reopen", obj=task, before=before,
        after={
            **model_snapshot(task, TASK_FIELDS), "reason": checked_reason,
            "reopened_on": on.isoformat(),
        },
        clauses=TASKS,
    )  # fmt: skip
    notices.tell_raiser(
        notices.TASK_REOPENED, difficulty, f"t{task.pk}:reopen:{timezone.now().timestamp()}",
        owner=task.get_owner_display(), reason=checked_reason,
    )  # fmt: skip
    return task


def resolution_draft(difficulty: Difficulty) -> str:
    """What each owner did, one line each: the bureau's conclusion as first written."""
    return "\n".join(
        f"{t.get_owner_display()}: {t.evidence}" for t in difficulty.tasks.order_by("id")
    )[: rules.TEXT_MAX]


@decision
def difficulty_resolve(
    *, actor: User, difficulty: Difficulty, resolution: str = "", today: date | None = None
) -> Difficulty:
    """M13.1: the bureau concludes a decided difficulty resolved once every one of its tasks is
    closed (M13.2), with what resolved it (each owner's evidence when left blank); the raiser
    hears of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.MANAGE_MEETING_ALL)
    difficulty = _lock(difficulty)
    statuses = list(difficulty.tasks.values_list("status", flat=True))
    status = rules.check_resolve(difficulty.status, statuses)
    text = resolution.strip() or resolution_draft(difficulty)
    checked = rules.check_description(text, field="resolution")
    before = model_snapshot(difficulty, FIELDS)
    difficulty.status = status.value
    difficulty.ended_on = on
    difficulty.resolution = checked
    difficulty.save(update_fields=["status", "ended_on", "resolution"])
    _record(actor, difficulty, "resolve", before=before, after=model_snapshot(difficulty, FIELDS))
    notices.tell_raiser(notices.RESOLVED, difficulty, "resolved")
    return difficulty


@decision
def difficulty_close(
    *, actor: User, difficulty: Difficulty, reason: str, today: date | None = None
) -> Difficulty:
    """M13.1: the bureau closes a difficulty still open, saying why; the raiser hears of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.MANAGE_MEETING_ALL)
    difficulty = _lock(difficulty)
    status = rules.check_step(difficulty.status, rules.Step.CLOSE)
    checked_reason = rules.check_description(reason, field="reason")
    before = model_snapshot(difficulty, FIELDS)
    difficulty.status = status.value
    difficulty.resolution = checked_reason
    difficulty.ended_on = on
    difficulty.save(update_fields=["status", "resolution", "ended_on"])
    _record(
        actor, difficulty, "close", before=before, after=model_snapshot(difficulty, FIELDS),
        clauses=MEETING,
    )  # fmt: skip
    notices.tell_raiser(notices.CLOSED, difficulty, "closed", reason=checked_reason)
    return difficulty
