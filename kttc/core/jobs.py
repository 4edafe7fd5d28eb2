"""Long work started from a page, with its progress (the :class:`~kttc.core.models.Job` row).

Without a broker the work runs in the request that claims the job; with one (``KTTC_BROKER_URL``)
the request queues it (:func:`queue`) and a worker of the task queue claims and runs it. Either
way the page follows it by asking for the job's state (htmx polling), so that thousands of
results moved at once show how far they have got. A job is claimed once (a conditional UPDATE):
a second tab, a double click or a message delivered twice finds it running and only follows it.
The progress is written in its own short transaction every few items, outside the work's own
transactions, with the time it was written: a run whose progress has not moved for
:data:`STALE_RUN` has died with its process (:func:`phase` says ``stalled``).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation

from kttc.core import tasks
from kttc.core.models import Job, User

if TYPE_CHECKING:
    from celery import Signature  # type: ignore[import-untyped]

#: A run whose progress has not moved for this long has died (its worker or request is gone).
STALE_RUN = 15 * 60


def _step(total: int) -> int:
    """How often (in items) the progress is written: about a hundred writes at most per job."""
    return max(1, total // 100)


#: How long a finished job's summary is kept.
KEPT = timedelta(days=7)


def create(*, owner: User, kind: str, params: dict[str, Any], total: int) -> Job:
    return Job.objects.create(owner=owner, kind=kind, params=params, total=total)


def of(owner: User, job_id: uuid.UUID | str, kind: str) -> Job:
    """The person's own job of that kind; else 404 (nobody else's job is seen)."""
    try:
        return Job.objects.defer("file").get(pk=job_id, owner=owner, kind=kind)
    except (Job.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def claim(job: Job) -> bool:
    """Whether this run (a request, a worker's task) runs the job: only the first that asks."""
    outcome = {"at": time.time()}
    claimed = Job.objects.filter(pk=job.pk, state=Job.State.READY).update(
        state=Job.State.RUNNING, outcome=outcome
    )
    if claimed:
        job.state, job.outcome = Job.State.RUNNING, outcome
    return bool(claimed)


def queue(job: Job, step: Signature) -> None:
    """Have a worker run the job (``step``, its task, sent after the commit); the job is marked
    as one a worker runs, so its page says it waits for one until a worker claims it. A job
    queued already is not queued again (a second message would only find it claimed)."""
    if job.state != Job.State.READY or job.params.get("worker"):
        return
    # The worker has no request: it writes the job's summary in the language of this one.
    job.params = {**job.params, "worker": True, "language": translation.get_language()}
    Job.objects.filter(pk=job.pk, state=Job.State.READY).update(params=job.params)
    tasks.enqueue_chain(step)


def language(job: Job) -> str:
    """The language a worker writes the job's summary in: the page's that queued it, else its
    owner's preferred language."""
    chosen = job.params.get("language") or job.owner.preferred_language
    return str(chosen or settings.LANGUAGE_CODE)


def release(job: Job) -> None:
    """Give a claimed job back after a transient failure, for the task queue to retry it."""
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
        state=Job.State.READY, done=0, outcome={}
    )
    job.state, job.done, job.outcome = Job.State.READY, 0, {}


def phase(job: Job) -> str:
    """Where the job stands for its page: ``queued`` (waiting for a worker), ``ready`` (for this
    request to run), ``running``, ``stalled`` (claimed, but its progress has not moved for
    :data:`STALE_RUN`: the process running it died), ``done`` or ``failed``."""
    if job.state == Job.State.READY:
        return "queued" if job.params.get("worker") else "ready"
    at = (job.outcome or {}).get("at")
    if job.state == Job.State.RUNNING and at is not None and time.time() - at > STALE_RUN:
        return "stalled"
    return str(job.state)


def progress(job: Job) -> Callable[[int], None]:
    """A callback for the work: ``tick(done)`` records how many items are done."""
    step = _step(job.total)

    def tick(done: int) -> None:
        if done % step == 0 or done == job.total:
            job.done = done
            with transaction.atomic():  # when, too: a run that stops moving has died
                Job.objects.filter(pk=job.pk).update(done=done, outcome={"at": time.time()})

    return tick


def finish(
    job: Job, outcome: dict[str, Any], *, failed: bool = False, file: bytes | None = None
) -> None:
    job.state = Job.State.FAILED if failed else Job.State.DONE
    job.outcome = outcome
    job.file = file
    job.finished_at = timezone.now()
    if not failed:
        job.done = job.total
    job.save(update_fields=["state", "outcome", "file", "finished_at", "done"])


def sweep(now: Any = None) -> int:
    """Remove the jobs finished more than :data:`KEPT` ago; returns how many."""
    cutoff = (now or timezone.now()) - KEPT
    removed, _ = Job.objects.filter(created_at__lt=cutoff).delete()
    return removed


__all__ = [
    "STALE_RUN",
    "claim",
    "create",
    "finish",
    "language",
    "of",
    "phase",
    "progress",
    "queue",
    "release",
    "sweep",
]
