"""Back-office pages of achievements (M8.6): a unit's results and what is due, entry and
submission, the center's review."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.core import jobs, parsing, rows
from kttc.core.errors import translated_message
from kttc.core.models import Job, Organisation
from kttc.core.selectors import organisations_where, parameters_in_force, user_can
from kttc.core.web import acting_user, forbidden, form_error, paged
from kttc.policy import calendar
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability
from kttc.registry.achievements import selectors, services, store
from kttc.registry.achievements.bulk_jobs import BULK_JOB, start
from kttc.registry.achievements.forms import AchievementForm, BulkForm, ReviewForm
from kttc.registry.achievements.models import Achievement
from kttc.registry.achievements.validation import Invalid, validate_achievement
from kttc.registry.choices import Status

#: How a results list may be ordered: the parameter's value -> the fields.
SORTS = {
    "updated": ("-updated_at", "-id"),
    "oldest": ("updated_at", "id"),
    "name": ("name", "id"),
    "due": ("submission_due", "id"),
}
#: The longest search text in a results list (a name is at most 200 characters).
SEARCH_MAX = 200


def _listed(request: HttpRequest, params: Any) -> tuple[Any, dict[str, str]]:
    """The results the person sees, narrowed by the list's filters in ``params`` (a GET or a
    POST of the bulk form), ordered; and the filters as read."""
    rows = selectors.achievements_visible_to(acting_user(request)).select_related("unit")
    status = params.get("status", "")
    if status not in Status.values:
        status = ""
    if status:
        rows = rows.filter(status=status)
    q = " ".join(params.get("q", "").split())[:SEARCH_MAX]
    if q:
        rows = rows.filter(name__icontains=q)
    sort = params.get("sort", "updated")
    if sort not in SORTS:
        sort = "updated"
    return rows.order_by(*SORTS[sort]), {"status": status, "q": q, "sort": sort}


@login_required
def unit_achievements(request: HttpRequest) -> HttpResponse:
    """The results the person sees: searched by name, filtered by status, sorted, paged; the
    unit may submit and the center publish or return the chosen ones, or all that match, at
    once (``achievements_bulk``)."""
    user = acting_user(request)
    rows, filters = _listed(request, request.GET)
    page, querystring = paged(request, rows)
    can_enter = organisations_where(user, Capability.MANAGE_ACHIEVEMENTS).exists()
    can_review = user_can(user, Capability.REVIEW_ACHIEVEMENTS_ALL)
    labels = dict(_bulk_labels())
    actions = [("submit", labels["submit"])] if can_enter else []
    if can_review:
        actions += [("publish", labels["publish"]), ("return", labels["return"])]
    return render(
        request,
        "registry/achievements.html",
        {
            "page": page,
            "querystring": querystring,
            **filters,
            "statuses": Status.choices,
            "sorts": [
                ("updated", gettext("Last changed first")),
                ("oldest", gettext("Longest unchanged first")),
                ("name", gettext("Name")),
                ("due", gettext("Due on the platform")),
            ],
            "bulk_actions": actions,
            "bulk_max": services.BULK_MAX,
            "can_enter": can_enter,
            "can_review": can_review,
        },
    )


logger = logging.getLogger(__name__)


def _bulk_labels() -> list[tuple[str, str]]:
    return [
        ("submit", gettext("Submit to the center")),
        ("publish", gettext("Publish")),
        ("return", gettext("Return for changes")),
    ]


@login_required
@require_POST
def achievements_bulk(request: HttpRequest) -> HttpResponse:
    """M8.6: submit, publish or return the chosen results, or every result the list's filters
    match (up to ``BULK_MAX``), each through its own service: one decision and one audit entry
    per result, and a summary of what was done and what was refused, and why.

    The work is a job: with htmx the page gets a progress panel at once, which runs the job and
    follows it (``bulk_run``, ``bulk_job``); without a script the same request runs it and
    answers with the list and the summary. With a broker a worker runs it instead
    (:mod:`~kttc.registry.achievements.bulk_jobs`) and the panel, or without a script the
    job's page, says it waits for one until it starts."""
    user = acting_user(request)
    chosen, back = bulk_chosen(request)
    problem = None
    form = BulkForm(request.POST)
    if not chosen:
        problem = gettext("Choose the results first, or all that match.")
    elif not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        problem = f"{label}: {errors[0]}" if label else str(errors[0])
    else:
        try:
            reason = services.bulk_check(form.cleaned_data["action"], form.cleaned_data["reason"])
        except PolicyError as exc:
            problem = translated_message(exc)
    if problem is not None:
        return bulk_refused(request, problem, back)
    job = jobs.create(
        owner=user,
        kind=BULK_JOB,
        params={
            "action": form.cleaned_data["action"],
            "reason": reason,
            "ids": chosen,
            "back": back,
        },
        total=len(chosen),
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "registry/_bulk_job.html", _job_context(job))
    start(job, user)
    if job.params.get("worker"):
        return redirect("registry:bulk_job", job=job.pk)
    _summary_messages(request, job)
    return redirect(back)


def bulk_chosen(request: HttpRequest) -> tuple[list[int], str]:
    """The results a bulk form chose (those ticked, or all that match its filters, up to
    ``BULK_MAX``) among those the person sees; and the list's address with its filters."""
    listed, filters = _listed(request, request.POST)
    back = f"{reverse('registry:achievements')}?{urlencode(filters)}"
    if request.POST.get("scope") == "all":
        return list(listed.values_list("pk", flat=True)[: services.BULK_MAX]), back
    posted = request.POST.getlist("ids")[: services.BULK_MAX]
    ids = [parsing.integer(v, minimum=1, maximum=2**63 - 1) for v in posted]
    wanted = {i for i in ids if i is not None}
    return (list(listed.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else []), back


def bulk_refused(request: HttpRequest, problem: str, back: str) -> HttpResponse:
    """A bulk form refused before any work: in place (htmx), else on the list."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "registry/_bulk_job.html", {"problem": problem})
    messages.error(request, problem)
    return redirect(back)


def job_panel(request: HttpRequest, job: Job, context: dict[str, Any]) -> HttpResponse:
    """A job's panel (htmx: its polling stops with status 286 once the job has ended), or its
    page without a script. A poll says where the job stands in the panel's live region only
    when that has changed since the poll before (``seen``), so a screen reader hears each step
    once, not every poll."""
    if request.htmx:  # type: ignore[attr-defined]
        context = {**context, "polled": request.GET.get("seen", "") != context["phase"]}
        response = render(request, "registry/_bulk_job.html", context)
        if context["finished"]:
            response.status_code = 286
        return response
    return render(request, "registry/bulk_job.html", context)


def job_state(job: Job) -> dict[str, Any]:
    """What a job's panel shows of where it stands (:func:`kttc.core.jobs.phase`): the phase,
    whether it has ended (a stalled run has), and the sentence its live region announces."""
    phase = jobs.phase(job)
    announce = {
        "queued": gettext("Waiting for a worker to start it."),
        "running": gettext("Under way."),
        "stalled": gettext("Interrupted."),
        "done": gettext("Finished."),
        "failed": gettext("Finished."),
    }
    return {
        "phase": phase,
        "finished": phase in ("done", "failed", "stalled"),
        "announce": announce.get(phase, ""),
    }


def _summary(job: Job) -> list[tuple[str, str]]:
    """The job's summary as (level, text) lines."""
    outcome = job.outcome
    if jobs.phase(job) == "stalled":
        message = gettext(
            "The work was interrupted: the process running it stopped. What was done before "
            "it stays done; the list shows each result's state."
        )
        return [("error", message)]
    if "error" in outcome:
        return [("error", outcome["error"])]
    lines = []
    if outcome.get("done"):
        lines.append(
            (
                "success",
                gettext("Done for %(done)s of %(chosen)s results.")
                % {"done": outcome["done"], "chosen": outcome["chosen"]},
            )
        )
    refused = outcome.get("refused_count", 0)
    if refused:
        shown = "; ".join(f"{name}: {why}" for _pk, name, why in outcome["refused"])
        more = refused - len(outcome["refused"])
        lines.append(
            (
                "error",
                gettext("%(refused)s results were not changed: %(reasons)s")
                % {"refused": refused, "reasons": shown}
                + (gettext(" (and %(more)s more)") % {"more": more} if more > 0 else ""),
            )
        )
    return lines


def _summary_messages(request: HttpRequest, job: Job) -> None:
    job.refresh_from_db()
    for level, text in _summary(job):
        (messages.success if level == "success" else messages.error)(request, text)


def _job_context(job: Job) -> dict[str, Any]:
    state = job_state(job)
    return {
        "job": job,
        **state,
        "summary": _summary(job) if state["finished"] else [],
        "action_label": dict(_bulk_labels()).get(job.params["action"], ""),
        "urls": {
            "run": reverse("registry:bulk_run", args=[job.pk]),
            "status": reverse("registry:bulk_job", args=[job.pk]),
        },
    }


@login_required
@require_POST
def bulk_run(request: HttpRequest, job: uuid.UUID) -> HttpResponse:
    """Run a bulk job (the progress panel asks once it is shown) and answer its summary."""
    current = jobs.of(acting_user(request), job, BULK_JOB)
    if current.state == Job.State.READY:
        start(current, acting_user(request))
    current.refresh_from_db()
    if not request.htmx:  # type: ignore[attr-defined]
        if current.params.get("worker") and not current.finished:  # its page follows it
            return redirect("registry:bulk_job", job=current.pk)
        _summary_messages(request, current)
        return redirect(current.params["back"])
    return render(request, "registry/_bulk_job.html", _job_context(current))


@login_required
def bulk_job(request: HttpRequest, job: uuid.UUID) -> HttpResponse:
    """A bulk job: its progress while it runs, then its summary. The panel's polling gets the
    panel alone, and status 286 (htmx: stop polling) once the job has ended."""
    current = jobs.of(acting_user(request), job, BULK_JOB)
    return job_panel(request, current, _job_context(current))


@login_required
def due(request: HttpRequest) -> HttpResponse:
    """M8.6: fiscally funded results not yet submitted, with the overdue ones marked; with
    ``overdue=1`` only the overdue ones (the bureau's overdue list), with when the sweep told
    their unit."""
    today = calendar.today_in_shanghai()
    qs = selectors.submissions_due(acting_user(request), on=today)
    counts = qs.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(submission_due__lt=today))
    )
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        qs = qs.filter(submission_due__lt=today)
    page, querystring = paged(request, qs)
    return render(
        request,
        "registry/due.html",
        {
            "page": page,
            "querystring": querystring,
            "overdue_count": counts["overdue"],
            "total": counts["total"],
            "overdue_only": overdue_only,
        },
    )


def _visible(request: HttpRequest, pk: int) -> Achievement:
    return get_object_or_404(selectors.achievements_visible_to(acting_user(request)), pk=pk)


def _save_form(
    request: HttpRequest, form: AchievementForm, unit: Organisation, achievement: Achievement | None
) -> Achievement | None:
    """Validate with the one validation; show every problem on its field."""
    try:
        data = validate_achievement(form.raw(), today=calendar.today_in_shanghai())
        if achievement is None:
            return services.achievement_create(actor=acting_user(request), unit=unit, data=data)
        return services.achievement_update(
            actor=acting_user(request), achievement=achievement, data=data
        )
    except Invalid as exc:
        for error in exc.errors:
            field = error.field if error.field in form.fields else None
            if field is None and error.field in ("patent_number", "number", "grant_date"):
                field = "ip_rights"
            form.add_error(field, translated_message(error))
    except PolicyError as exc:
        form_error(form, exc)
    return None


@login_required
def achievement_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    units = organisations_where(user, Capability.MANAGE_ACHIEVEMENTS)
    if not units.exists():
        return forbidden(
            request, gettext("Only a unit's technology transfer office enters results.")
        )
    asked = request.GET.get("unit") or request.POST.get("unit")
    asked_id = parsing.parse_id(asked) if asked else None
    unit = units.filter(pk=asked_id).first() if asked_id is not None else None
    if asked and unit is None and request.method == "POST":
        raise Http404  # a unit the form did not offer: never another one in its place
    unit = unit or units.first()
    if unit is None:
        raise Http404
    months = parameters_in_force().submission_due_months
    form = AchievementForm(request.POST or None, due_months=months)
    if rows.ready(form):
        achievement = _save_form(request, form, unit, None)
        if achievement is not None:
            messages.success(request, gettext("The result is saved as a draft."))
            return redirect("registry:achievement_detail", pk=achievement.pk)
    return render(
        request,
        "registry/achievement_form.html",
        {"form": form, "unit": unit, "units": units, "achievement": None},
    )


@login_required
def achievement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = _visible(request, pk)
    if not user_can(acting_user(request), Capability.MANAGE_ACHIEVEMENTS, achievement.unit):
        return forbidden(request, gettext("Only the unit's transfer office changes its results."))
    months = parameters_in_force().submission_due_months
    form = AchievementForm(
        request.POST or None, due_months=months, initial=AchievementForm.initial_for(achievement)
    )
    saved = (
        rows.ready(form)
        and _save_form(request, form, achievement.unit, achievement) is not None
    )
    if saved:
        messages.success(request, gettext("The result is saved."))
        return redirect("registry:achievement_detail", pk=achievement.pk)
    return render(
        request,
        "registry/achievement_form.html",
        {"form": form, "unit": achievement.unit, "achievement": achievement},
    )


@login_required
def achievement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = _visible(request, pk)
    user = acting_user(request)
    return render(
        request,
        "registry/achievement_detail.html",
        {
            "a": achievement,
            "events": achievement.events.select_related("actor"),
            "can_edit": achievement.status in store.EDITABLE
            and user_can(user, Capability.MANAGE_ACHIEVEMENTS, achievement.unit),
            "can_review": achievement.status == "submitted"
            and user_can(user, Capability.REVIEW_ACHIEVEMENTS_ALL),
            "review_form": ReviewForm(),
        },
    )


@login_required
@require_POST
def achievement_submit(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = _visible(request, pk)
    try:
        services.achievement_submit(actor=acting_user(request), achievement=achievement)
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(request, gettext("Submitted to the center for review (M8.6)."))
    return redirect("registry:achievement_detail", pk=pk)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not user_can(acting_user(request), Capability.REVIEW_ACHIEVEMENTS_ALL):
        return forbidden(request, gettext("Only the center reviews submissions."))
    page, querystring = paged(request, selectors.review_queue())
    return render(request, "registry/review_queue.html", {"page": page, "querystring": querystring})


@login_required
@require_POST
def achievement_review(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = _visible(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose to publish or to return."))
        return redirect("registry:achievement_detail", pk=pk)
    try:
        if form.cleaned_data["decision"] == "publish":
            services.achievement_publish(actor=acting_user(request), achievement=achievement)
            messages.success(request, gettext("Published."))
        else:
            services.achievement_return(
                actor=acting_user(request),
                achievement=achievement,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, gettext("Returned to the unit with your reason."))
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    return redirect("registry:achievement_detail", pk=pk)
