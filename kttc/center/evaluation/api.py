"""The evaluation API (M10.1), the same use cases as the pages, one operation each: request an
evaluation, list and read those one may see, the institution's and the evaluator's steps, and a
signed report's frozen content (JSON) with its SHA-256, as recorded in the audit chain (M14.1)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from kttc.center.evaluation import report, selectors, services
from kttc.center.evaluation.models import Evaluation
from kttc.core.api import AUTH
from kttc.core.models import Organisation, User
from kttc.core.parsing import ApiId
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.policy import evaluation as rules
from kttc.registry.models import Achievement

router = Router(tags=["evaluations"])


class EvaluationIn(Schema):
    requester_id: ApiId
    result_id: ApiId
    institution_id: ApiId
    purpose: LongText


class EvaluationScoreOut(Schema):
    dimension: str
    score: int
    evidence: str
    details: dict[str, Any]


class EvaluationOut(Schema):
    id: int
    result_id: int
    result: str
    requester_id: int
    requester: str
    requester_kind: str
    institution_id: int
    institution: str
    status: str
    requested_on: date
    decided_on: date | None
    reason: str
    evaluator: str | None
    declared_interest: str | None
    trl: int | None
    evaluated_on: date | None
    weights_version: str
    total: Decimal | None
    signed_at: datetime | None
    shown_publicly: bool
    scores: list[EvaluationScoreOut]

    @staticmethod
    def resolve_result(obj: Evaluation) -> str:
        return obj.result.name

    @staticmethod
    def resolve_requester(obj: Evaluation) -> str:
        return obj.requester.name

    @staticmethod
    def resolve_institution(obj: Evaluation) -> str:
        return obj.institution.name

    @staticmethod
    def resolve_evaluator(obj: Evaluation) -> str | None:
        return obj.evaluator.full_name if obj.evaluator else None

    @staticmethod
    def resolve_declared_interest(obj: Evaluation) -> str | None:
        return obj.declared_interest if obj.declared_at else None

    @staticmethod
    def resolve_scores(obj: Evaluation) -> list[Any]:
        return list(obj.scores.all())


class EvaluationReportOut(Schema):
    evaluation_id: int
    sha256: str
    signed_by: str
    signed_at: datetime
    content: dict[str, Any] = Field(..., description="the frozen content, as hashed")


class EvaluationAcceptIn(Schema):
    evaluator_id: ApiId


class EvaluationReasonIn(Schema):
    reason: LongText


class EvaluationDeclareIn(Schema):
    interest: LongText = Field("", description="empty for no conflict of interest")


class EvaluationScoresIn(Schema):
    trl: int = Field(..., ge=1, le=9)
    scores: dict[Text, int] = Field(..., description="advancement, ip, market, team, risk: 0–100")
    evidence: dict[Text, LongText] = Field(..., description="each of the six dimensions")
    ip_claims: int = Field(0, ge=0, le=10000)
    ip_family: int = Field(0, ge=0, le=1000)
    ip_remaining_years: int = Field(0, ge=0, le=30)
    ip_legal_status: Text = ""
    market_size: Text = ""
    market_competitors: LongText = ""
    market_route: LongText = ""
    summary: LongText = ""


class EvaluationShowIn(Schema):
    shown: bool


def _found(request: HttpRequest, pk: int) -> Evaluation:
    found = selectors.evaluation_for(acting_user(request), pk)
    if found is None:
        raise Http404
    return found


@router.post("", response={201: EvaluationOut}, auth=AUTH)
def request_evaluation(request: HttpRequest, payload: EvaluationIn) -> Status[Evaluation]:
    """M10.1: a unit, an enterprise, a bank or an investor asks a certified institution."""
    created = services.evaluation_request(
        actor=acting_user(request),
        requester=get_object_or_404(Organisation, pk=payload.requester_id),
        result=get_object_or_404(Achievement, pk=payload.result_id),
        institution=get_object_or_404(Organisation, pk=payload.institution_id),
        purpose=payload.purpose,
    )
    return Status(201, created)


@router.get("", response=list[EvaluationOut], auth=AUTH)
def evaluations(request: HttpRequest, status: Text = "") -> list[Evaluation]:
    """The evaluations the person may see (requested, performed, of their unit's results; all
    for the bureau and the auditor), the latest first, at most 500."""
    found = selectors.visible_to(acting_user(request)).prefetch_related("scores")
    if status:
        found = found.filter(status=status)
    return list(found.order_by("-requested_on", "-id")[:500])


@router.get("/{pk}", response=EvaluationOut, auth=AUTH)
def evaluation(request: HttpRequest, pk: ApiId) -> Evaluation:
    return _found(request, pk)


@router.get("/{pk}/report", response=EvaluationReportOut, auth=AUTH)
def evaluation_report(request: HttpRequest, pk: ApiId) -> dict[str, Any]:
    """M10.1, M14.1: the signed report's frozen content and its SHA-256 (the audit chain's)."""
    found = _found(request, pk)
    if found.status != rules.EvaluationStatus.SIGNED:
        raise Http404
    signed = found.report
    return {
        "evaluation_id": found.pk, "sha256": signed.sha256,
        "signed_by": signed.signed_by.full_name, "signed_at": signed.signed_at,
        "content": report.parsed(signed.content),
    }  # fmt: skip


@router.post("/{pk}/accept", response=EvaluationOut, auth=AUTH)
def accept(request: HttpRequest, pk: ApiId, payload: EvaluationAcceptIn) -> Evaluation:
    """M10.1: the institution accepts and names its evaluator."""
    return services.evaluation_accept(
        actor=acting_user(request), evaluation=_found(request, pk),
        evaluator=get_object_or_404(User, pk=payload.evaluator_id),
    )  # fmt: skip


@router.post("/{pk}/decline", response=EvaluationOut, auth=AUTH)
def decline(request: HttpRequest, pk: ApiId, payload: EvaluationReasonIn) -> Evaluation:
    return services.evaluation_decline(
        actor=acting_user(request), evaluation=_found(request, pk), reason=payload.reason
    )


@router.post("/{pk}/withdraw", response=EvaluationOut, auth=AUTH)
def withdraw(request: HttpRequest, pk: ApiId) -> Evaluation:
    return services.evaluation_withdraw(actor=acting_user(request), evaluation=_found(request, pk))


@router.post("/{pk}/declare", response=EvaluationOut, auth=AUTH)
def declare(request: HttpRequest, pk: ApiId, payload: EvaluationDeclareIn) -> Evaluation:
    """M10.1: the evaluator declares no conflict of interest (empty) or describes it."""
    return services.evaluation_declare(
        actor=acting_user(request), evaluation=_found(request, pk), interest=payload.interest
    )


@router.post("/{pk}/scores", response=EvaluationOut, auth=AUTH)
def score(request: HttpRequest, pk: ApiId, payload: EvaluationScoresIn) -> Evaluation:
    """M10.1: the evaluator scores every dimension with its evidence."""
    data = payload.dict()
    return services.evaluation_score(
        actor=acting_user(request), evaluation=_found(request, pk), data=services.Scores(**data)
    )


@router.post("/{pk}/sign", response=EvaluationReportOut, auth=AUTH)
def sign(request: HttpRequest, pk: ApiId) -> dict[str, Any]:
    """M10.1, M14.1: the evaluator signs; the report is frozen."""
    signed = services.evaluation_sign(actor=acting_user(request), evaluation=_found(request, pk))
    return {
        "evaluation_id": signed.evaluation_id, "sha256": signed.sha256,
        "signed_by": signed.signed_by.full_name, "signed_at": signed.signed_at,
        "content": report.parsed(signed.content),
    }  # fmt: skip


@router.post("/{pk}/show", response=EvaluationOut, auth=AUTH)
def show(request: HttpRequest, pk: ApiId, payload: EvaluationShowIn) -> Evaluation:
    """M10.1: the result's unit agrees to show a signed evaluation publicly, or revokes it."""
    return services.evaluation_show(
        actor=acting_user(request), evaluation=_found(request, pk), shown=payload.shown
    )
