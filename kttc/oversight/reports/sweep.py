"""The units' reports' part of ``kttc sweep`` (through ``kttc.oversight.sweep``), M13.3:

* a unit whose report for an open period is not submitted is reminded once, from
  :data:`kttc.policy.unit_reports.REMIND_BEFORE_DAYS` days before the due date;
* a report still not submitted the day after the due date is late: the unit and the bureau are
  told once.

DESIGN rule 5: a report is claimed with a conditional UPDATE (``… SET reminded_at = <now> WHERE
reminded_at IS NULL``) before its notice is written, in one transaction; running the sweep
twice, or two at once, tells nobody twice. A unit verified after its period opened gets its
report prepared by the sweep first (while the period is not yet due), so it too is reminded and
told when late."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from kttc.oversight.reports import notices, selectors, services
from kttc.oversight.reports.models import UnitReport
from kttc.policy import unit_reports as rules

NOT_FILED = sorted(rules.EDITABLE)


def _claim_and_tell(ids: list[int], claim: str, late: bool) -> int:
    told = 0
    for pk in ids:
        with transaction.atomic():
            claimed = UnitReport.objects.filter(
                pk=pk, status__in=NOT_FILED, **{f"{claim}__isnull": True}
            ).update(**{claim: timezone.now()})
            if claimed:
                report = UnitReport.objects.select_related("period", "unit").get(pk=pk)
                if late:
                    notices.tell_unit(notices.LATE, report, "late")
                    notices.tell_bureau(notices.LATE, report, "late")
                else:
                    notices.tell_unit(notices.REMINDER, report, "reminder")
                told += 1
    return told


def run(today: date) -> dict[str, int]:
    """M13.3: remind the units whose reports are due soon; tell them and the bureau of those
    late. Each once."""
    prepared = 0
    for period in selectors.open_periods(today).filter(due_on__gte=today):
        prepared += len(services.reports_prepare_missing(period=period))
    waiting = UnitReport.objects.filter(status__in=NOT_FILED)
    due_soon = list(
        waiting.filter(
            reminded_at__isnull=True,
            period__due_on__gte=today,
            period__due_on__lte=today + timedelta(days=rules.REMIND_BEFORE_DAYS),
        )
        .order_by("period__due_on", "id")
        .values_list("pk", flat=True)
    )
    late = list(
        waiting.filter(overdue_notified_at__isnull=True, period__due_on__lt=today)
        .order_by("period__due_on", "id")
        .values_list("pk", flat=True)
    )
    return {
        "unit_reports_prepared": prepared,
        "unit_reports_reminded": _claim_and_tell(due_soon, "reminded_at", late=False),
        "unit_reports_late": _claim_and_tell(late, "overdue_notified_at", late=True),
    }
