"""The registry's tasks (found by this name when a worker starts, see ``kttc.core.tasks``): an
import from the upload page (M8.6), run by a worker on the long queue."""

from __future__ import annotations

from kttc.core import tasks
from kttc.registry.importing import jobs


@tasks.task("kttc.registry.import", queue=tasks.LONG_QUEUE)
def run_import_job(job_id: str) -> bool:
    """Run the import job ``job_id`` once: a second delivery finds it claimed and does nothing."""
    return jobs.run(job_id)
