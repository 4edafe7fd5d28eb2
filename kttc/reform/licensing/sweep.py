"""The licence part of ``kttc sweep`` (called from ``kttc.reform.sweep.run``).

* M3.2, M3.3: the licensee is reminded once of each instalment that falls due within
  ``settings.KTTC_DUE_REMINDER_DAYS`` days; when an instalment's day has passed and the payments
  received do not cover it (payments go to instalments oldest first), the licensee and the
  unit are told once that it is overdue.

DESIGN rule 5: instalments are claimed with a conditional UPDATE (``… SET reminded_at = <stamp>
WHERE reminded_at IS NULL AND …``) and the notices of a claim are one ``INSERT … SELECT``; no
Python loop over the rows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy

from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_many, stamps
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Role
from kttc.reform.licensing.choices import IN_FORCE
from kttc.reform.licensing.models import LicenceInstalment
from kttc.reform.licensing.selectors import uncovered

PAYMENT_DUE_SOON = Notice(
    kind="reform.licence_payment_due_soon",
    subject=gettext_noop("Licence payment of %(amount)s yuan due on %(due)s"),
    body=gettext_noop(
        "Instalment %(number)s of the licence of “%(name)s”, %(amount)s yuan, falls due on "
        "%(due)s (M3.2, M3.3)."
    ),
    clauses=("M3.2", "M3.3"),
)
PAYMENT_OVERDUE = Notice(
    kind="reform.licence_payment_overdue",
    subject=gettext_noop("Licence payment overdue since %(due)s"),
    body=gettext_noop(
        "Instalment %(number)s of the licence of “%(name)s”, %(amount)s yuan, fell due on "
        "%(due)s and the payments received do not cover it (M3.2, M3.3)."
    ),
    clauses=("M3.2", "M3.3"),
)

# The kinds of notices sent here, for people's preferences (kttc.core.notifications.kinds).
register_kind(
    PAYMENT_DUE_SOON.kind, gettext_lazy("A licence payment falls due soon"), mandatory=True
)
register_kind(PAYMENT_OVERDUE.kind, gettext_lazy("A licence payment is overdue"), mandatory=True)


#: Who hears of an instalment: the licensee's people, and for an overdue one the unit's office.
LICENSEE = ((Role.ENTERPRISE.value,), "licence__licensee_id")
UNIT = ((Role.TRANSFER_OFFICE.value,), "licence__unit_id")


def run(today: date) -> dict[str, int]:
    """M3.2, M3.3: remind of licence payments due soon; tell of those overdue. Each once."""
    counts = {}
    window = timedelta(days=settings.KTTC_DUE_REMINDER_DAYS)
    scheduled = LicenceInstalment.objects.filter(licence__status__in=IN_FORCE, due__isnull=False)
    soon = scheduled.filter(due__gte=today, due__lte=today + window)
    counts["licence payments due soon"], counts["payment reminders"] = _claim_and_notify(
        soon, "reminded_at", PAYMENT_DUE_SOON, (LICENSEE,)
    )
    overdue = uncovered(scheduled.filter(due__lt=today), today)
    counts["licence payments overdue"], counts["overdue notices"] = _claim_and_notify(
        overdue, "overdue_notified_at", PAYMENT_OVERDUE, (LICENSEE, UNIT)
    )
    return counts


def _claim_and_notify(
    rows: QuerySet[Any],
    column: str,
    notice: Notice,
    audiences: tuple[tuple[tuple[str, ...], str], ...],
) -> tuple[int, int]:
    """Claim the unclaimed ``rows`` with one conditional UPDATE and notify each audience (the
    people of its roles in the organisation its field names) with one INSERT … SELECT each.
    Returns (rows claimed, notifications written)."""
    stamp = next(stamps())
    with transaction.atomic():
        unclaimed = rows.filter(**{f"{column}__isnull": True}).values("pk")
        claimed = LicenceInstalment.objects.filter(
            pk__in=unclaimed, **{f"{column}__isnull": True}
        ).update(**{column: stamp})
        written = 0
        if claimed:
            for roles, organisation in audiences:
                written += _notify(column, stamp, notice, roles, organisation)
    return claimed, written


def _notify(
    column: str, stamp: datetime, notice: Notice, roles: tuple[str, ...], organisation: str
) -> int:
    return notification_send_many(
        about=LicenceInstalment.objects.filter(**{column: stamp}),
        organisation_field=organisation,
        roles=roles,
        notice=notice,
        params={
            "number": F("number"),
            "amount": F("amount"),
            "due": F("due"),
            "name": F("licence__achievement__name"),
        },
        now=stamp,
    )
