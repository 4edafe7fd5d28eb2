"""The fast patent pre-examination API (M11.1), the same use cases as the pages, one operation
each: an applicant files (documents in base64), lists and reads its requests and corrects a
returned one; the center's staff list the queue (by due date, then the forwarded requests) and
take each step. Refusals in the one error shape, naming the field and the clause."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from kttc.center.ip_services import selectors, services
from kttc.center.ip_services.models import PreExamination
from kttc.core.api import AUTH
from kttc.core.documents import MAX_DOCUMENTS, from_base64
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.parsing import ApiId
from kttc.core.selectors import organisations_where, user_can
from kttc.core.services import Document
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.policy.roles import Capability

router = Router(tags=["pre-examinations"])


class IpDocumentIn(Schema):
    title: Text
    file_name: Text
    content_base64: Text = Field(..., max_length=28_000_000)


class FilingIn(Schema):
    applicant_id: ApiId | None = Field(None, description="left out: the caller's organisation")
    title: Text
    kind: Text = Field(..., description="invention, utility_model or design")
    industry_code: Text = Field(..., description="GB/T 4754-2017, e.g. C2762")
    documents: list[IpDocumentIn] = Field(..., max_length=MAX_DOCUMENTS)


class CorrectionIn(Schema):
    title: Text
    kind: Text
    industry_code: Text
    documents: list[IpDocumentIn] = Field([], max_length=MAX_DOCUMENTS)


class PreExaminationDocumentOut(Schema):
    id: int
    title: str
    file_name: str
    sha256: str
    size: int


class RequestOut(Schema):
    id: int
    applicant_id: int
    applicant: str
    title: str
    kind: str
    industry_code: str
    industry: str
    status: str
    filed_on: date
    submissions: int
    accepted_on: date | None
    due_on: date | None
    overdue: bool
    forwarded_on: date | None
    reference: str
    outcome_on: date | None
    reason: str
    documents: list[PreExaminationDocumentOut]

    @staticmethod
    def resolve_applicant(obj: PreExamination) -> str:
        return obj.applicant.name

    @staticmethod
    def resolve_overdue(obj: PreExamination) -> bool:
        return (
            obj.status == "accepted" and obj.due_on is not None and obj.due_on < selectors.today()
        )

    @staticmethod
    def resolve_documents(obj: PreExamination) -> list[Any]:
        return list(obj.documents.all())


class PreExaminationReasonIn(Schema):
    reason: LongText


class ForwardIn(Schema):
    reference: Text


class OutcomeIn(Schema):
    passed: bool
    decided_on: date


def decoded(item: IpDocumentIn, field: str) -> Document:
    """A document sent in base64, or a refusal naming ``field``."""
    return from_base64(item.file_name, item.content_base64, field=field)


def _attachments(items: list[IpDocumentIn]) -> list[services.Attachment]:
    return [services.Attachment(d.title, decoded(d, "documents")) for d in items]


def _applicant(user: User, pk: int | None) -> Organisation:
    units = organisations_where(user, Capability.REQUEST_PRE_EXAMINATION)
    found = units.filter(pk=pk).first() if pk is not None else units.first()
    if found is None:
        raise AccessDenied()
    return found


def _request(request: HttpRequest, pk: int) -> PreExamination:
    found = get_object_or_404(PreExamination.objects.select_related("applicant"), pk=pk)
    if not selectors.may_view(acting_user(request), found):
        raise Http404
    return found


@router.post("", response={201: RequestOut}, auth=AUTH)
def file_request(request: HttpRequest, payload: FilingIn) -> Status[PreExamination]:
    """M11.1: file a request for fast pre-examination with its documents (base64)."""
    user = acting_user(request)
    found = services.pre_examination_file(
        actor=user, applicant=_applicant(user, payload.applicant_id),
        filing=services.Filing(payload.title, payload.kind, payload.industry_code),
        documents=_attachments(payload.documents),
    )  # fmt: skip
    return Status(201, found)


@router.get("", response=list[RequestOut], auth=AUTH)
def requests(request: HttpRequest) -> list[PreExamination]:
    """The center's staff: the queue by due date, then the requests forwarded; an applicant's
    people: their own requests, the latest first."""
    user = acting_user(request)
    if user_can(user, Capability.PRE_EXAMINE_ALL):
        return [*selectors.queue(selectors.today())[:500], *selectors.forwarded()[:500]]
    return list(selectors.requests_for(user)[:500])


@router.get("/{pk}", response=RequestOut, auth=AUTH)
def read(request: HttpRequest, pk: ApiId) -> PreExamination:
    return _request(request, pk)


@router.post("/{pk}/resubmit", response=RequestOut, auth=AUTH)
def resubmit(request: HttpRequest, pk: ApiId, payload: CorrectionIn) -> PreExamination:
    """M11.1: correct a returned request and file it again."""
    return services.pre_examination_resubmit(
        actor=acting_user(request), request=_request(request, pk),
        filing=services.Filing(payload.title, payload.kind, payload.industry_code),
        documents=_attachments(payload.documents),
    )  # fmt: skip


@router.post("/{pk}/accept", response=RequestOut, auth=AUTH)
def accept(request: HttpRequest, pk: ApiId) -> PreExamination:
    """M11.1: accept the request into the queue (its due date computed and kept)."""
    return services.pre_examination_accept(
        actor=acting_user(request), request=_request(request, pk)
    )


@router.post("/{pk}/return", response=RequestOut, auth=AUTH)
def return_(request: HttpRequest, pk: ApiId, payload: PreExaminationReasonIn) -> PreExamination:
    """M11.1: return the request for correction, saying what to correct."""
    return services.pre_examination_return(
        actor=acting_user(request), request=_request(request, pk), reason=payload.reason
    )


@router.post("/{pk}/refuse", response=RequestOut, auth=AUTH)
def refuse_request(
    request: HttpRequest, pk: ApiId, payload: PreExaminationReasonIn
) -> PreExamination:
    """M11.1: refuse the request, saying why."""
    return services.pre_examination_refuse(
        actor=acting_user(request), request=_request(request, pk), reason=payload.reason
    )


@router.post("/{pk}/forward", response=RequestOut, auth=AUTH)
def forward(request: HttpRequest, pk: ApiId, payload: ForwardIn) -> PreExamination:
    """M11.1: record the forwarding to the national pre-examination with its reference."""
    return services.pre_examination_forward(
        actor=acting_user(request), request=_request(request, pk), reference=payload.reference
    )


@router.post("/{pk}/outcome", response=RequestOut, auth=AUTH)
def outcome(request: HttpRequest, pk: ApiId, payload: OutcomeIn) -> PreExamination:
    """M11.1: record the national pre-examination's outcome and its day."""
    return services.pre_examination_outcome(
        actor=acting_user(request), request=_request(request, pk), passed=payload.passed,
        decided_on=payload.decided_on,
    )  # fmt: skip
