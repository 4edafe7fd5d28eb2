"""Reads of "use first, pay later" licences (M3) and of the public transaction page (M8.5).

A unit's transfer office sees its unit's offers, the applications on them and its licences; an
enterprise sees the open offers, its own applications and licences. The public sees the
concluded licences of public results, with the fields the parties agreed to publish."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import TruncDate

from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import licensing as policy
from kttc.policy.roles import Capability
from kttc.reform.models_licences import (
    ApplicationStatus,
    CreditRecord,
    CreditStatus,
    Licence,
    LicenceApplication,
    LicenceOffer,
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
            pending=Count("applications", filter=Q(applications__status=ApplicationStatus.PENDING))
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
    """An instalment of a licence as its pages show it: paid, due, overdue or waiting."""

    number: int
    amount: Decimal
    trigger: str
    milestone: str
    due: date | None
    state: str  # "paid", "part" (partly paid, not yet late), "overdue", "due", "waiting"


def schedule_lines(licence: Licence, today: date) -> list[ScheduleLine]:
    """The stored schedule (the reported royalties among it) with each instalment's state on
    ``today`` (``kttc.policy.licensing.instalment_states``: payments go to what fell due
    first, oldest first)."""
    instalments = list(licence.instalments.all())
    payments = list(licence.payments.filter(paid_on__lte=today).values_list("amount", flat=True))
    states = policy.instalment_states(
        [
            policy.Instalment(i.number, i.amount, policy.Trigger(i.trigger), i.due, i.milestone)
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
    waiting = licence.instalments.filter(trigger=policy.Trigger.MILESTONE.value, due__isnull=True)
    return list(dict.fromkeys(waiting.values_list("milestone", flat=True)))


def transactions_public() -> QuerySet[Licence]:
    """M8.5: the concluded licences of public results, newest first."""
    return (
        Licence.objects.filter(
            achievement__status=Status.PUBLISHED,
            achievement__confidentiality=Confidentiality.PUBLIC,
        )
        .select_related("achievement", "unit", "licensee")
        .order_by("-concluded_at", "-id")
    )


def contracts_public() -> QuerySet[Any]:
    """M8.5: the technology transfer and licence contracts of public results recorded by their
    units (the benefits part's, looked up by name: the parts do not import each other), except
    the contracts of licences concluded on the platform, which are listed as those licences."""
    contracts = apps.get_model("benefits", "TechnologyContract").objects
    return contracts.filter(
        kind__in=("transfer", "licence"),
        licence__isnull=True,
        achievement__status=Status.PUBLISHED,
        achievement__confidentiality=Confidentiality.PUBLIC,
    ).select_related("achievement", "unit")


@dataclass(frozen=True)
class Transaction:
    """One row of the transaction page: a licence concluded on the platform or a contract."""

    kind: str  # "licence" (on the platform) or "contract"
    day: date
    item: Any


def transactions_rows(unit_id: int | None = None) -> QuerySet[Any]:
    """M8.5: (source, pk, day) of every public transaction, newest first, as one query that a
    paginator can count and slice."""
    licences = transactions_public()
    contracts = contracts_public()
    if unit_id is not None:
        licences, contracts = licences.filter(unit_id=unit_id), contracts.filter(unit_id=unit_id)
    first = licences.annotate(source=Value("licence"), day=TruncDate("concluded_at"))
    second = contracts.annotate(source=Value("contract"), day=F("signed_on"))
    return (
        first.order_by()
        .values_list("source", "pk", "day")
        .union(second.order_by().values_list("source", "pk", "day"))
        .order_by("-day", "-pk")
    )


def transactions_of(rows: Sequence[tuple[str, int, date]]) -> list[Transaction]:
    """The licences and contracts of ``rows`` (a page of :func:`transactions_rows`), in order."""
    licences = transactions_public().in_bulk([pk for source, pk, _d in rows if source == "licence"])
    contracts = contracts_public().in_bulk([pk for source, pk, _d in rows if source == "contract"])
    found = {"licence": licences, "contract": contracts}
    return [
        Transaction(source, day, found[source][pk])
        for source, pk, day in rows
        if pk in found[source]
    ]
