"""The registry's tasks (found by this name when a worker starts, see ``kttc.core.tasks``): an
import from the upload page (M8.6), run by a worker on the long queue; a bulk action on the
results list (``kttc.registry.bulk``) and an export of it (``kttc.registry.export``), registered
beside their work. Each tells the person who started it when it ends
(:mod:`kttc.registry.job_notices`)."""

from __future__ import annotations

from kttc.core import tasks
from kttc.core.models import Job
from kttc.registry import job_notices
from kttc.registry.achievements.bulk_jobs import run_bulk_job
from kttc.registry.importing import jobs
from kttc.registry.importing.export_jobs import run_export_job

__all__ = ["run_bulk_job", "run_export_job", "run_import_job"]


@tasks.task("kttc.registry.import", queue=tasks.LONG_QUEUE)
def run_import_job(job_id: str) -> bool:
    """Run the import job ``job_id`` once and tell the uploader how it ended: a second delivery
    finds it claimed and does nothing."""
    if not jobs.run(job_id):
        return False
    job = Job.objects.defer("file").select_related("owner").get(pk=job_id)
    job_notices.import_finished(job)
    return True
