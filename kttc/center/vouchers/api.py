"""The innovation vouchers API (M12.2), the same use cases as the pages, one operation each:
the bureau's programmes (open, close, report), the applications (apply, issue, refuse), an
enterprise's vouchers (present one to a certified institution, M9.1), an institution's vouchers
presented to it and its redemptions. Money travels as decimal strings in yuan; refusals in the
one error shape naming the field and the clause."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from kttc.center.vouchers import selectors, services
from kttc.center.vouchers.models import (
    Voucher,
    VoucherApplication,
    VoucherProgramme,
    VoucherRedemption,
)
from kttc.core.api import AUTH
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation
from kttc.core.parsing import ApiId
from kttc.core.selectors import user_can
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.policy.roles import Capability

router = Router(tags=["vouchers"])

Money = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2)]


class VoucherProgrammeIn(Schema):
    name: Text
    budget: Money
    services: list[Text] = Field(
        ..., max_length=4, description="evaluation, ip_services, finance_services, testing"
    )
    value_mode: Text = Field(..., description="fixed or maximum")
    value: Money
    opens_on: date
    closes_on: date
    valid_until: date
    local_only: bool = False


class VoucherProgrammeOut(Schema):
    id: int
    name: str
    status: str
    budget: Decimal
    services: list[str]
    value_mode: str
    value: Decimal
    opens_on: date
    closes_on: date
    valid_until: date
    local_only: bool
    committed: Decimal
    remaining: Decimal

    @staticmethod
    def resolve_remaining(obj: VoucherProgramme) -> Decimal:
        return obj.budget - obj.committed


class VoucherFiguresOut(Schema):
    count: int
    issued: Decimal
    outstanding: Decimal
    redeemed: Decimal
    expired: Decimal


class VoucherReportOut(Schema):
    programme_id: int
    budget: Decimal
    outstanding: Decimal
    redeemed: Decimal
    expired: Decimal
    remaining: Decimal
    by_service: dict[str, VoucherFiguresOut]
    by_institution: dict[str, VoucherFiguresOut]


class VoucherApplicationIn(Schema):
    enterprise_id: ApiId | None = Field(None, description="when one acts for several")
    service: Text
    amount: Money
    purpose: LongText


class VoucherApplicationOut(Schema):
    id: int
    programme_id: int
    enterprise_id: int
    enterprise: str
    service: str
    amount: Decimal
    purpose: str
    status: str
    applied_on: date
    decided_on: date | None
    reason: str

    @staticmethod
    def resolve_enterprise(obj: VoucherApplication) -> str:
        return obj.enterprise.name


class VoucherIssueIn(Schema):
    value: Money | None = None


class VoucherReasonIn(Schema):
    reason: LongText


class VoucherOut(Schema):
    id: int
    code: str
    programme_id: int
    enterprise_id: int
    enterprise: str
    service: str
    value: Decimal
    issued_on: date
    expires_on: date
    status: str
    institution_id: int | None
    presented_on: date | None

    @staticmethod
    def resolve_enterprise(obj: Voucher) -> str:
        return obj.enterprise.name


class VoucherPresentIn(Schema):
    institution_id: ApiId


class VoucherRedeemIn(Schema):
    description: LongText
    invoice_number: Text
    amount: Money


class VoucherRedemptionOut(Schema):
    id: int
    voucher_id: int
    code: str
    institution_id: int
    description: str
    invoice_number: str
    amount: Decimal
    redeemed_on: date

    @staticmethod
    def resolve_code(obj: VoucherRedemption) -> str:
        return obj.voucher.code


def _bureau(request: HttpRequest) -> None:
    if not selectors.may_manage(acting_user(request)):
        raise AccessDenied()


def _programme(pk: int) -> VoucherProgramme:
    return get_object_or_404(VoucherProgramme, pk=pk)


def _one(found: Any, pk: int | None) -> Organisation:
    if pk is not None:
        found = found.filter(pk=pk)
    organisation = found.order_by("pk").first()
    if organisation is None:
        raise AccessDenied()
    return organisation


@router.get("/programmes", response=list[VoucherProgrammeOut], auth=AUTH)
def programmes(request: HttpRequest) -> list[VoucherProgramme]:
    """The bureau: every programme; an enterprise: those taking applications today."""
    user = acting_user(request)
    if selectors.may_manage(user):
        return list(selectors.programmes()[:500])
    return list(selectors.open_programmes(selectors.today())[:500])


@router.post("/programmes", response={201: VoucherProgrammeOut}, auth=AUTH)
def programme_open(request: HttpRequest, payload: VoucherProgrammeIn) -> Status[VoucherProgramme]:
    """M12.2: the bureau opens a programme."""
    found = services.programme_open(
        actor=acting_user(request), terms=services.ProgrammeTerms(**payload.dict())
    )
    return Status(201, found)


@router.post("/programmes/{pk}/close", response=VoucherProgrammeOut, auth=AUTH)
def programme_close(request: HttpRequest, pk: ApiId) -> VoucherProgramme:
    """M12.2: the bureau closes a programme to new applications."""
    return services.programme_close(actor=acting_user(request), programme=_programme(pk))


@router.get("/programmes/{pk}/report", response=VoucherReportOut, auth=AUTH)
def report(request: HttpRequest, pk: ApiId) -> dict[str, Any]:
    """M12.2: budget = outstanding + redeemed + remaining, by service kind and institution."""
    _bureau(request)
    found = selectors.report(_programme(pk))
    return {
        "programme_id": pk, "budget": found.budget, "outstanding": found.total.outstanding,
        "redeemed": found.total.redeemed, "expired": found.total.expired,
        "remaining": found.remaining, "by_service": found.by_service,
        "by_institution": found.by_institution,
    }  # fmt: skip


@router.post("/programmes/{pk}/applications", response={201: VoucherApplicationOut}, auth=AUTH)
def apply(
    request: HttpRequest, pk: ApiId, payload: VoucherApplicationIn
) -> Status[VoucherApplication]:
    """M12.2: an enterprise applies for a voucher of one of the programme's services."""
    user = acting_user(request)
    enterprise = _one(selectors.enterprises_of(user), payload.enterprise_id)
    found = services.voucher_apply(
        actor=user, enterprise=enterprise, programme=_programme(pk), service=payload.service,
        amount=payload.amount, purpose=payload.purpose,
    )  # fmt: skip
    return Status(201, found)


@router.get("/applications", response=list[VoucherApplicationOut], auth=AUTH)
def applications(request: HttpRequest) -> list[VoucherApplication]:
    """The bureau: the applications waiting; an enterprise: its own."""
    user = acting_user(request)
    if selectors.may_manage(user):
        return list(selectors.applications_waiting()[:500])
    found: list[VoucherApplication] = []
    for enterprise in selectors.enterprises_of(user):
        found += list(selectors.applications_of(enterprise).select_related("enterprise")[:200])
    return found


def _application(request: HttpRequest, pk: int) -> VoucherApplication:
    found = get_object_or_404(
        VoucherApplication.objects.select_related("enterprise", "programme"), pk=pk
    )
    user = acting_user(request)
    if not (
        selectors.may_manage(user) or user_can(user, Capability.APPLY_VOUCHERS, found.enterprise)
    ):
        raise Http404
    return found


@router.post("/applications/{pk}/issue", response={201: VoucherOut}, auth=AUTH)
def issue(request: HttpRequest, pk: ApiId, payload: VoucherIssueIn) -> Status[Voucher]:
    """M12.2: the bureau issues a voucher, within the programme's budget."""
    found = services.voucher_issue(
        actor=acting_user(request), application=_application(request, pk), value=payload.value
    )
    return Status(201, found)


@router.post("/applications/{pk}/refuse", response=VoucherApplicationOut, auth=AUTH)
def refuse(request: HttpRequest, pk: ApiId, payload: VoucherReasonIn) -> VoucherApplication:
    """M12.2: the bureau refuses an application, saying why."""
    return services.voucher_refuse(
        actor=acting_user(request), application=_application(request, pk), reason=payload.reason
    )


@router.get("/mine", response=list[VoucherOut], auth=AUTH)
def mine(request: HttpRequest) -> list[Voucher]:
    """An enterprise's vouchers."""
    found: list[Voucher] = []
    for enterprise in selectors.enterprises_of(acting_user(request)):
        found += list(selectors.vouchers_of(enterprise).select_related("enterprise")[:500])
    return found


@router.post("/vouchers/{pk}/present", response=VoucherOut, auth=AUTH)
def present(request: HttpRequest, pk: ApiId, payload: VoucherPresentIn) -> Voucher:
    """M12.2, M9.1: the enterprise presents its voucher to a certified institution."""
    found = get_object_or_404(Voucher, pk=pk)
    if not user_can(acting_user(request), Capability.APPLY_VOUCHERS, found.enterprise):
        raise Http404
    institution = get_object_or_404(Organisation, pk=payload.institution_id)
    return services.voucher_present(
        actor=acting_user(request), voucher=found, institution=institution
    )


@router.get("/presented", response=list[VoucherOut], auth=AUTH)
def presented(request: HttpRequest) -> list[Voucher]:
    """An institution's vouchers presented to it, waiting to be redeemed."""
    today = selectors.today()
    found: list[Voucher] = []
    for institution in selectors.institutions_of(acting_user(request)):
        found += list(selectors.vouchers_presented(institution, today)[:500])
    return found


@router.post("/vouchers/{pk}/redeem", response={201: VoucherRedemptionOut}, auth=AUTH)
def redeem(request: HttpRequest, pk: ApiId, payload: VoucherRedeemIn) -> Status[VoucherRedemption]:
    """M12.2, M9.1: the institution the voucher was presented to redeems it, once."""
    user = acting_user(request)
    found = get_object_or_404(Voucher, pk=pk)
    institution = None
    if found.institution_id is not None:
        institution = selectors.institutions_of(user).filter(pk=found.institution_id).first()
    if institution is None:
        institution = _one(selectors.institutions_of(user), None)
    redemption = services.voucher_redeem(
        actor=user, voucher=found, institution=institution,
        service=services.Service(payload.description, payload.invoice_number, payload.amount),
    )  # fmt: skip
    return Status(201, redemption)


@router.get("/redemptions", response=list[VoucherRedemptionOut], auth=AUTH)
def redemptions(request: HttpRequest) -> list[VoucherRedemption]:
    """An institution's redemptions."""
    found: list[VoucherRedemption] = []
    for institution in selectors.institutions_of(acting_user(request)):
        found += list(selectors.redemptions_of(institution)[:500])
    return found
