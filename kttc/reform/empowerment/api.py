"""The empowerment API (M1): the same use cases as the pages, one operation each. Documents travel
as base64 inside the JSON (``{"name", "content_base64"}``); failures answer the one error shape."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from kttc.core.api import AUTH
from kttc.core.models import Organisation
from kttc.core.parsing import ApiId, ApiInt, Pages
from kttc.core.services import Document
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.reform.empowerment import grants, selectors, services
from kttc.reform.empowerment.models import (
    EmpowermentAgreement,
    EmpowermentApplication,
    EmpowermentGrant,
    EmpowermentNotice,
    EmpowermentRules,
    Objection,
)
from kttc.registry.selectors import achievements_visible_to

router = Router(tags=["empowerment"])


class DocumentIn(Schema):
    name: Text
    content_base64: Text


class AttachmentIn(DocumentIn):
    title: Text


class RulesIn(Schema):
    grants_ownership: bool = False
    grants_long_term_use: bool = True
    max_term_years: ApiInt | None = None
    required_documents: list[Text] = []
    regulations: LongText = ""


class RulesOut(RulesIn):
    unit_id: int


class EmpowermentApplyIn(Schema):
    achievement_id: ApiId
    right: Text  # "ownership" | "long_term_use"
    term_years: ApiInt | None = None
    summary: LongText
    plan: DocumentIn
    partners: list[Text] = []
    attachments: list[AttachmentIn] = []


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    file_name: str
    sha256: str
    size: int


class NoticeOut(Schema):
    id: int
    application_id: int
    published_on: date
    days: int
    min_days: int
    last_day: date
    grant_from: date
    policy_version: str
    text: str
    text_sha256: str


class EmpowermentApplicationOut(Schema):
    id: int
    achievement_id: int
    unit_id: int
    applicant_id: int
    right: str
    term_years: int | None
    team: list[str]
    partners: list[str]
    summary: str
    status: str
    reason: str
    applied_on: date
    decided_on: date | None
    documents: list[DocumentOut]

    @staticmethod
    def resolve_documents(obj: EmpowermentApplication) -> list[object]:
        return list(obj.documents.all())


class EmpowermentReasonIn(Schema):
    reason: LongText = ""


class NoticeIn(Schema):
    days: ApiInt | None = None


class ObjectionIn(Schema):
    text: LongText


class ObjectionOut(Schema):
    id: int
    notice_id: int
    raised_on: date
    text: str
    answer: str
    answered_at: datetime | None


class ObjectionAnswerIn(Schema):
    answer: LongText


class AgreementIn(Schema):
    team_share: Decimal  # a ratio of the net income (0.5 is half); its minimum is the policy's
    terms: LongText


class SignatureOut(Schema):
    side: str
    signer_id: int
    signed_on: date
    signed_at: datetime
    text_sha256: str


class AgreementOut(Schema):
    id: int
    application_id: int
    team_share: Decimal
    min_share: Decimal
    terms: str
    text: str
    text_sha256: str
    signatures: list[SignatureOut]

    @staticmethod
    def resolve_signatures(obj: EmpowermentAgreement) -> list[object]:
        return list(obj.signatures.all())


class SignIn(Schema):
    side: Text  # "unit" | "team"


class RightOut(Schema):
    id: int
    application_id: int
    achievement_id: int
    unit_id: int
    right: str
    holders: list[str]
    partners: list[str]
    team_share: Decimal
    starts_on: date
    ends_on: date | None
    status: str
    closed_on: date | None
    revocation_reason: str


class ExtendIn(Schema):
    years: ApiInt
    report: LongText
    report_document: DocumentIn | None = None


def _document(data: DocumentIn, field: str) -> Document:
    try:
        content = base64.b64decode(data.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise PolicyError(
            gettext_noop("The document's content is not valid base64."),
            code="document.base64",
            field=field,
        ) from None
    return Document(data.name, content)


def _application(request: HttpRequest, pk: int) -> EmpowermentApplication:
    return get_object_or_404(selectors.applications_visible_to(acting_user(request)), pk=pk)


@router.get("/empowerment/rules/{unit_id}", response=RulesOut, auth=AUTH)
def rules_get(request: HttpRequest, unit_id: int) -> EmpowermentRules:
    """M1.3: a unit's own empowerment rules (for its members)."""
    unit = get_object_or_404(selectors.member_units(acting_user(request)), pk=unit_id)
    return get_object_or_404(EmpowermentRules, unit=unit)


@router.put("/empowerment/rules/{unit_id}", response=RulesOut, auth=AUTH)
def rules_put(request: HttpRequest, unit_id: int, payload: RulesIn) -> EmpowermentRules:
    """M1.3: the unit's transfer office sets the unit's rules."""
    unit = get_object_or_404(Organisation, pk=unit_id)
    return services.rules_set(actor=acting_user(request), unit=unit, **payload.dict())


@router.get("/empowerment/applications", response=list[EmpowermentApplicationOut], auth=AUTH)
@paginate(Pages)
def applications(request: HttpRequest, status: str = ""):
    """The applications the caller may see: the unit's, their own, all for the bureau."""
    qs = selectors.applications_visible_to(acting_user(request)).prefetch_related("documents")
    return qs.filter(status=status) if status else qs


@router.post("/empowerment/applications", response={201: EmpowermentApplicationOut}, auth=AUTH)
def apply(request: HttpRequest, payload: EmpowermentApplyIn):
    """M1.4: a completer applies for ownership or a long-term use right, with the plan."""
    achievement = get_object_or_404(
        achievements_visible_to(acting_user(request)), pk=payload.achievement_id
    )
    application = services.empowerment_apply(
        actor=acting_user(request),
        achievement=achievement,
        right=payload.right,
        term_years=payload.term_years,
        summary=payload.summary,
        plan=_document(payload.plan, "plan"),
        partners=payload.partners,
        attachments=[(a.title, _document(a, "attachments")) for a in payload.attachments],
    )
    return Status(201, application)


@router.get("/empowerment/applications/{pk}", response=EmpowermentApplicationOut, auth=AUTH)
def application(request: HttpRequest, pk: int) -> EmpowermentApplication:
    return _application(request, pk)


@router.post(
    "/empowerment/applications/{pk}/approve", response=EmpowermentApplicationOut, auth=AUTH
)
def approve(request: HttpRequest, pk: int) -> EmpowermentApplication:
    """M1.5: the unit approves."""
    return services.empowerment_approve(
        actor=acting_user(request), application=_application(request, pk)
    )


@router.post("/empowerment/applications/{pk}/reject", response=EmpowermentApplicationOut, auth=AUTH)
def reject(request: HttpRequest, pk: int, payload: EmpowermentReasonIn) -> EmpowermentApplication:
    """M1.5: the unit rejects, with its reason."""
    return services.empowerment_reject(
        actor=acting_user(request), application=_application(request, pk), reason=payload.reason
    )


@router.post(
    "/empowerment/applications/{pk}/withdraw", response=EmpowermentApplicationOut, auth=AUTH
)
def withdraw(request: HttpRequest, pk: int, payload: EmpowermentReasonIn) -> EmpowermentApplication:
    """M1.4: the applicant withdraws."""
    return services.empowerment_withdraw(
        actor=acting_user(request), application=_application(request, pk), reason=payload.reason
    )


@router.post("/empowerment/applications/{pk}/notice", response={201: NoticeOut}, auth=AUTH)
def notice_publish(request: HttpRequest, pk: int, payload: NoticeIn):
    """M1.5: publish the notice inside the unit (at least the parameter's days)."""
    notice = services.notice_publish(
        actor=acting_user(request), application=_application(request, pk), days=payload.days
    )
    return Status(201, notice)


@router.post("/empowerment/applications/{pk}/agreement", response=AgreementOut, auth=AUTH)
def agreement(request: HttpRequest, pk: int, payload: AgreementIn) -> EmpowermentAgreement:
    """M1.6, M5.2: the unit draws up the written agreement."""
    drawn = grants.agreement_draw_up(
        actor=acting_user(request),
        application=_application(request, pk),
        team_share=payload.team_share,
        terms=payload.terms,
    )
    return EmpowermentAgreement.objects.get(pk=drawn.pk)


@router.post("/empowerment/applications/{pk}/sign", response=AgreementOut, auth=AUTH)
def sign(request: HttpRequest, pk: int, payload: SignIn) -> EmpowermentAgreement:
    """M1.6: one side signs the agreement's text."""
    found = get_object_or_404(EmpowermentAgreement, application=_application(request, pk))
    grants.agreement_sign(actor=acting_user(request), agreement=found, side=payload.side)
    return EmpowermentAgreement.objects.get(pk=found.pk)


@router.post("/empowerment/applications/{pk}/grant", response={201: RightOut}, auth=AUTH)
def grant(request: HttpRequest, pk: int):
    """M1.2, M1.5, M1.6: grant the right once the notice is over, objections are answered and
    the agreement is signed."""
    right = grants.right_grant(actor=acting_user(request), application=_application(request, pk))
    return Status(201, right)


@router.get("/empowerment/notices", response=list[NoticeOut], auth=AUTH)
@paginate(Pages)
def notices(request: HttpRequest):
    """M1.5: the notices of the caller's units."""
    return selectors.notices_for(acting_user(request))


@router.post("/empowerment/notices/{pk}/objections", response={201: ObjectionOut}, auth=AUTH)
def objection_raise(request: HttpRequest, pk: int, payload: ObjectionIn):
    """M1.5: a member of the unit objects while the notice runs."""
    notice: EmpowermentNotice = get_object_or_404(
        selectors.notices_for(acting_user(request)), pk=pk
    )
    objection = services.objection_raise(
        actor=acting_user(request), notice=notice, text=payload.text
    )
    return Status(201, objection)


@router.post("/empowerment/objections/{pk}/answer", response=ObjectionOut, auth=AUTH)
def objection_answer(request: HttpRequest, pk: int, payload: ObjectionAnswerIn) -> Objection:
    """M1.5: the unit answers an objection."""
    objection = get_object_or_404(
        Objection.objects.filter(
            notice__application__in=selectors.applications_visible_to(acting_user(request))
        ),
        pk=pk,
    )
    return services.objection_answer(
        actor=acting_user(request), objection=objection, answer=payload.answer
    )


@router.get("/empowerment/rights", response=list[RightOut], auth=AUTH)
@paginate(Pages)
def rights(request: HttpRequest):
    """M1.2: granted rights the caller may see."""
    return selectors.rights_visible_to(acting_user(request))


def _right(request: HttpRequest, pk: int) -> EmpowermentGrant:
    return get_object_or_404(selectors.rights_visible_to(acting_user(request)), pk=pk)


@router.post("/empowerment/rights/{pk}/extend", response=RightOut, auth=AUTH)
def extend(request: HttpRequest, pk: int, payload: ExtendIn) -> EmpowermentGrant:
    """M1.7: extend a long-term use right on the team's report."""
    found = _right(request, pk)
    grants.right_extend(
        actor=acting_user(request),
        grant=found,
        years=payload.years,
        report=payload.report,
        report_document=_document(payload.report_document, "report_document")
        if payload.report_document
        else None,
    )
    return EmpowermentGrant.objects.get(pk=pk)


@router.post("/empowerment/rights/{pk}/revoke", response=RightOut, auth=AUTH)
def revoke(request: HttpRequest, pk: int, payload: EmpowermentReasonIn) -> EmpowermentGrant:
    """M1.6: revoke a right, with the reason."""
    return grants.right_revoke(
        actor=acting_user(request), grant=_right(request, pk), reason=payload.reason
    )
