"""The pages of evaluation (M10.1): the requester asks and follows its requests; the
institution's queue (requests waiting, evaluations in progress); an evaluation's page with each
person's step (accept or decline, declare, score, sign, withdraw, the unit's consent) and the
signed report with its PDF in Chinese and English; the comparison of two evaluations of one
result, dimension by dimension; the public rubric."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.center.evaluation import report, selectors, services
from kttc.center.evaluation.forms import (
    AcceptForm,
    DeclareForm,
    ReasonForm,
    RequestForm,
    ScoreForm,
)
from kttc.center.evaluation.models import Evaluation
from kttc.core import parsing
from kttc.core.models import User
from kttc.core.selectors import user_can
from kttc.core.web import acting_user, forbidden, form_error, paged, posted_decision
from kttc.policy import evaluation as rules
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability, Role

FIELDS = {"evaluator": "evaluator", "interest": "interest"}


def _request_form(request: HttpRequest, user: User) -> RequestForm:
    requesters = selectors.requesters_of(user)
    return RequestForm(
        request.POST or None,
        initial={"result": parsing.optional_id(request.GET, "result")},
        requesters=requesters,
        results=selectors.requestable_results(requesters),
        institutions=selectors.certified_institutions(),
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """M10.1: the requester's evaluations with their states, and the form to request one."""
    user = acting_user(request)
    requesters = selectors.requesters_of(user)
    if not requesters.exists():
        if selectors.evaluating_institutions_of(user).exists():
            return redirect("evaluation:queue")
        return forbidden(
            request,
            gettext("A unit, an enterprise, a bank or an investor requests an evaluation."),
        )
    form = _request_form(request, user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = services.evaluation_request(
                actor=user, requester=data["requester"], result=data["result"],
                institution=data["institution"], purpose=data["purpose"],
            )  # fmt: skip
        except PolicyError as exc:
            form_error(form, exc, fields=FIELDS)
        else:
            messages.success(request, gettext("The request is sent to the institution."))
            return redirect("evaluation:detail", found.pk)
    page, querystring = paged(request, selectors.requested_by_orgs(requesters))
    return render(
        request,
        "center/evaluation/mine.html",
        {"form": form, "page": page, "querystring": querystring},
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """M10.1: the institution's queue: requests waiting for its answer, evaluations in
    progress, and the ones the person evaluates."""
    user = acting_user(request)
    institutions = list(selectors.evaluating_institutions_of(user))
    if not institutions:
        return forbidden(request, gettext("Only a service institution's people evaluate."))
    sections = []
    querystring = ""
    for i in institutions:
        page, querystring = paged(request, selectors.queue_of(i))
        sections.append((i, page, selectors.in_progress_of(i)))
    return render(
        request,
        "center/evaluation/queue.html",
        {"sections": sections, "mine": selectors.to_sign_by(user), "querystring": querystring},
    )


def _evaluation(request: HttpRequest, pk: int) -> Evaluation:
    found = selectors.evaluation_for(acting_user(request), parsing.id_or_404(pk))
    if found is None:
        raise Http404
    return found


def _people(evaluation: Evaluation) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__organisation=evaluation.institution,
            memberships__role=Role.SERVICE_BROKER,
            memberships__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("full_name")
    )


def _roles(user: User, evaluation: Evaluation) -> dict[str, bool]:
    return {
        "is_institution": user_can(user, Capability.EVALUATE_RESULTS, evaluation.institution),
        "is_requester": user_can(user, Capability.REQUEST_EVALUATION, evaluation.requester),
        "is_unit": user_can(user, Capability.MANAGE_ACHIEVEMENTS, evaluation.result.unit),
        "is_evaluator": evaluation.evaluator_id == user.pk,
    }


def dimension_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Each dimension of an evaluation with its weight, score, band and evidence."""
    scores = {s.dimension: s for s in evaluation.scores.all()}
    rows = []
    for d in rules.Dimension:
        s = scores.get(d.value)
        band = rules.band_of(d, s.score) if s is not None else None
        rows.append({
            "dimension": d.value, "title": gettext(rules.DIMENSION_TITLES[d]),
            "weight": evaluation.weights.get(d.value, ""), "score": s.score if s else None,
            "band": gettext(band.description) if band else "",
            "evidence": s.evidence if s else "",
            "details": report.details_text({"dimension": d.value, "details": s.details})
            if s else "",
        })  # fmt: skip
    return rows


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """M10.1: an evaluation: the request, the declaration, the scores and the signed report;
    each person's step on it."""
    found = _evaluation(request, pk)
    user = acting_user(request)
    roles = _roles(user, found)
    context: dict[str, Any] = {"e": found, "rows": dimension_rows(found), **roles}
    if roles["is_institution"] and found.status == "requested":
        context["accept_form"] = AcceptForm(people=_people(found))
        context["decline_form"] = ReasonForm()
    if roles["is_evaluator"] and found.status == "accepted":
        context["declare_form"] = DeclareForm(
            initial={
                "conflict": "1" if found.declared_interest else "0",
                "interest": found.declared_interest,
            }
        )
    if found.status == "signed":
        context["others"] = selectors.comparable_with(found, user)
    return render(request, "center/evaluation/detail.html", context)


def _act(
    request: HttpRequest, pk: int, form: Any, act: Callable[[Evaluation, Any], Any], done: str
) -> HttpResponse:
    found = _evaluation(request, pk)
    posted_decision(request, form, lambda data: act(found, data), done)
    return redirect("evaluation:detail", found.pk)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    found = _evaluation(request, pk)
    return _act(
        request, pk, AcceptForm(request.POST, people=_people(found)),
        lambda e, d: services.evaluation_accept(actor=user, evaluation=e, evaluator=d["evaluator"]),
        gettext("The evaluation is accepted."),
    )  # fmt: skip


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, ReasonForm(request.POST),
        lambda e, d: services.evaluation_decline(actor=user, evaluation=e, reason=d["reason"]),
        gettext("The request is declined."),
    )  # fmt: skip


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, None,
        lambda e, d: services.evaluation_withdraw(actor=user, evaluation=e),
        gettext("The request is withdrawn."),
    )  # fmt: skip


@login_required
@require_POST
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, DeclareForm(request.POST),
        lambda e, d: services.evaluation_declare(actor=user, evaluation=e, interest=d["interest"]),
        gettext("Your declaration is recorded."),
    )  # fmt: skip


@login_required
def score(request: HttpRequest, pk: int) -> HttpResponse:
    """M10.1: the evaluator's scoring form: one section per dimension, the rubric's bands
    beside each."""
    found = _evaluation(request, pk)
    user = acting_user(request)
    if found.evaluator_id != user.pk or found.status != "accepted":
        return forbidden(request, gettext("Only the named evaluator scores the evaluation."))
    if found.declared_at is None:
        messages.error(
            request,
            gettext("M10.1: the evaluator declares any conflict of interest before scoring."),
        )
        return redirect("evaluation:detail", found.pk)
    form = ScoreForm(request.POST or None, initial=ScoreForm.initial_of(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_score(actor=user, evaluation=found, data=form.scores())
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The scores are saved."))
            return redirect("evaluation:detail", found.pk)
    sections = [
        {"dimension": d.value, "title": gettext(rules.DIMENSION_TITLES[d]),
         "fields": form.section(d.value), "bands": _bands(d)}
        for d in rules.Dimension
    ]  # fmt: skip
    return render(
        request,
        "center/evaluation/score.html",
        {"e": found, "form": form, "sections": sections, "levels": _levels()},
    )


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, None,
        lambda e, d: services.evaluation_sign(actor=user, evaluation=e),
        gettext("The report is signed."),
    )  # fmt: skip


@login_required
@require_POST
def show(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    shown = request.POST.get("shown") == "1"
    return _act(
        request, pk, None,
        lambda e, d: services.evaluation_show(actor=user, evaluation=e, shown=shown),
        gettext("Shown on the result's public page.") if shown
        else gettext("No longer shown on the result's public page."),
    )  # fmt: skip


@login_required
def pdf(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """M10.1: the signed report as a PDF in Chinese (``zh``) or English (``en``): the same
    bytes at each download, drawn from the frozen content."""
    found = _evaluation(request, pk)
    if found.status != "signed" or language not in ("zh", "en"):
        raise Http404
    signed = found.report
    body = report.pdf(signed.content, signed.sha256, "zh-hans" if language == "zh" else "en")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evaluation-{found.pk}-{language}.pdf"'
    response["X-Content-SHA256"] = signed.sha256
    return response


@login_required
def compare(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """M10.1: two signed evaluations of the same result, dimension by dimension."""
    first = _evaluation(request, pk)
    second = _evaluation(request, other)
    if first.result_id != second.result_id or {first.status, second.status} != {"signed"}:
        raise Http404
    a_rows, b_rows = dimension_rows(first), dimension_rows(second)
    rows = [
        {**a, "other_score": b["score"], "other_weight": b["weight"],
         "difference": (a["score"] - b["score"])
         if a["score"] is not None and b["score"] is not None else None}
        for a, b in zip(a_rows, b_rows, strict=True)
    ]  # fmt: skip
    return render(
        request, "center/evaluation/compare.html", {"a": first, "b": second, "rows": rows}
    )


def _bands(d: rules.Dimension) -> list[dict[str, Any]]:
    return [
        {"low": b.low, "high": b.high, "description": gettext(b.description)}
        for b in rules.RUBRIC[d]
    ]


def _levels() -> list[dict[str, Any]]:
    return [
        {"level": level, "meaning": gettext(meaning), "evidence": gettext(evidence),
         "score": rules.TRL_SCORES[level]}
        for level, (meaning, evidence) in rules.TRL_LEVELS.items()
    ]  # fmt: skip


def rubric(request: HttpRequest) -> HttpResponse:
    """M10.1: the published rubric: each dimension's bands, the readiness levels with their
    scores, and the weights in force (with every version and the day it took effect)."""
    today = selectors.today()
    current = rules.weights_in_force(today)
    dimensions = [
        {"dimension": d.value, "title": gettext(rules.DIMENSION_TITLES[d]),
         "weight": current.weights[d], "bands": _bands(d)}
        for d in rules.Dimension
    ]  # fmt: skip
    versions = [
        {"code": v.code, "from": v.effective_from,
         "weights": [(gettext(rules.DIMENSION_TITLES[d]), v.weights[d]) for d in rules.Dimension],
         "current": v.code == current.code}
        for v in sorted(rules.WEIGHT_VERSIONS, key=lambda v: v.effective_from, reverse=True)
    ]  # fmt: skip
    return render(
        request,
        "center/evaluation/rubric.html",
        {"dimensions": dimensions, "levels": _levels(), "versions": versions, "current": current},
    )
