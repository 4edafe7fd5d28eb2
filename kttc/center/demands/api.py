"""The demands API (M8.1, M8.4), the same use cases as the pages, one operation each: the
public hall and a demand's page, posting, editing and closing for an enterprise, moderation for
the center, answers for units and brokers. Money travels as decimal strings in yuan."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from kttc.benefits.contracts.models import TechnologyContract
from kttc.center.demands import selectors, services
from kttc.center.demands.models import Demand, DemandAnswer
from kttc.core.api import AUTH
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation
from kttc.core.parsing import PAGE_MAX, ApiId
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.reform.licensing.models import Licence
from kttc.registry.models import Achievement

router = Router(tags=["demands"])


class TranslationIn(Schema):
    language: Text = Field(..., description="en, zh-hans, vi, th, lo, my or km")
    title: Text
    description: LongText


class TranslationOut(Schema):
    language: str
    title: str
    description: str


class DemandIn(Schema):
    organisation_id: ApiId
    #: M8.4: a partner abroad's staff post for the enterprise, naming the partner.
    partner_id: ApiId | None = None
    title: Text
    description: LongText
    deadline: date
    modes: list[Text] = Field(
        ..., description="licence, transfer, joint_development, consulting, equity"
    )
    industry: Text = ""
    discipline: Text = ""
    trl: Annotated[int, Field(ge=1, le=9)] | None = None
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    country: Text = "CN"
    language: Text = "zh-hans"
    translations: list[TranslationIn] = Field(
        [], description="the title and description in other languages of the platform"
    )


class DemandOut(Schema):
    id: int
    organisation: str
    organisation_verified: bool
    title: str
    description: str
    industry: str
    discipline: str
    trl: int | None
    budget_min: Decimal | None
    budget_max: Decimal | None
    modes: list[str]
    deadline: date
    country: str
    language: str
    status: str
    published_at: datetime | None
    url: str
    posted_by: str | None = None
    translations: list[TranslationOut] = []

    @staticmethod
    def resolve_organisation(obj: Demand) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_posted_by(obj: Demand) -> str | None:
        return obj.posted_by.name if obj.posted_by_id and obj.posted_by else None

    @staticmethod
    def resolve_translations(obj: Demand) -> list[Any]:
        return list(obj.translations.all())

    @staticmethod
    def resolve_organisation_verified(obj: Demand) -> bool:
        return obj.organisation.verified_at is not None

    @staticmethod
    def resolve_url(obj: Demand) -> str:
        return f"/demands/{obj.pk}/"


class HallOut(Schema):
    total: int
    page: int
    pages: int
    items: list[DemandOut]
    facets: dict[str, list[tuple[str, int]]]


class HallFilter(Schema):
    q: Text = ""
    industry: Text = ""
    mode: Text = ""
    country: Text = ""
    budget: Text = Field("", description="lt100k, 100k-1m or gt1m")
    page: Annotated[int, Field(ge=1, le=PAGE_MAX)] = 1


class ReasonIn(Schema):
    reason: LongText


class CloseIn(Schema):
    met: bool
    licence_id: ApiId | None = None
    contract_id: ApiId | None = None
    reason: LongText = ""


class AnswerIn(Schema):
    organisation_id: ApiId
    achievement_id: ApiId | None = None
    proposal: LongText = ""


class AnswerOut(Schema):
    id: int
    demand_id: int
    organisation: str
    achievement_id: int | None
    proposal: str
    created_at: datetime

    @staticmethod
    def resolve_organisation(obj: DemandAnswer) -> str:
        return obj.organisation.name


class AnswersOut(Schema):
    count: int
    items: list[AnswerOut]


class MatchOut(Schema):
    id: int
    name: str
    unit: str
    url: str
    #: why it was found: closeness in meaning (cosine, 0-1; null when found by words alone),
    #: the demand's words the result has, the fields both name ("industry", "discipline")
    closeness: float | None = None
    terms: list[str] = []
    fields: list[str] = []


def _data(payload: DemandIn) -> services.DemandData:
    return services.DemandData(
        title=payload.title,
        description=payload.description,
        deadline=payload.deadline,
        modes=list(payload.modes),
        industry=payload.industry,
        discipline=payload.discipline,
        trl=payload.trl,
        budget_min=payload.budget_min,
        budget_max=payload.budget_max,
        country=payload.country,
        language=payload.language,
        translations=[
            services.DemandTranslationData(t.language, t.title, t.description)
            for t in payload.translations
        ],
    )


def _visible(request: HttpRequest, pk: int) -> Demand:
    demand = selectors.demand_visible(acting_user(request), pk)
    if demand is None:
        raise Http404
    return demand


def _owned(request: HttpRequest, pk: int) -> Demand:
    demand = _visible(request, pk)
    if not selectors.is_owner(acting_user(request), demand):
        raise Http404
    return demand


@router.get("", response=HallOut, auth=None)
def hall(request: HttpRequest, filters: Query[HallFilter]) -> dict[str, object]:
    """The public demand hall: open demands, words of the title or description, filters on the
    industry section, the way of cooperation, the country and the budget; 20 a page."""
    found = selectors.search_demands(
        filters.q,
        selectors.HallFilters.from_params(filters.dict()),
        filters.page,
    )
    return {
        "total": found.page.paginator.count,
        "page": found.page.number,
        "pages": found.page.paginator.num_pages,
        "items": list(found.page.object_list),
        "facets": found.facets,
    }


@router.post("", response={201: DemandOut}, auth=AUTH)
def demand_post(request: HttpRequest, payload: DemandIn) -> Status[Demand]:
    """M8.1: a person of a verified enterprise posts a demand; it waits for moderation."""
    user = acting_user(request)
    if payload.partner_id is not None:  # M8.4: the service checks whom the partner represents
        partner = selectors.posting_partners(user).filter(pk=payload.partner_id).first()
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if partner is None or organisation is None:
            raise AccessDenied()
        return Status(
            201,
            services.demand_post(
                actor=user, organisation=organisation, partner=partner, data=_data(payload)
            ),
        )
    organisation = selectors.posting_organisations(user).filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise AccessDenied()
    return Status(
        201, services.demand_post(actor=user, organisation=organisation, data=_data(payload))
    )


@router.get("/mine", response=list[DemandOut], auth=AUTH)
def mine(request: HttpRequest) -> list[Demand]:
    """The demands of the person's enterprises, in every state (the latest 200)."""
    return list(selectors.demands_of(acting_user(request))[:200])


@router.get("/moderation", response=list[DemandOut], auth=AUTH)
def moderation(request: HttpRequest) -> list[Demand]:
    """M8.1: the demands waiting for the center (the oldest 200)."""
    if not selectors.may_moderate(acting_user(request)):
        raise AccessDenied()
    return list(selectors.moderation_queue()[:200])


@router.get("/{pk}", response=DemandOut, auth=None)
def demand(request: HttpRequest, pk: ApiId) -> Demand:
    return _visible(request, pk)


@router.put("/{pk}", response=DemandOut, auth=AUTH)
def demand_update(request: HttpRequest, pk: ApiId, payload: DemandIn) -> Demand:
    """The enterprise changes its demand while it waits for moderation."""
    return services.demand_update(
        actor=acting_user(request), demand=_owned(request, pk), data=_data(payload)
    )


@router.post("/{pk}/publish", response=DemandOut, auth=AUTH)
def demand_publish(request: HttpRequest, pk: ApiId) -> Demand:
    if not selectors.may_moderate(acting_user(request)):
        raise AccessDenied()
    return services.demand_publish(actor=acting_user(request), demand=_visible(request, pk))


@router.post("/{pk}/reject", response=DemandOut, auth=AUTH)
def demand_reject(request: HttpRequest, pk: ApiId, payload: ReasonIn) -> Demand:
    if not selectors.may_moderate(acting_user(request)):
        raise AccessDenied()
    return services.demand_reject(
        actor=acting_user(request), demand=_visible(request, pk), reason=payload.reason
    )


@router.post("/{pk}/close", response=DemandOut, auth=AUTH)
def demand_close(request: HttpRequest, pk: ApiId, payload: CloseIn) -> Demand:
    """Close the demand: met (with the licence or contract that met it, if any) or withdrawn."""
    demand = _owned(request, pk)
    licence = contract = None
    if payload.licence_id is not None:
        licence = get_object_or_404(Licence, pk=payload.licence_id)
    if payload.contract_id is not None:
        contract = get_object_or_404(TechnologyContract, pk=payload.contract_id)
    return services.demand_close(
        actor=acting_user(request),
        demand=demand,
        met=payload.met,
        licence=licence,
        contract=contract,
        reason=payload.reason,
    )


@router.get("/{pk}/answers", response=AnswersOut, auth=AUTH)
def answers(request: HttpRequest, pk: ApiId) -> dict[str, object]:
    """The answers the person may read (all for the enterprise, its own for a unit), and how
    many there are."""
    items, count = selectors.answers_seen(acting_user(request), _visible(request, pk))
    return {"count": count, "items": items}


@router.post("/{pk}/answers", response={201: AnswerOut}, auth=AUTH)
def answer_create(request: HttpRequest, pk: ApiId, payload: AnswerIn) -> Status[DemandAnswer]:
    """M8.1, M8.4: answer a published demand with one of the organisation's published results
    and/or a proposal."""
    user = acting_user(request)
    demand = _visible(request, pk)
    organisation = (
        selectors.answering_organisations(user).filter(pk=payload.organisation_id).first()
    )
    if organisation is None:
        raise AccessDenied()
    achievement = None
    if payload.achievement_id is not None:
        achievement = get_object_or_404(Achievement, pk=payload.achievement_id)
    answer = services.answer_create(
        actor=user,
        demand=demand,
        organisation=organisation,
        achievement=achievement,
        proposal=payload.proposal,
    )
    return Status(201, answer)


@router.post("/answers/{pk}/withdraw", response=AnswerOut, auth=AUTH)
def answer_withdraw(request: HttpRequest, pk: ApiId) -> DemandAnswer:
    user = acting_user(request)
    answer = get_object_or_404(DemandAnswer, pk=pk, author=user)
    return services.answer_withdraw(actor=user, answer=answer)


@router.get("/{pk}/matches", response=list[MatchOut], auth=None)
def matches(request: HttpRequest, pk: ApiId) -> list[dict[str, object]]:
    """The published results that may meet the demand."""
    return [
        {
            "id": m.achievement.pk,
            "name": m.achievement.name,
            "unit": m.achievement.unit.name,
            "url": f"/achievements/{m.achievement.pk}/",
            "closeness": m.closeness,
            "terms": m.terms,
            "fields": m.fields,
        }
        for m in selectors.matching_results(_visible(request, pk))
    ]
