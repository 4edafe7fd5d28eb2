"""Bulk import of achievements from xlsx/csv on the web (M8.6).

The upload is read at once (so a wrong file is refused on the form) and kept as an import *job*
in the database (:mod:`kttc.registry.importing.jobs`): the cells, the progress the page polls for
its progress bar, and the outcome. The page then asks to run the job: one run checks every row
and stores the whole file in one transaction (:func:`kttc.registry.importing.run_import`),
writing its progress as it goes. With a broker (``KTTC_BROKER_URL``) a worker of the task queue
runs it, on this machine or another; without one the request runs it, and without JavaScript the
same request runs from a plain form and answers with the result page.

A job belongs to the person who uploaded it; nobody else can see it (404). The content of a
classified row is never written down (M8.6). Jobs are removed by the sweep a week after their
upload; a finished import keeps only its outcome, a refused one keeps the cells for its report.
"""

from __future__ import annotations

import io
import logging
import uuid
from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from kttc.core import parsing, tasks
from kttc.core.models import Job, Organisation
from kttc.core.selectors import organisations_where
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.registry import importing
from kttc.registry.achievements.models import Achievement
from kttc.registry.importing import jobs

logger = logging.getLogger(__name__)

JOB_LIFETIME = 24 * 3600  # seconds
STALE_RUN = 15 * 60  # a run whose status has not moved for this long has died
SHOWN_PROBLEMS = 500
SHOWN_RESULTS = 50


def _units(request: HttpRequest) -> Any:
    return organisations_where(acting_user(request), Capability.MANAGE_ACHIEVEMENTS).order_by(
        "name"
    )


def _not_an_office(request: HttpRequest) -> HttpResponse:
    return forbidden(request, gettext("Only a unit's technology transfer office imports results."))


def _payload(request: HttpRequest, job: Job) -> dict[str, Any]:
    status = jobs.status(job)
    done, total = status["done"], status["total"]
    if status["state"] in ("done", "failed"):
        message = gettext("Finished.")
    elif status["phase"] == "queued":
        message = gettext("%(total)s rows are waiting for a worker to check them.") % {
            "total": total
        }
        message += " " + gettext(
            "You may leave this page: you will be notified when it is finished."
        )
    elif status["state"] == "ready":
        message = gettext("%(total)s rows are ready to be checked.") % {"total": total}
    elif status["phase"] == "store":
        message = gettext("Checked and stored %(done)s of %(total)s rows.") % {
            "done": done,
            "total": total,
        }
    else:
        message = gettext("Checked %(done)s of %(total)s rows.") % {"done": done, "total": total}
    return {
        "state": status["state"],
        "phase": status["phase"],
        "done": done,
        "total": total,
        "message": message,
        "result_url": reverse("registry:import_job", args=[job.pk]),
    }


def _job(request: HttpRequest, job_id: uuid.UUID) -> Job:
    """The person's own job, for a unit they still manage results of; else 404."""
    job = jobs.of(acting_user(request), job_id)
    if not _units(request).filter(pk=job.params.get("unit")).exists():
        raise Http404
    return job


# --- views -----------------------------------------------------------------------------------


class UploadForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=gettext_lazy("Unit"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast("forms.ModelChoiceField[Organisation]", self.fields["unit"])
        unit.queryset, unit.empty_label = units, None
        self.fields["file"].help_text = gettext(
            "An xlsx or csv file with the template's headers, at most %(mb)s MB and %(rows)s rows."
        ) % {"mb": importing.MAX_BYTES // 2**20, "rows": importing.MAX_ROWS}
        if units.count() == 1:
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = units.first()


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    """The upload form; a readable file becomes a job and the page that runs it."""
    units = _units(request)
    if not units.exists():
        return _not_an_office(request)
    posted_unit = request.POST.get("unit")
    if posted_unit and not units.filter(pk=parsing.parse_id(posted_unit)).exists():
        return _not_an_office(request)  # another unit's results are not this office's to enter
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and not posted_unit and units.count() == 1:
        data["unit"] = str(units.get().pk)
    form = UploadForm(data, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            importing.check_size(upload.size or 0)  # before reading it into memory
            table = importing.read_rows(upload.read(), upload.name)
        except PolicyError as exc:
            form_error(form, exc, fields={exc.field or "": "file"})
        else:
            job = jobs.create(
                user=acting_user(request),
                unit=form.cleaned_data["unit"],
                filename=upload.name,
                table=table,
            )
            return redirect("registry:import_job", job=job.pk)
    reference = format_html('<span lang="zh-Hans">{}</span>', importing.REF)
    context = {
        "form": form,
        "reference": reference,
        "units": units,
        "single_unit": units.first() if units.count() == 1 else None,
        "columns": [
            {
                "header": c.header,
                "label": gettext(c.label),
                "required": c.required,
                "help": importing.column_help(c),
                "values": "、".join(c.choices.offered()) if c.choices else "",
                "example": c.example,
            }
            for c in importing.COLUMNS
        ],
    }
    return render(request, "registry/import.html", context)


@login_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The template to fill in: xlsx (with explanations and lists) or csv (the headers)."""
    if not _units(request).exists():
        return _not_an_office(request)
    if fmt == "xlsx":
        content = importing.template_xlsx()
    elif fmt == "csv":
        content = importing.template_csv()
    else:
        raise Http404
    stem = gettext("achievements-import-template")
    return _download(content, f"{stem}.{fmt}")


def _download(content: bytes, filename: str) -> FileResponse:
    kind = (
        "text/csv; charset=utf-8"
        if filename.endswith(".csv")
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type=kind
    )


@login_required
def import_job(request: HttpRequest, job: uuid.UUID) -> HttpResponse:
    """The job's page: the progress bar while it waits or runs, then its result."""
    current = _job(request, job)
    payload = _payload(request, current)
    context: dict[str, Any] = {
        "job": current,
        "status": payload,
        "unit": Organisation.objects.get(pk=current.params["unit"]),
        "filename": current.params["filename"],
    }
    if payload["state"] in ("done", "failed"):
        context.update(_result_context(current))
    return render(request, "registry/import_job.html", context)


def _outcome(job: Job) -> dict[str, Any]:
    outcome = job.outcome or {}
    if "problems" not in outcome:
        failure = jobs.failure(
            gettext_noop("The import was interrupted; nothing was stored. Run it again.")
        )
        return {"created": [], "updated": [], "problems": [failure.as_dict()]}
    return outcome


def _result_context(job: Job) -> dict[str, Any]:
    outcome = _outcome(job)
    problems = [importing.RowProblem.from_dict(p) for p in outcome["problems"]]
    created, updated = outcome["created"], outcome["updated"]
    shown = Achievement.objects.in_bulk(created[:SHOWN_RESULTS] + updated[:SHOWN_RESULTS])
    return {
        "problems": problems[:SHOWN_PROBLEMS],
        "problem_count": len(problems),
        "more_problems": len(problems) > SHOWN_PROBLEMS,
        "can_report": bool(problems) and Job.objects.filter(pk=job.pk, file__isnull=False).exists(),
        "created_count": len(created),
        "updated_count": len(updated),
        "created": [shown[pk] for pk in created[:SHOWN_RESULTS] if pk in shown],
        "updated": [shown[pk] for pk in updated[:SHOWN_RESULTS] if pk in shown],
        "more_results": len(created) > SHOWN_RESULTS or len(updated) > SHOWN_RESULTS,
    }


@login_required
@require_POST
def import_run(request: HttpRequest, job: uuid.UUID) -> HttpResponse:
    """Check and store the file. Answers JSON to the page's script, else the result page."""
    current = _job(request, job)
    if current.state == Job.State.READY:
        if tasks.broker_configured():
            jobs.queue(current)  # a worker claims and runs it; the page follows its progress
        elif jobs.claim(current):
            jobs.execute(current)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(_payload(request, current))
    return redirect("registry:import_job", job=current.pk)


@login_required
def import_status(request: HttpRequest, job: uuid.UUID) -> JsonResponse:
    """Where the job stands, for the progress bar."""
    return JsonResponse(_payload(request, _job(request, job)))


@login_required
def import_report(request: HttpRequest, job: uuid.UUID, fmt: str) -> HttpResponseBase:
    """The refused file's report: the rows with the bad cells marked (xlsx), or the list of
    problems (csv), in the reader's language."""
    current = _job(request, job)
    if jobs.status(current)["state"] != "failed" or fmt not in ("xlsx", "csv"):
        raise Http404
    problems = [importing.RowProblem.from_dict(p) for p in _outcome(current)["problems"]]
    language = translation.get_language() or settings.LANGUAGE_CODE
    suffix = gettext("problems")
    name = f"{Path(current.params['filename']).stem}-{suffix}.{fmt}"
    if fmt == "csv":
        return _download(importing.report_csv(problems, language), name)
    table = jobs.table(current)
    if table is None:
        raise Http404
    return _download(importing.report_xlsx(table, problems, language), name)
