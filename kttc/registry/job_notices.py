"""What the person who started long work hears when a worker has finished it (DESIGN rule 12):
an import from the upload page (M8.6), a bulk action or an export of the results list.

Only work that ran on a worker of the task queue is told: a run in the request happens while the
person watches its page, which shows the outcome itself. The notice goes to the job's owner alone,
on the platform and by e-mail (as their preferences for the kind say), in their language (the
texts are templates translated when read), with a link to the job's page; it is sent once per job
(its dedupe key), so a task delivered twice tells nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Job
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_to
from kttc.policy.i18n import gettext_noop

KIND = "registry.job_finished"

IMPORT_STORED = Notice(
    kind=KIND,
    subject=gettext_noop("Import stored: %(filename)s"),
    body=gettext_noop(
        "The import of %(filename)s is finished. Rows stored: %(stored)s (new results: "
        "%(created)s; changed: %(updated)s) (M8.6)."
    ),
    clauses=("M8.6",),
)
IMPORT_REFUSED = Notice(
    kind=KIND,
    subject=gettext_noop("Import refused: %(filename)s"),
    body=gettext_noop(
        "The import of %(filename)s was refused; nothing was stored. Problems found: "
        "%(problems)s. The import's page lists them, with a report to download (M8.6)."
    ),
    clauses=("M8.6",),
)
BULK_DONE = Notice(
    kind=KIND,
    subject=gettext_noop("Bulk action finished (changed: %(done)s of %(chosen)s)"),
    body=gettext_noop(
        "Changed: %(done)s of the results you chose (%(chosen)s); not changed: %(refused)s. "
        "Its page says why."
    ),
)
BULK_FAILED = Notice(
    kind=KIND,
    subject=gettext_noop("Bulk action stopped (results chosen: %(chosen)s)"),
    body=gettext_noop(
        "It stopped on an error. What was done before it stays done; the results list shows "
        "each result's state."
    ),
)
EXPORT_DONE = Notice(
    kind=KIND,
    subject=gettext_noop("Export ready (results: %(count)s)"),
    body=gettext_noop("The file is ready to download on the export's page for seven days."),
)
EXPORT_FAILED = Notice(
    kind=KIND,
    subject=gettext_noop("Export failed (results: %(count)s)"),
    body=gettext_noop("It stopped on an unexpected error; nothing was changed. Try again."),
)

register_kind(KIND, _("An import, bulk action or export you started has finished"))


def _tell(job: Job, notice: Notice, link: str, **params: Any) -> int:
    return notification_send_to(
        user=job.owner,
        notice=Notice(notice.kind, notice.subject, notice.body, notice.clauses, params),
        dedupe_key=f"{KIND}:{job.pk}",
        about=job,
        link=link,
    )


def import_finished(job: Job) -> int:
    """The uploader of an import a worker ran: how many rows were stored, or how many
    problems refused it."""
    outcome = job.outcome or {}
    link = reverse("registry:import_job", args=[job.pk])
    filename = job.params.get("filename", "")
    if job.state == Job.State.DONE:
        created, updated = len(outcome.get("created", [])), len(outcome.get("updated", []))
        return _tell(
            job, IMPORT_STORED, link,
            filename=filename, stored=created + updated, created=created, updated=updated,
        )  # fmt: skip
    problems = len(outcome.get("problems", []))
    return _tell(job, IMPORT_REFUSED, link, filename=filename, problems=problems)


def bulk_finished(job: Job) -> int:
    """The person who started a bulk action a worker ran: what was done and what refused."""
    outcome = job.outcome or {}
    link = reverse("registry:bulk_job", args=[job.pk])
    if job.state != Job.State.DONE or "error" in outcome:
        return _tell(job, BULK_FAILED, link, chosen=job.total)
    return _tell(
        job, BULK_DONE, link,
        done=outcome.get("done", 0), chosen=outcome.get("chosen", job.total),
        refused=outcome.get("refused_count", 0),
    )  # fmt: skip


def export_finished(job: Job) -> int:
    """The person who asked for an export a worker made: the file is ready, or it failed."""
    link = reverse("registry:export_job", args=[job.pk])
    notice = EXPORT_DONE if job.state == Job.State.DONE else EXPORT_FAILED
    return _tell(job, notice, link, count=job.total)
