"""The pages of IP protection cases (M11.2): a rights holder files and follows its cases; a
respondent on the platform sees the cases against it; the center's IP staff keep the cases by
the limit of their step (the overdue marked) and take each step on a case's page; anyone reads
the published decisions, without personal data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.center.ip_protection import selectors, services
from kttc.center.ip_protection.forms import (
    CaseForm,
    DecisionForm,
    EnforceForm,
    HearingForm,
    ReasonForm,
    RecordForm,
    SessionForm,
)
from kttc.center.ip_protection.models import IpCase, IpCaseEvidence
from kttc.core import parsing
from kttc.core.selectors import organisations_where
from kttc.core.web import acting_user, forbidden, form_error, paged, posted_decision
from kttc.policy import ip_protection as rules
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability

FIELDS = {"respondent": "respondent_name", "evidence": "evidence_first"}


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """M11.2: the cases our organisation filed, and the form to file one."""
    user = acting_user(request)
    parties = list(organisations_where(user, Capability.FILE_IP_CASES))
    if not parties:
        if selectors.is_staff(user):
            return redirect("ip_protection:handling")
        return forbidden(
            request, gettext("Enterprises and units' transfer offices file IP protection cases.")
        )
    complainant = parties[0]
    form = CaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.ip_case_file(
                actor=user, complainant=complainant, filing=form.filing(), evidence=form.evidence()
            )
        except PolicyError as exc:
            form_error(form, exc, fields=FIELDS)
        else:
            messages.success(request, gettext("The case is filed with the center."))
            return redirect("ip_protection:detail", case.pk)
    page, querystring = paged(request, selectors.filed_by(user))
    return render(
        request,
        "center/ip_protection/mine.html",
        {
            "form": form, "complainant": complainant, "page": page, "querystring": querystring,
            "against": selectors.against(user).exists(),
        },
    )  # fmt: skip


@login_required
def against(request: HttpRequest) -> HttpResponse:
    """M11.2: the cases against our organisation, filed by others."""
    user = acting_user(request)
    if not organisations_where(user, Capability.FILE_IP_CASES).exists():
        return forbidden(
            request, gettext("Enterprises and units' transfer offices file IP protection cases.")
        )
    page, querystring = paged(request, selectors.against(user))
    return render(
        request, "center/ip_protection/against.html", {"page": page, "querystring": querystring}
    )


@login_required
def handling(request: HttpRequest) -> HttpResponse:
    """M11.2: the center's cases by the limit of their step, the overdue marked; then the
    decisions to publish."""
    if not selectors.is_staff(acting_user(request)):
        return forbidden(request, gettext("Only the center's IP staff handle cases."))
    today = selectors.today()
    page, querystring = paged(request, selectors.handling(today))
    return render(
        request,
        "center/ip_protection/handling.html",
        {"page": page, "querystring": querystring, "to_publish": selectors.to_publish()[:50]},
    )


def _case(request: HttpRequest, pk: int) -> tuple[IpCase, bool]:
    user = acting_user(request)
    case = get_object_or_404(
        IpCase.objects.select_related("complainant", "respondent", "filed_by"),
        pk=parsing.id_or_404(pk),
    )
    if not selectors.may_view(user, case):
        raise Http404
    return case, selectors.is_staff(user)


def _limits(case: IpCase) -> list[tuple[str, Any, Any]]:
    """Each step with its limit and the day it was taken (None while waiting)."""
    rows = [(gettext("Intake"), case.intake_due_on, case.accepted_on or case.refused_on)]
    if case.mediation_due_on:
        failed = case.sessions.filter(outcome="failed").values_list("held_on", flat=True).first()
        rows.append((gettext("Mediation"), case.mediation_due_on, case.settled_on or failed))
    if case.decision_due_on:
        rows.append((gettext("Decision"), case.decision_due_on, case.decided_on))
    if case.enforcement_due_on:
        rows.append((gettext("Enforcement"), case.enforcement_due_on, case.enforced_on))
    return rows


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """M11.2: a case, its evidence, sessions and steps with their limits; the staff act here."""
    case, staff = _case(request, pk)
    today = selectors.today()
    context: dict[str, Any] = {
        "case": case, "staff": staff, "evidence": case.evidence.all(),
        "sessions": case.sessions.all(), "limits": _limits(case),
        "overdue": case.due_on is not None and case.due_on < today,
    }  # fmt: skip
    if staff:
        context.update(
            refuse_form=ReasonForm(),
            session_form=SessionForm(initial={"held_on": today}),
            hearing_form=HearingForm(
                initial={"hearing_on": case.hearing_on or rules.add_working_days(today, 3)}
            ),
            record_form=RecordForm(),
            decision_form=DecisionForm(kind=case.kind, initial={"decided_on": today}),
            enforce_form=EnforceForm(initial={"enforced_on": today}),
            preview=services.published_text(case) if case.decision else "",
        )
    return render(request, "center/ip_protection/detail.html", context)


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """A piece of evidence, for those who may read the case."""
    found = get_object_or_404(IpCaseEvidence, pk=parsing.id_or_404(pk))
    _case(request, found.case_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.file_name)


def _act(
    request: HttpRequest, pk: int, form: Any, act: Callable[[IpCase, Any], Any], done: str
) -> HttpResponse:
    case, staff = _case(request, pk)
    if not staff:
        return forbidden(request, gettext("Only the center's IP staff handle cases."))
    posted_decision(request, form, lambda data: act(case, data), done)
    return redirect("ip_protection:detail", case.pk)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, None, lambda case, d: services.ip_case_accept(actor=user, case=case),
        gettext("The case is accepted; mediation begins."),
    )  # fmt: skip


@login_required
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, ReasonForm(request.POST),
        lambda case, d: services.ip_case_refuse(actor=user, case=case, reason=d["reason"]),
        gettext("The case is not taken on."),
    )  # fmt: skip


@login_required
@require_POST
def mediate(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, SessionForm(request.POST),
        lambda case, d: services.ip_case_mediate(
            actor=user, case=case, held_on=d["held_on"], outcome=d["outcome"],
            notes=d["notes"], agreement=d["agreement"],
        ),
        gettext("The mediation session is recorded."),
    )  # fmt: skip


@login_required
@require_POST
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, HearingForm(request.POST),
        lambda case, d: services.ip_case_schedule(
            actor=user, case=case, hearing_on=d["hearing_on"], place=d["place"]
        ),
        gettext("The hearing is scheduled and the parties told."),
    )  # fmt: skip


@login_required
@require_POST
def hear(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, RecordForm(request.POST),
        lambda case, d: services.ip_case_hear(actor=user, case=case, record=d["record"]),
        gettext("The hearing's record is kept."),
    )  # fmt: skip


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, DecisionForm(request.POST),
        lambda case, d: services.ip_case_decide(
            actor=user, case=case, decision_text=d["decision"], outcome=d["outcome"],
            decided_on=d["decided_on"], measures=d["measures"],
        ),
        gettext("The decision is recorded and the parties told."),
    )  # fmt: skip


@login_required
@require_POST
def enforce(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, EnforceForm(request.POST),
        lambda case, d: services.ip_case_enforce(
            actor=user, case=case, record=d["record"], enforced_on=d["enforced_on"]
        ),
        gettext("The enforcement is recorded; the case is closed."),
    )  # fmt: skip


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, None, lambda case, d: services.ip_case_publish(actor=user, case=case),
        gettext("The decision is published without personal data."),
    )  # fmt: skip


def public_list(request: HttpRequest) -> HttpResponse:
    """M11.2: the decisions published, without personal data."""
    page, querystring = paged(request, selectors.published())
    return render(
        request, "center/ip_protection/public_list.html", {"page": page, "querystring": querystring}
    )


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """M11.2: a published decision, without personal data."""
    case = get_object_or_404(selectors.published(), pk=parsing.id_or_404(pk))
    return render(request, "center/ip_protection/public_detail.html", {"case": case})
