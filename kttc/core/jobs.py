"""Long work started from a page, with its progress (the :class:`~kttc.core.models.Job` row).

The work runs in the request that claims the job; the page follows it by asking for the job's
state (htmx polling), so that thousands of results moved at once show how far they have got. A
job is claimed once: a second tab or a double click finds it running and only follows it. The
progress is written in its own short transaction every few items, outside the work's own
transactions, so that another request reads it while the work goes on.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from kttc.core.models import Job, User


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
    """Whether this request runs the job: only the first one that asks."""
    claimed = Job.objects.filter(pk=job.pk, state=Job.State.READY).update(
        state=Job.State.RUNNING
    )
    if claimed:
        job.state = Job.State.RUNNING
    return bool(claimed)


def progress(job: Job) -> Callable[[int], None]:
    """A callback for the work: ``tick(done)`` records how many items are done."""
    step = _step(job.total)

    def tick(done: int) -> None:
        if done % step == 0 or done == job.total:
            job.done = done
            with transaction.atomic():
                Job.objects.filter(pk=job.pk).update(done=done)

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


__all__ = ["claim", "create", "finish", "of", "progress", "sweep"]
