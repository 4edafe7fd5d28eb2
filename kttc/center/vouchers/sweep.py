"""The innovation vouchers' part of ``kttc sweep`` (through ``kttc.center.sweep``), M12.2: a
voucher not used by its expiry expires, its value returns to its programme's budget, each
expiry is audited, the enterprise is told once and the bureau once of how many expired.

DESIGN rules 5 and 9: for each programme with vouchers past their day, the audit chain's lock is
taken, then the programme's row; the vouchers are claimed with a conditional UPDATE (``… SET
status = 'expired', expired_at = <stamp> WHERE status = 'issued' AND expires_on < today``), so
running the sweep twice, or two at once, expires and tells nothing twice, and a redemption
racing the sweep finds the voucher either still issued or expired, never both."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.db.models import CharField, F, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy

from kttc.center.vouchers.choices import VoucherStatus
from kttc.center.vouchers.models import Voucher, VoucherProgramme
from kttc.center.vouchers.notices import EXPIRED, roles_with
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import (
    Notice,
    notification_send,
    notification_send_many,
    stamps,
)
from kttc.core.services import Decision, audit_record_many, decision_transaction
from kttc.policy import vouchers as rules
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

EXPIRED_FOR_BUREAU = Notice(
    kind="voucher.expired_for_bureau",
    subject=gettext_noop("Innovation vouchers expired: %(count)s"),
    body=gettext_noop(
        "Innovation vouchers of “%(name)s” expired unused on %(day)s (M12.2): %(count)s, worth "
        "%(value)s yuan, which returns to the programme's budget."
    ),
    clauses=rules.CLAUSES,
)
register_kind(EXPIRED_FOR_BUREAU.kind, gettext_lazy("Innovation vouchers expired"), mandatory=True)


def run(today: date) -> dict[str, int]:
    """M12.2: expire the vouchers past their day, programme by programme; each once."""
    expired = told = 0
    due = Voucher.objects.filter(status=VoucherStatus.ISSUED, expires_on__lt=today)
    for programme_id in due.values_list("programme_id", flat=True).distinct().order_by():
        count, written = _expire(programme_id, today)
        expired, told = expired + count, told + written
    return {
        "innovation vouchers expired (M12.2)": expired,
        "enterprises told of an expired voucher": told,
    }


def _expire(programme_id: int, today: date) -> tuple[int, int]:
    stamp = next(stamps())
    with decision_transaction():
        programme = VoucherProgramme.objects.select_for_update().get(pk=programme_id)
        claimed = Voucher.objects.filter(
            programme_id=programme_id, status=VoucherStatus.ISSUED, expires_on__lt=today
        ).update(status=VoucherStatus.EXPIRED, expired_at=stamp)
        if not claimed:
            return 0, 0
        rows = Voucher.objects.filter(programme_id=programme_id, expired_at=stamp)
        value = rows.aggregate(total=Sum("value"))["total"] or Decimal("0.00")
        VoucherProgramme.objects.filter(pk=programme_id).update(committed=F("committed") - value)
        audit_record_many(
            actor=None,
            organisation=None,
            clauses=rules.CLAUSES,
            decisions=[
                Decision.about(
                    "voucher.expire",
                    v,
                    {"status": VoucherStatus.ISSUED.value},
                    {
                        "status": VoucherStatus.EXPIRED.value,
                        "value": str(v.value),
                        "expires_on": v.expires_on.isoformat(),
                    },
                )
                for v in rows.order_by("pk")
            ],
        )
        told = notification_send_many(
            about=rows,
            organisation_field="enterprise_id",
            roles=roles_with(Capability.APPLY_VOUCHERS),
            notice=EXPIRED,
            params={
                "code": F("code"),
                "value": Cast("value", output_field=CharField()),
                "expires": Cast("expires_on", output_field=CharField()),
            },
            now=stamp,
        )
        notification_send(
            roles=roles_with(Capability.MANAGE_VOUCHERS_ALL),
            notice=replace(
                EXPIRED_FOR_BUREAU,
                params={
                    "count": claimed,
                    "name": programme.name,
                    "day": today.isoformat(),
                    "value": str(value),
                },
            ),
            dedupe_key=f"{EXPIRED_FOR_BUREAU.kind}:{programme_id}:{stamp.isoformat()}",
        )
    return claimed, told
