"""Import jobs (M8.6) kept in the database, so that a worker on another machine can run them.

An upload becomes a :class:`~kttc.core.models.Job` of kind ``import``: its parameters name the
unit and the file, its ``file`` holds the cells as JSON (a classified row's content is never
written down, M8.6), ``done``/``total`` its progress and ``outcome`` what it stored or the
problems that refused it. The page asks to run it: with a broker the job is queued
(``kttc.registry.import`` on the long queue) and a worker runs it; without one the request runs
it, as it always did. Either way the job is claimed once (a conditional UPDATE from ``ready`` to
``running``): a second tab, a double click or a message delivered twice only follows it.

The import stores the whole file in one transaction; its progress must be seen meanwhile by the
requests that poll it. On PostgreSQL it is written through a connection of its own (committed at
once, outside the import's transaction); the embedded SQLite has one writer at a time and the
same machine runs everything, so there it goes to a small file beside the media until the job
ends.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from kttc.core import jobs, tasks
from kttc.core.models import Job, Organisation, User
from kttc.policy import calendar
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.registry.importing.checking import ImportCheck, RowProblem
from kttc.registry.importing.files import redacted
from kttc.registry.importing.reading import Table
from kttc.registry.importing.storing import ImportResult, run_import

logger = logging.getLogger(__name__)

KIND = "import"
STALE_RUN = 15 * 60  # a run whose progress has not moved for this long has died


def create(*, user: User, unit: Organisation, filename: str, table: Table) -> Job:
    return Job.objects.create(
        owner=user,
        kind=KIND,
        params={"unit": unit.pk, "filename": filename},
        total=len(table.rows),
        outcome={"phase": "check"},
        file=redacted(table).to_json(),  # a classified row's content is never kept (M8.6)
    )


def of(user: User, job_id: uuid.UUID | str) -> Job:
    """The person's own import job; else 404."""
    return jobs.of(user, job_id, KIND)


def table(job: Job) -> Table | None:
    """The job's cells; None once a stored import has let them go."""
    content = Job.objects.filter(pk=job.pk).values_list("file", flat=True).first()
    return Table.from_json(bytes(content)) if content else None


def _side_file(job_id: Any) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / f"{job_id}.json"


def status(job: Job) -> dict[str, Any]:
    """Where the job stands: state, phase, done and total (a run that died reads as failed)."""
    job.refresh_from_db(fields=["state", "done", "total", "outcome"])
    outcome = job.outcome or {}
    state, phase, done, total = job.state, outcome.get("phase", "store"), job.done, job.total
    at = outcome.get("at")
    if state == Job.State.RUNNING:
        try:  # the embedded database's progress, beside the media (see the module)
            side = json.loads(_side_file(job.pk).read_text(encoding="utf-8"))
            phase, done, total, at = side["phase"], side["done"], side["total"], side["at"]
        except (OSError, ValueError, KeyError):
            pass
        if at is not None and time.time() - at > STALE_RUN:
            state = Job.State.FAILED  # the process that ran it is gone; it rolled back
    elif state == Job.State.READY and outcome.get("queued"):
        phase = "queued"
    return {"state": state, "phase": phase, "done": done, "total": total}


class _Progress:
    """The import's progress callback, written where polls see it during the transaction."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.side: BaseDatabaseWrapper | None = None
        if connection.vendor == "postgresql":
            self.side = connections.create_connection("default")

    def __call__(self, phase: str, done: int, total: int) -> None:
        at = time.time()
        if self.side is not None:
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, "  # noqa: S608 (the model's own table)
                    "outcome = %s::jsonb WHERE id = %s",
                    [done, total, json.dumps({"phase": phase, "at": at}), self.job.pk],
                )
            return
        path = _side_file(self.job.pk)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        data = {"phase": phase, "done": done, "total": total, "at": at}
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)  # a poll never reads half a file

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
        _side_file(self.job.pk).unlink(missing_ok=True)


def claim(job: Job) -> bool:
    """Whether this run is the job's only one: the first to move it from ready to running."""
    claimed = Job.objects.filter(pk=job.pk, state=Job.State.READY).update(
        state=Job.State.RUNNING, outcome={"phase": "check", "at": time.time()}
    )
    if claimed:
        job.state = Job.State.RUNNING
    return bool(claimed)


def release(job: Job) -> None:
    """Give a job back after a transient failure (its transaction rolled back), to be retried."""
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
        state=Job.State.READY, done=0, outcome={"phase": "check", "queued": True}
    )
    job.state = Job.State.READY


def queue(job: Job) -> None:
    """Have a worker run the job (with a broker); it shows as waiting for one meanwhile."""
    from kttc.registry.tasks import run_import_job

    Job.objects.filter(pk=job.pk, state=Job.State.READY).update(
        outcome={"phase": "check", "queued": True}
    )
    tasks.enqueue(run_import_job, str(job.pk))


def failure(template: str) -> RowProblem:
    """A problem of the whole file (row 0: no row of its own)."""
    return RowProblem(0, "", None, "import.error", template)


def execute(job: Job, *, transient_raises: bool = False) -> None:
    """Check and store the claimed job's file (all or nothing), recording progress and outcome.

    ``transient_raises``: a transient error (the database gone for a moment) gives the job back
    and raises, for the task queue to retry it; otherwise every failure is the job's outcome."""
    source = table(job)
    unit = Organisation.objects.get(pk=job.params["unit"])
    tick = _Progress(job)
    try:
        assert source is not None, "a ready job keeps its cells"
        result = run_import(
            actor=job.owner,
            unit=unit,
            table=source,
            today=calendar.today_in_shanghai(),
            progress=tick,
        )
    except PolicyError as exc:  # the person lost the right to enter the unit's results
        result = ImportResult(check=ImportCheck(total=job.total))
        result.check.problems.append(RowProblem.of(0, "", exc))
    except Exception as exc:
        if transient_raises and isinstance(exc, tasks.TRANSIENT):
            tick.close()
            release(job)
            raise
        # Never a 500: the transaction has rolled back; say so, and keep the trace for us.
        logger.exception("import job %s failed", job.pk)
        result = ImportResult(check=ImportCheck(total=job.total))
        result.check.problems.append(
            failure(
                gettext_noop(
                    "The import failed unexpectedly; nothing was stored. Try again, or tell the "
                    "center if it happens again."
                )
            )
        )
    finally:
        if job.state == Job.State.RUNNING:
            tick.close()
    finish(job, result)


def finish(job: Job, result: ImportResult) -> None:
    outcome = {
        "phase": "store",
        "created": result.created,
        "updated": result.updated,
        "problems": [p.as_dict() for p in result.check.problems],
    }
    job.state = Job.State.DONE if result.ok else Job.State.FAILED
    job.outcome = outcome
    job.done = job.total = result.check.total
    job.finished_at = timezone.now()
    fields = ["state", "outcome", "done", "total", "finished_at"]
    if result.ok:
        job.file = None  # a stored file keeps only its outcome
        fields.append("file")
    job.save(update_fields=fields)


def run(job_id: str) -> bool:
    """The task's work: claim the job and run it; False when it was not ready (run already)."""
    job = Job.objects.defer("file").select_related("owner").filter(pk=job_id, kind=KIND).first()
    if job is None or not claim(job):
        return False
    execute(job, transient_raises=True)
    return True
