"""Pages of the joint meeting (M13.1, M13.2): a unit, enterprise or institution raises a
difficulty with its evidence and follows it; the bureau convenes a session with its agenda and
attendees, records its minutes and its decisions broken into tasks, records each owner's closing
with its evidence (reopening one closed by mistake), and concludes the difficulty resolved or not;
the documents are downloaded, their hash checked, by whoever reads the difficulty; the public
reads what the meeting resolved."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.core import parsing, rows
from kttc.core.documents import MAX_DOCUMENT_BYTES
from kttc.core.selectors import organisations_where, user_can
from kttc.core.web import acting_user, forbidden, form_error, paged, posted_decision
from kttc.oversight.meeting import selectors, services
from kttc.oversight.meeting.choices import OWNER_CHOICES, DifficultyStatus, owner_name
from kttc.oversight.meeting.forms import (
    ConcludeForm,
    ConveneForm,
    DecisionForm,
    MinutesForm,
    RaiseForm,
    ReasonForm,
    TaskCloseForm,
)
from kttc.oversight.meeting.models import (
    Difficulty,
    DifficultyDocument,
    MeetingSession,
    MeetingTask,
    MeetingTaskDocument,
)
from kttc.policy import meeting as rules
from kttc.policy.errors import PolicyError
from kttc.policy.evidence import document_hash
from kttc.policy.roles import Capability

#: The service's field names that a form shows under another name.
FIELDS = {"documents": "document_1", "owner": "tasks", "deliverable": "tasks", "deadline": "tasks"}


def _bureau(request: HttpRequest) -> bool:
    return user_can(acting_user(request), Capability.MANAGE_MEETING_ALL)


def _bureau_only(request: HttpRequest) -> HttpResponse | None:
    if _bureau(request):
        return None
    return forbidden(
        request, gettext("The bureau convenes the joint meeting and records its decisions.")
    )


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    """M13.1, M13.2: the difficulties one may read (one's organisation's; all for the bureau and
    auditors) with their status, the sessions and the open tasks by deadline for the bureau."""
    user = acting_user(request)
    sees_all = user_can(user, Capability.VIEW_MEETING_ALL)
    raises = organisations_where(user, Capability.RAISE_DIFFICULTIES).exists()
    if not sees_all and not raises:
        return forbidden(
            request,
            gettext(
                "Units, enterprises and institutions raise difficulties; the bureau reads them."
            ),
        )
    page, querystring = paged(request, selectors.difficulties_for(user))
    return render(
        request,
        "oversight/meeting/list.html",
        {
            "page": page,
            "querystring": querystring,
            "difficulties": page.object_list,
            "tasks": selectors.open_tasks()[:200] if sees_all else [],
            "sessions": selectors.sessions()[:20] if sees_all else [],
            "today": selectors.today(),
            "raises": raises,
            "bureau": _bureau(request),
        },
    )


@login_required
def raise_difficulty(request: HttpRequest) -> HttpResponse:
    """M13.1: a verified unit, enterprise or institution raises a difficulty with its field,
    description and evidence."""
    user = acting_user(request)
    organisations = list(organisations_where(user, Capability.RAISE_DIFFICULTIES))
    if not organisations:
        return forbidden(
            request,
            gettext(
                "Units, enterprises and institutions raise difficulties; the bureau reads them."
            ),
        )
    form = RaiseForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        chosen = next(o for o in organisations if str(o.pk) == form.cleaned_data["organisation"])
        try:
            found = services.difficulty_raise(
                actor=user, organisation=chosen, title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                category=form.cleaned_data["category"], documents=form.attachments(),
            )  # fmt: skip
        except PolicyError as exc:
            form_error(form, exc, fields=FIELDS)
        else:
            messages.success(request, gettext("The difficulty is raised to the joint meeting."))
            return redirect("meeting:detail", found.pk)
    return render(request, "oversight/meeting/raise.html", {"form": form})


@login_required
def convene(request: HttpRequest) -> HttpResponse:
    """M13.1: the bureau convenes a session: its day, place, the difficulties on its agenda and
    its attendees."""
    refused = _bureau_only(request)
    if refused:
        return refused
    open_ones = selectors.agenda_candidates()
    form = ConveneForm(request.POST or None, difficulties=open_ones)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_convene(
                actor=acting_user(request), held_on=form.cleaned_data["held_on"],
                title=form.cleaned_data["title"], place=form.cleaned_data["place"],
                attendees=form.attendee_lines(), agenda=form.agenda_difficulties(),
            )  # fmt: skip
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The session is convened; the raisers are told."))
            return redirect("meeting:session", session.pk)
    return render(
        request, "oversight/meeting/convene.html", {"form": form, "candidates": open_ones}
    )


def _session_page(
    request: HttpRequest, session: MeetingSession, *, minutes_form: Any = None, status: int = 200
) -> HttpResponse:
    decided = set(session.decisions.values_list("difficulty_id", flat=True))
    return render(
        request,
        "oversight/meeting/session.html",
        {
            "session": session,
            "agenda": [(d, d.pk in decided) for d in session.agenda.select_related("organisation")],
            "bureau": _bureau(request),
            "minutes_form": minutes_form or MinutesForm(initial={"minutes": session.minutes}),
        },
        status=status,
    )


def _session(request: HttpRequest, pk: int) -> MeetingSession:
    if not user_can(acting_user(request), Capability.VIEW_MEETING_ALL):
        raise Http404
    return get_object_or_404(MeetingSession, pk=parsing.id_or_404(pk))


@login_required
def session(request: HttpRequest, pk: int) -> HttpResponse:
    """M13.1: a session, its agenda with each difficulty's decision or the link to record it,
    its attendees and minutes."""
    return _session_page(request, _session(request, pk))


def _posted(
    request: HttpRequest,
    form: Any,
    act: Callable[[dict[str, Any]], object],
    done: str,
    *,
    again: Callable[[], HttpResponse],
    then: str,
) -> HttpResponse:
    """A decision posted from an object's page (:func:`posted_decision`): done, the page again;
    refused, the page shown with the form as posted and the refusal beside the field it names."""

    def acting(data: dict[str, Any]) -> object:
        try:
            return act(data)
        except PolicyError as exc:
            form_error(form, exc, fields=FIELDS)
            raise

    if posted_decision(request, form, acting, done):
        return redirect(then)
    return again()


@login_required
@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """M13.1: the bureau records the minutes once the session is held."""
    refused = _bureau_only(request)
    if refused:
        return refused
    found = _session(request, pk)
    form = MinutesForm(request.POST)
    return _posted(
        request, form,
        lambda d: services.session_minutes(
            actor=acting_user(request), session=found, minutes=d["minutes"]
        ),
        gettext("The minutes are recorded."),
        again=lambda: _session_page(request, found, minutes_form=form, status=400),
        then=reverse("meeting:session", args=[found.pk]),
    )  # fmt: skip


@login_required
def decide(request: HttpRequest, pk: int, difficulty: int) -> HttpResponse:
    """M13.1, M13.2: the bureau records the session's decision on a difficulty of its agenda,
    broken into tasks (a row editor: owner, deliverable, deadline)."""
    refused = _bureau_only(request)
    if refused:
        return refused
    found = _session(request, pk)
    subject = get_object_or_404(
        found.agenda.select_related("organisation"), pk=parsing.id_or_404(difficulty)
    )
    form = DecisionForm(request.POST or None)
    if rows.ready(form):
        try:
            services.decision_record(
                actor=acting_user(request), session=found, difficulty=subject,
                text=form.cleaned_data["text"], tasks=form.cleaned_data["tasks"],
            )  # fmt: skip
        except PolicyError as exc:
            form_error(form, exc, fields=FIELDS)
        else:
            messages.success(request, gettext("The decision and its tasks are recorded."))
            return redirect("meeting:session", found.pk)
    return render(
        request,
        "oversight/meeting/decide.html",
        {"form": form, "session": found, "difficulty": subject},
    )


def _difficulty(request: HttpRequest, pk: int) -> Difficulty:
    found = (
        selectors.difficulties_for(acting_user(request)).filter(pk=parsing.id_or_404(pk)).first()
    )
    if found is None:
        raise Http404
    return found


def _detail_page(
    request: HttpRequest, found: Difficulty, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    bound = forms or {}
    bureau = _bureau(request)
    decisions = []
    for decision in found.decisions.prefetch_related("tasks__documents").select_related("session"):
        lines = []
        for task in decision.tasks.all():
            close = bound.get(f"close-{task.pk}") or TaskCloseForm(prefix=f"close-{task.pk}")
            reopen = bound.get(f"reopen-{task.pk}") or ReasonForm(prefix=f"reopen-{task.pk}")
            lines.append((task, close, reopen))
        decisions.append((decision, lines))
    statuses = list(found.tasks.values_list("status", flat=True))
    return render(
        request,
        "oversight/meeting/detail.html",
        {
            "difficulty": found,
            "documents": found.documents.all(),
            "sessions": found.sessions.all(),
            "decisions": decisions,
            "bureau": bureau,
            "still_open": found.status in rules.OPEN,
            "all_closed": found.status == rules.Status.DECIDED and rules.is_resolved(statuses),
            "conclude_form": bound.get("conclude")
            or ConcludeForm(
                prefix="conclude",
                initial={
                    "outcome": ConcludeForm.RESOLVED,
                    "text": services.resolution_draft(found),
                },
            ),
        },
        status=status,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """M13.1, M13.2: a difficulty, its evidence, the sessions that discussed it, the decisions
    and their tasks with owners, deadlines and evidence; the bureau's forms on it."""
    return _detail_page(request, _difficulty(request, pk))


def _task(request: HttpRequest, pk: int) -> MeetingTask:
    found = get_object_or_404(MeetingTask, pk=parsing.id_or_404(pk))
    _difficulty(request, found.difficulty_id)
    return found


@login_required
@require_POST
def task_close(request: HttpRequest, pk: int) -> HttpResponse:
    """M13.2: the bureau records an owner's closing of its task with the evidence."""
    refused = _bureau_only(request)
    if refused:
        return refused
    task = _task(request, pk)
    key = f"close-{task.pk}"
    form = TaskCloseForm(request.POST, request.FILES, prefix=key)
    return _posted(
        request, form,
        lambda d: services.task_close(
            actor=acting_user(request), task=task, evidence=d["evidence"],
            documents=form.attachments(),
        ),
        gettext("The task is closed with its evidence."),
        again=lambda: _detail_page(request, task.difficulty, {key: form}, status=400),
        then=reverse("meeting:detail", args=[task.difficulty_id]) + f"#task-{task.pk}",
    )  # fmt: skip


@login_required
@require_POST
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """M13.2: the bureau reopens a task closed by mistake, saying why."""
    refused = _bureau_only(request)
    if refused:
        return refused
    task = _task(request, pk)
    key = f"reopen-{task.pk}"
    form = ReasonForm(request.POST, prefix=key)
    return _posted(
        request, form,
        lambda d: services.task_reopen(actor=acting_user(request), task=task, reason=d["reason"]),
        gettext("The task is reopened."),
        again=lambda: _detail_page(request, task.difficulty, {key: form}, status=400),
        then=reverse("meeting:detail", args=[task.difficulty_id]) + f"#task-{task.pk}",
    )  # fmt: skip


@login_required
@require_POST
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    """M13.1: the bureau concludes a difficulty resolved (every task closed) or not resolved,
    saying why."""
    refused = _bureau_only(request)
    if refused:
        return refused
    found = _difficulty(request, pk)
    form = ConcludeForm(request.POST, prefix="conclude")
    user = acting_user(request)

    def act(d: dict[str, Any]) -> object:
        if d["outcome"] == ConcludeForm.RESOLVED:
            return services.difficulty_resolve(actor=user, difficulty=found, resolution=d["text"])
        return services.difficulty_close(actor=user, difficulty=found, reason=d["text"])

    return _posted(
        request, form, act, gettext("The difficulty is concluded; its raiser is told."),
        again=lambda: _detail_page(request, found, {"conclude": form}, status=400),
        then=reverse("meeting:detail", args=[found.pk]),
    )  # fmt: skip


def _checked_file(request: HttpRequest, found: Any) -> HttpResponseBase:
    """The document as kept, if its content still has the SHA-256 recorded (M14.1)."""
    try:
        with found.file.open("rb") as handle:
            content = handle.read(MAX_DOCUMENT_BYTES + 1)
    except OSError:  # the kept file is gone: served as not matching, never a 500
        content = b""
    if document_hash(content) != found.sha256:
        return render(
            request, "error.html",
            {"status": 409, "message": gettext(
                "This document no longer matches the SHA-256 recorded when it was kept, so it "
                "is not served; tell the bureau."
            )},
            status=409,
        )  # fmt: skip
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=found.file_name)


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """M13.1: a document of a difficulty's evidence, for whoever reads the difficulty."""
    found = get_object_or_404(DifficultyDocument, pk=parsing.id_or_404(pk))
    _difficulty(request, found.difficulty_id)
    return _checked_file(request, found)


@login_required
def task_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """M13.2: a document of a task's evidence, for whoever reads its difficulty."""
    found = get_object_or_404(
        MeetingTaskDocument.objects.select_related("task"), pk=parsing.id_or_404(pk)
    )
    _difficulty(request, found.task.difficulty_id)
    return _checked_file(request, found)


def public_summary(request: HttpRequest) -> HttpResponse:
    """M13.1, M13.2: what the joint meeting resolved, in public: how many difficulties by
    status, how many tasks by owning department or county/district, and the difficulties
    resolved (a page at a time) with their raising organisation and the tasks' outcomes. No
    person is named."""
    counts = selectors.public_counts()
    by_status = [
        (label, counts["by_status"].get(value, 0)) for value, label in DifficultyStatus.choices
    ]
    by_owner = [
        (owner_name(value), counts["by_owner"][value])
        for value, _label in OWNER_CHOICES
        if value in counts["by_owner"]
    ]
    page, querystring = paged(request, selectors.resolved())
    return render(
        request,
        "oversight/meeting/public_summary.html",
        {
            "by_status": by_status,
            "by_owner": by_owner,
            "page": page,
            "querystring": querystring,
            "resolved": page.object_list,
        },
    )
