"""Reads of "use first, pay later" licences (M3).

A unit's transfer office sees its unit's offers, the applications on them and its licences; an
enterprise sees the open offers, its own applications and licences. (The public transaction
page, M8.5, is the center's: ``kttc.center.transactions``.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Round

from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import licensing as licensing_rules
from kttc.policy.roles import Capability
from kttc.reform.licensing.choices import CreditStatus, LicenceApplicationStatus
from kttc.reform.licensing.models import (
    CreditRecord,
    Licence,
    LicenceApplication,
    LicenceInstalment,
    LicenceOffer,
    LicencePayment,
)
from kttc.registry.choices import Confidentiality, Status


def units_licensing(user: User) -> QuerySet[Organisation]:
    """The units whose licences ``user`` manages (M3.1)."""
    return organisations_where(user, Capability.MANAGE_LICENCES)


def licensees_of(user: User) -> QuerySet[Organisation]:
    """The enterprises for which ``user`` applies for and holds licences."""
    return organisations_where(user, Capability.HOLD_LICENCES)


def _oversees(user: User) -> bool:
    return user.is_superuser or user_can(user, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL)


def offers_open() -> QuerySet[LicenceOffer]:
    """Open offers on published public results, newest first: what an enterprise may apply for."""
    return (
        LicenceOffer.objects.filter(
            open=True,
            achievement__status=Status.PUBLISHED,
            achievement__confidentiality=Confidentiality.PUBLIC,
        )
        .select_related("achievement", "unit")
        .order_by("-created_at", "-id")
    )


def offers_visible_to(user: User) -> QuerySet[LicenceOffer]:
    """Offers ``user`` may read: the open ones, and every offer of the units it manages."""
    if _oversees(user):
        return LicenceOffer.objects.select_related("achievement", "unit")
    return LicenceOffer.objects.filter(
        Q(pk__in=offers_open().values("pk")) | Q(unit__in=units_licensing(user))
    ).select_related("achievement", "unit")


def offers_of_units(user: User) -> QuerySet[LicenceOffer]:
    """The offers of the units ``user`` manages, with their pending applications counted."""
    return (
        LicenceOffer.objects.filter(unit__in=units_licensing(user))
        .select_related("achievement", "unit")
        .annotate(
            pending=Count(
                "applications", filter=Q(applications__status=LicenceApplicationStatus.PENDING)
            )
        )
        .order_by("-open", "-created_at")
    )


def applications_visible_to(user: User) -> QuerySet[LicenceApplication]:
    """Applications on the offers of the units ``user`` manages and those of its enterprises."""
    query = LicenceApplication.objects.select_related(
        "offer__achievement", "offer__unit", "applicant"
    )
    if _oversees(user):
        return query
    return query.filter(
        Q(offer__unit__in=units_licensing(user)) | Q(applicant__in=licensees_of(user))
    )


def licences_visible_to(user: User) -> QuerySet[Licence]:
    """Licences of the units ``user`` manages and those its enterprises hold."""
    query = Licence.objects.select_related("achievement", "unit", "licensee")
    if _oversees(user):
        return query
    return query.filter(Q(unit__in=units_licensing(user)) | Q(licensee__in=licensees_of(user)))


def standing_records(licensee: Organisation) -> QuerySet[CreditRecord]:
    """M3.4: the licensee's credit records not removed, as units considering a licence see them."""
    return (
        CreditRecord.objects.filter(licensee=licensee)
        .exclude(status=CreditStatus.REMOVED)
        .select_related("licence__unit", "licence__achievement")
    )


@dataclass(frozen=True)
class ScheduleLine:
    """An instalment of a licence as its pages show it: paid, upcoming, due today, overdue or
    waiting."""

    number: int
    amount: Decimal
    trigger: str
    milestone: str
    due: date | None
    #: "paid", "part" (partly paid, not yet late), "upcoming", "due" (today), "overdue",
    #: "waiting" (its trigger has not happened)
    state: str


def schedule_lines(licence: Licence, today: date) -> list[ScheduleLine]:
    """The stored schedule (the reported royalties among it) with each instalment's state on
    ``today`` (``kttc.licensing_rules.licensing.instalment_states``: payments go to what fell due
    first, oldest first)."""
    instalments = list(licence.instalments.all())
    payments = list(licence.payments.filter(paid_on__lte=today).values_list("amount", flat=True))
    states = licensing_rules.instalment_states(
        [
            licensing_rules.Instalment(
                i.number, i.amount, licensing_rules.Trigger(i.trigger), i.due, i.milestone
            )
            for i in instalments
        ],
        payments,
        today,
    )
    return [
        ScheduleLine(i.number, i.amount, i.trigger, i.milestone, i.due, states[i.number].value)
        for i in instalments
    ]


def milestones_waiting(licence: Licence) -> list[str]:
    """M3.2: the milestones of the schedule not yet reached."""
    waiting = licence.instalments.filter(
        trigger=licensing_rules.Trigger.MILESTONE.value, due__isnull=True
    )
    return list(dict.fromkeys(waiting.values_list("milestone", flat=True)))


def _fen(field: str) -> Any:
    """``field`` (an amount of money) in whole fen, as an integer: sums of them are exact on
    both databases (SQLite adds decimals as floats, where 0.10 + 0.20 is not 0.30)."""
    as_fen = ExpressionWrapper(F(field) * Value(100), output_field=DecimalField())
    return Cast(Round(as_fen), BigIntegerField())


def uncovered(instalments: QuerySet[LicenceInstalment], today: date) -> QuerySet[Any]:
    """The instalments not covered by the payments received by ``today``: the instalments of
    the licence up to this one (by due day, then number) add up to more than the payments."""
    same_licence = LicenceInstalment.objects.filter(licence=OuterRef("licence"), due__isnull=False)
    up_to_here = same_licence.filter(
        Q(due__lt=OuterRef("due")) | Q(due=OuterRef("due"), number__lte=OuterRef("number"))
    )
    cumulative = Subquery(
        up_to_here.order_by().values("licence").annotate(total=Sum(_fen("amount"))).values("total"),
        output_field=BigIntegerField(),
    )
    paid = Subquery(
        LicencePayment.objects.filter(licence=OuterRef("licence"), paid_on__lte=today)
        .order_by()
        .values("licence")
        .annotate(total=Sum(_fen("amount")))
        .values("total"),
        output_field=BigIntegerField(),
    )
    # Compared in whole fen, exactly, as kttc.policy.licensing.instalment_states does in
    # Decimal (a property test holds the two to each other on both databases).
    return instalments.annotate(
        cumulative_fen=cumulative, paid_fen=Coalesce(paid, Value(0))
    ).filter(cumulative_fen__gt=F("paid_fen"))
