"""The pre-examination part of ``kttc sweep`` (through ``kttc.center.sweep``), M11.1:

* the center's staff are reminded once of each accepted request whose due date (the center's
  commitment) is within :data:`kttc.policy.ip_services.REMIND_BEFORE_DAYS` days;
* a request not forwarded by its due date is overdue: the applicant is told once, and the staff
  once a day of how many became overdue.

DESIGN rule 5: requests are claimed with a conditional UPDATE (``… SET reminded_at = <stamp>
WHERE reminded_at IS NULL AND …``) and the applicants' notices of a claim are one
``INSERT … SELECT``; running the sweep twice, or two at once, tells nobody twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import CharField, F, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy

from kttc.center.ip_services.choices import PreExaminationStatus
from kttc.center.ip_services.models import PreExamination
from kttc.center.ip_services.notices import roles_with
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import (
    Notice,
    notification_send,
    notification_send_many,
    stamps,
)
from kttc.policy import ip_services as rules
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

DUE_SOON = Notice(
    kind="pre_examination.due_soon",
    subject=gettext_noop("Pre-examination requests due soon: %(count)s"),
    body=gettext_noop(
        "Requests for fast patent pre-examination in the queue are due by %(day)s, the center's "
        "commitment (M11.1): %(count)s. The queue shows them by due date."
    ),
    clauses=rules.CLAUSES,
)
OVERDUE = Notice(
    kind="pre_examination.overdue",
    subject=gettext_noop("Your pre-examination request is late: %(title)s"),
    body=gettext_noop(
        "The center did not forward your request for fast pre-examination of “%(title)s” by "
        "%(due)s, as it committed to (M11.1). It is still in the queue, and the center's staff "
        "have been told."
    ),
    clauses=rules.CLAUSES,
)
OVERDUE_FOR_STAFF = Notice(
    kind="pre_examination.overdue_for_staff",
    subject=gettext_noop("Pre-examination requests newly overdue: %(count)s"),
    body=gettext_noop(
        "Requests for fast patent pre-examination passed their due date on %(day)s without "
        "being forwarded (M11.1): %(count)s. The queue marks them overdue."
    ),
    clauses=rules.CLAUSES,
)

register_kind(DUE_SOON.kind, gettext_lazy("Pre-examination requests due soon"), mandatory=True)
register_kind(OVERDUE.kind, gettext_lazy("Your pre-examination request is late"), mandatory=True)
register_kind(
    OVERDUE_FOR_STAFF.kind, gettext_lazy("Pre-examination requests overdue"), mandatory=True
)


def run(today: date) -> dict[str, int]:
    """M11.1: remind the staff of requests due soon; tell of those overdue. Each once."""
    accepted = PreExamination.objects.filter(
        status=PreExaminationStatus.ACCEPTED, due_on__isnull=False
    )
    window = today + timedelta(days=rules.REMIND_BEFORE_DAYS)
    soon, stamp = _claim(accepted.filter(due_on__gte=today, due_on__lte=window), "reminded_at")
    if soon:
        _tell_staff(DUE_SOON, soon, window, stamp)
    late, stamp = _claim(accepted.filter(due_on__lt=today), "overdue_notified_at")
    told = 0
    if late:
        told = notification_send_many(
            about=PreExamination.objects.filter(overdue_notified_at=stamp),
            organisation_field="applicant_id",
            roles=roles_with(Capability.REQUEST_PRE_EXAMINATION),
            notice=OVERDUE,
            params={"title": F("title"), "due": Cast("due_on", output_field=CharField())},
            now=stamp,
        )
        _tell_staff(OVERDUE_FOR_STAFF, late, today, stamp)
    return {
        "pre-examinations due soon (M11.1)": soon,
        "pre-examinations overdue (M11.1)": late,
        "applicants told of a late pre-examination": told,
    }


def _claim(rows: QuerySet[PreExamination], column: str) -> tuple[int, datetime]:
    stamp = next(stamps())
    with transaction.atomic():
        unclaimed = rows.filter(**{f"{column}__isnull": True}).values("pk")
        claimed = PreExamination.objects.filter(
            pk__in=unclaimed, **{f"{column}__isnull": True}
        ).update(**{column: stamp})
    return claimed, stamp


def _tell_staff(notice: Notice, count: int, day: date, stamp: datetime) -> int:
    filled = replace(notice, params={"count": count, "day": day.isoformat()})
    return notification_send(
        roles=roles_with(Capability.PRE_EXAMINE_ALL),
        notice=filled,
        dedupe_key=f"{notice.kind}:{stamp.isoformat()}",
    )
