"""The registry's API: units create, update, submit and import results; the center reviews."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from kttc.core.api import AUTH
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation
from kttc.core.parsing import ApiInt, Pages
from kttc.core.selectors import organisations_where, user_can
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.policy import calendar
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.registry.achievements import selectors, services
from kttc.registry.achievements.models import Achievement
from kttc.registry.achievements.validation import validate_achievement

router = Router(tags=["registry"])


class AchievementIn(Schema):
    """Fields as in the registration form; lists of objects for units, completers, IP rights and
    translations (see the import template for every allowed value)."""

    name: Text
    achievement_type: Text = "applied"
    attribute: Text = "original"
    keywords: list[Text]
    abstract: LongText
    discipline_code: Text
    industry_code: Text
    trl: ApiInt
    evaluation_level: Text = "not_evaluated"
    formation_date: date
    project_number: Text = ""
    confidentiality: Text = "public"
    national_interest: bool = False
    transformation_modes: list[Text] = []
    use_first_pay_later: bool = False
    asking_terms: LongText = ""
    advantage: LongText = ""
    target_market: LongText = ""
    route_to_market: LongText = ""
    units: list[dict[Text, Any]]
    completers: list[dict[Text, Any]]
    ip_rights: list[dict[Text, Any]] = []
    translations: list[dict[Text, Any]] = []
    external_ref: Text = ""


class AchievementOut(Schema):
    id: int
    unit_id: int
    name: str
    status: str
    confidentiality: str
    trl: int
    formation_date: date
    submission_due: date | None
    submitted_at: datetime | None
    published_at: datetime | None
    return_reason: str
    external_ref: str


class ReviewIn(Schema):
    decision: Text  # "publish" | "return"
    reason: LongText = ""


class DueOut(AchievementOut):
    overdue: bool


def _visible(request: HttpRequest, pk: int) -> Achievement:
    return get_object_or_404(selectors.achievements_visible_to(acting_user(request)), pk=pk)


@router.get("/units/achievements", response=list[AchievementOut], auth=AUTH)
@paginate(Pages)
def unit_achievements(request: HttpRequest, status: str = ""):
    """The results the caller's roles let them see (their unit's; all for the bureau)."""
    qs = selectors.achievements_visible_to(acting_user(request)).order_by("-updated_at")
    return qs.filter(status=status) if status else qs


@router.get("/units/achievements/due", response=list[DueOut], auth=AUTH)
@paginate(Pages)
def due(request: HttpRequest):
    """M8.6: fiscally funded results not yet submitted, soonest due first."""
    return selectors.submissions_due(acting_user(request))


@router.post("/units/{unit_id}/achievements", response={201: AchievementOut}, auth=AUTH)
def create(request: HttpRequest, unit_id: int, payload: AchievementIn):
    unit = get_object_or_404(Organisation, pk=unit_id)
    if (
        not organisations_where(acting_user(request), Capability.MANAGE_ACHIEVEMENTS)
        .filter(pk=unit.pk)
        .exists()
    ):
        raise AccessDenied()
    data = validate_achievement(payload.dict(), today=calendar.today_in_shanghai())
    return Status(
        201, services.achievement_create(actor=acting_user(request), unit=unit, data=data)
    )


@router.put("/units/achievements/{pk}", response=AchievementOut, auth=AUTH)
def update(request: HttpRequest, pk: int, payload: AchievementIn) -> Achievement:
    data = validate_achievement(payload.dict(), today=calendar.today_in_shanghai())
    return services.achievement_update(
        actor=acting_user(request), achievement=_visible(request, pk), data=data
    )


@router.post("/units/achievements/{pk}/submit", response=AchievementOut, auth=AUTH)
def submit(request: HttpRequest, pk: int) -> Achievement:
    return services.achievement_submit(
        actor=acting_user(request), achievement=_visible(request, pk)
    )


@router.get("/center/review", response=list[AchievementOut], auth=AUTH)
@paginate(Pages)
def review_queue(request: HttpRequest):
    if not user_can(acting_user(request), Capability.REVIEW_ACHIEVEMENTS_ALL):
        raise AccessDenied()
    return selectors.review_queue()


@router.post("/center/achievements/{pk}/review", response=AchievementOut, auth=AUTH)
def review(request: HttpRequest, pk: int, payload: ReviewIn) -> Achievement:
    """M8.6: publish a submission, or return it with the reason."""
    achievement = _visible(request, pk)
    if payload.decision == "publish":
        return services.achievement_publish(actor=acting_user(request), achievement=achievement)
    if payload.decision == "return":
        return services.achievement_return(
            actor=acting_user(request), achievement=achievement, reason=payload.reason
        )
    raise PolicyError(
        gettext_noop("The decision is publish or return."), code="choice", field="decision"
    )
