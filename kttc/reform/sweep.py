"""The reform part of ``kttc sweep``.

* M1.2: long-term use rights past their last day are recorded as expired, each once (claimed
  by a conditional UPDATE in ``rights_expire``), with an event and an audit entry.
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
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from kttc.core.notifications.services import Notice, notification_send_many, stamps
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Role
from kttc.reform.models_licences import LicenceInstalment, LicencePayment, LicenceStatus
from kttc.reform.services_rights import rights_expire
from kttc.reform.transformation import sweep as transformation_sweep

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
IN_FORCE = (LicenceStatus.ACTIVE, LicenceStatus.BREACHED)
MONEY = DecimalField(max_digits=18, decimal_places=2)
HALF_FEN = Decimal("0.005")


#: Who hears of an instalment: the licensee's people, and for an overdue one the unit's office.
LICENSEE = ((Role.ENTERPRISE.value,), "licence__licensee_id")
UNIT = ((Role.TRANSFER_OFFICE.value,), "licence__unit_id")


def run(today: date) -> dict[str, int]:
    """M1.2, M3.2, M3.3: expire rights; remind of licence payments due soon; tell of those
    overdue. Each once."""
    counts = {"rights expired": len(rights_expire(today=today))}
    window = timedelta(days=settings.KTTC_DUE_REMINDER_DAYS)
    scheduled = LicenceInstalment.objects.filter(licence__status__in=IN_FORCE, due__isnull=False)
    soon = scheduled.filter(due__gte=today, due__lte=today + window)
    counts["licence payments due soon"], counts["payment reminders"] = _claim_and_notify(
        soon, "reminded_at", PAYMENT_DUE_SOON, (LICENSEE,)
    )
    overdue = _uncovered(scheduled.filter(due__lt=today), today)
    counts["licence payments overdue"], counts["overdue notices"] = _claim_and_notify(
        overdue, "overdue_notified_at", PAYMENT_OVERDUE, (LICENSEE, UNIT)
    )
    counts.update(transformation_sweep.run(today))  # M4.4: the open licensing list
    return counts


def _uncovered(instalments: QuerySet[LicenceInstalment], today: date) -> QuerySet[Any]:
    """The instalments not covered by the payments received by ``today``: the instalments of
    the licence up to this one (by due day, then number) add up to more than the payments."""
    same_licence = LicenceInstalment.objects.filter(licence=OuterRef("licence"), due__isnull=False)
    up_to_here = same_licence.filter(
        Q(due__lt=OuterRef("due")) | Q(due=OuterRef("due"), number__lte=OuterRef("number"))
    )
    cumulative = Subquery(
        up_to_here.order_by().values("licence").annotate(total=Sum("amount")).values("total"),
        output_field=MONEY,
    )
    paid = Subquery(
        LicencePayment.objects.filter(licence=OuterRef("licence"), paid_on__lte=today)
        .order_by()
        .values("licence")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=MONEY,
    )
    # Amounts are whole fen; SQLite adds decimals as floats, so "more than paid" is asked with
    # half a fen to spare (exact on PostgreSQL either way).
    return instalments.annotate(
        cumulative=cumulative, paid=Coalesce(paid, Value(0, output_field=MONEY))
    ).filter(cumulative__gt=F("paid") + Value(HALF_FEN, output_field=MONEY))


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
