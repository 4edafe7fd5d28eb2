"""M8.6: results due soon and results overdue, for ``kttc sweep`` (through ``kttc.registry.sweep``).

A fiscally funded result is due on the platform 3 months (a policy parameter) after its formation;
the due date is stored when the result is entered (``Achievement.submission_due``). Each day the
sweep, for the results not yet submitted (draft or returned):

* reminds the unit's transfer office once when the due date comes within
  ``settings.KTTC_DUE_REMINDER_DAYS`` days;
* tells the unit's transfer office once when the due date has passed, and tells the bureau how
  many results became overdue (they are on its overdue list, ``registry:due?overdue=1``).

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
from django.utils.translation import gettext_lazy

from kttc.core.notifications.kinds import register_kind
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
from kttc.registry.achievements.models import Achievement
from kttc.registry.choices import Status

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

# The kinds of notices sent here, for people's preferences (kttc.core.notifications.kinds).
register_kind(DUE_SOON.kind, gettext_lazy("A result is due on the platform soon"), mandatory=True)
register_kind(OVERDUE.kind, gettext_lazy("A result is overdue on the platform"), mandatory=True)
register_kind(
    OVERDUE_FOR_BUREAU.kind, gettext_lazy("Results newly overdue (for the bureau)"), mandatory=True
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
