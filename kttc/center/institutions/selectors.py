"""Reads of service institutions and brokers (M9): an institution's record on the platform (the
demands it answered, the deals they led to), its brokers and their deals, the applications and
certifications, the subsidies and the brokers' reward lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from kttc.center.demands.choices import DemandStatus
from kttc.center.demands.models import Demand, DemandAnswer
from kttc.center.institutions.choices import ApplicationStatus
from kttc.center.institutions.models import (
    BrokerProfile,
    BrokerRewardLine,
    CertificationApplication,
    Facilitation,
    Subsidy,
)
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where
from kttc.policy import calendar
from kttc.policy.roles import Capability, OrganisationKind


def today() -> date:
    """The legal date of a decision: today in Asia/Shanghai (looked up at each call, so that a
    test can move it by replacing ``kttc.policy.calendar.today_in_shanghai``)."""
    return calendar.today_in_shanghai()


@dataclass(frozen=True)
class Record:
    """An institution's (or a broker's) record on the platform: the demands answered, and the
    deals: the demands they led to (met by a licence or a technology contract, M8.1) and the
    deals their parties named the brokers on (each deal once)."""

    answers: int
    deals: int
    licences: int
    contracts: int


def _met(answers: QuerySet[DemandAnswer]) -> QuerySet[Demand]:
    return Demand.objects.filter(
        Exists(answers.filter(demand=OuterRef("pk"))),
        status=DemandStatus.CLOSED_MET,
    )


def _named(links: QuerySet[Facilitation], met: set[int]) -> int:
    """The deals the parties named the brokers on, each once, but for a demand counted already
    as met through an answer."""
    rows = links.filter(removed_at__isnull=True).values_list(
        "kind", "licence_id", "contract_id", "listing_id", "demand_id"
    )
    deals = {(kind, next(pk for pk in pks if pk is not None)) for kind, *pks in rows}
    return len({(kind, pk) for kind, pk in deals if not (kind == "demand" and pk in met)})


def _record(answers: QuerySet[DemandAnswer], links: QuerySet[Facilitation]) -> Record:
    met = _met(answers)
    figures = met.aggregate(
        deals=Count("pk"),
        licences=Count("pk", filter=Q(met_licence__isnull=False)),
        contracts=Count("pk", filter=Q(met_contract__isnull=False)),
    )
    named = _named(links, set(met.values_list("pk", flat=True)))
    return Record(
        answers.count(), figures["deals"] + named, figures["licences"], figures["contracts"]
    )


def institution_answers(institution: Organisation) -> QuerySet[DemandAnswer]:
    return DemandAnswer.objects.filter(organisation=institution, withdrawn_at__isnull=True)


def institution_record(institution: Organisation) -> Record:
    """The demands the institution answered (not withdrawn), and the deals they led to or its
    brokers were named on."""
    links = Facilitation.objects.filter(broker__institution=institution)
    return _record(institution_answers(institution), links)


def broker_answers(profile: BrokerProfile) -> QuerySet[DemandAnswer]:
    return DemandAnswer.objects.filter(
        organisation_id=profile.institution_id, author_id=profile.person_id,
        withdrawn_at__isnull=True,
    )  # fmt: skip


def broker_record(profile: BrokerProfile) -> Record:
    """The demands the broker answered for the institution, and the deals they led to or the
    broker was named on."""
    return _record(broker_answers(profile), Facilitation.objects.filter(broker=profile))


def broker_deals(profile: BrokerProfile) -> QuerySet[Demand]:
    """The demands the broker answered that were met by a licence or a contract."""
    return _met(broker_answers(profile)).select_related("organisation").order_by("-closed_at")


def institutions_of(user: User) -> QuerySet[Organisation]:
    """The service institutions the person manages (M9)."""
    return organisations_where(user, Capability.MANAGE_INSTITUTION).filter(
        kind=OrganisationKind.SERVICE_INSTITUTION
    )


def brokers_of(institution: Organisation, *, withdrawn: bool = False) -> QuerySet[BrokerProfile]:
    found = BrokerProfile.objects.filter(institution=institution).select_related("person")
    return found if withdrawn else found.filter(withdrawn_at__isnull=True)


def applications_of(institution: Organisation) -> QuerySet[CertificationApplication]:
    return (
        CertificationApplication.objects.filter(institution=institution)
        .select_related("institution", "subsidy", "subsidy__reward")
        .prefetch_related("documents")
    )


def waiting_application(institution: Organisation) -> CertificationApplication | None:
    return applications_of(institution).filter(status=ApplicationStatus.SUBMITTED).first()


def certification_in_force(
    institution: Organisation, on: date | None = None
) -> CertificationApplication | None:
    """The institution's certification in force on ``on`` (today), if any."""
    day = on or today()
    return (
        applications_of(institution)
        .filter(status=ApplicationStatus.CERTIFIED, term_start__lte=day, term_end__gte=day)
        .first()
    )


def certification_queue() -> QuerySet[CertificationApplication]:
    """The applications waiting for the bureau, oldest first."""
    return (
        CertificationApplication.objects.filter(status=ApplicationStatus.SUBMITTED)
        .select_related("institution", "applicant")
        .order_by("applied_on", "id")
    )


def certifications() -> QuerySet[CertificationApplication]:
    """Every certification decided (certified, refused, revoked), the latest first."""
    return (
        CertificationApplication.objects.exclude(status=ApplicationStatus.SUBMITTED)
        .select_related("institution", "subsidy")
        .order_by("-decided_on", "-id")
    )


def without_subsidy() -> QuerySet[CertificationApplication]:
    """Certifications in force whose subsidy is not recorded yet (M9.1), oldest first."""
    day = today()
    return (
        CertificationApplication.objects.filter(
            status=ApplicationStatus.CERTIFIED, term_end__gte=day, subsidy__isnull=True
        )
        .select_related("institution")
        .order_by("decided_on", "id")
    )


def subsidies_to_reward(institution: Organisation | None = None) -> QuerySet[Subsidy]:
    """Subsidies recorded whose brokers' reward is not decided yet (M9.2)."""
    found = Subsidy.objects.filter(reward__isnull=True).select_related("certification__institution")
    if institution is not None:
        found = found.filter(certification__institution=institution)
    return found.order_by("disbursed_on", "id")


def certified_institutions(on: date | None = None) -> QuerySet[CertificationApplication]:
    """The public list: certifications in force on ``on`` (today), by institution."""
    day = on or today()
    return (
        CertificationApplication.objects.filter(
            status=ApplicationStatus.CERTIFIED, term_start__lte=day, term_end__gte=day
        )
        .select_related("institution")
        .order_by("institution__name", "id")
    )


def public_brokers(institution: Organisation) -> QuerySet[BrokerProfile]:
    """The active brokers of a verified institution, as the public sees them."""
    return brokers_of(institution).filter(institution__verified_at__isnull=False)


def public_broker(pk: int) -> BrokerProfile | None:
    return (
        BrokerProfile.objects.filter(
            pk=pk, withdrawn_at__isnull=True, institution__verified_at__isnull=False
        )
        .select_related("institution", "person")
        .first()
    )


def reward_lines_of(user: User) -> QuerySet[BrokerRewardLine]:
    """The person's own lines of their institutions' rewards (M9.2)."""
    return (
        BrokerRewardLine.objects.filter(broker__person=user)
        .select_related(
            "reward", "reward__subsidy", "reward__subsidy__certification__institution", "broker"
        )
        .order_by("-reward__decided_on", "-id")
    )
