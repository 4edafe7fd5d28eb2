"""An export of the results list (M8.6) as a job: made in the request that asks for it, or, with
a broker, queued (``kttc.registry.export``) and made by a worker: on the short queue, or on the
long one from :data:`LARGE` results, so that a big file never holds up a notice's e-mail.

A job is claimed once (:func:`kttc.core.jobs.claim`), so a message delivered twice makes no
second file. A transient error (the database gone for a moment) gives the job back to be tried
again; the file goes into the job (``Job.file``) either way. A worker's run tells the owner when
the file is ready (:mod:`kttc.registry.job_notices`).
"""

from __future__ import annotations

import logging

from django.utils import translation
from django.utils.translation import gettext

from kttc.core import jobs, tasks
from kttc.core.models import Job
from kttc.registry import job_notices
from kttc.registry.importing.export import export_xlsx

logger = logging.getLogger(__name__)

EXPORT_JOB = "registry.export"
#: From this many results an export goes to the long queue.
LARGE = 2000


def run(job: Job, *, transient_raises: bool = False) -> bool:
    """Make the file if nobody makes it yet (False when somebody did). ``transient_raises``: a
    transient error gives the job back and raises, for the task queue to retry it."""
    if not jobs.claim(job):
        return False
    ids = job.params["ids"]
    try:
        content = export_xlsx(ids, progress=jobs.progress(job))
    except Exception as exc:
        if transient_raises and isinstance(exc, tasks.TRANSIENT):
            jobs.release(job)
            raise
        logger.exception("export job %s failed", job.pk)
        message = gettext("The export stopped on an unexpected error; nothing was changed.")
        jobs.finish(job, {"error": message}, failed=True)
        return True
    jobs.finish(job, {"exported": len(ids)}, file=content)
    return True


def start(job: Job) -> None:
    """What the request does: queue the job with a broker, else make the file here."""
    if tasks.broker_configured():
        step = run_export_job.si(str(job.pk))
        if job.total >= LARGE:
            step = step.set(queue=tasks.LONG_QUEUE)
        jobs.queue(job, step)
    else:
        run(job)


@tasks.task("kttc.registry.export")
def run_export_job(job_id: str) -> bool:
    """Make the export ``job_id`` once on a worker, in the language it was asked in, and tell
    its owner when it ends; a second delivery finds it claimed and does nothing."""
    job = (
        Job.objects.defer("file").select_related("owner").filter(pk=job_id, kind=EXPORT_JOB)
    ).first()
    if job is None:
        return False
    with translation.override(jobs.language(job)):
        if not run(job, transient_raises=True):
            return False
    job_notices.export_finished(job)
    return True
