"""The licence API (M3.1-M3.4): the same use cases as the
pages, one operation each; money travels as decimal strings, ratios as decimals (0.05 = 5 %);
failures answer the one error shape, citing the clause."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from kttc.core.api import AUTH
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation
from kttc.core.parsing import ApiId, ApiInt, Pages
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.policy.licensing import DEFAULT_ROYALTY_DUE_DAYS, Stage
from kttc.reform import dates
from kttc.reform.licensing import credit, services
from kttc.reform.licensing import selectors as reads
from kttc.reform.licensing.models import (
    CreditRecord,
    Licence,
    LicenceApplication,
    LicenceOffer,
)
from kttc.registry.models import Achievement

router = Router(tags=["licences"])


class OfferIn(Schema):
    achievement_id: ApiId
    payment_model: Text  # "staged_royalty" | "deferred" | "after_first_revenue"
    term_years: ApiInt
    exclusive: bool = False
    field_of_use: Text = ""
    territory: Text = ""


class OfferOut(Schema):
    id: int
    achievement_id: int
    achievement_name: str
    unit_id: int
    payment_model: str
    exclusive: bool
    field_of_use: str
    territory: str
    term_years: int
    open: bool
    open_licensing: bool
    created_at: datetime

    @staticmethod
    def resolve_achievement_name(obj: LicenceOffer) -> str:
        return obj.achievement.name


class LicenceApplyIn(Schema):
    applicant_id: ApiId
    plan: LongText
    proposed_terms: LongText = ""


class LicenceApplicationOut(Schema):
    id: int
    offer_id: int
    applicant_id: int
    plan: str
    proposed_terms: str
    status: str
    decision_reason: str
    applied_at: datetime
    decided_at: datetime | None
    licence_id: int | None

    @staticmethod
    def resolve_licence_id(obj: LicenceApplication) -> int | None:
        licence = getattr(obj, "licence", None)
        return licence.pk if licence else None


class StageIn(Schema):
    amount: Decimal
    due: date | None = None
    milestone: Text = ""


class ConcludeIn(Schema):
    starts_on: date
    stages: list[StageIn] = []
    royalty_rate: Decimal | None = None
    total_fee: Decimal | None = None
    first_due: date | None = None
    instalments: ApiInt = 1
    every_months: ApiInt = 12
    grace_months: ApiInt = 0
    #: M3.3: the days after the end of a reported period within which its royalty is paid
    royalty_due_days: ApiInt = DEFAULT_ROYALTY_DUE_DAYS
    disclosed: list[Text] = []


class LicenceReasonIn(Schema):
    reason: LongText


class InstalmentOut(Schema):
    number: int
    amount: Decimal
    trigger: str
    milestone: str
    due: date | None
    #: paid, part (partly paid, not yet late), upcoming, due (today), overdue, or waiting (its
    #: trigger has not happened)
    state: str


class BalanceOut(Schema):
    on: date
    due: Decimal
    paid: Decimal
    outstanding: Decimal
    overdue: Decimal
    credit: Decimal


class LicenceOut(Schema):
    id: int
    offer_id: int
    application_id: int | None
    achievement_id: int
    unit_id: int
    licensee_id: int
    exclusive: bool
    field_of_use: str
    territory: str
    starts_on: date
    ends_on: date
    payment_model: str
    total_fee: Decimal | None
    royalty_rate: Decimal | None
    royalty_due_days: int
    first_revenue_on: date | None
    status: str
    disclosed: list[str]
    concluded_at: datetime


class LicenceDetailOut(LicenceOut):
    schedule: list[InstalmentOut]
    balance: BalanceOut


class RevenueIn(Schema):
    """A period's revenue. The royalty's due day is not the licensee's to give: it is the
    licence's ``royalty_due_days`` after ``period_end`` (M3.3)."""

    period_start: date
    period_end: date
    revenue: Decimal


class RevenueOut(Schema):
    id: int
    licence_id: int
    period_start: date
    period_end: date
    revenue: Decimal
    royalty: Decimal
    due: date


class PaymentIn(Schema):
    amount: Decimal
    paid_on: date


class PaymentOut(Schema):
    id: int
    licence_id: int
    amount: Decimal
    paid_on: date


class MilestoneIn(Schema):
    milestone: Text
    on: date


class CreditAnswerIn(Schema):
    answer: LongText


class CreditRecordOut(Schema):
    id: int
    licence_id: int
    licensee_id: int
    unit_id: int
    reason: str
    status: str
    declared_at: datetime
    answer: str
    removal_reason: str

    @staticmethod
    def resolve_unit_id(obj: CreditRecord) -> int:
        return obj.licence.unit_id


def _offer(request: HttpRequest, pk: int) -> LicenceOffer:
    return get_object_or_404(reads.offers_visible_to(acting_user(request)), pk=pk)


def _application(request: HttpRequest, pk: int) -> LicenceApplication:
    return get_object_or_404(reads.applications_visible_to(acting_user(request)), pk=pk)


def _licence(request: HttpRequest, pk: int) -> Licence:
    return get_object_or_404(reads.licences_visible_to(acting_user(request)), pk=pk)


def _detail(licence: Licence) -> dict[str, Any]:
    today = dates.today()
    state = services.licence_balance(licence, today)
    return {
        **{f: getattr(licence, f) for f in LicenceOut.model_fields if f != "disclosed"},
        "disclosed": licence.disclosed,
        "schedule": [line.__dict__ for line in reads.schedule_lines(licence, today)],
        "balance": {"on": today, **state.__dict__},
    }


@router.get("/licences/offers", response=list[OfferOut], auth=AUTH)
@paginate(Pages)
def offers(request: HttpRequest, q: str = "", mine: bool = False):
    """M3.1: the open offers on public results (``mine=true``: every offer of the caller's
    units)."""
    rows = reads.offers_of_units(acting_user(request)) if mine else reads.offers_open()
    return rows.filter(achievement__name__icontains=q) if q else rows


@router.post("/licences/offers", response={201: OfferOut}, auth=AUTH)
def offer_create(request: HttpRequest, payload: OfferIn):
    """M3.1: the unit's transfer office offers one of its published results."""
    achievement = get_object_or_404(Achievement, pk=payload.achievement_id)
    values = payload.dict(exclude={"achievement_id"})
    offer = services.licence_offer(
        actor=acting_user(request), unit=achievement.unit, achievement=achievement, **values
    )
    return Status(201, offer)


@router.get("/licences/offers/{pk}", response=OfferOut, auth=AUTH)
def offer(request: HttpRequest, pk: int) -> LicenceOffer:
    return _offer(request, pk)


@router.post("/licences/offers/{pk}/close", response=OfferOut, auth=AUTH)
def offer_close(request: HttpRequest, pk: int) -> LicenceOffer:
    """M3.1: the unit closes its offer; pending applications are declined."""
    return services.offer_close(actor=acting_user(request), offer=_offer(request, pk))


@router.post("/licences/offers/{pk}/applications", response={201: LicenceApplicationOut}, auth=AUTH)
def apply(request: HttpRequest, pk: int, payload: LicenceApplyIn):
    """M3.1: an enterprise the caller acts for applies on the offer."""
    applicant = get_object_or_404(Organisation, pk=payload.applicant_id)
    application = services.licence_apply(
        actor=acting_user(request),
        offer=_offer(request, pk),
        applicant=applicant,
        plan=payload.plan,
        proposed_terms=payload.proposed_terms,
    )
    return Status(201, application)


@router.get("/licences/applications", response=list[LicenceApplicationOut], auth=AUTH)
@paginate(Pages)
def applications(request: HttpRequest, status: str = ""):
    """Applications on the caller's units' offers and those of the caller's enterprises."""
    rows = reads.applications_visible_to(acting_user(request)).select_related("licence")
    return rows.filter(status=status) if status else rows


@router.get("/licences/applications/{pk}", response=LicenceApplicationOut, auth=AUTH)
def application(request: HttpRequest, pk: int) -> LicenceApplication:
    return _application(request, pk)


@router.post("/licences/applications/{pk}/conclude", response={201: LicenceDetailOut}, auth=AUTH)
def conclude(request: HttpRequest, pk: int, payload: ConcludeIn):
    """M3.2, M3.3, M8.5: the unit concludes the licence with the applicant on the offer's
    payment model; ``disclosed`` lists the fields published on the transaction page."""
    found = _application(request, pk)
    values = payload.dict(exclude={"stages"})
    stages = [Stage(s.amount, s.due, s.milestone) for s in payload.stages]
    licence = services.licence_conclude(
        actor=acting_user(request),
        offer=found.offer,
        licensee=found.applicant,
        application=found,
        stages=stages,
        **values,
    )
    return Status(201, _detail(licence))


@router.post("/licences/applications/{pk}/decline", response=LicenceApplicationOut, auth=AUTH)
def decline(request: HttpRequest, pk: int, payload: LicenceReasonIn) -> LicenceApplication:
    return services.licence_application_decline(
        actor=acting_user(request), application=_application(request, pk), reason=payload.reason
    )


@router.post("/licences/applications/{pk}/withdraw", response=LicenceApplicationOut, auth=AUTH)
def withdraw(request: HttpRequest, pk: int) -> LicenceApplication:
    return services.licence_application_withdraw(
        actor=acting_user(request), application=_application(request, pk)
    )


@router.get("/licences", response=list[LicenceOut], auth=AUTH)
@paginate(Pages)
def licences(request: HttpRequest, status: str = ""):
    """The licences of the caller's units and those its enterprises hold."""
    rows = reads.licences_visible_to(acting_user(request))
    return rows.filter(status=status) if status else rows


@router.get("/licences/{pk}", response=LicenceDetailOut, auth=AUTH)
def licence(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The licence with its schedule (each instalment's state today) and balance."""
    return _detail(_licence(request, pk))


@router.post("/licences/{pk}/revenue-reports", response={201: RevenueOut}, auth=AUTH)
def revenue(request: HttpRequest, pk: int, payload: RevenueIn):
    """M3.2, M3.3: the licensee reports a period's revenue; the royalty is computed."""
    report = services.revenue_report(
        actor=acting_user(request), licence=_licence(request, pk), **payload.dict()
    )
    return Status(201, report)


@router.post("/licences/{pk}/payments", response={201: PaymentOut}, auth=AUTH)
def payment(request: HttpRequest, pk: int, payload: PaymentIn):
    """M3.2: the unit records a payment received."""
    paid = services.payment_record(
        actor=acting_user(request), licence=_licence(request, pk), **payload.dict()
    )
    return Status(201, paid)


@router.post("/licences/{pk}/milestones", response=LicenceDetailOut, auth=AUTH)
def milestone(request: HttpRequest, pk: int, payload: MilestoneIn) -> dict[str, Any]:
    """M3.2: the unit records a milestone reached; its stages fall due that day."""
    found = services.milestone_record(
        actor=acting_user(request), licence=_licence(request, pk), **payload.dict()
    )
    return _detail(found)


@router.post("/licences/{pk}/breaches", response={201: CreditRecordOut}, auth=AUTH)
def breach(request: HttpRequest, pk: int, payload: LicenceReasonIn):
    """M3.4: the unit declares a breach; it becomes a credit record of the licensee."""
    record = credit.licence_breach_declare(
        actor=acting_user(request), licence=_licence(request, pk), reason=payload.reason
    )
    return Status(201, record)


@router.get("/licences/credit-records/{licensee_id}", response=list[CreditRecordOut], auth=AUTH)
def credit_records(request: HttpRequest, licensee_id: int) -> list[CreditRecord]:
    """M3.4: an enterprise's standing credit records, for a unit considering a licence to it
    (or for the enterprise itself)."""
    licensee = get_object_or_404(Organisation, pk=licensee_id)
    return credit.credit_records_of(acting_user(request), licensee)


def _record(request: HttpRequest, pk: int) -> CreditRecord:
    found = get_object_or_404(CreditRecord.objects.select_related("licence"), pk=pk)
    if not reads.licences_visible_to(acting_user(request)).filter(pk=found.licence_id).exists():
        raise AccessDenied()
    return found


@router.post("/licences/credit-records/{pk}/answer", response=CreditRecordOut, auth=AUTH)
def credit_answer(request: HttpRequest, pk: int, payload: CreditAnswerIn) -> CreditRecord:
    return credit.credit_record_answer(
        actor=acting_user(request), record=_record(request, pk), answer=payload.answer
    )


@router.post("/licences/credit-records/{pk}/remove", response=CreditRecordOut, auth=AUTH)
def credit_remove(request: HttpRequest, pk: int, payload: LicenceReasonIn) -> CreditRecord:
    return credit.credit_record_remove(
        actor=acting_user(request), record=_record(request, pk), reason=payload.reason
    )
