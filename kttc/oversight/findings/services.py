"""Decisions on inspections, audits and supervisions and their findings (M14.2).

* :func:`inspection_record`: a department's auditor records a draft once, under the
  department's reference number (a second record of the same reference is refused), with the
  inspected units, the period, the clauses checked, the fieldwork, documents by hash and the
  findings so far.
* :func:`finding_add`, :func:`finding_remove`: a finding is added to a draft, or taken out.
* :func:`inspection_issue`: the department signs the draft off; it is issued and never changes
  again; the inspected units hear of it.
* :func:`inspection_amend`: an issued record is corrected by an amendment with its reason,
  written once beside what it changed (the history); the units hear of it.
* :func:`rectification_submit`: the inspected unit records its rectification of a finding
  with its evidence; the department hears of it.
* :func:`rectification_review`: the department marks the finding rectified or not.

Each takes the audit chain's lock first (``@decision``), then the record's row lock, and writes
an entry citing M14.2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from kttc.core.documents import Attachment, check_attachments, keep
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Organisation, User
from kttc.core.services import audit_record, decision, model_snapshot, require_capability
from kttc.oversight.findings import notices, selectors
from kttc.oversight.findings.choices import Rectification, Status
from kttc.oversight.findings.models import (
    Amendment,
    Finding,
    Inspection,
    InspectionDocument,
    RectificationDocument,
)
from kttc.policy import findings as rules
from kttc.policy.clauses import clause_ids
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, OrganisationKind

FINDINGS = rules.FINDINGS
MAX_SUBJECTS = 50
FOLDER = "findings"
FIELDS = (
    "status", "kind", "reference", "title", "period_start", "period_end", "clauses", "scope",
    "fieldwork_start", "fieldwork_end", "issued_on",
)  # fmt: skip
FINDING_FIELDS = (
    "subject", "clause", "severity", "description", "links", "rectification", "deadline",
    "rectification_text", "rectified_on", "review_note", "reviewed_on",
)  # fmt: skip
#: What an amendment may correct: on the record, and on one of its findings.
AMENDABLE: tuple[str, ...] = ("title", "scope")
AMENDABLE_FINDING = ("severity", "description", "deadline")


@dataclass(frozen=True)
class FindingPlan:
    """A finding as the department records it (M14.2)."""

    subject: Organisation
    clause: str
    severity: str
    description: str
    links: Sequence[str] = ()
    rectification_required: bool = True
    deadline: date | None = None


@dataclass(frozen=True)
class Scope:
    """What a record covers (M14.2): its units, period, clauses, scope and fieldwork."""

    subjects: Sequence[Organisation]
    period_start: date
    period_end: date
    clauses: Sequence[str]
    scope: str
    fieldwork_start: date
    fieldwork_end: date


@dataclass(frozen=True)
class Correction:
    """What an amendment corrects: the record's title or scope, or a finding's severity,
    description or deadline (None: unchanged)."""

    values: dict[str, Any] = field(default_factory=dict)


def _record(
    actor: User, inspection: Inspection, action: str, obj: Any = None, **kwargs: Any
) -> None:
    audit_record(
        actor=actor, organisation=inspection.department, action=f"findings.{action}",
        obj=obj if obj is not None else inspection, clauses=FINDINGS, **kwargs,
    )  # fmt: skip


def _check_documents(attachments: Sequence[Attachment]) -> list[Attachment]:
    return check_attachments(
        attachments, field="documents", clauses=FINDINGS,
        too_many_code="findings.too_many_documents",
    )  # fmt: skip


def _department(actor: User, department: Organisation) -> Organisation:
    """M14.2: the auditor records findings of its own department only."""
    require_capability(actor, Capability.RECORD_FINDINGS, department)
    if department.kind != OrganisationKind.GOVERNMENT_DEPARTMENT:
        raise AccessDenied()
    return department


def _finding(inspection: Inspection, plan: FindingPlan, subjects: set[int], on: date) -> Finding:
    if plan.subject.pk not in subjects:
        raise refuse(
            gettext_noop("A finding is about one of the units the record inspected."),
            "findings.finding_subject", "subject", FINDINGS,
        )  # fmt: skip
    deadline = rules.check_rectification_deadline(
        plan.rectification_required, plan.deadline, today=on
    )
    return Finding.objects.create(
        inspection=inspection,
        subject=plan.subject,
        clause=rules.check_finding_clause(plan.clause, inspection.clauses),
        severity=rules.check_severity(plan.severity).value,
        description=rules.check_text_field(plan.description, field="description"),
        links=rules.check_links(plan.links),
        rectification=(
            Rectification.REQUIRED if plan.rectification_required else Rectification.NOT_REQUIRED
        ),
        deadline=deadline,
    )


@decision
def inspection_record(
    *,
    actor: User,
    department: Organisation,
    kind: str,
    reference: str,
    title: str,
    scope: Scope,
    findings: Sequence[FindingPlan] = (),
    documents: Sequence[Attachment] = (),
    today: date | None = None,
) -> Inspection:
    """M14.2: a department's auditor records an inspection, audit or supervision as a draft,
    once per reference number of the department."""
    on = today or selectors.today()
    department = _department(actor, department)
    checked_kind = rules.check_kind(kind)
    checked_reference = rules.check_reference(reference)
    checked_title = rules.check_title(title)
    subjects = list({s.pk: s for s in scope.subjects}.values())
    if not subjects or len(subjects) > MAX_SUBJECTS or department.pk in {s.pk for s in subjects}:
        raise refuse(
            gettext_noop("Name 1 to %(max)s inspected units, other than the department itself."),
            "findings.subjects", "subjects", FINDINGS, max=MAX_SUBJECTS,
        )  # fmt: skip
    period = rules.check_period(scope.period_start, scope.period_end, today=on)
    fieldwork = rules.check_fieldwork(scope.fieldwork_start, scope.fieldwork_end, today=on)
    clauses = rules.check_clauses(scope.clauses, clause_ids())
    scope_text = rules.check_text_field(scope.scope, field="scope")
    if len(findings) > rules.FINDINGS_MAX:
        raise refuse(
            gettext_noop("At most %(max)s findings."), "findings.too_many", "findings",
            FINDINGS, max=rules.FINDINGS_MAX,
        )  # fmt: skip
    checked = _check_documents(documents)
    if Inspection.objects.filter(department=department, reference=checked_reference).exists():
        raise _reference_taken(checked_reference)
    try:
        with transaction.atomic():
            inspection = Inspection.objects.create(
                department=department, kind=checked_kind.value, reference=checked_reference,
                title=checked_title, period_start=period[0], period_end=period[1],
                clauses=clauses, scope=scope_text, fieldwork_start=fieldwork[0],
                fieldwork_end=fieldwork[1], recorded_by=actor, recorded_on=on,
            )  # fmt: skip
    except IntegrityError:
        raise _reference_taken(checked_reference) from None
    inspection.subjects.set(subjects)
    made = [_finding(inspection, plan, {s.pk for s in subjects}, on) for plan in findings]
    hashes = {}
    for attachment in checked:
        kept = keep(
            InspectionDocument, attachment, folder=FOLDER, actor=actor, inspection=inspection
        )
        hashes[attachment.title] = kept.sha256
    _record(
        actor, inspection, "record",
        after={
            **model_snapshot(inspection, FIELDS), "subjects": [s.pk for s in subjects],
            "findings": [model_snapshot(f, FINDING_FIELDS) for f in made], "documents": hashes,
        },
        documents=[a.document for a in checked],
    )  # fmt: skip
    return inspection


def _reference_taken(reference: str) -> Exception:
    return refuse(
        gettext_noop(
            "Your department already recorded %(reference)s: a record is kept once; amend it "
            "instead."
        ),
        "findings.reference_taken",
        "reference",
        FINDINGS,
        reference=reference,
    )


def _lock(inspection: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=inspection.pk)
    )


@decision
def finding_add(
    *, actor: User, inspection: Inspection, plan: FindingPlan, today: date | None = None
) -> Finding:
    """M14.2: a finding is added to a draft of the auditor's department."""
    on = today or selectors.today()
    inspection = _lock(inspection)
    _department(actor, inspection.department)
    rules.check_draft(inspection.status)
    if inspection.findings.count() >= rules.FINDINGS_MAX:
        raise refuse(
            gettext_noop("At most %(max)s findings."), "findings.too_many", "findings",
            FINDINGS, max=rules.FINDINGS_MAX,
        )  # fmt: skip
    subjects = set(inspection.subjects.values_list("pk", flat=True))
    made = _finding(inspection, plan, subjects, on)
    _record(actor, inspection, "add_finding", obj=made, after=model_snapshot(made, FINDING_FIELDS))
    return made


@decision
def finding_remove(*, actor: User, finding: Finding) -> None:
    """M14.2: a finding is taken out of a draft of the auditor's department (an issued record's
    findings stay; they are amended)."""
    inspection, finding = _lock_finding(finding)
    _department(actor, inspection.department)
    rules.check_draft(inspection.status)
    before = model_snapshot(finding, FINDING_FIELDS)
    _record(actor, inspection, "remove_finding", obj=finding, before=before)
    finding.delete()


@decision
def inspection_issue(
    *, actor: User, inspection: Inspection, today: date | None = None
) -> Inspection:
    """M14.2: the department signs its draft off: issued, it never changes again (amendments
    only); each inspected unit hears of it, once however many issues race."""
    on = today or selectors.today()
    inspection = _lock(inspection)
    _department(actor, inspection.department)
    status = rules.check_issue(inspection.status, inspection.findings.count())
    for finding in inspection.findings.filter(deadline__isnull=False):
        if finding.deadline is not None and finding.deadline <= on:
            raise refuse(
                gettext_noop("A rectification's deadline lies after today and within a year."),
                "findings.deadline", "deadline", FINDINGS,
            )  # fmt: skip
    before = model_snapshot(inspection, FIELDS)
    inspection.status = status.value
    inspection.issued_on = on
    inspection.issued_by = actor
    inspection.save(update_fields=["status", "issued_on", "issued_by"])
    _record(actor, inspection, "issue", before=before, after=model_snapshot(inspection, FIELDS))
    units = Organisation.objects.filter(findings__inspection=inspection).distinct()
    for unit in units:
        notices.tell_unit(notices.ISSUED, inspection, unit, "issued")
    return inspection


@decision
def inspection_amend(
    *,
    actor: User,
    inspection: Inspection,
    reason: str,
    correction: Correction,
    finding: Finding | None = None,
    today: date | None = None,
) -> Amendment:
    """M14.2: an issued record is corrected by an amendment with its reason (the record's title
    or scope, or a finding's severity, description or deadline); the amendment keeps what was
    and what is, and the inspected units hear of it."""
    on = today or selectors.today()
    inspection = _lock(inspection)
    _department(actor, inspection.department)
    checked_reason = rules.check_amend(inspection.status, reason)
    target: Inspection | Finding = inspection
    allowed = AMENDABLE
    if finding is not None:
        target = Finding.objects.select_for_update().get(pk=finding.pk, inspection=inspection)
        allowed = AMENDABLE_FINDING
    values = {k: v for k, v in correction.values.items() if v is not None and v != ""}
    unknown = set(values) - set(allowed)
    if not values or unknown:
        raise refuse(
            gettext_noop("Say what the amendment corrects."), "findings.amend_nothing",
            "correction", FINDINGS,
        )  # fmt: skip
    checked: dict[str, Any] = {}
    for name, value in values.items():
        if name == "title":
            checked[name] = rules.check_title(str(value))
        elif name in ("scope", "description"):
            checked[name] = rules.check_text_field(str(value), field=name)
        elif name == "severity":
            checked[name] = rules.check_severity(str(value)).value
        elif name == "deadline":
            assert isinstance(target, Finding)
            if target.rectification not in rules.OWED:
                raise refuse(
                    gettext_noop("Only a rectification still owed has its deadline moved."),
                    "findings.deadline_closed", "deadline", FINDINGS,
                )  # fmt: skip
            checked[name] = rules.check_rectification_deadline(True, value, today=on)
    names = list(checked)
    before = model_snapshot(target, names)
    for name, value in checked.items():
        setattr(target, name, value)
    if "deadline" in checked:
        target.reminded_at = target.overdue_notified_at = None  # type: ignore[union-attr]
        names += ["reminded_at", "overdue_notified_at"]
    target.save(update_fields=names)
    after = model_snapshot(target, list(checked))
    amendment = Amendment.objects.create(
        inspection=inspection, finding=finding, reason=checked_reason, before=before,
        after=after, amended_by=actor, amended_on=on,
    )  # fmt: skip
    _record(
        actor, inspection, "amend", obj=target, before=before,
        after={**after, "reason": checked_reason},
    )  # fmt: skip
    units = Organisation.objects.filter(findings__inspection=inspection).distinct()
    if finding is not None:
        units = units.filter(pk=finding.subject_id)
    for unit in units:
        notices.tell_unit(
            notices.AMENDED, inspection, unit, f"a{amendment.pk}", reason=checked_reason
        )
    return amendment


def _rounds(finding: Finding, action: str) -> int:
    """How many times the finding's rectification was recorded (or reviewed): each notice's
    key, so that a second round is told again and a round never twice."""
    return AuditEntry.objects.filter(
        action=f"findings.{action}", object_type=Finding._meta.label_lower,
        object_id=str(finding.pk),
    ).count()  # fmt: skip


def _lock_finding(finding: Finding) -> tuple[Inspection, Finding]:
    inspection_id = Finding.objects.values_list("inspection_id", flat=True).get(pk=finding.pk)
    inspection = _lock(Inspection(pk=inspection_id))
    locked = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("subject", "inspection", "inspection__department")
        .get(pk=finding.pk)
    )
    return inspection, locked


@decision
def rectification_submit(
    *,
    actor: User,
    finding: Finding,
    text: str,
    documents: Sequence[Attachment] = (),
    today: date | None = None,
) -> Finding:
    """M14.2: the inspected unit records its rectification of an issued finding with its
    evidence (text and documents by hash); the department hears of it."""
    on = today or selectors.today()
    inspection, finding = _lock_finding(finding)
    require_capability(actor, Capability.RECTIFY_FINDINGS, finding.subject)
    if inspection.status != Status.ISSUED:
        raise AccessDenied()
    status = rules.check_rectification_step(finding.rectification, rules.RectificationStep.SUBMIT)
    checked_text = rules.check_text_field(text, field="text")
    checked = _check_documents(documents)
    before = model_snapshot(finding, FINDING_FIELDS)
    finding.rectification = status.value
    finding.rectification_text = checked_text
    finding.rectified_on = on
    finding.save(update_fields=["rectification", "rectification_text", "rectified_on"])
    hashes = {}
    for attachment in checked:
        kept = keep(RectificationDocument, attachment, folder=FOLDER, actor=actor, finding=finding)
        hashes[attachment.title] = kept.sha256
    audit_record(
        actor=actor, organisation=finding.subject, action="findings.rectify", obj=finding,
        before=before, after={**model_snapshot(finding, FINDING_FIELDS), "documents": hashes},
        clauses=FINDINGS, documents=[a.document for a in checked],
    )  # fmt: skip
    notices.tell_department(notices.SUBMITTED, finding, str(_rounds(finding, "rectify")))
    return finding


@decision
def rectification_review(
    *,
    actor: User,
    finding: Finding,
    rectified: bool,
    note: str = "",
    today: date | None = None,
) -> Finding:
    """M14.2: the department marks a rectification submitted as rectified or not (saying why
    not; the unit then rectifies again); the unit hears of it."""
    on = today or selectors.today()
    inspection, finding = _lock_finding(finding)
    _department(actor, inspection.department)
    step = rules.RectificationStep.ACCEPT if rectified else rules.RectificationStep.REJECT
    status = rules.check_rectification_step(finding.rectification, step)
    checked_note = (
        rules.check_text_field(note, field="note") if (note.strip() or not rectified) else ""
    )
    before = model_snapshot(finding, FINDING_FIELDS)
    finding.rectification = status.value
    finding.review_note = checked_note
    finding.reviewed_on = on
    finding.save(update_fields=["rectification", "review_note", "reviewed_on"])
    _record(
        actor, inspection, "review", obj=finding, before=before,
        after=model_snapshot(finding, FINDING_FIELDS),
    )  # fmt: skip
    notices.tell_unit(
        notices.ACCEPTED if rectified else notices.REJECTED, inspection, finding.subject,
        f"f{finding.pk}:{_rounds(finding, 'review')}",
        clause=finding.clause, note=checked_note,
    )  # fmt: skip
    return finding
