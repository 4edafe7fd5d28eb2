"""Bulk import of achievements from xlsx/csv on the web (M8.6).

The upload is read at once (so a wrong file is refused on the form) and kept as an import *job*
under ``MEDIA_ROOT/imports/<id>/``: the cells as JSON, a small status file the page polls for
its progress bar, and the outcome. The page then asks to run the job: one request checks every
row and stores the whole file in one transaction (:func:`kttc.registry.importing.run_import`),
writing its progress to the status file as it goes; without JavaScript the same request runs
from a plain form and answers with the result page. ``_execute`` is the seam where a task queue
(Celery, say) would take the work over for files that outgrow a request.

A job belongs to the person who uploaded it; nobody else can see it (404). The content of a
classified row is never written down (M8.6). Jobs are removed a day after their upload; a finished
import keeps only its outcome, a refused one keeps the cells for its report.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import dataclass
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

from kttc.core import parsing
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy import calendar
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.registry import importing
from kttc.registry.achievements.models import Achievement

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


# --- jobs ------------------------------------------------------------------------------------


def _jobs_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _write(path: Path, data: Any) -> None:
    """Write JSON whole or not at all: a poll never reads half a file."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class Job:
    id: str
    path: Path

    @classmethod
    def create(
        cls, *, user: User, unit: Organisation, filename: str, table: importing.Table
    ) -> Job:
        _sweep()
        job_id = str(uuid.uuid4())
        path = _jobs_root() / job_id
        path.mkdir(parents=True)
        # A classified row is refused; its content is never written down (M8.6).
        (path / "table.json").write_bytes(importing.redacted(table).to_json())
        _write(path / "meta.json", {"user": user.pk, "unit": unit.pk, "filename": filename})
        job = cls(job_id, path)
        job.set_status("ready", "check", 0, len(table.rows))
        return job

    @classmethod
    def of(cls, request: HttpRequest, job_id: uuid.UUID) -> Job:
        """The person's own job, for a unit they still manage results of; else 404."""
        job = cls(str(job_id), _jobs_root() / str(job_id))
        try:
            meta = job.meta
        except (OSError, ValueError):
            raise Http404 from None
        if meta["user"] != request.user.pk or not _units(request).filter(pk=meta["unit"]).exists():
            raise Http404
        return job

    @property
    def meta(self) -> dict[str, Any]:
        return _read(self.path / "meta.json")

    @property
    def unit(self) -> Organisation:
        return Organisation.objects.get(pk=self.meta["unit"])

    def table(self) -> importing.Table:
        return importing.Table.from_json((self.path / "table.json").read_bytes())

    def status(self) -> dict[str, Any]:
        status: dict[str, Any] = _read(self.path / "status.json")
        if status["state"] == "running" and time.time() - status["at"] > STALE_RUN:
            status["state"] = "failed"  # the process that ran it is gone; it rolled back
        return status

    def set_status(self, state: str, phase: str, done: int, total: int) -> None:
        status = {"state": state, "phase": phase, "done": done, "total": total, "at": time.time()}
        _write(self.path / "status.json", status)

    def progress(self, phase: str, done: int, total: int) -> None:
        self.set_status("running", phase, done, total)

    def outcome(self) -> dict[str, Any]:
        try:
            return _read(self.path / "outcome.json")
        except FileNotFoundError:
            failure = _failure(
                gettext_noop("The import was interrupted; nothing was stored. Run it again.")
            )
            return {"created": [], "updated": [], "problems": [failure.as_dict()]}

    def finish(self, result: importing.ImportResult, table: importing.Table) -> None:
        problems = result.check.problems
        _write(
            self.path / "outcome.json",
            {
                "created": result.created,
                "updated": result.updated,
                "problems": [p.as_dict() for p in problems],
            },
        )
        if result.ok:
            (self.path / "table.json").unlink(missing_ok=True)
        total = result.check.total
        self.set_status("done" if result.ok else "failed", "store", total, total)

    def claim(self) -> bool:
        """Only one run of a job at a time (a second tab, a double click)."""
        try:
            os.close(os.open(self.path / "run.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True


def _sweep() -> None:
    """Remove the jobs uploaded more than a day ago."""
    root = _jobs_root()
    if not root.is_dir():
        return
    limit = time.time() - JOB_LIFETIME
    for path in root.iterdir():
        try:
            if path.is_dir() and (path / "meta.json").stat().st_mtime < limit:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue


def _failure(template: str) -> importing.RowProblem:
    """A problem of the whole file (row 0: no row of its own)."""
    return importing.RowProblem(0, "", None, "import.error", template)


def _execute(job: Job, actor: User) -> None:
    """Check and store the file (all or nothing), recording progress and the outcome."""
    table = job.table()
    try:
        result = importing.run_import(
            actor=actor,
            unit=job.unit,
            table=table,
            today=calendar.today_in_shanghai(),
            progress=job.progress,
        )
    except PolicyError as exc:  # the person lost the right to enter the unit's results
        result = importing.ImportResult(check=importing.ImportCheck(total=len(table.rows)))
        result.check.problems.append(importing.RowProblem.of(0, "", exc))
    except Exception:
        # Never a 500: the transaction has rolled back; say so, and keep the trace for us.
        logger.exception("import job %s failed", job.id)
        result = importing.ImportResult(check=importing.ImportCheck(total=len(table.rows)))
        result.check.problems.append(
            _failure(
                gettext_noop(
                    "The import failed unexpectedly; nothing was stored. Try again, or tell the "
                    "center if it happens again."
                )
            )
        )
    job.finish(result, table)


def _payload(request: HttpRequest, job: Job) -> dict[str, Any]:
    status = job.status()
    done, total = status["done"], status["total"]
    if status["state"] in ("done", "failed"):
        message = gettext("Finished.")
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
        "result_url": reverse("registry:import_job", args=[job.id]),
    }


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
            job = Job.create(
                user=acting_user(request),
                unit=form.cleaned_data["unit"],
                filename=upload.name,
                table=table,
            )
            return redirect("registry:import_job", job=job.id)
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
    current = Job.of(request, job)
    payload = _payload(request, current)
    context: dict[str, Any] = {
        "job": current,
        "status": payload,
        "unit": current.unit,
        "filename": current.meta["filename"],
    }
    if payload["state"] in ("done", "failed"):
        context.update(_result_context(current))
    return render(request, "registry/import_job.html", context)


def _result_context(job: Job) -> dict[str, Any]:
    outcome = job.outcome()
    problems = [importing.RowProblem.from_dict(p) for p in outcome["problems"]]
    created, updated = outcome["created"], outcome["updated"]
    shown = Achievement.objects.in_bulk(created[:SHOWN_RESULTS] + updated[:SHOWN_RESULTS])
    return {
        "problems": problems[:SHOWN_PROBLEMS],
        "problem_count": len(problems),
        "more_problems": len(problems) > SHOWN_PROBLEMS,
        "can_report": (job.path / "table.json").exists() and bool(problems),
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
    current = Job.of(request, job)
    if current.status()["state"] == "ready" and current.claim():
        _execute(current, acting_user(request))
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(_payload(request, current))
    return redirect("registry:import_job", job=current.id)


@login_required
def import_status(request: HttpRequest, job: uuid.UUID) -> JsonResponse:
    """Where the job stands, for the progress bar."""
    return JsonResponse(_payload(request, Job.of(request, job)))


@login_required
def import_report(request: HttpRequest, job: uuid.UUID, fmt: str) -> HttpResponseBase:
    """The refused file's report: the rows with the bad cells marked (xlsx), or the list of
    problems (csv), in the reader's language."""
    current = Job.of(request, job)
    if current.status()["state"] != "failed" or fmt not in ("xlsx", "csv"):
        raise Http404
    problems = [importing.RowProblem.from_dict(p) for p in current.outcome()["problems"]]
    language = translation.get_language() or settings.LANGUAGE_CODE
    suffix = gettext("problems")
    name = f"{Path(current.meta['filename']).stem}-{suffix}.{fmt}"
    if fmt == "csv":
        return _download(importing.report_csv(problems, language), name)
    try:
        table = current.table()
    except FileNotFoundError:
        raise Http404 from None
    return _download(importing.report_xlsx(table, problems, language), name)
