"""M8.6: the registry's part of ``kttc sweep``: results due soon and results overdue.

A fiscally funded result is due on the platform 3 months (a policy parameter) after its formation;
the due date is stored when the result is entered (``Achievement.submission_due``). Each day the
sweep, for the results not yet submitted (draft or returned):

* reminds the unit's transfer office once when the due date comes within
  ``settings.KTTC_DUE_REMINDER_DAYS`` days;
* tells the unit's transfer office once when the due date has passed, and tells the bureau how
  many results became overdue (they are on its overdue list, ``registry:due?overdue=1``).

M4.1, M4.2: a fiscal project carries the transformation deadline fixed at its approval. The
sweep reminds the undertaking unit's transfer office once when the deadline comes within
``PROJECT_REMINDER_DAYS`` days (a transformation takes months to arrange, so the results'
30-day window is too short to act on), and tells the unit once, and the bureau in one notice a
day, when a deadline passed without a transformation (see :func:`projects_without_transformation`
for what counts as one); the missed projects are on ``registry:project_deadlines?missed=1``.

DESIGN rule 5: rows are claimed with a conditional UPDATE (``… SET due_reminded_at = <this
claim's stamp> WHERE due_reminded_at IS NULL AND …``), a batch at a time in short transactions,
and the notices of a batch are one ``INSERT … SELECT`` of the rows carrying its stamp. A row is
claimed once, and a notice is stored once per person (its dedupe key), so two runs, or two
sweeps at once, notify nothing twice.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.urls import reverse

from kttc.core.notifications.services import (
    Notice,
    link_with_pk,
    notification_send,
    notification_send_many,
    stamps,
)
from kttc.core.selectors import parameters_in_force, policy_version_records
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Role
from kttc.registry.choices import ProjectStatus, Status
from kttc.registry.models import Achievement, FiscalProject

#: Rows claimed per transaction: short enough that people working meanwhile wait little.
BATCH = 5000

#: Not yet submitted: what the unit still has to put on the platform (M8.6).
PENDING = (Status.DRAFT, Status.RETURNED)

DUE_SOON = Notice(
    kind="registry.submission_due_soon",
    subject=gettext_noop("Due on the platform by %(due)s: %(name)s"),
    body=gettext_noop(
        "The fiscally funded result “%(name)s” must be submitted to the platform by %(due)s "
        "(M8.6: within %(months)s months of its formation). Complete it and submit it before "
        "then."
    ),
    clauses=("M8.6",),
)
OVERDUE = Notice(
    kind="registry.submission_overdue",
    subject=gettext_noop("Overdue since %(due)s: %(name)s"),
    body=gettext_noop(
        "The fiscally funded result “%(name)s” was due on the platform by %(due)s (M8.6) and "
        "is not submitted. It is now on the bureau's list of overdue results: submit it as "
        "soon as you can."
    ),
    clauses=("M8.6",),
)
OVERDUE_FOR_BUREAU = Notice(
    kind="registry.submissions_overdue",
    subject=gettext_noop("Results newly overdue on %(day)s: %(count)s"),
    body=gettext_noop(
        "Fiscally funded results that passed their due date on %(day)s without being "
        "submitted to the platform (M8.6): %(count)s. The overdue list shows them with their "
        "units."
    ),
    clauses=("M8.6",),
)


def run(today: date) -> dict[str, int]:
    """M8.6: remind of results due within the reminder window, notify those overdue, once."""
    window = timedelta(days=settings.KTTC_DUE_REMINDER_DAYS)
    pending = Achievement.objects.filter(status__in=PENDING, submission_due__isnull=False)
    due_soon = pending.filter(submission_due__gte=today, submission_due__lte=today + window)
    months = _due_months(today)
    reminded, reminders = _claim_and_notify(due_soon, "due_reminded_at", DUE_SOON, months)
    overdue = pending.filter(submission_due__lt=today)
    late, notices = _claim_and_notify(overdue, "overdue_notified_at", OVERDUE, months)
    bureau = _tell_the_bureau(today, late)
    return {
        "due soon": reminded,
        "reminders": reminders,
        "became overdue": late,
        "overdue notices": notices,
        "bureau notices": bureau,
        **_project_deadlines(today),
    }


def _due_months(today: date) -> int:
    """M8.6's months for the notices: the version in force today, or, on a day no version
    covers (the measures lapsed before the bureau published the next), the last one that was."""
    try:
        return parameters_in_force(today).submission_due_months
    except PolicyError:
        started = [v for v in policy_version_records() if v.effective_from <= today]
        version = max(started, key=lambda v: v.effective_from) if started else None
        return (
            version or min(policy_version_records(), key=lambda v: v.effective_from)
        ).parameters.submission_due_months


def _claim_and_notify(
    rows: QuerySet[Achievement], column: str, notice: Notice, months: int
) -> tuple[int, int]:
    """Claim the unclaimed ``rows`` (set ``column`` to a stamp where it is NULL), a batch per
    transaction, and notify the units' transfer offices of the rows of each batch. Returns the
    rows claimed and the notifications written."""
    claimed = written = 0
    unclaimed = rows.filter(**{f"{column}__isnull": True})
    claim_stamps = stamps()
    while True:
        stamp = next(claim_stamps)
        with transaction.atomic():
            batch = unclaimed.order_by().values("pk")[:BATCH]
            n = Achievement.objects.filter(pk__in=batch, **{f"{column}__isnull": True}).update(
                **{column: stamp}
            )
            if n:
                written += _notify(column, stamp, notice, months)
        claimed += n
        if n < BATCH:
            return claimed, written


def _notify(column: str, stamp: datetime, notice: Notice, months: int) -> int:
    """One INSERT … SELECT of the notices for the rows claimed with ``stamp``."""
    # "submission_due IS NOT NULL" lets the database use the claims' partial index.
    claimed = Achievement.objects.filter(**{column: stamp}, submission_due__isnull=False)
    return notification_send_many(
        about=claimed,
        organisation_field="unit_id",
        roles=(Role.TRANSFER_OFFICE.value,),
        notice=notice,
        params={"name": F("name"), "due": F("submission_due"), "months": Value(months)},
        link=link_with_pk("registry:achievement_detail"),
        now=stamp,
    )


def _tell_the_bureau(today: date, late: int) -> int:
    """One notice a day to the bureau when results became overdue, pointing at its list."""
    if not late:
        return 0
    link = reverse("registry:due") + "?" + urlencode({"overdue": "1"})
    notice = replace(OVERDUE_FOR_BUREAU, params={"count": late, "day": today.isoformat()})
    return notification_send(
        roles=(Role.BUREAU.value,),
        notice=notice,
        dedupe_key=f"{notice.kind}:{today.isoformat()}",
        link=link,
    )


# --- project transformation deadlines (M4.1, M4.2) ----------------------------------------------

#: Days before a project's transformation deadline that its unit is reminded: arranging a
#: transfer, a licence or an investment takes months, so the results' window is too short.
PROJECT_REMINDER_DAYS = 90

PROJECT_DUE_SOON = Notice(
    kind="registry.project_transformation_due_soon",
    subject=gettext_noop("Transformation deadline on %(due)s: %(title)s"),
    body=gettext_noop(
        "The fiscal project %(number)s “%(title)s” must transform its results by %(due)s, as "
        "fixed at its approval (M4.1, M4.2): %(obligation)s"
    ),
    clauses=("M4.1", "M4.2"),
)
PROJECT_MISSED = Notice(
    kind="registry.project_transformation_missed",
    subject=gettext_noop("Transformation deadline passed on %(due)s: %(title)s"),
    body=gettext_noop(
        "The transformation deadline of the fiscal project %(number)s “%(title)s” passed on "
        "%(due)s, and no transformation is recorded for it (M4.1, M4.2): the project is not "
        "accepted with its transformation outcome (M4.3). It is on the bureau's list of missed "
        "deadlines."
    ),
    clauses=("M4.1", "M4.2"),
)
PROJECTS_MISSED_FOR_BUREAU = Notice(
    kind="registry.projects_transformation_missed",
    subject=gettext_noop("Projects past their transformation deadline on %(day)s: %(count)s"),
    body=gettext_noop(
        "Fiscal projects whose transformation deadline passed on %(day)s without a "
        "transformation recorded (M4.1, M4.2): %(count)s. The list of missed deadlines shows "
        "them with their units."
    ),
    clauses=("M4.1", "M4.2"),
)


def projects_without_transformation() -> QuerySet[FiscalProject]:
    """M4.1-M4.3: projects that have not shown a transformation: still only approved, with no
    transformation outcome recorded.

    The registry decides this from its own data. Acceptance (M4.3, ``fiscal_project_accept``)
    requires the transformation outcome, so an accepted project has recorded one; a project
    still only approved has not. Transformations and licences recorded on its results live in
    the reform part, which the registry may not read (the parts sit above it): a unit whose
    project's results were transformed records that as the outcome when the project is
    accepted, which takes it off the list."""
    return FiscalProject.objects.filter(status=ProjectStatus.APPROVED, transformation_outcome="")


def projects_missed(on: date) -> QuerySet[FiscalProject]:
    """M4.1, M4.2: projects whose transformation deadline passed before ``on`` without one."""
    return projects_without_transformation().filter(transformation_deadline__lt=on)


def _project_deadlines(today: date) -> dict[str, int]:
    """M4.1, M4.2: remind of deadlines coming, tell of deadlines missed; each project once."""
    window = timedelta(days=max(PROJECT_REMINDER_DAYS, settings.KTTC_DUE_REMINDER_DAYS))
    coming = projects_without_transformation().filter(
        transformation_deadline__gte=today, transformation_deadline__lte=today + window
    )
    reminded, reminders = _claim_projects(coming, "transformation_reminded_at", PROJECT_DUE_SOON)
    missed, notices = _claim_projects(
        projects_missed(today), "transformation_overdue_at", PROJECT_MISSED
    )
    return {
        "project deadlines coming": reminded,
        "project reminders": reminders,
        "project deadlines missed": missed,
        "project missed notices": notices,
        "project bureau notices": _tell_the_bureau_of_projects(today, missed),
    }


def _claim_projects(rows: QuerySet[FiscalProject], column: str, notice: Notice) -> tuple[int, int]:
    """Claim the unclaimed ``rows`` with one conditional UPDATE and notify the undertaking
    units' transfer offices with one INSERT … SELECT, in one transaction. Projects are few
    (thousands), so one batch does."""
    stamp = next(stamps())
    with transaction.atomic():
        unclaimed = rows.filter(**{f"{column}__isnull": True}).order_by().values("pk")
        claimed = FiscalProject.objects.filter(
            pk__in=unclaimed, **{f"{column}__isnull": True}
        ).update(**{column: stamp})
        if not claimed:
            return 0, 0
        written = notification_send_many(
            about=FiscalProject.objects.filter(**{column: stamp}),
            organisation_field="undertaking_unit_id",
            roles=(Role.TRANSFER_OFFICE.value,),
            notice=notice,
            params={
                "number": F("project_number"),
                "title": F("title"),
                "due": F("transformation_deadline"),
                "obligation": F("transformation_obligation"),
            },
            link=_missed_link() if column == "transformation_overdue_at" else _projects_link(),
            now=stamp,
        )
    return claimed, written


def _projects_link() -> str:
    return reverse("registry:project_deadlines")


def _missed_link() -> str:
    return _projects_link() + "?" + urlencode({"missed": "1"})


def _tell_the_bureau_of_projects(today: date, missed: int) -> int:
    """One notice a day to the bureau when projects missed their deadline, pointing at its list."""
    if not missed:
        return 0
    notice = replace(PROJECTS_MISSED_FOR_BUREAU, params={"count": missed, "day": today.isoformat()})
    return notification_send(
        roles=(Role.BUREAU.value,),
        notice=notice,
        dedupe_key=f"{notice.kind}:{today.isoformat()}",
        link=_missed_link(),
    )
