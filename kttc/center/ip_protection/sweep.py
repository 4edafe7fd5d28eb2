"""The IP protection part of ``kttc sweep`` (through ``kttc.center.sweep``), M11.2:

* the center's IP staff are reminded once of each case whose current step's limit (intake,
  mediation, the decision, the enforcement) is within
  :data:`kttc.policy.ip_protection.REMIND_BEFORE_DAYS` days;
* a step not taken by its limit is overdue: the parties are told once per step, and the staff
  once a day of how many became overdue.

DESIGN rule 5: cases are claimed with a conditional UPDATE (``… SET reminded_at = <stamp> WHERE
reminded_at IS NULL AND …``), cleared when the case enters its next step; running the sweep
twice, or two at once, tells nobody twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from kttc.center.ip_protection import notices
from kttc.center.ip_protection.models import IpCase
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send, stamps
from kttc.policy import ip_protection as rules
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

DUE_SOON = Notice(
    kind="ip_case.due_soon",
    subject=gettext_noop("IP protection cases due soon: %(count)s"),
    body=gettext_noop(
        "IP protection cases have a step due by %(day)s (M11.2): %(count)s. The cases page "
        "shows them by their limit."
    ),
    clauses=rules.CLAUSES,
)
OVERDUE = Notice(
    kind="ip_case.overdue",
    subject=gettext_noop("IP protection case late: %(number)s"),
    body=gettext_noop(
        "The center did not take the next step on the case %(number)s by its limit, %(due)s "
        "(M11.2). The center's staff have been told."
    ),
    clauses=rules.CLAUSES,
)
OVERDUE_FOR_STAFF = Notice(
    kind="ip_case.overdue_for_staff",
    subject=gettext_noop("IP protection cases newly overdue: %(count)s"),
    body=gettext_noop(
        "IP protection cases passed the limit of their step on %(day)s (M11.2): %(count)s. The "
        "cases page marks them overdue."
    ),
    clauses=rules.CLAUSES,
)

register_kind(DUE_SOON.kind, gettext_lazy("IP protection cases due soon"), mandatory=True)
register_kind(OVERDUE.kind, gettext_lazy("An IP protection case is late"), mandatory=True)
register_kind(OVERDUE_FOR_STAFF.kind, gettext_lazy("IP protection cases overdue"), mandatory=True)


def run(today: date) -> dict[str, int]:
    """M11.2: remind the staff of steps due soon; tell of those overdue. Each once per step."""
    timed = IpCase.objects.filter(status__in=[s.value for s in rules.TIMED], due_on__isnull=False)
    window = today + timedelta(days=rules.REMIND_BEFORE_DAYS)
    soon, stamp = _claim(timed.filter(due_on__gte=today, due_on__lte=window), "reminded_at")
    if soon:
        _tell_staff(DUE_SOON, soon, window, stamp)
    late, stamp = _claim(timed.filter(due_on__lt=today), "overdue_notified_at")
    told = 0
    if late:
        for case in IpCase.objects.filter(overdue_notified_at=stamp).select_related(
            "complainant", "respondent"
        ):
            assert case.due_on is not None
            told += notices.tell(
                OVERDUE, case, step=f"{case.status}:{case.due_on.isoformat()}", staff=False,
                due=case.due_on.isoformat(),
            )  # fmt: skip
        _tell_staff(OVERDUE_FOR_STAFF, late, today, stamp)
    return {
        "IP cases due soon (M11.2)": soon,
        "IP cases overdue (M11.2)": late,
        "parties told of a late IP case": told,
    }


def _claim(rows: QuerySet[IpCase], column: str) -> tuple[int, datetime]:
    stamp = next(stamps())
    with transaction.atomic():
        unclaimed = rows.filter(**{f"{column}__isnull": True}).values("pk")
        claimed = IpCase.objects.filter(pk__in=unclaimed, **{f"{column}__isnull": True}).update(
            **{column: stamp}
        )
    return claimed, stamp


def _tell_staff(notice: Notice, count: int, day: date, stamp: datetime) -> int:
    return notification_send(
        roles=notices.roles_with(Capability.HANDLE_IP_CASES_ALL),
        notice=replace(notice, params={"count": count, "day": day.isoformat()}),
        dedupe_key=f"{notice.kind}:{stamp.isoformat()}",
    )
