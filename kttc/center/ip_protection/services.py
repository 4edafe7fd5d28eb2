"""Writes of IP protection cases (M11.2): ``ip_case_<verb>`` functions, keyword-only, each a
decision (``@decision``: the audit chain's lock first, then the case's row lock, DESIGN rule 9)
recorded in the audit chain with its clause and the hashes of its evidence. The rules are
:mod:`kttc.policy.ip_protection`; a refused step raises its PolicyError, naming the field and
the clause, before anything is stored.

* A rights holder (an enterprise, or a unit's transfer office) files a complaint or a request
  for adjudication naming the respondent (linked by its credit code when on the platform), the
  patent, the facts, the people it names and its evidence; the center's IP staff hear of it.
* The staff (``handle_ip_cases_all``) accept it (mediation then runs to its limit) or refuse it
  saying why; record mediation sessions (settled: closed with the agreement; failed: to a
  hearing; adjourned); schedule the hearing and keep its record; decide (text, day, outcome,
  measures); record the enforcement; publish the decision without personal data.
* Each step sets the limit of the next (DESIGN rule 5: computed once and kept) and clears the
  sweep's claims; the parties and the staff hear of it at once.

Legal dates: each service takes ``today`` (a date in Asia/Shanghai); left out, it is
:func:`kttc.center.ip_protection.selectors.today`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kttc.center.ip_protection import notices, selectors
from kttc.center.ip_protection.models import IpCase, IpCaseEvidence, MediationSession
from kttc.core.documents import Attachment, check_attachments, keep
from kttc.core.models import Organisation, User
from kttc.core.services import audit_record, decision, model_snapshot, require_capability
from kttc.policy import ip_protection as rules
from kttc.policy.errors import IdentifierError, PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.identifiers import validate_uscc
from kttc.policy.roles import Capability
from kttc.policy.text import check_text

CLAUSES = rules.CLAUSES
MAX_PERSONS = 50
REASON_MAX = 2000
FOLDER = "ip_cases"
FIELDS = (
    "status", "kind", "respondent_name", "respondent", "respondent_is_person", "patent_number",
    "patent_title", "facts", "persons", "filed_on", "intake_due_on", "accepted_on",
    "mediation_due_on", "reason", "refused_on", "agreement", "settled_on", "decision_due_on",
    "hearing_on", "hearing_place", "hearing_record", "decision", "decided_on", "outcome",
    "measures", "enforcement_due_on", "enforcement_record", "enforced_on", "published_on",
    "published_text", "due_on",
)  # fmt: skip


@dataclass(frozen=True)
class Filing:
    """What a rights holder states: the kind of case, the respondent (its name, and its credit
    code when it has one; whether it is a natural person; its address, kept private), the
    patent, the facts and request, and the people the case names."""

    kind: str
    respondent_name: str
    patent_number: str
    facts: str
    patent_title: str = ""
    respondent_credit_code: str = ""
    respondent_is_person: bool = False
    respondent_address: str = ""
    persons: Sequence[str] = field(default_factory=tuple)


def _record(actor: User, case: IpCase, action: str, **kwargs: Any) -> None:
    audit_record(
        actor=actor, organisation=case.complainant, action=f"ip_case.{action}", obj=case,
        clauses=CLAUSES, **kwargs,
    )  # fmt: skip


def _text(value: str, name: str, *, max_length: int = rules.TEXT_MAX) -> str:
    return rules.check_text(
        check_text(value or "", field=name, multiline=True), name, max_length=max_length
    )


def _respondent(filing: Filing, complainant: Organisation) -> tuple[Organisation | None, str]:
    """The respondent's organisation on the platform, found by its credit code."""
    code = filing.respondent_credit_code.strip()
    if not code:
        return None, ""
    try:
        code = validate_uscc(code)
    except IdentifierError as error:
        raise PolicyError(
            error.template, code=error.code, field="respondent_credit_code", clauses=CLAUSES,
            params=error.params,
        ) from None  # fmt: skip
    if code == complainant.credit_code:
        raise refuse(
            gettext_noop("The respondent cannot be the complainant."),
            "ip_case.same_party", "respondent_credit_code", CLAUSES,
        )  # fmt: skip
    return Organisation.objects.filter(credit_code=code).first(), code


def _check_evidence(attachments: Sequence[Attachment]) -> list[Attachment]:
    return check_attachments(
        attachments, field="evidence", clauses=CLAUSES, too_many_code="ip_case.too_many_documents"
    )


def _keep(case: IpCase, attachment: Attachment, actor: User) -> IpCaseEvidence:
    return keep(IpCaseEvidence, attachment, folder=FOLDER, actor=actor, case=case)


@decision
def ip_case_file(
    *,
    actor: User,
    complainant: Organisation,
    filing: Filing,
    evidence: Sequence[Attachment],
    today: date | None = None,
) -> IpCase:
    """M11.2: a rights holder files a complaint or a request for adjudication with its
    evidence, kept by hash; intake is due within five working days; the staff hear of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.FILE_IP_CASES, complainant)
    checked = _check_evidence(evidence)
    kind, number, _first, second = rules.check_case(
        filing.kind, filing.patent_number, complainant.name,
        check_text(filing.respondent_name, field="respondent"), len(checked),
    )  # fmt: skip
    respondent, code = _respondent(filing, complainant)
    if len(filing.persons) > MAX_PERSONS:
        raise refuse(
            gettext_noop("At most %(count)s people."), "ip_case.too_many_persons", "persons",
            CLAUSES, count=MAX_PERSONS,
        )  # fmt: skip
    persons = rules.check_names(check_text(p, field="persons") for p in filing.persons)
    case = IpCase.objects.create(
        kind=kind.value, complainant=complainant, filed_by=actor, respondent_name=second,
        respondent=respondent, respondent_credit_code=code,
        respondent_is_person=filing.respondent_is_person,
        respondent_address=check_text(filing.respondent_address, field="respondent_address")
        .strip()[:300],
        patent_number=number,
        patent_title=check_text(filing.patent_title, field="patent_title").strip()[:200],
        facts=_text(filing.facts, "facts"), persons=persons, filed_on=on,
        intake_due_on=rules.intake_due_on(on), due_on=rules.intake_due_on(on),
    )  # fmt: skip
    hashes = {a.title: _keep(case, a, actor).sha256 for a in checked}
    _record(
        actor, case, "file", after={**model_snapshot(case, FIELDS), "evidence": hashes},
        documents=[a.document for a in checked],
    )  # fmt: skip
    notices.tell_staff(case)
    return case


def _lock(actor: User, case: IpCase, step: rules.Step) -> IpCase:
    """The staff's row lock on the case, its step checked against its status under it."""
    require_capability(actor, Capability.HANDLE_IP_CASES_ALL)
    locked = (
        IpCase.objects.select_for_update(of=("self",))
        .select_related("complainant", "respondent")
        .get(pk=case.pk)
    )
    rules.check_case_step(locked.status, step)
    return locked


def _save(actor: User, case: IpCase, action: str, before: dict[str, Any], **extra: Any) -> IpCase:
    case.handled_by = actor
    case.save()
    _record(actor, case, action, before=before, after={**model_snapshot(case, FIELDS), **extra})
    return case


def _enter(case: IpCase, status: rules.CaseStatus, due: date | None) -> None:
    """The case enters ``status`` with the limit ``due``; the sweep's claims start anew."""
    case.status = status.value
    case.due_on = due
    case.reminded_at = None
    case.overdue_notified_at = None


@decision
def ip_case_accept(*, actor: User, case: IpCase, today: date | None = None) -> IpCase:
    """M11.2: the staff take the case on (立案); mediation runs to its limit."""
    on = today or selectors.today()
    case = _lock(actor, case, rules.Step.ACCEPT)
    before = model_snapshot(case, FIELDS)
    due = rules.limit_for(rules.CaseStatus.ACCEPTED, on)
    case.accepted_on, case.mediation_due_on = on, due
    _enter(case, rules.CaseStatus.ACCEPTED, due)
    case = _save(actor, case, "accept", before)
    assert due is not None
    notices.tell(notices.ACCEPTED, case, step=case.status, due=due.isoformat())
    return case


@decision
def ip_case_refuse(*, actor: User, case: IpCase, reason: str, today: date | None = None) -> IpCase:
    """M11.2: the staff do not take the case on, saying why."""
    on = today or selectors.today()
    case = _lock(actor, case, rules.Step.REFUSE)
    reason = rules.check_reason(_text(reason, "reason", max_length=REASON_MAX))
    before = model_snapshot(case, FIELDS)
    case.reason, case.refused_on = reason, on
    _enter(case, rules.CaseStatus.REFUSED, None)
    case = _save(actor, case, "refuse", before)
    notices.tell(notices.REFUSED, case, step=case.status, reason=reason)
    return case


@decision
def ip_case_mediate(
    *,
    actor: User,
    case: IpCase,
    held_on: date,
    outcome: str,
    notes: str = "",
    agreement: str = "",
    today: date | None = None,
) -> MediationSession:
    """M11.2: a mediation session on a day: settled, the case closes with the agreement;
    failed, it goes to a hearing, to be decided within 3 months of acceptance; adjourned,
    another session follows."""
    on = today or selectors.today()
    case = _lock(actor, case, rules.Step.MEDIATE)
    assert case.accepted_on is not None
    day = rules.check_day(held_on, field="held_on", after=case.accepted_on, today=on)
    checked, status, agreement = rules.check_mediation(outcome, agreement)
    if agreement:
        agreement = _text(agreement, "agreement")
    notes = check_text(notes or "", field="notes", multiline=True).strip()[: rules.TEXT_MAX]
    before = model_snapshot(case, FIELDS)
    session = MediationSession.objects.create(
        case=case, held_on=day, outcome=checked.value, notes=notes, recorded_by=actor
    )
    if status is rules.CaseStatus.SETTLED:
        case.agreement, case.settled_on = agreement, day
        _enter(case, status, None)
    elif status is rules.CaseStatus.HEARING:
        case.decision_due_on = rules.limit_for(status, case.accepted_on)
        _enter(case, status, case.decision_due_on)
    case = _save(
        actor, case, "mediate", before,
        session={"id": session.pk, "held_on": day.isoformat(), "outcome": checked.value},
    )  # fmt: skip
    if status is rules.CaseStatus.SETTLED:
        notices.tell(notices.SETTLED, case, step=session.pk, date=day.isoformat())
    elif status is rules.CaseStatus.HEARING:
        assert case.decision_due_on is not None
        notices.tell(
            notices.MEDIATION_FAILED, case, step=session.pk, date=day.isoformat(),
            due=case.decision_due_on.isoformat(),
        )  # fmt: skip
    else:
        notices.tell(notices.ADJOURNED, case, step=session.pk, date=day.isoformat())
    return session


@decision
def ip_case_schedule(
    *, actor: User, case: IpCase, hearing_on: date, place: str, today: date | None = None
) -> IpCase:
    """M11.2: the hearing's day (noticed at least three working days ahead) and place; it may
    be moved until its record is kept."""
    on = today or selectors.today()
    case = _lock(actor, case, rules.Step.SCHEDULE)
    if case.hearing_record:
        raise refuse(
            gettext_noop("The hearing is held and recorded already."), "ip_case.heard",
            "hearing_on", CLAUSES,
        )  # fmt: skip
    day, place = rules.check_hearing(hearing_on, check_text(place, field="place"), today=on)
    before = model_snapshot(case, FIELDS)
    case.hearing_on, case.hearing_place = day, place
    case = _save(actor, case, "schedule", before)
    notices.tell(
        notices.HEARING, case, step=f"{day.isoformat()}:{place}", date=day.isoformat(), place=place
    )
    return case


@decision
def ip_case_hear(*, actor: User, case: IpCase, record: str, today: date | None = None) -> IpCase:
    """M11.2: the record of the hearing, once it has been held."""
    on = today or selectors.today()
    case = _lock(actor, case, rules.Step.HEAR)
    rules.check_hearing_held(case.hearing_on, on)
    record = _text(record, "record")
    before = model_snapshot(case, FIELDS)
    case.hearing_record = record
    return _save(actor, case, "hear", before)


@decision
def ip_case_decide(
    *,
    actor: User,
    case: IpCase,
    decision_text: str,
    outcome: str,
    decided_on: date,
    measures: str = "",
    today: date | None = None,
) -> IpCase:
    """M11.2: the decision after the hearing: its text, day and outcome; measures ordered
    against a respondent found to infringe are to be enforced within their limit."""
    on = today or selectors.today()
    case = _lock(actor, case, rules.Step.DECIDE)
    checked, status, measures = rules.check_decision(
        rules.CaseKind(case.kind), outcome, check_text(measures or "", field="measures",
        multiline=True), heard=bool(case.hearing_record),
    )  # fmt: skip
    assert case.hearing_on is not None
    day = rules.check_day(decided_on, field="decided_on", after=case.hearing_on, today=on)
    text = _text(decision_text, "decision")
    before = model_snapshot(case, FIELDS)
    case.decision, case.decided_on, case.outcome, case.measures = text, day, checked.value, measures
    due = rules.limit_for(status, day)
    case.enforcement_due_on = due
    _enter(case, status, due)
    case = _save(actor, case, "decide", before)
    notices.tell(notices.DECIDED, case, step="decided", date=day.isoformat())
    return case


@decision
def ip_case_enforce(
    *, actor: User, case: IpCase, record: str, enforced_on: date, today: date | None = None
) -> IpCase:
    """M11.2: the measures ordered are done, recorded with their day; the case closes."""
    on = today or selectors.today()
    case = _lock(actor, case, rules.Step.ENFORCE)
    assert case.decided_on is not None
    day = rules.check_day(enforced_on, field="enforced_on", after=case.decided_on, today=on)
    before = model_snapshot(case, FIELDS)
    case.enforcement_record, case.enforced_on = _text(record, "record"), day
    _enter(case, rules.CaseStatus.CLOSED, None)
    case = _save(actor, case, "enforce", before)
    notices.tell(notices.ENFORCED, case, step=case.status, date=day.isoformat())
    return case


def private_names(case: IpCase) -> list[str]:
    """The people whose names a publication leaves out: those the case names, the person who
    filed it, the staff who handled it and a respondent who is a natural person."""
    names = [*case.persons, case.filed_by.full_name]
    if case.handled_by is not None:
        names.append(case.handled_by.full_name)
    if case.respondent_is_person:
        names.append(case.respondent_name)
    return [n for n in names if n]


def published_text(case: IpCase) -> str:
    """M11.2: the decision without personal data (see :func:`kttc.policy.ip_protection.redact`),
    the respondent's address included."""
    names = private_names(case)
    if case.respondent_address:
        names.append(case.respondent_address)
    return rules.redact(case.decision, names)


@decision
def ip_case_publish(*, actor: User, case: IpCase, today: date | None = None) -> IpCase:
    """M11.2: the decision is published once, without personal data; the parties hear of it."""
    on = today or selectors.today()
    case = _lock(actor, case, rules.Step.PUBLISH)
    if case.published_on is not None:
        raise refuse(
            gettext_noop("The decision is published already."), "ip_case.published", None, CLAUSES
        )
    before = model_snapshot(case, FIELDS)
    case.published_text, case.published_on = published_text(case), on
    case = _save(actor, case, "publish", before)
    notices.tell(notices.PUBLISHED, case, step="published")
    return case
