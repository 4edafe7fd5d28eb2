"""Writes of fast patent pre-examination (M11.1): ``pre_examination_<verb>`` functions,
keyword-only, each a decision (``@decision``: the audit chain's lock first, then the request's
row lock, DESIGN rule 9) recorded in the audit chain with its clause and the hashes of its
documents. The rules are :mod:`kttc.policy.ip_services`; a refused request raises its
PolicyError, naming the field and the clause, before anything is stored.

* An applicant (an enterprise, or a unit's transfer office) files a request with its documents;
  eligibility (industry, registration in Kunming) is checked at filing; the staff hear of it.
* The center's staff (``pre_examine_all``) accept it into the queue (its due date computed once
  and kept, DESIGN rule 5), return it for correction or refuse it saying why; the applicant
  corrects a returned request and files it again.
* The staff record the forwarding to the national pre-examination with its reference, then its
  outcome (passed or failed, on a day). The applicant hears of each step.

Legal dates: each service takes ``today`` (a date in Asia/Shanghai); left out, it is
:func:`kttc.center.ip_services.selectors.today`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kttc.center.ip_services import notices, selectors
from kttc.center.ip_services.models import PreExamination, PreExaminationDocument
from kttc.core.documents import Attachment, check_attachments, keep
from kttc.core.models import Organisation, User
from kttc.core.services import Document, audit_record, decision, model_snapshot, require_capability
from kttc.policy import ip_services as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.policy.text import check_text

CLAUSES = rules.CLAUSES
REASON_MAX = 2000
FOLDER = "pre_examinations"
FIELDS = (
    "status", "title", "kind", "industry_code", "industry", "credit_code", "filed_on",
    "submissions", "accepted_on", "due_on", "forwarded_on", "reference", "outcome_on", "reason",
)  # fmt: skip


@dataclass(frozen=True)
class Filing:
    """What an applicant states: the invention's title, the kind of application and the
    industry code (GB/T 4754-2017)."""

    title: str
    kind: str
    industry_code: str


def _record(actor: User, request: PreExamination, action: str, **kwargs: Any) -> None:
    audit_record(
        actor=actor,
        organisation=request.applicant,
        action=f"pre_examination.{action}",
        obj=request,
        clauses=CLAUSES,
        **kwargs,
    )


def _text(value: str, field: str, template: str, max_length: int) -> str:
    text = check_text(value or "", field=field, multiline=True).strip()
    if not text:
        raise refuse(template, "required", field, CLAUSES)
    if len(text) > max_length:
        raise refuse(
            gettext_noop("At most %(max)s characters."), "too_long", field, CLAUSES, max=max_length
        )
    return text


def _check_filing(filing: Filing, applicant: Organisation) -> dict[str, Any]:
    """M11.1: the title, the kind, the industry and the applicant's registration in Kunming."""
    title = _text(
        filing.title, "title", gettext_noop("Give the title of the invention."), rules.TITLE_MAX
    )
    kind = rules.check_kind(filing.kind)
    code, industry = rules.check_industry(filing.industry_code)
    credit_code = rules.check_local(applicant.credit_code)
    return {
        "title": title, "kind": kind.value, "industry_code": code,
        "industry": industry.value, "credit_code": credit_code,
    }  # fmt: skip


def _check_documents(attachments: Sequence[Attachment], *, required: bool) -> list[Attachment]:
    if required and not attachments:
        raise refuse(
            gettext_noop("Attach the patent application's documents."),
            "pre_examination.no_documents",
            "documents",
            CLAUSES,
        )
    return check_attachments(
        attachments, field="documents", clauses=CLAUSES,
        too_many_code="pre_examination.too_many_documents",
    )  # fmt: skip


def _keep(request: PreExamination, attachment: Attachment, actor: User) -> PreExaminationDocument:
    return keep(
        PreExaminationDocument, attachment, folder=FOLDER, actor=actor, request=request
    )


def _kept(
    request: PreExamination, attachments: Sequence[Attachment], actor: User
) -> dict[str, str]:
    return {a.title: _keep(request, a, actor).sha256 for a in attachments}


@decision
def pre_examination_file(
    *,
    actor: User,
    applicant: Organisation,
    filing: Filing,
    documents: Sequence[Attachment],
    today: date | None = None,
) -> PreExamination:
    """M11.1: an applicant files for fast pre-examination of a patent application in biological
    products manufacturing or intelligent manufacturing equipment, being registered in Kunming;
    the documents are kept by their hash; the center's staff hear of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.REQUEST_PRE_EXAMINATION, applicant)
    applicant = Organisation.objects.select_for_update().get(pk=applicant.pk)
    values = _check_filing(filing, applicant)
    checked = _check_documents(documents, required=True)
    request = PreExamination.objects.create(
        applicant=applicant, filed_by=actor, filed_on=on, **values
    )
    hashes = _kept(request, checked, actor)
    _record(
        actor, request, "file",
        after={**model_snapshot(request, FIELDS), "documents": hashes},
        documents=[a.document for a in checked],
    )  # fmt: skip
    notices.tell_staff(request)
    return request


def _lock(request: PreExamination) -> PreExamination:
    return (
        PreExamination.objects.select_for_update(of=("self",))
        .select_related("applicant")
        .get(pk=request.pk)
    )


def _staff_lock(actor: User, request: PreExamination) -> PreExamination:
    require_capability(actor, Capability.PRE_EXAMINE_ALL)
    return _lock(request)


def _step(
    actor: User,
    request: PreExamination,
    step: rules.Step,
    action: str,
    changes: dict[str, Any],
    documents: Sequence[Document] = (),
    extra: dict[str, Any] | None = None,
) -> PreExamination:
    """Take ``step`` on the locked ``request``: apply ``changes``, save, audit."""
    status = rules.check_step(request.status, step)
    before = model_snapshot(request, FIELDS)
    for name, value in changes.items():
        setattr(request, name, value)
    request.status = status.value
    request.save()
    _record(
        actor, request, action, before=before,
        after={**model_snapshot(request, FIELDS), **(extra or {})}, documents=documents,
    )  # fmt: skip
    return request


@decision
def pre_examination_accept(
    *, actor: User, request: PreExamination, today: date | None = None
) -> PreExamination:
    """M11.1: the staff accept the request into the queue; its due date (the center's
    commitment in working days) is computed once and kept; the applicant hears of it."""
    on = today or selectors.today()
    request = _staff_lock(actor, request)
    rules.check_step(request.status, rules.Step.ACCEPT)
    due = rules.due_on(on)
    request = _step(
        actor, request, rules.Step.ACCEPT, "accept",
        {"accepted_on": on, "due_on": due, "decided_by": actor, "reason": ""},
    )  # fmt: skip
    notices.tell_applicant(notices.ACCEPTED, request, due=due.isoformat())
    return request


@decision
def pre_examination_return(
    *, actor: User, request: PreExamination, reason: str, today: date | None = None
) -> PreExamination:
    """M11.1: the staff return the request for correction, saying what to correct."""
    request = _staff_lock(actor, request)
    rules.check_step(request.status, rules.Step.RETURN)
    reason = _text(reason, "reason", gettext_noop("Say what to correct."), REASON_MAX)
    request = _step(
        actor, request, rules.Step.RETURN, "return", {"reason": reason, "decided_by": actor}
    )
    notices.tell_applicant(notices.RETURNED, request, reason=reason)
    return request


@decision
def pre_examination_refuse(
    *, actor: User, request: PreExamination, reason: str, today: date | None = None
) -> PreExamination:
    """M11.1: the staff refuse the request (new, or accepted and not yet forwarded), saying
    why; the applicant hears of it."""
    request = _staff_lock(actor, request)
    rules.check_step(request.status, rules.Step.REFUSE)
    reason = _text(reason, "reason", gettext_noop("Say why the request is refused."), REASON_MAX)
    request = _step(
        actor, request, rules.Step.REFUSE, "refuse", {"reason": reason, "decided_by": actor}
    )
    notices.tell_applicant(notices.REFUSED, request, reason=reason)
    return request


@decision
def pre_examination_resubmit(
    *,
    actor: User,
    request: PreExamination,
    filing: Filing,
    documents: Sequence[Attachment] = (),
    today: date | None = None,
) -> PreExamination:
    """M11.1: the applicant corrects a returned request (its statement, more documents) and
    files it again; eligibility is checked again; the staff hear of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.REQUEST_PRE_EXAMINATION, request.applicant)
    request = _lock(request)
    rules.check_step(request.status, rules.Step.RESUBMIT)
    values = _check_filing(filing, request.applicant)
    checked = _check_documents(documents, required=False)
    hashes = _kept(request, checked, actor)
    request = _step(
        actor, request, rules.Step.RESUBMIT, "resubmit",
        {**values, "filed_on": on, "submissions": request.submissions + 1, "reason": ""},
        documents=[a.document for a in checked], extra={"documents": hashes},
    )  # fmt: skip
    notices.tell_staff(request)
    return request


@decision
def pre_examination_forward(
    *, actor: User, request: PreExamination, reference: str, today: date | None = None
) -> PreExamination:
    """M11.1: the staff record the forwarding of an accepted request to the national
    pre-examination, with its reference; the applicant hears of it."""
    on = today or selectors.today()
    request = _staff_lock(actor, request)
    rules.check_step(request.status, rules.Step.FORWARD)
    reference = rules.check_reference(reference)
    request = _step(
        actor, request, rules.Step.FORWARD, "forward",
        {"forwarded_on": on, "reference": reference, "decided_by": actor},
    )  # fmt: skip
    notices.tell_applicant(notices.FORWARDED, request, date=on.isoformat(), reference=reference)
    return request


@decision
def pre_examination_outcome(
    *,
    actor: User,
    request: PreExamination,
    passed: bool,
    decided_on: date,
    today: date | None = None,
) -> PreExamination:
    """M11.1: the staff record the national pre-examination's outcome (passed or not) and its
    day; the applicant hears of it."""
    on = today or selectors.today()
    request = _staff_lock(actor, request)
    step = rules.Step.PASS if passed else rules.Step.FAIL
    rules.check_step(request.status, step)
    assert request.forwarded_on is not None
    day = rules.check_outcome_date(decided_on, forwarded_on=request.forwarded_on, today=on)
    request = _step(actor, request, step, "outcome", {"outcome_on": day})
    notices.tell_applicant(
        notices.PASSED if passed else notices.FAILED, request, date=day.isoformat()
    )
    return request
