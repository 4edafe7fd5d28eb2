"""API of time-limited transformation (M4.4): the public open licensing list; the unit records a
transformation and files a justification; the bureau decides. The same services as the pages;
refusals answer the one error shape, citing M4.4 and naming the field."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from kttc.core.api import AUTH
from kttc.core.errors import AccessDenied
from kttc.core.parsing import ID_MAX, Pages
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.reform.transformation import selectors as reads
from kttc.reform.transformation import services
from kttc.reform.transformation.models import OpenLicensingEntry, TransformationJustification

router = Router(tags=["transformation"])


class OfferTermsOut(Schema):
    id: int
    payment_model: str
    term_years: int
    exclusive: bool
    open: bool


class OpenListingOut(Schema):
    id: int
    achievement_id: int
    name: str
    unit_id: int
    unit: str
    ip_obtained_on: date
    listed_on: date
    offer: OfferTermsOut | None

    @staticmethod
    def resolve_name(obj: OpenLicensingEntry) -> str:
        return obj.achievement.name

    @staticmethod
    def resolve_unit(obj: OpenLicensingEntry) -> str:
        return obj.unit.name


class TransformationIn(Schema):
    kind: Text  # "transfer" | "equity" | "own" | "licence"
    happened_on: date
    description: LongText


class TransformationOut(Schema):
    id: int
    achievement_id: int
    kind: str
    happened_on: date
    description: str
    recorded_at: datetime


class JustificationIn(Schema):
    reason: LongText


class DecisionIn(Schema):
    decision: Text  # "accept" | "reject"
    reason: LongText = ""
    valid_until: date | None = None


class JustificationOut(Schema):
    id: int
    achievement_id: int
    unit_id: int
    reason: str
    status: str
    filed_at: datetime
    valid_until: date | None
    decision_reason: str
    decided_at: datetime | None


@router.get("/open-licensing", response=list[OpenListingOut], auth=None)
@paginate(Pages)
def open_list(request: HttpRequest, unit_id: int | None = Query(None, ge=1, le=ID_MAX)):
    """M4.4, M8.5: the public open licensing list, newest listings first, with each result's
    default "use first, pay later" terms."""
    return reads.open_list(unit_id=unit_id)


@router.post(
    "/transformation/achievements/{achievement_id}/transformations",
    response={201: TransformationOut},
    auth=AUTH,
)
def transformation_record(request: HttpRequest, achievement_id: int, payload: TransformationIn):
    """M4.4: the unit records a transformation of its result done outside the platform; the
    result comes off the open licensing list."""
    achievement = get_object_or_404(
        reads.results_of(reads.managed_units(acting_user(request))), pk=achievement_id
    )
    row = services.transformation_record(
        actor=acting_user(request), achievement=achievement, **payload.dict()
    )
    return Status(201, row)


@router.post(
    "/transformation/achievements/{achievement_id}/justifications",
    response={201: JustificationOut},
    auth=AUTH,
)
def justification_file(request: HttpRequest, achievement_id: int, payload: JustificationIn):
    """M4.4: the unit explains why its result is not transformed."""
    achievement = get_object_or_404(
        reads.results_of(reads.managed_units(acting_user(request))), pk=achievement_id
    )
    filed = services.justification_file(
        actor=acting_user(request), achievement=achievement, reason=payload.reason
    )
    return Status(201, filed)


@router.get("/transformation/justifications", response=list[JustificationOut], auth=AUTH)
@paginate(Pages)
def justifications(request: HttpRequest, status: str = ""):
    """M4.4: the justifications the caller may see: all for the bureau, the unit's for its
    office; ``status=pending`` for the bureau's queue."""
    qs = reads.justifications_visible_to(acting_user(request)).order_by("filed_at", "id")
    return qs.filter(status=status) if status else qs


@router.post("/transformation/justifications/{pk}/decision", response=JustificationOut, auth=AUTH)
def justification_decide(
    request: HttpRequest, pk: int, payload: DecisionIn
) -> TransformationJustification:
    """M4.4: the bureau accepts (until ``valid_until``, or without limit) or rejects, with its
    reason."""
    user = acting_user(request)
    if not reads.can_decide(user):
        raise AccessDenied()
    found = get_object_or_404(TransformationJustification, pk=pk)
    return services.justification_decide(actor=user, justification=found, **payload.dict())
