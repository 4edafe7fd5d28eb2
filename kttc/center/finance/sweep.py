"""The finance part of ``kttc sweep`` (through ``kttc.center.sweep``), M12.1: an instalment past
its due date and not fully paid is overdue; the applicant is told once of each, and the bank
once a day of how many of its instalments became overdue.

DESIGN rule 5: instalments are claimed with a conditional UPDATE (``… SET overdue_notified_at =
<stamp> WHERE overdue_notified_at IS NULL AND …``) and the applicants' notices of a claim are
one ``INSERT … SELECT``; running the sweep twice, or two at once, tells nobody twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db import transaction
from django.db.models import CharField, Count, F
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy

from kttc.center.finance.choices import ApplicationStatus
from kttc.center.finance.models import Instalment
from kttc.center.finance.notices import roles_with
from kttc.core.models import Organisation
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import (
    Notice,
    link_with_pk,
    notification_send,
    notification_send_many,
    stamps,
)
from kttc.policy import finance as rules
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

OVERDUE = Notice(
    kind="finance.overdue",
    subject=gettext_noop("Loan repayment overdue: %(product)s"),
    body=gettext_noop(
        "Instalment %(number)s of “%(product)s”, %(amount)s yuan due on %(due)s, is not fully "
        "paid (M12.1). Repay it, or speak with the bank."
    ),
    clauses=rules.FINANCING,
)
OVERDUE_FOR_BANK = Notice(
    kind="finance.overdue_for_bank",
    subject=gettext_noop("Loan repayments newly overdue: %(count)s"),
    body=gettext_noop(
        "Instalments of your loans passed their due date without being fully paid (%(day)s, "
        "M12.1): %(count)s. Your back office lists them."
    ),
    clauses=rules.FINANCING,
)

register_kind(OVERDUE.kind, gettext_lazy("A loan repayment is overdue"), mandatory=True)
register_kind(
    OVERDUE_FOR_BANK.kind, gettext_lazy("Loan repayments overdue at the bank"), mandatory=True
)


def run(today: date) -> dict[str, int]:
    """M12.1: tell of the instalments newly overdue, each once."""
    late = Instalment.objects.filter(
        application__status=ApplicationStatus.APPROVED,
        due_on__lt=today,
        paid__lt=F("amount"),
        overdue_notified_at__isnull=True,
    )
    stamp = next(stamps())
    with transaction.atomic():
        claimed = Instalment.objects.filter(
            pk__in=late.values("pk"), overdue_notified_at__isnull=True
        ).update(overdue_notified_at=stamp)
    told = 0
    if claimed:
        told = notification_send_many(
            about=Instalment.objects.filter(overdue_notified_at=stamp),
            organisation_field="application__applicant_id",
            roles=roles_with(Capability.APPLY_FINANCE),
            notice=OVERDUE,
            params={
                "product": F("application__product__name"),
                "number": Cast("number", output_field=CharField()),
                "amount": Cast("amount", output_field=CharField()),
                "due": Cast("due_on", output_field=CharField()),
            },
            link=link_with_pk("finance:application", "application_id"),
            now=stamp,
        )
        by_bank = (
            Instalment.objects.filter(overdue_notified_at=stamp)
            .values("application__bank_id")
            .annotate(count=Count("id"))
        )
        for row in by_bank:
            notification_send(
                roles=roles_with(Capability.MANAGE_FINANCE),
                organisation=Organisation.objects.get(pk=row["application__bank_id"]),
                notice=replace(
                    OVERDUE_FOR_BANK, params={"count": row["count"], "day": today.isoformat()}
                ),
                dedupe_key=f"{OVERDUE_FOR_BANK.kind}:{row['application__bank_id']}:"
                f"{stamp.isoformat()}",
            )
    return {
        "loan instalments overdue (M12.1)": claimed,
        "borrowers told of an overdue instalment": told,
    }
