"""The service institutions API (M9.1, M9.2), the same use cases as the pages, one operation
each: the public list of certified institutions and a broker's profile; an institution's brokers,
applications (materials in base64) and brokers' reward; the bureau's decisions and the subsidy;
a broker's own reward lines. Money travels as decimal strings in yuan, shares in percent."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from kttc.center.institutions import facilitations, selectors, services
from kttc.center.institutions.models import (
    BrokerProfile,
    BrokerReward,
    CertificationApplication,
    Facilitation,
    Subsidy,
)
from kttc.core.api import AUTH
from kttc.core.documents import MAX_DOCUMENTS, from_base64
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.parsing import ApiId
from kttc.core.selectors import user_can
from kttc.core.services import Document
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.policy import institutions as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

router = Router(tags=["institutions"])

Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=12, decimal_places=6)]


class BrokerIn(Schema):
    person_id: ApiId
    certificate_number: Text
    certificate_level: Text = Field(..., description="junior, intermediate or senior")
    fields: list[Text] = Field(..., max_length=20)
    languages: list[Text] = Field(..., description="en, zh-hans, vi, th, lo, my, km", max_length=7)
    introduction: LongText = ""


class BrokerOut(Schema):
    id: int
    institution_id: int
    institution: str
    name: str
    certificate_number: str
    certificate_level: str
    fields: list[str]
    languages: list[str]
    answers: int
    deals: int

    @staticmethod
    def resolve_institution(obj: BrokerProfile) -> str:
        return obj.institution.name

    @staticmethod
    def resolve_name(obj: BrokerProfile) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_answers(obj: BrokerProfile) -> int:
        return selectors.broker_record(obj).answers

    @staticmethod
    def resolve_deals(obj: BrokerProfile) -> int:
        return selectors.broker_record(obj).deals


class MaterialIn(Schema):
    title: Text
    file_name: Text
    content_base64: Text = Field(..., max_length=28_000_000)


class ApplicationIn(Schema):
    statement: LongText
    materials: list[MaterialIn] = Field(..., max_length=MAX_DOCUMENTS)


class MaterialOut(Schema):
    title: str
    file_name: str
    sha256: str
    size: int


class SubsidyOut(Schema):
    id: int
    amount: Decimal
    policy_version: str
    disbursed_on: date


class ApplicationOut(Schema):
    id: int
    institution_id: int
    institution: str
    status: str
    applied_on: date
    statement: str
    answers_count: int
    deals_count: int
    brokers_count: int
    decided_on: date | None
    term_start: date | None
    term_end: date | None
    reason: str
    revoked_on: date | None
    revoke_reason: str
    materials: list[MaterialOut]
    subsidy: SubsidyOut | None

    @staticmethod
    def resolve_institution(obj: CertificationApplication) -> str:
        return obj.institution.name

    @staticmethod
    def resolve_materials(obj: CertificationApplication) -> list[Any]:
        return list(obj.documents.all())

    @staticmethod
    def resolve_subsidy(obj: CertificationApplication) -> Subsidy | None:
        return Subsidy.objects.filter(certification=obj).first()


class CertifiedOut(Schema):
    application_id: int
    institution_id: int
    institution: str
    term_start: date
    term_end: date
    brokers: list[BrokerOut]


class TermIn(Schema):
    term_start: date
    term_end: date


class InstitutionReasonIn(Schema):
    reason: LongText


class SubsidyIn(Schema):
    disbursed_on: date


class ShareIn(Schema):
    broker_id: ApiId
    percent: Percent


class RewardIn(Schema):
    total: Decimal = Field(..., description="the brokers' total in yuan, to the fen")
    shares: list[ShareIn] = Field(..., max_length=200)


class RewardLineOut(Schema):
    broker_id: int
    broker: str
    share: Decimal
    amount: Decimal

    @staticmethod
    def resolve_broker(obj: Any) -> str:
        return obj.broker.person.full_name


class RewardOut(Schema):
    id: int
    subsidy_id: int
    total: Decimal
    min_share: Decimal
    minimum: Decimal
    decided_on: date
    lines: list[RewardLineOut]

    @staticmethod
    def resolve_lines(obj: BrokerReward) -> list[Any]:
        return list(obj.lines.select_related("broker__person"))


class MyLineOut(Schema):
    institution: str
    decided_on: date
    total: Decimal
    share: Decimal
    amount: Decimal

    @staticmethod
    def resolve_institution(obj: Any) -> str:
        return obj.reward.subsidy.certification.institution.name

    @staticmethod
    def resolve_decided_on(obj: Any) -> date:
        return obj.reward.decided_on

    @staticmethod
    def resolve_total(obj: Any) -> Decimal:
        return obj.reward.total


def _managed(request: HttpRequest, pk: int) -> Organisation:
    found = selectors.institutions_of(acting_user(request)).filter(pk=pk).first()
    if found is None:
        raise AccessDenied()
    return found


def _application(request: HttpRequest, pk: int) -> CertificationApplication:
    user = acting_user(request)
    found = get_object_or_404(CertificationApplication.objects.select_related("institution"), pk=pk)
    if not (
        user_can(user, Capability.CERTIFY_INSTITUTIONS_ALL)
        or user_can(user, Capability.VIEW_AUDIT_ALL)
        or user_can(user, Capability.MANAGE_INSTITUTION, found.institution)
    ):
        raise Http404
    return found


def _document(material: MaterialIn) -> Document:
    return from_base64(material.file_name, material.content_base64, field="materials")


@router.get("", response=list[CertifiedOut])
def certified(request: HttpRequest) -> list[dict[str, Any]]:
    """M9.1: the key demonstration service institutions certified today, with their brokers."""
    return [
        {
            "application_id": c.pk,
            "institution_id": c.institution_id,
            "institution": c.institution.name,
            "term_start": c.term_start,
            "term_end": c.term_end,
            "brokers": list(selectors.public_brokers(c.institution)),
        }
        for c in selectors.certified_institutions()
    ]


@router.get("/brokers/{pk}", response=BrokerOut)
def broker(request: HttpRequest, pk: ApiId) -> BrokerProfile:
    """M9.2: a broker's public profile and record (demands answered, deals)."""
    found = selectors.public_broker(pk)
    if found is None:
        raise Http404
    return found


@router.get("/{institution_id}/brokers", response=list[BrokerOut], auth=AUTH)
def brokers(request: HttpRequest, institution_id: ApiId) -> list[BrokerProfile]:
    """The institution's active brokers, for its staff."""
    return list(selectors.brokers_of(_managed(request, institution_id)))


@router.post("/{institution_id}/brokers", response={201: BrokerOut}, auth=AUTH)
def broker_register(
    request: HttpRequest, institution_id: ApiId, payload: BrokerIn
) -> Status[BrokerProfile]:
    """M9.2: register a member of the institution as a technology broker."""
    institution = _managed(request, institution_id)
    person = get_object_or_404(User, pk=payload.person_id)
    profile = services.broker_register(
        actor=acting_user(request),
        institution=institution,
        person=person,
        data=services.BrokerData(
            payload.certificate_number, payload.certificate_level, payload.fields,
            payload.languages, payload.introduction,
        ),
    )  # fmt: skip
    return Status(201, profile)


@router.get("/applications", response=list[ApplicationOut], auth=AUTH)
def applications(request: HttpRequest) -> list[CertificationApplication]:
    """The bureau: the applications waiting for it; an institution's staff: its own."""
    user = acting_user(request)
    if user_can(user, Capability.CERTIFY_INSTITUTIONS_ALL):
        return list(selectors.certification_queue()[:500])
    found: list[CertificationApplication] = []
    for institution in selectors.institutions_of(user):
        found += list(selectors.applications_of(institution)[:100])
    return found


@router.post("/{institution_id}/applications", response={201: ApplicationOut}, auth=AUTH)
def apply(
    request: HttpRequest, institution_id: ApiId, payload: ApplicationIn
) -> Status[CertificationApplication]:
    """M9.1: apply for certification with a statement and the materials (base64)."""
    institution = _managed(request, institution_id)
    application = services.certification_apply(
        actor=acting_user(request),
        institution=institution,
        statement=payload.statement,
        materials=[services.Material(m.title, _document(m)) for m in payload.materials],
    )
    return Status(201, application)


@router.get("/applications/{pk}", response=ApplicationOut, auth=AUTH)
def application(request: HttpRequest, pk: ApiId) -> CertificationApplication:
    return _application(request, pk)


@router.post("/applications/{pk}/certify", response=ApplicationOut, auth=AUTH)
def certify(request: HttpRequest, pk: ApiId, payload: TermIn) -> CertificationApplication:
    """M9.1: the bureau certifies the institution for a term."""
    return services.certification_certify(
        actor=acting_user(request), application=_application(request, pk),
        term_start=payload.term_start, term_end=payload.term_end,
    )  # fmt: skip


@router.post("/applications/{pk}/refuse", response=ApplicationOut, auth=AUTH)
def refuse_application(
    request: HttpRequest, pk: ApiId, payload: InstitutionReasonIn
) -> CertificationApplication:
    """M9.1: the bureau refuses the application, saying why."""
    return services.certification_refuse(
        actor=acting_user(request), application=_application(request, pk), reason=payload.reason
    )


@router.post("/applications/{pk}/revoke", response=ApplicationOut, auth=AUTH)
def revoke(
    request: HttpRequest, pk: ApiId, payload: InstitutionReasonIn
) -> CertificationApplication:
    """M9.1: the bureau revokes a certification, saying why."""
    return services.certification_revoke(
        actor=acting_user(request), application=_application(request, pk), reason=payload.reason
    )


@router.post("/applications/{pk}/subsidy", response={201: SubsidyOut}, auth=AUTH)
def subsidy(request: HttpRequest, pk: ApiId, payload: SubsidyIn) -> Status[Subsidy]:
    """M9.1: the bureau records the subsidy of a certification, once, with its disbursement."""
    recorded = services.subsidy_record(
        actor=acting_user(request), certification=_application(request, pk),
        disbursed_on=payload.disbursed_on,
    )  # fmt: skip
    return Status(201, recorded)


@router.post("/subsidies/{pk}/reward", response={201: RewardOut}, auth=AUTH)
def reward(request: HttpRequest, pk: ApiId, payload: RewardIn) -> Status[BrokerReward]:
    """M9.2: the institution rewards its brokers from the subsidy, by their agreed shares."""
    found = get_object_or_404(Subsidy.objects.select_related("certification__institution"), pk=pk)
    if not user_can(
        acting_user(request), Capability.MANAGE_INSTITUTION, found.certification.institution
    ):
        raise Http404
    shares: dict[int, Decimal] = {}
    for line in payload.shares:
        if line.broker_id in shares:
            raise refuse(
                gettext_noop("Each broker is named once."), "reward.twice", "shares", ("M9.2",)
            )
        shares[line.broker_id] = line.percent
    decided = services.reward_decide(
        actor=acting_user(request), subsidy=found, reward=services.Reward(payload.total, shares)
    )
    return Status(201, decided)


@router.get("/my-rewards", response=list[MyLineOut], auth=AUTH)
def my_rewards(request: HttpRequest) -> list[Any]:
    """M9.2: the person's own lines of their institutions' rewards."""
    return list(selectors.reward_lines_of(acting_user(request))[:500])


# --- brokers named on deals (M9.1, M9.2) -------------------------------------------------------


class PublicDealOut(Schema):
    kind: str
    title: str
    party: str
    on: date
    amount: Decimal | None = Field(None, description="Only where the parties published it")
    country: str
    industry: str
    url: str


class BrokerDealsOut(Schema):
    deals: int
    by_kind: dict[str, int]
    published_amount: Decimal
    countries: dict[str, int]
    industries: dict[str, int]
    rows: list[PublicDealOut]


class FacilitationIn(Schema):
    certificate_number: Text = Field(..., description="The broker's, as on their public profile")
    kind: Text = Field(..., description="licence, contract, listing or demand")
    deal_id: ApiId


class FacilitationOut(Schema):
    id: int
    broker_id: int
    broker: str
    certificate_number: str
    kind: str
    deal_id: int
    party_id: int
    recorded_at: datetime
    removed_at: datetime | None

    @staticmethod
    def resolve_broker(obj: Facilitation) -> str:
        return obj.broker.person.full_name

    @staticmethod
    def resolve_certificate_number(obj: Facilitation) -> str:
        return obj.broker.certificate_number

    @staticmethod
    def resolve_deal_id(obj: Facilitation) -> int:
        return int(obj.deal.pk)


@router.get("/brokers/{pk}/deals", response=BrokerDealsOut)
def broker_deals(request: HttpRequest, pk: ApiId) -> dict[str, Any]:
    """M9.2: a broker's public record: the public deals their parties named them on, the
    amounts the parties published, by kind, country and industry."""
    found = selectors.public_broker(pk)
    if found is None:
        raise Http404
    rows = facilitations.public_deals(found)
    figures = facilitations.figures(rows)
    return {
        "deals": figures.deals,
        "by_kind": figures.by_kind,
        "published_amount": figures.published_amount,
        "countries": dict(figures.countries),
        "industries": dict(figures.industries),
        "rows": [{**vars(d), "kind": d.kind.value, "party": d.party.name} for d in rows[:500]],
    }


@router.get("/deals", response=list[FacilitationOut], auth=AUTH)
def deals_named(request: HttpRequest) -> list[Facilitation]:
    """The brokers the person's organisations named on their deals (not removed)."""
    return list(facilitations.named_by(acting_user(request))[:500])


@router.post("/deals", response={201: FacilitationOut}, auth=AUTH)
def deal_name(request: HttpRequest, payload: FacilitationIn) -> Status[Facilitation]:
    """M9.1, M9.2: a party names the broker who facilitated one of its deals."""
    found = BrokerProfile.objects.filter(
        certificate_number=payload.certificate_number.strip().upper(), withdrawn_at__isnull=True
    ).first()
    if found is None:
        raise refuse(
            gettext_noop(
                "No broker registered with a service institution has this certificate number."
            ),
            "facilitation.broker",
            "certificate_number",
            rules.FACILITATION_CLAUSES,
        )
    link = facilitations.facilitation_record(
        actor=acting_user(request), broker=found, kind=payload.kind, deal_id=payload.deal_id
    )
    return Status(201, link)


@router.post("/deals/{pk}/remove", response=FacilitationOut, auth=AUTH)
def deal_unname(request: HttpRequest, pk: ApiId) -> Facilitation:
    """The party takes the broker's name off its deal."""
    link = get_object_or_404(Facilitation, pk=pk)
    return facilitations.facilitation_remove(actor=acting_user(request), facilitation=link)
