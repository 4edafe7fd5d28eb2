"""The IP protection cases API (M11.2), the same use cases as the pages, one operation each: a
rights holder files (evidence in base64) and the parties list and read their cases; the center's
IP staff list the cases by the limit of their step and take each step; anyone reads the
published decisions, without personal data. Refusals in the one error shape, naming the field
and the clause."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from kttc.center.ip_protection import selectors, services
from kttc.center.ip_protection.models import IpCase, MediationSession
from kttc.center.ip_services.api import IpDocumentIn, decoded
from kttc.core.api import AUTH
from kttc.core.documents import MAX_DOCUMENTS
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.parsing import ApiId
from kttc.core.selectors import organisations_where
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.policy.roles import Capability

router = Router(tags=["ip-cases"])


class CaseIn(Schema):
    complainant_id: ApiId | None = Field(None, description="left out: the caller's organisation")
    kind: Text = Field(..., description="complaint or adjudication")
    respondent_name: Text
    respondent_credit_code: Text = ""
    respondent_is_person: bool = False
    respondent_address: Text = ""
    patent_number: Text
    patent_title: Text = ""
    facts: LongText
    persons: list[Text] = Field([], max_length=services.MAX_PERSONS)
    evidence: list[IpDocumentIn] = Field(..., max_length=MAX_DOCUMENTS)


class EvidenceOut(Schema):
    id: int
    title: str
    file_name: str
    sha256: str
    size: int


class SessionOut(Schema):
    id: int
    held_on: date
    outcome: str
    notes: str


class CaseOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    complainant_id: int
    complainant: str
    respondent_name: str
    respondent_id: int | None
    respondent_is_person: bool
    patent_number: str
    patent_title: str
    facts: str
    persons: list[str]
    filed_on: date
    intake_due_on: date
    accepted_on: date | None
    mediation_due_on: date | None
    reason: str
    refused_on: date | None
    agreement: str
    settled_on: date | None
    decision_due_on: date | None
    hearing_on: date | None
    hearing_place: str
    hearing_record: str
    decision: str
    decided_on: date | None
    outcome: str
    measures: str
    enforcement_due_on: date | None
    enforcement_record: str
    enforced_on: date | None
    published_on: date | None
    due_on: date | None
    overdue: bool
    evidence: list[EvidenceOut]
    sessions: list[SessionOut]

    @staticmethod
    def resolve_complainant(obj: IpCase) -> str:
        return obj.complainant.name

    @staticmethod
    def resolve_overdue(obj: IpCase) -> bool:
        return obj.due_on is not None and obj.due_on < selectors.today()

    @staticmethod
    def resolve_evidence(obj: IpCase) -> list[Any]:
        return list(obj.evidence.all())

    @staticmethod
    def resolve_sessions(obj: IpCase) -> list[Any]:
        return list(obj.sessions.all())


class DecisionOut(Schema):
    """A published decision: no personal data (see ``kttc.policy.ip_protection.redact``)."""

    number: str
    kind: str
    patent_number: str
    complainant: str
    respondent: str
    outcome: str
    decided_on: date | None
    published_on: date | None
    decision: str

    @staticmethod
    def resolve_complainant(obj: IpCase) -> str:
        return obj.complainant.name

    @staticmethod
    def resolve_respondent(obj: IpCase) -> str:
        return "" if obj.respondent_is_person else obj.respondent_name

    @staticmethod
    def resolve_decision(obj: IpCase) -> str:
        return obj.published_text


class IpCaseReasonIn(Schema):
    reason: LongText


class SessionIn(Schema):
    held_on: date
    outcome: Text = Field(..., description="settled, failed or adjourned")
    notes: LongText = ""
    agreement: LongText = ""


class HearingIn(Schema):
    hearing_on: date
    place: Text


class RecordIn(Schema):
    record: LongText


class DecideIn(Schema):
    decision: LongText
    outcome: Text = Field(
        ..., description="infringement_found, no_infringement, for_complainant, for_respondent"
    )
    decided_on: date
    measures: LongText = ""


class EnforceIn(Schema):
    record: LongText
    enforced_on: date


def _complainant(user: User, pk: int | None) -> Organisation:
    parties = organisations_where(user, Capability.FILE_IP_CASES)
    found = parties.filter(pk=pk).first() if pk is not None else parties.first()
    if found is None:
        raise AccessDenied()
    return found


def _case(request: HttpRequest, pk: int) -> IpCase:
    found = get_object_or_404(IpCase.objects.select_related("complainant", "respondent"), pk=pk)
    if not selectors.may_view(acting_user(request), found):
        raise Http404
    return found


@router.get("/decisions", response=list[DecisionOut])
def decisions(request: HttpRequest) -> list[IpCase]:
    """M11.2: the published decisions, the latest first, without personal data."""
    return list(selectors.published()[:500])


@router.post("", response={201: CaseOut}, auth=AUTH)
def file_case(request: HttpRequest, payload: CaseIn) -> Status[IpCase]:
    """M11.2: file a complaint or a request for adjudication with its evidence (base64)."""
    user = acting_user(request)
    case = services.ip_case_file(
        actor=user,
        complainant=_complainant(user, payload.complainant_id),
        filing=services.Filing(
            kind=payload.kind, respondent_name=payload.respondent_name,
            patent_number=payload.patent_number, facts=payload.facts,
            patent_title=payload.patent_title,
            respondent_credit_code=payload.respondent_credit_code,
            respondent_is_person=payload.respondent_is_person,
            respondent_address=payload.respondent_address, persons=payload.persons,
        ),
        evidence=[services.Attachment(e.title, decoded(e, "evidence")) for e in payload.evidence],
    )  # fmt: skip
    return Status(201, case)


@router.get("", response=list[CaseOut], auth=AUTH)
def cases(request: HttpRequest) -> list[IpCase]:
    """The center's IP staff: the cases with a step to take, by its limit; a party's people:
    the cases their organisations filed and those against them."""
    user = acting_user(request)
    if selectors.is_staff(user):
        return list(selectors.handling(selectors.today())[:500])
    return list((selectors.filed_by(user) | selectors.against(user)).distinct()[:500])


@router.get("/{pk}", response=CaseOut, auth=AUTH)
def read(request: HttpRequest, pk: ApiId) -> IpCase:
    return _case(request, pk)


@router.post("/{pk}/accept", response=CaseOut, auth=AUTH)
def accept(request: HttpRequest, pk: ApiId) -> IpCase:
    """M11.2: take the case on; mediation runs to its limit."""
    return services.ip_case_accept(actor=acting_user(request), case=_case(request, pk))


@router.post("/{pk}/refuse", response=CaseOut, auth=AUTH)
def refuse_case(request: HttpRequest, pk: ApiId, payload: IpCaseReasonIn) -> IpCase:
    """M11.2: do not take the case on, saying why."""
    return services.ip_case_refuse(
        actor=acting_user(request), case=_case(request, pk), reason=payload.reason
    )


@router.post("/{pk}/sessions", response={201: SessionOut}, auth=AUTH)
def mediate(request: HttpRequest, pk: ApiId, payload: SessionIn) -> Status[MediationSession]:
    """M11.2: a mediation session: settled (with the agreement), failed or adjourned."""
    session = services.ip_case_mediate(
        actor=acting_user(request), case=_case(request, pk), held_on=payload.held_on,
        outcome=payload.outcome, notes=payload.notes, agreement=payload.agreement,
    )  # fmt: skip
    return Status(201, session)


@router.post("/{pk}/hearing", response=CaseOut, auth=AUTH)
def schedule(request: HttpRequest, pk: ApiId, payload: HearingIn) -> IpCase:
    """M11.2: the hearing's day (three working days' notice at least) and place."""
    return services.ip_case_schedule(
        actor=acting_user(request), case=_case(request, pk), hearing_on=payload.hearing_on,
        place=payload.place,
    )  # fmt: skip


@router.post("/{pk}/hearing-record", response=CaseOut, auth=AUTH)
def hear(request: HttpRequest, pk: ApiId, payload: RecordIn) -> IpCase:
    """M11.2: the hearing's record, once held."""
    return services.ip_case_hear(
        actor=acting_user(request), case=_case(request, pk), record=payload.record
    )


@router.post("/{pk}/decision", response=CaseOut, auth=AUTH)
def decide(request: HttpRequest, pk: ApiId, payload: DecideIn) -> IpCase:
    """M11.2: the decision: its text, day, outcome and measures."""
    return services.ip_case_decide(
        actor=acting_user(request), case=_case(request, pk), decision_text=payload.decision,
        outcome=payload.outcome, decided_on=payload.decided_on, measures=payload.measures,
    )  # fmt: skip


@router.post("/{pk}/enforcement", response=CaseOut, auth=AUTH)
def enforce(request: HttpRequest, pk: ApiId, payload: EnforceIn) -> IpCase:
    """M11.2: the measures' enforcement recorded; the case closes."""
    return services.ip_case_enforce(
        actor=acting_user(request), case=_case(request, pk), record=payload.record,
        enforced_on=payload.enforced_on,
    )  # fmt: skip


@router.post("/{pk}/publish", response=CaseOut, auth=AUTH)
def publish(request: HttpRequest, pk: ApiId) -> IpCase:
    """M11.2: publish the decision without personal data."""
    return services.ip_case_publish(actor=acting_user(request), case=_case(request, pk))
