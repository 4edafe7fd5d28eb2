"""The findings' API (M14.2), under /api/v1/findings: the records one may read (every
department's auditors and the bureau the issued ones and their own department's drafts, an
inspected unit the issued ones about itself), a department's auditor records one with its
findings and documents in base64 (the other departments' recent records of the same units on
the same clauses come back as a warning), issues it and amends it with a reason; the unit
records its rectification of a finding and the department reviews it. Refusals in the one error
shape, naming the field and the clause."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from kttc.core.api import AUTH
from kttc.core.documents import MAX_DOCUMENTS, from_base64
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.parsing import ApiId
from kttc.core.selectors import user_can
from kttc.core.services import Document
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.oversight.findings import selectors, services
from kttc.oversight.findings.models import Finding, Inspection
from kttc.policy import findings as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

router = Router(tags=["findings"])


@dataclass(frozen=True)
class _Reader:
    """M14.2: what one reader sees of a record it may read, worked out once per request: every
    unit for the departments and the bureau, only its own for an inspected unit."""

    sees_all: bool
    units: frozenset[int]

    def sees(self, unit_id: int) -> bool:
        return self.sees_all or unit_id in self.units


def _reader(request: HttpRequest) -> _Reader:
    found = getattr(request, "_findings_reader", None)
    if found is None:
        user = acting_user(request)
        found = _Reader(
            user_can(user, Capability.VIEW_FINDINGS_ALL),
            frozenset(selectors.units_of(user).values_list("pk", flat=True)),
        )
        setattr(request, "_findings_reader", found)  # noqa: B010
    return found


def _records(request: HttpRequest) -> QuerySet[Inspection]:
    """The records the caller reads, with what each answer shows fetched in a few queries."""
    return selectors.inspections_for(acting_user(request)).prefetch_related(
        "subjects", "documents",
        Prefetch("findings", queryset=Finding.objects.select_related("subject").order_by("id")),
    )  # fmt: skip


class FindingsDocumentIn(Schema):
    title: Text
    file_name: Text
    content_base64: Text = Field(..., max_length=28_000_000)


class FindingsFindingIn(Schema):
    subject_id: ApiId
    clause: Text
    severity: Text
    description: LongText
    links: list[Text] = Field([], max_length=rules.LINKS_MAX)
    rectification_required: bool = True
    deadline: date | None = None


class FindingsRecordIn(Schema):
    department_id: ApiId | None = Field(None, description="left out: the caller's department")
    kind: Text
    reference: Text
    title: Text
    subject_ids: list[ApiId] = Field(..., max_length=services.MAX_SUBJECTS)
    period_start: date
    period_end: date
    clauses: list[Text] = Field(..., max_length=rules.CLAUSES_MAX)
    scope: LongText
    fieldwork_start: date
    fieldwork_end: date
    findings: list[FindingsFindingIn] = Field([], max_length=rules.FINDINGS_MAX)
    documents: list[FindingsDocumentIn] = Field([], max_length=MAX_DOCUMENTS)


class FindingsDocumentOut(Schema):
    id: int
    title: str
    file_name: str
    sha256: str
    size: int


class FindingsFindingOut(Schema):
    id: int
    subject_id: int
    subject: str
    clause: str
    severity: str
    description: str
    links: list[str]
    rectification: str
    deadline: date | None
    rectification_text: str
    rectified_on: date | None
    review_note: str
    reviewed_on: date | None

    @staticmethod
    def resolve_subject(obj: Finding) -> str:
        return obj.subject.name


class FindingsOverlapOut(Schema):
    id: int
    department: str
    reference: str
    fieldwork_end: date
    clauses: list[str]


class FindingsRecordOut(Schema):
    id: int
    department_id: int
    department: str
    kind: str
    reference: str
    title: str
    status: str
    subject_ids: list[int]
    period_start: date
    period_end: date
    clauses: list[str]
    scope: str
    fieldwork_start: date
    fieldwork_end: date
    issued_on: date | None
    documents: list[FindingsDocumentOut]
    findings: list[FindingsFindingOut]

    @staticmethod
    def resolve_department(obj: Inspection) -> str:
        return obj.department.name

    @staticmethod
    def resolve_subject_ids(obj: Inspection, context: dict[str, Any]) -> list[int]:
        reader = _reader(context["request"])
        return sorted(s.pk for s in obj.subjects.all() if reader.sees(s.pk))

    @staticmethod
    def resolve_documents(obj: Inspection) -> list[Any]:
        return list(obj.documents.all())

    @staticmethod
    def resolve_findings(obj: Inspection, context: dict[str, Any]) -> list[Any]:
        reader = _reader(context["request"])
        return [f for f in obj.findings.all() if reader.sees(f.subject_id)]


class FindingsRecordedOut(Schema):
    record: FindingsRecordOut
    #: M14.2: the other departments' records of the same units within a year on the same
    #: clauses: a warning, the record is made all the same.
    overlapping: list[FindingsOverlapOut]


def _decoded(item: FindingsDocumentIn) -> Document:
    return from_base64(item.file_name, item.content_base64, field="documents")


def _department(user: User, pk: int | None) -> Organisation:
    mine = selectors.departments_of(user)
    found = mine.filter(pk=pk).first() if pk is not None else mine.first()
    if found is None:
        raise AccessDenied()
    return found


def _subjects(ids: list[int]) -> dict[int, Organisation]:
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    if set(ids) - set(found):
        raise refuse(
            gettext_noop("Name 1 to %(max)s inspected units, other than the department itself."),
            "findings.subjects", "subject_ids", rules.FINDINGS, max=services.MAX_SUBJECTS,
        )  # fmt: skip
    return found


def _overlap(o: selectors.Overlap) -> dict[str, Any]:
    i = o.inspection
    return {
        "id": i.pk, "department": i.department.name, "reference": i.reference,
        "fieldwork_end": i.fieldwork_end, "clauses": o.clauses,
    }  # fmt: skip


@router.post("/inspections", response={201: FindingsRecordedOut}, auth=AUTH)
def record(request: HttpRequest, payload: FindingsRecordIn) -> Status[dict[str, Any]]:
    """M14.2: a department's auditor records an inspection, audit or supervision (a draft)."""
    user = acting_user(request)
    department = _department(user, payload.department_id)
    subjects = _subjects(list(payload.subject_ids) + [f.subject_id for f in payload.findings])
    made = services.inspection_record(
        actor=user, department=department, kind=payload.kind, reference=payload.reference,
        title=payload.title,
        scope=services.Scope(
            subjects=[subjects[pk] for pk in payload.subject_ids],
            period_start=payload.period_start, period_end=payload.period_end,
            clauses=payload.clauses, scope=payload.scope,
            fieldwork_start=payload.fieldwork_start, fieldwork_end=payload.fieldwork_end,
        ),
        findings=[
            services.FindingPlan(
                subject=subjects[f.subject_id], clause=f.clause, severity=f.severity,
                description=f.description, links=f.links,
                rectification_required=f.rectification_required, deadline=f.deadline,
            )
            for f in payload.findings
        ],
        documents=[services.Attachment(d.title, _decoded(d)) for d in payload.documents],
    )  # fmt: skip
    overlaps = selectors.overlapping(
        subjects=list(made.subjects.all()), clauses=made.clauses, department=department,
        on=made.recorded_on, exclude=made.pk,
    )  # fmt: skip
    return Status(201, {"record": made, "overlapping": [_overlap(o) for o in overlaps]})


@router.get("/inspections", response=list[FindingsRecordOut], auth=AUTH)
def inspections(request: HttpRequest) -> list[Inspection]:
    """M14.2: the records one may read, the latest fieldwork first (at most 500)."""
    return list(_records(request)[:500])


def _visible(request: HttpRequest, pk: int) -> Inspection:
    found = _records(request).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@router.get("/inspections/{pk}", response=FindingsRecordOut, auth=AUTH)
def read(request: HttpRequest, pk: ApiId) -> Inspection:
    return _visible(request, pk)


@router.post("/inspections/{pk}/issue", response=FindingsRecordOut, auth=AUTH)
def issue(request: HttpRequest, pk: ApiId) -> Inspection:
    """M14.2: the department issues its draft; it never changes again (amendments only)."""
    return services.inspection_issue(actor=acting_user(request), inspection=_visible(request, pk))


class FindingsAmendIn(Schema):
    reason: LongText
    finding_id: ApiId | None = Field(None, description="left out: the record's title or scope")
    title: Text | None = None
    scope: LongText | None = None
    severity: Text | None = None
    description: LongText | None = None
    deadline: date | None = None


class FindingsAmendmentOut(Schema):
    id: int
    inspection_id: int
    finding_id: int | None
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
    amended_on: date


class FindingsRectifyIn(Schema):
    text: LongText
    documents: list[FindingsDocumentIn] = Field([], max_length=MAX_DOCUMENTS)


class FindingsReviewIn(Schema):
    rectified: bool
    note: LongText = ""


@router.post("/inspections/{pk}/amend", response={201: FindingsAmendmentOut}, auth=AUTH)
def amend(request: HttpRequest, pk: ApiId, payload: FindingsAmendIn) -> Status[Any]:
    """M14.2: the department corrects its issued record by an amendment with its reason."""
    inspection = _visible(request, pk)
    finding = None
    if payload.finding_id is not None:
        finding = inspection.findings.filter(pk=payload.finding_id).first()
        if finding is None:
            raise Http404
    names = services.AMENDABLE_FINDING if finding else services.AMENDABLE
    values = payload.dict()
    made = services.inspection_amend(
        actor=acting_user(request), inspection=inspection, reason=payload.reason,
        finding=finding, correction=services.Correction({n: values.get(n) for n in names}),
    )  # fmt: skip
    return Status(201, made)


def _finding(request: HttpRequest, pk: int) -> Finding:
    found = selectors.findings_for(acting_user(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@router.post("/findings/{pk}/rectify", response=FindingsFindingOut, auth=AUTH)
def rectify(request: HttpRequest, pk: ApiId, payload: FindingsRectifyIn) -> Finding:
    """M14.2: the inspected unit records its rectification with its evidence (base64)."""
    return services.rectification_submit(
        actor=acting_user(request), finding=_finding(request, pk), text=payload.text,
        documents=[services.Attachment(d.title, _decoded(d)) for d in payload.documents],
    )  # fmt: skip


@router.post("/findings/{pk}/review", response=FindingsFindingOut, auth=AUTH)
def review(request: HttpRequest, pk: ApiId, payload: FindingsReviewIn) -> Finding:
    """M14.2: the department marks a rectification rectified or not (saying why not)."""
    return services.rectification_review(
        actor=acting_user(request), finding=_finding(request, pk), rectified=payload.rectified,
        note=payload.note,
    )  # fmt: skip


@router.post("/inspections/{pk}/findings", response={201: FindingsFindingOut}, auth=AUTH)
def add_finding(request: HttpRequest, pk: ApiId, payload: FindingsFindingIn) -> Status[Finding]:
    """M14.2: the department adds a finding to its draft."""
    inspection = _visible(request, pk)
    subject = inspection.subjects.filter(pk=payload.subject_id).first()
    if subject is None:
        raise refuse(
            gettext_noop("A finding is about one of the units the record inspected."),
            "findings.finding_subject", "subject_id", rules.FINDINGS,
        )  # fmt: skip
    made = services.finding_add(
        actor=acting_user(request), inspection=inspection,
        plan=services.FindingPlan(
            subject=subject, clause=payload.clause, severity=payload.severity,
            description=payload.description, links=payload.links,
            rectification_required=payload.rectification_required, deadline=payload.deadline,
        ),
    )  # fmt: skip
    return Status(201, made)
