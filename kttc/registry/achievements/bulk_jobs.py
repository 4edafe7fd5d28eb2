"""A bulk action on the results list (M8.6) as a job: run in the request that asks for it, or,
with a broker, queued (``kttc.registry.bulk``, the short queue) and run by a worker.

A job is claimed once (:func:`kttc.core.jobs.claim`), so a second tab, a double click or a
message delivered twice changes nothing. Its summary (the reasons a result was refused) is
written in the language of the request that runs it, or on a worker, which has no request, of
the one that queued it (:func:`kttc.core.jobs.language`). A worker's run tells the owner when
it ends (:mod:`kttc.registry.job_notices`).
"""

from __future__ import annotations

import logging

from django.utils import translation
from django.utils.translation import gettext

from kttc.core import jobs, tasks
from kttc.core.errors import translated_message
from kttc.core.models import Job, User
from kttc.policy.errors import PolicyError
from kttc.registry import job_notices
from kttc.registry.achievements import services
from kttc.registry.achievements.models import Achievement

logger = logging.getLogger(__name__)

BULK_JOB = "registry.bulk"
#: How many refused results a bulk action's summary names.
BULK_REASONS = 5


def run(job: Job, user: User) -> bool:
    """Run the job if nobody runs it yet (False when somebody did); its outcome is the summary,
    in the active language."""
    if not jobs.claim(job):
        return False
    ids = job.params["ids"]
    found = Achievement.objects.in_bulk(ids)
    achievements = [found[pk] for pk in ids if pk in found]
    try:
        outcome = services.achievements_bulk(
            actor=user,
            achievements=achievements,
            action=job.params["action"],
            reason=job.params["reason"],
            progress=jobs.progress(job),
        )
    except PolicyError as exc:
        jobs.finish(job, {"error": translated_message(exc)}, failed=True)
        return True
    except Exception:
        logger.exception("bulk job %s failed", job.pk)
        message = gettext(
            "The work stopped on an unexpected error. What was done before it stays done; "
            "the list shows each result's state."
        )
        jobs.finish(job, {"error": message}, failed=True)
        return True
    jobs.finish(
        job,
        {
            "done": len(outcome.done),
            "chosen": len(achievements),
            "refused_count": len(outcome.refused),
            "refused": [
                [a.pk, a.name, translated_message(exc)] for a, exc in outcome.refused[:BULK_REASONS]
            ],
        },
    )
    return True


def start(job: Job, user: User) -> None:
    """What the request does: queue the job with a broker, else run it here."""
    if tasks.broker_configured():
        jobs.queue(job, run_bulk_job.si(str(job.pk)))
    else:
        run(job, user)


@tasks.task("kttc.registry.bulk")
def run_bulk_job(job_id: str) -> bool:
    """Run the bulk job ``job_id`` once on a worker, in the language it was asked in, and tell
    its owner when it ends; a second delivery finds it claimed and does nothing."""
    job = Job.objects.select_related("owner").filter(pk=job_id, kind=BULK_JOB).first()
    if job is None:
        return False
    with translation.override(jobs.language(job)):
        if not run(job, job.owner):
            return False
    job_notices.bulk_finished(job)
    return True
