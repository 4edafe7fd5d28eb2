"""The findings' part of ``kttc sweep`` (through ``kttc.oversight.sweep``), M14.2:

* the inspected unit and the department are reminded once of each rectification still owed
  whose deadline is within :data:`kttc.policy.findings.REMIND_BEFORE_DAYS` days;
* a rectification still owed the day after its deadline is overdue: both are told once.

DESIGN rule 5: a finding is claimed with a conditional UPDATE (``… SET reminded_at = <now>
WHERE reminded_at IS NULL``) before its notices are written, in one transaction; running the
sweep twice, or two at once, tells nobody twice."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from kttc.oversight.findings import notices
from kttc.oversight.findings.choices import Status
from kttc.oversight.findings.models import Finding
from kttc.policy import findings as rules

OWED = [r.value for r in rules.OWED]


def _claim_and_tell(ids: list[int], claim: str, notice: notices.Notice) -> int:
    told = 0
    for pk in ids:
        with transaction.atomic():
            claimed = Finding.objects.filter(
                pk=pk, rectification__in=OWED, **{f"{claim}__isnull": True}
            ).update(**{claim: timezone.now()})
            if claimed:
                finding = Finding.objects.select_related(
                    "subject", "inspection", "inspection__department"
                ).get(pk=pk)
                notices.tell_of_deadline(notice, finding)
                told += 1
    return told


def run(today: date) -> dict[str, int]:
    """M14.2: remind of rectifications due soon; tell of those overdue. Each once."""
    owed = Finding.objects.filter(
        inspection__status=Status.ISSUED, rectification__in=OWED, deadline__isnull=False
    )
    window = today + timedelta(days=rules.REMIND_BEFORE_DAYS)
    due_soon = list(
        owed.filter(reminded_at__isnull=True, deadline__gte=today, deadline__lte=window)
        .order_by("deadline", "id")
        .values_list("pk", flat=True)
    )
    overdue = list(
        owed.filter(overdue_notified_at__isnull=True, deadline__lt=today)
        .order_by("deadline", "id")
        .values_list("pk", flat=True)
    )
    return {
        "findings_reminded": _claim_and_tell(due_soon, "reminded_at", notices.REMINDER),
        "findings_overdue": _claim_and_tell(overdue, "overdue_notified_at", notices.OVERDUE),
    }
