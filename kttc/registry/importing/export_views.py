"""Export of the results chosen on the results list, in the import file's format (M8.6): a job
like a bulk action (progress, then a link to the file), or without a script the file at once.
With a broker a worker makes it (:mod:`~kttc.registry.importing.export_jobs`): the panel, or
without a script the job's page, says it waits for one, then offers the file."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.core import jobs
from kttc.core.models import Job
from kttc.core.web import acting_user
from kttc.registry.achievements.views import bulk_chosen, bulk_refused, job_panel, job_state
from kttc.registry.importing.export_jobs import EXPORT_JOB, start

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context(job: Job) -> dict[str, Any]:
    state = job_state(job)
    summary = []
    if state["phase"] == "stalled":
        message = gettext("The export was interrupted: the process making it stopped. Try again.")
        summary = [("error", message)]
    elif job.state == Job.State.DONE:
        summary = [
            (
                "success",
                gettext("%(count)s results exported in the import file's format.")
                % {"count": job.outcome["exported"]},
            )
        ]
    elif job.state == Job.State.FAILED:
        summary = [("error", job.outcome.get("error", ""))]
    return {
        "job": job,
        **state,
        "summary": summary,
        "action_label": gettext("Export as an import file (xlsx)"),
        "urls": {
            "run": reverse("registry:export_run", args=[job.pk]),
            "status": reverse("registry:export_job", args=[job.pk]),
            "file": reverse("registry:export_file", args=[job.pk]),
        },
    }


def _file(job: Job) -> FileResponse:
    content = Job.objects.values_list("file", flat=True).get(pk=job.pk)
    if job.state != Job.State.DONE or content is None:
        raise Http404
    name = f"{gettext('results')}-{job.created_at:%Y%m%d-%H%M}.xlsx"
    return FileResponse(
        io.BytesIO(bytes(content)), as_attachment=True, filename=name, content_type=XLSX
    )


@login_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponseBase:
    """The results ticked, or all that match the list's filters: a panel that runs the export
    and follows it (htmx), else the file at once."""
    chosen, back = bulk_chosen(request)
    if not chosen:
        return bulk_refused(request, gettext("Choose the results first, or all that match."), back)
    job = jobs.create(
        owner=acting_user(request),
        kind=EXPORT_JOB,
        params={"ids": chosen, "back": back},
        total=len(chosen),
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "registry/_bulk_job.html", _context(job))
    start(job)
    if job.params.get("worker"):
        return redirect("registry:export_job", job=job.pk)
    job.refresh_from_db()
    return _file(job)


@login_required
@require_POST
def export_run(request: HttpRequest, job: uuid.UUID) -> HttpResponseBase:
    current = jobs.of(acting_user(request), job, EXPORT_JOB)
    if current.state == Job.State.READY:
        start(current)
    current.refresh_from_db()
    if not request.htmx:  # type: ignore[attr-defined]
        if current.params.get("worker") and not current.finished:  # its page follows it
            return redirect("registry:export_job", job=current.pk)
        return _file(current)
    return render(request, "registry/_bulk_job.html", _context(current))


@login_required
def export_job(request: HttpRequest, job: uuid.UUID) -> HttpResponse:
    current = jobs.of(acting_user(request), job, EXPORT_JOB)
    return job_panel(request, current, _context(current))


@login_required
def export_file(request: HttpRequest, job: uuid.UUID) -> HttpResponseBase:
    """The exported file, for the person who asked for it."""
    return _file(jobs.of(acting_user(request), job, EXPORT_JOB))
