"""The pages of fast patent pre-examination (M11.1): the applicant files and follows its
requests; the center's staff keep the queue (by due date, the overdue marked) and take each step
on a request's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.center.ip_services import selectors, services
from kttc.center.ip_services.forms import FilingForm, ForwardForm, OutcomeForm, ReasonForm
from kttc.center.ip_services.models import PreExamination, PreExaminationDocument
from kttc.core import parsing
from kttc.core.errors import translated_message
from kttc.core.selectors import organisations_where, user_can
from kttc.core.web import acting_user, forbidden, form_error, posted_decision
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability

FIELDS = {"documents": "document_claims"}


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """M11.1: the applicant's requests with their states, and the form to file one."""
    user = acting_user(request)
    applicants = list(organisations_where(user, Capability.REQUEST_PRE_EXAMINATION))
    if not applicants:
        if user_can(user, Capability.PRE_EXAMINE_ALL):
            return redirect("ip_services:queue")
        return forbidden(
            request, gettext("Enterprises and units' transfer offices request pre-examination.")
        )
    applicant = applicants[0]
    form = FilingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.pre_examination_file(
                actor=user, applicant=applicant, filing=form.filing(), documents=form.documents()
            )
        except PolicyError as exc:
            form_error(form, exc, fields=FIELDS)
        else:
            messages.success(request, gettext("The request is sent to the center."))
            return redirect("ip_services:detail", found.pk)
    return render(
        request,
        "center/ip_services/mine.html",
        {"form": form, "applicant": applicant, "requests": selectors.requests_for(user)},
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """M11.1: the center's queue, ordered by due date, the overdue marked; then the requests
    forwarded and waiting for their outcome."""
    if not user_can(acting_user(request), Capability.PRE_EXAMINE_ALL):
        return forbidden(request, gettext("Only the center's staff keep the queue."))
    today = selectors.today()
    return render(
        request,
        "center/ip_services/queue.html",
        {"waiting": selectors.queue(today), "forwarded": selectors.forwarded(), "today": today},
    )


def _request(request: HttpRequest, pk: int) -> tuple[PreExamination, bool]:
    """The request, for the applicant's people or the center's staff; with whether the person
    is the staff."""
    user = acting_user(request)
    found = get_object_or_404(
        PreExamination.objects.select_related("applicant", "filed_by"), pk=parsing.id_or_404(pk)
    )
    if not selectors.may_view(user, found):
        raise Http404
    return found, user_can(user, Capability.PRE_EXAMINE_ALL)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """M11.1: a request, its documents and steps; the staff act here, the applicant corrects a
    returned request here."""
    found, staff = _request(request, pk)
    today = selectors.today()
    context: dict[str, Any] = {
        "req": found,
        "documents": found.documents.all(),
        "staff": staff,
        "overdue": found.status == "accepted" and found.due_on is not None and found.due_on < today,
        "can_correct": found.status == "returned"
        and user_can(acting_user(request), Capability.REQUEST_PRE_EXAMINATION, found.applicant),
    }
    if staff:
        context.update(
            return_form=ReasonForm(prefix="return"),
            refuse_form=ReasonForm(prefix="refuse"),
            forward_form=ForwardForm(),
            outcome_form=OutcomeForm(initial={"decided_on": today}),
        )
    if context["can_correct"]:
        context["correct_form"] = FilingForm(
            required=False,
            initial={
                "title": found.title,
                "kind": found.kind,
                "industry_code": found.industry_code,
            },
        )
    return render(request, "center/ip_services/detail.html", context)


@login_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    """A document of a request, for those who may read the request."""
    found = get_object_or_404(PreExaminationDocument, pk=parsing.id_or_404(pk))
    _request(request, found.request_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.file_name)


def _act(
    request: HttpRequest, pk: int, form: Any, act: Callable[[PreExamination, Any], Any], done: str
) -> HttpResponse:
    found, staff = _request(request, pk)
    if not staff:
        return forbidden(request, gettext("Only the center's staff keep the queue."))
    posted_decision(request, form, lambda data: act(found, data), done)
    return redirect("ip_services:detail", found.pk)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, None,
        lambda found, d: services.pre_examination_accept(actor=user, request=found),
        gettext("The request is accepted into the queue."),
    )  # fmt: skip


@login_required
@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, ReasonForm(request.POST, prefix="return"),
        lambda found, d: services.pre_examination_return(
            actor=user, request=found, reason=d["reason"]
        ),
        gettext("The request is returned for correction."),
    )  # fmt: skip


@login_required
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, ReasonForm(request.POST, prefix="refuse"),
        lambda found, d: services.pre_examination_refuse(
            actor=user, request=found, reason=d["reason"]
        ),
        gettext("The request is refused."),
    )  # fmt: skip


@login_required
@require_POST
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, ForwardForm(request.POST),
        lambda found, d: services.pre_examination_forward(
            actor=user, request=found, reference=d["reference"]
        ),
        gettext("The forwarding is recorded."),
    )  # fmt: skip


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, OutcomeForm(request.POST),
        lambda found, d: services.pre_examination_outcome(
            actor=user, request=found, passed=d["passed"], decided_on=d["decided_on"]
        ),
        gettext("The outcome is recorded."),
    )  # fmt: skip


@login_required
@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """M11.1: the applicant corrects a returned request and files it again."""
    found, _staff = _request(request, pk)
    form = FilingForm(request.POST, request.FILES, required=False)
    if form.is_valid():
        try:
            services.pre_examination_resubmit(
                actor=acting_user(request), request=found, filing=form.filing(),
                documents=form.documents(),
            )  # fmt: skip
        except PolicyError as exc:
            messages.error(request, translated_message(exc))
        else:
            messages.success(request, gettext("The request is sent to the center."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("ip_services:detail", found.pk)
