"""The joint meeting's API (M13.1, M13.2): an organisation raises a difficulty (documents in
base64) and reads its own; the bureau and auditors read them all with their decisions' tasks;
the bureau convenes a session with its agenda, records a decision broken into tasks, closes a
task with its evidence (or reopens one closed by mistake) and concludes the difficulty; anyone
reads the public summary. Refusals in the one error shape, naming the field and the clause."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from kttc.core.api import AUTH
from kttc.core.documents import MAX_DOCUMENTS, from_base64
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.parsing import ApiId
from kttc.core.selectors import organisations_where
from kttc.core.services import Document
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.oversight.meeting import selectors, services
from kttc.oversight.meeting.choices import OWNER_CHOICES, DifficultyStatus
from kttc.oversight.meeting.models import (
    Difficulty,
    MeetingDecision,
    MeetingSession,
    MeetingTask,
)
from kttc.policy import meeting as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

router = Router(tags=["meeting"])


class MeetingDocumentIn(Schema):
    title: Text
    file_name: Text
    content_base64: Text = Field(..., max_length=28_000_000)


class DifficultyIn(Schema):
    organisation_id: ApiId | None = Field(None, description="left out: the caller's organisation")
    title: Text
    description: LongText
    category: Text = Field(
        "other", description="policy, funding, talent, facilities, ip, market, other"
    )
    documents: list[MeetingDocumentIn] = Field([], max_length=MAX_DOCUMENTS)


class MeetingDocumentOut(Schema):
    id: int
    title: str
    file_name: str
    sha256: str
    size: int


class MeetingTaskOut(Schema):
    id: int
    difficulty_id: int
    owner: str
    owner_name: str
    deliverable: str
    deadline: date
    status: str
    evidence: str
    closed_on: date | None
    documents: list[MeetingDocumentOut]

    @staticmethod
    def resolve_owner_name(obj: MeetingTask) -> str:
        return obj.get_owner_display()

    @staticmethod
    def resolve_documents(obj: MeetingTask) -> list[Any]:
        return list(obj.documents.all())


class DifficultyOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    title: str
    description: str
    category: str
    status: str
    raised_on: date
    resolution: str
    ended_on: date | None
    documents: list[MeetingDocumentOut]
    tasks: list[MeetingTaskOut]

    @staticmethod
    def resolve_organisation(obj: Difficulty) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_documents(obj: Difficulty) -> list[Any]:
        return list(obj.documents.all())

    @staticmethod
    def resolve_tasks(obj: Difficulty) -> list[Any]:
        return list(obj.tasks.all())


class TaskCloseIn(Schema):
    evidence: LongText
    documents: list[MeetingDocumentIn] = Field([], max_length=MAX_DOCUMENTS)


class MeetingSessionIn(Schema):
    held_on: date
    title: Text
    place: Text = ""
    attendees: list[Text] = Field(..., max_length=rules.ATTENDEES_MAX)
    agenda: list[ApiId] = Field(..., max_length=200, description="the difficulties' ids")


class MeetingSessionOut(Schema):
    id: int
    held_on: date
    title: str
    place: str
    attendees: list[str]
    agenda: list[int]
    minutes: str

    @staticmethod
    def resolve_agenda(obj: MeetingSession) -> list[int]:
        return list(obj.agenda.order_by("id").values_list("id", flat=True))


class MeetingTaskPlanIn(Schema):
    owner: Text = Field(..., description="the owner's code, e.g. dept_hrss or wuhua")
    deliverable: LongText
    deadline: date


class MeetingDecisionIn(Schema):
    difficulty_id: ApiId
    text: LongText
    tasks: list[MeetingTaskPlanIn] = Field(..., max_length=services.MAX_TASKS)


class MeetingDecisionOut(Schema):
    id: int
    session_id: int
    difficulty_id: int
    text: str
    decided_on: date
    tasks: list[MeetingTaskOut]

    @staticmethod
    def resolve_tasks(obj: MeetingDecision) -> list[Any]:
        return list(obj.tasks.all())


class MeetingReasonIn(Schema):
    reason: LongText


class MeetingConcludeIn(Schema):
    outcome: Literal["resolved", "not_resolved"]
    text: LongText = Field(
        "", description="what resolved it (blank: each owner's evidence), or why not"
    )


class MeetingCountOut(Schema):
    key: str
    label: str
    count: int


class MeetingResolvedTaskOut(Schema):
    owner: str
    owner_name: str
    evidence: str

    @staticmethod
    def resolve_owner_name(obj: MeetingTask) -> str:
        return obj.get_owner_display()


class MeetingResolvedOut(Schema):
    """A resolved difficulty as the public reads it: organisations and departments only."""

    id: int
    organisation: str
    title: str
    ended_on: date | None
    tasks: list[MeetingResolvedTaskOut]

    @staticmethod
    def resolve_organisation(obj: Difficulty) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_tasks(obj: Difficulty) -> list[Any]:
        return list(obj.tasks.all())


class MeetingSummaryOut(Schema):
    by_status: list[MeetingCountOut]
    by_owner: list[MeetingCountOut]
    resolved: list[MeetingResolvedOut]


def _decoded(item: MeetingDocumentIn) -> Document:
    return from_base64(item.file_name, item.content_base64, field="documents")


def _attachments(items: list[MeetingDocumentIn]) -> list[services.Attachment]:
    return [services.Attachment(d.title, _decoded(d)) for d in items]


def _organisation(user: User, pk: int | None) -> Organisation:
    mine = organisations_where(user, Capability.RAISE_DIFFICULTIES)
    found = mine.filter(pk=pk).first() if pk is not None else mine.first()
    if found is None:
        raise AccessDenied()
    return found


def _difficulty(request: HttpRequest, pk: int) -> Difficulty:
    found = selectors.difficulties_for(acting_user(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@router.post("/difficulties", response={201: DifficultyOut}, auth=AUTH)
def raise_difficulty(request: HttpRequest, payload: DifficultyIn) -> Status[Difficulty]:
    """M13.1: raise a difficulty to the joint meeting with its evidence (base64)."""
    user = acting_user(request)
    found = services.difficulty_raise(
        actor=user, organisation=_organisation(user, payload.organisation_id),
        title=payload.title, description=payload.description, category=payload.category,
        documents=_attachments(payload.documents),
    )  # fmt: skip
    return Status(201, found)


@router.get("/difficulties", response=list[DifficultyOut], auth=AUTH)
def difficulties(request: HttpRequest) -> list[Difficulty]:
    """The bureau and auditors: every difficulty; an organisation's people: their own."""
    return list(selectors.difficulties_for(acting_user(request))[:500])


@router.get("/difficulties/{pk}", response=DifficultyOut, auth=AUTH)
def read(request: HttpRequest, pk: ApiId) -> Difficulty:
    return _difficulty(request, pk)


@router.post("/tasks/{pk}/close", response=MeetingTaskOut, auth=AUTH)
def close_task(request: HttpRequest, pk: ApiId, payload: TaskCloseIn) -> MeetingTask:
    """M13.2: the bureau closes a task with its evidence; once all are closed it concludes the
    difficulty (``/difficulties/{pk}/conclude``)."""
    task = MeetingTask.objects.filter(pk=pk).first()
    if task is None:
        raise Http404
    return services.task_close(
        actor=acting_user(request), task=task, evidence=payload.evidence,
        documents=_attachments(payload.documents),
    )  # fmt: skip


@router.post("/sessions", response={201: MeetingSessionOut}, auth=AUTH)
def convene(request: HttpRequest, payload: MeetingSessionIn) -> Status[MeetingSession]:
    """M13.1: the bureau convenes a session with its attendees and the difficulties on its
    agenda (each still open)."""
    found = {d.pk: d for d in Difficulty.objects.filter(pk__in=payload.agenda)}
    missing = [pk for pk in payload.agenda if pk not in found]
    if missing:
        raise refuse(
            gettext_noop("No difficulty has the id %(id)s."), "meeting.agenda_unknown", "agenda",
            rules.MEETING, id=missing[0],
        )  # fmt: skip
    session = services.session_convene(
        actor=acting_user(request), held_on=payload.held_on, title=payload.title,
        place=payload.place, attendees=payload.attendees,
        agenda=[found[pk] for pk in dict.fromkeys(payload.agenda)],
    )  # fmt: skip
    return Status(201, session)


@router.post("/sessions/{pk}/decisions", response={201: MeetingDecisionOut}, auth=AUTH)
def decide(request: HttpRequest, pk: ApiId, payload: MeetingDecisionIn) -> Status[MeetingDecision]:
    """M13.1, M13.2: the bureau records the session's decision on a difficulty of its agenda,
    broken into tasks, each with its owner, deliverable and deadline."""
    session = MeetingSession.objects.filter(pk=pk).first()
    difficulty = Difficulty.objects.filter(pk=payload.difficulty_id).first()
    if session is None or difficulty is None:
        raise Http404
    made = services.decision_record(
        actor=acting_user(request), session=session, difficulty=difficulty, text=payload.text,
        tasks=[services.TaskPlan(t.owner, t.deliverable, t.deadline) for t in payload.tasks],
    )  # fmt: skip
    return Status(201, made)


@router.post("/tasks/{pk}/reopen", response=MeetingTaskOut, auth=AUTH)
def reopen_task(request: HttpRequest, pk: ApiId, payload: MeetingReasonIn) -> MeetingTask:
    """M13.2: the bureau reopens a task closed by mistake, saying why."""
    task = MeetingTask.objects.filter(pk=pk).first()
    if task is None:
        raise Http404
    return services.task_reopen(actor=acting_user(request), task=task, reason=payload.reason)


@router.post("/difficulties/{pk}/conclude", response=DifficultyOut, auth=AUTH)
def conclude(request: HttpRequest, pk: ApiId, payload: MeetingConcludeIn) -> Difficulty:
    """M13.1: the bureau concludes a difficulty resolved (every task closed) or not resolved,
    saying why."""
    found = _difficulty(request, pk)
    user = acting_user(request)
    if payload.outcome == "resolved":
        return services.difficulty_resolve(actor=user, difficulty=found, resolution=payload.text)
    return services.difficulty_close(actor=user, difficulty=found, reason=payload.text)


@router.get("/summary", response=MeetingSummaryOut, auth=None)
def summary(request: HttpRequest) -> dict[str, Any]:
    """M13.1, M13.2: the public summary: counts by status and by owner, the resolved ones."""
    counts = selectors.public_counts()
    return {
        "by_status": [
            {"key": v, "label": str(label), "count": counts["by_status"].get(v, 0)}
            for v, label in DifficultyStatus.choices
        ],
        "by_owner": [
            {"key": v, "label": label, "count": counts["by_owner"][v]}
            for v, label in OWNER_CHOICES
            if v in counts["by_owner"]
        ],
        "resolved": list(selectors.resolved()[:100]),
    }
