"""The technology finance API (M12.1, M12.3), the same use cases as the pages, one operation
each: the public products (by kind); a bank's products; an enterprise's applications (pledging
patents by number) and its withdrawal; the bank's applications, approval, cover, refusal and
repayments. Money travels as decimal strings in yuan, rates in percent a year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from kttc.center.finance import selectors, services
from kttc.center.finance.models import FinanceApplication, FinanceProduct, Repayment
from kttc.core.api import AUTH
from kttc.core.errors import AccessDenied
from kttc.core.parsing import ApiId
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.policy import finance as finance_rules

router = Router(tags=["finance"])


class FinanceProductIn(Schema):
    kind: Text = Field(
        ..., description="credit_loan, pledge_loan, innovation_bond, guarantee or insurance"
    )
    name: Text
    name_en: Text
    description: LongText
    description_en: LongText
    amount_min: Decimal = Field(..., max_digits=18, decimal_places=2)
    amount_max: Decimal = Field(..., max_digits=18, decimal_places=2)
    term_min: int = Field(..., ge=1, le=360)
    term_max: int = Field(..., ge=1, le=360)
    rate: Decimal = Field(..., ge=0, max_digits=6, decimal_places=3)
    eligible: LongText = ""
    purposes: list[Text] = Field([], max_length=5, description="rd, transformation, ...")
    is_open: bool = True


class FinanceProductOut(Schema):
    id: int
    bank_id: int
    bank: str
    kind: str
    name: str
    name_en: str
    description: str
    description_en: str
    amount_min: Decimal
    amount_max: Decimal
    term_min: int
    term_max: int
    rate: Decimal
    eligible: str
    purposes: list[str]
    is_open: bool

    @staticmethod
    def resolve_bank(obj: FinanceProduct) -> str:
        return obj.bank.name


class FinanceApplicationIn(Schema):
    amount: Decimal = Field(..., max_digits=18, decimal_places=2)
    term: int = Field(..., ge=1, le=360)
    purpose: LongText
    patents: list[Text] = Field([], max_length=20, description="pledged patent numbers")


class FinancePledgeOut(Schema):
    patent_number: str
    result_id: int
    result: str
    state: str
    evaluations: list[dict[str, Any]]


class FinanceInstalmentOut(Schema):
    number: int
    due_on: date
    principal: Decimal
    interest: Decimal
    amount: Decimal
    paid: Decimal


class FinanceApplicationOut(Schema):
    id: int
    product_id: int
    bank_id: int
    applicant_id: int
    applicant: str
    kind: str
    status: str
    amount: Decimal
    term: int
    purpose: str
    filed_on: date
    decided_on: date | None
    reason: str
    approved_amount: Decimal | None
    approved_rate: Decimal | None
    approved_term: int | None
    method: str
    registration_number: str
    registered_on: date | None
    policy_number: str
    cover_amount: Decimal | None
    premium: Decimal | None
    cover_start: date | None
    cover_end: date | None
    repaid_on: date | None
    pledges: list[FinancePledgeOut]
    instalments: list[FinanceInstalmentOut]

    @staticmethod
    def resolve_applicant(obj: FinanceApplication) -> str:
        return obj.applicant.name

    @staticmethod
    def resolve_pledges(obj: FinanceApplication) -> list[dict[str, Any]]:
        evaluations: dict[int, list[dict[str, Any]]] = {}
        for e in obj.evaluations.select_related("institution"):
            evaluations.setdefault(e.result_id, []).append(
                {"id": e.pk, "institution": e.institution.name, "total": str(e.total),
                 "signed_at": e.signed_at.isoformat() if e.signed_at else None}
            )  # fmt: skip
        return [
            {
                "patent_number": p.patent_number,
                "result_id": p.achievement_id,
                "result": p.achievement.name,
                "state": p.state,
                "evaluations": evaluations.get(p.achievement_id, []),
            }
            for p in obj.pledges.select_related("achievement")
        ]

    @staticmethod
    def resolve_instalments(obj: FinanceApplication) -> list[Any]:
        return list(obj.instalments.all())


class FinanceApproveIn(Schema):
    amount: Decimal | None = Field(None, max_digits=18, decimal_places=2)
    rate: Decimal | None = Field(None, ge=0, max_digits=6, decimal_places=3)
    term: int | None = Field(None, ge=1, le=360)
    method: Text = "equal_instalments"
    registration_number: Text = ""
    registered_on: date | None = None


class FinanceCoverIn(Schema):
    number: Text
    cover_amount: Decimal | None = Field(None, max_digits=18, decimal_places=2)
    premium: Decimal | None = Field(None, max_digits=18, decimal_places=2)
    start: date | None = None
    end: date | None = None


class FinanceReasonIn(Schema):
    reason: LongText


class FinanceRepaymentIn(Schema):
    amount: Decimal = Field(..., max_digits=18, decimal_places=2)
    paid_on: date


class FinanceRepaymentOut(Schema):
    id: int
    application_id: int
    paid_on: date
    amount: Decimal


def _application(request: HttpRequest, pk: int) -> FinanceApplication:
    found = get_object_or_404(
        FinanceApplication.objects.select_related("product", "applicant", "bank"), pk=pk
    )
    if not selectors.may_view(acting_user(request), found):
        raise Http404
    return found


def _product_data(payload: FinanceProductIn) -> services.ProductData:
    return services.ProductData(
        payload.kind, payload.name, payload.name_en, payload.description,
        payload.description_en, payload.amount_min, payload.amount_max, payload.term_min,
        payload.term_max, payload.rate, payload.eligible, tuple(payload.purposes),
        payload.is_open,
    )  # fmt: skip


@router.get("/products", response=list[FinanceProductOut])
def products(
    request: HttpRequest, kind: finance_rules.ProductKind | None = None
) -> list[FinanceProduct]:
    """M12.1, M12.3: the products open to applications, of one kind when given (an unknown
    kind is refused, naming the parameter)."""
    return list(selectors.public_products(kind.value if kind else "")[:500])


@router.post("/products", response={201: FinanceProductOut}, auth=AUTH)
def product_publish(request: HttpRequest, payload: FinanceProductIn) -> Status[FinanceProduct]:
    """M12.1, M12.3: a bank publishes a product."""
    bank = selectors.banks_of(acting_user(request)).first()
    if bank is None:
        raise AccessDenied()
    found = services.product_publish(
        actor=acting_user(request), bank=bank, data=_product_data(payload)
    )
    return Status(201, found)


@router.put("/products/{pk}", response=FinanceProductOut, auth=AUTH)
def product_update(request: HttpRequest, pk: ApiId, payload: FinanceProductIn) -> FinanceProduct:
    """M12.1, M12.3: the bank corrects its product, opens or closes it."""
    found = get_object_or_404(FinanceProduct.objects.select_related("bank"), pk=pk)
    return services.product_update(
        actor=acting_user(request), product=found, data=_product_data(payload)
    )


@router.post("/products/{pk}/applications", response={201: FinanceApplicationOut}, auth=AUTH)
def apply(
    request: HttpRequest, pk: ApiId, payload: FinanceApplicationIn
) -> Status[FinanceApplication]:
    """M12.1, M12.3: an enterprise applies to an open product; for an IP pledge loan, the
    numbers of the granted patents of its results that it pledges."""
    applicant = selectors.applicants_of(acting_user(request)).first()
    if applicant is None:
        raise AccessDenied()
    product = get_object_or_404(FinanceProduct, pk=pk)
    found = services.application_file(
        actor=acting_user(request), applicant=applicant, product=product,
        request=services.Request(
            payload.amount, payload.term, payload.purpose, tuple(payload.patents)
        ),
    )  # fmt: skip
    return Status(201, found)


@router.get("/applications", response=list[FinanceApplicationOut], auth=AUTH)
def applications(request: HttpRequest) -> list[FinanceApplication]:
    """The bank's applications (its people), or the enterprise's own, the latest first."""
    user = acting_user(request)
    found: list[FinanceApplication] = []
    for bank in selectors.banks_of(user):
        found += list(selectors.applications_of_bank(bank)[:200])
    return found + list(selectors.applications_for(user)[:200])


@router.get("/applications/{pk}", response=FinanceApplicationOut, auth=AUTH)
def application(request: HttpRequest, pk: ApiId) -> FinanceApplication:
    return _application(request, pk)


@router.post("/applications/{pk}/approve", response=FinanceApplicationOut, auth=AUTH)
def approve(request: HttpRequest, pk: ApiId, payload: FinanceApproveIn) -> FinanceApplication:
    """M12.1: the bank approves a loan or bond; a pledge loan with its registration."""
    return services.application_approve(
        actor=acting_user(request), application=_application(request, pk),
        grant=services.LoanDecision(
            payload.amount, payload.rate, payload.term, payload.method,
            payload.registration_number, payload.registered_on,
        ),
    )  # fmt: skip


@router.post("/applications/{pk}/cover", response=FinanceApplicationOut, auth=AUTH)
def cover(request: HttpRequest, pk: ApiId, payload: FinanceCoverIn) -> FinanceApplication:
    """M12.3: the bank approves a guarantee or insurance with its number, cover and period."""
    return services.cover_approve(
        actor=acting_user(request), application=_application(request, pk),
        cover=services.CoverDecision(
            payload.number, payload.cover_amount, payload.premium, payload.start, payload.end
        ),
    )  # fmt: skip


@router.post("/applications/{pk}/refuse", response=FinanceApplicationOut, auth=AUTH)
def refuse(request: HttpRequest, pk: ApiId, payload: FinanceReasonIn) -> FinanceApplication:
    """M12.1, M12.3: the bank refuses, giving its reasons."""
    return services.application_refuse(
        actor=acting_user(request), application=_application(request, pk), reason=payload.reason
    )


@router.post("/applications/{pk}/withdraw", response=FinanceApplicationOut, auth=AUTH)
def withdraw(request: HttpRequest, pk: ApiId) -> FinanceApplication:
    """The enterprise withdraws an application the bank has not decided."""
    return services.application_withdraw(
        actor=acting_user(request), application=_application(request, pk)
    )


@router.post("/applications/{pk}/repayments", response={201: FinanceRepaymentOut}, auth=AUTH)
def repayment(request: HttpRequest, pk: ApiId, payload: FinanceRepaymentIn) -> Status[Repayment]:
    """M12.1: the bank records a repayment it received."""
    found = services.repayment_record(
        actor=acting_user(request), application=_application(request, pk),
        amount=payload.amount, paid_on=payload.paid_on,
    )  # fmt: skip
    return Status(201, found)
