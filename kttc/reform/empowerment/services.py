"""Writes of the empowerment reform (M1): ``<thing>_<verb>`` functions, keyword-only, one
transaction each, recording their decisions with clause ids and document hashes through
``kttc.core.services.audit_record``. The rules are ``kttc.policy.empowerment``; a refused
request raises its PolicyError before anything is stored.

Legal dates: each service takes ``today`` (a date in Asia/Shanghai); left out, it is
:func:`kttc.reform.dates.today`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import timezone

from kttc.core.documents import check_document
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.selectors import policy_version_in_force
from kttc.core.services import Document, audit_record, decision, model_snapshot, require_capability
from kttc.policy import empowerment as empowerment_rules
from kttc.policy.errors import PolicyError
from kttc.policy.evidence import document_hash
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, OrganisationKind
from kttc.reform.empowerment import documents, selectors
from kttc.reform.empowerment.choices import ApplicationStatus, DocumentKind, EventKind
from kttc.reform.empowerment.models import (
    EmpowermentApplication,
    EmpowermentDocument,
    EmpowermentEvent,
    EmpowermentNotice,
    EmpowermentRules,
    Objection,
)
from kttc.registry.models import Achievement

RULES_FIELDS = (
    "grants_ownership",
    "grants_long_term_use",
    "max_term_years",
    "required_documents",
    "regulations",
)


def required_text(value: str, field: str, clauses: tuple[str, ...], template: str) -> str:
    if not value.strip():
        raise PolicyError(template, code="required", field=field, clauses=clauses)
    return value.strip()


def record(
    actor: User | None,
    application: EmpowermentApplication,
    action: str,
    obj: Any,
    clauses: Sequence[str],
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    documents_: Sequence[Document] = (),
    on: date | None = None,
) -> None:
    audit_record(
        actor=actor,
        organisation=application.unit,
        action=f"empowerment.{action}",
        obj=obj,
        before=before,
        after=after,
        clauses=list(dict.fromkeys(clauses)),
        documents=documents_,
        policy_version=_version_code(on) if on else None,
    )


def _version_code(on: date) -> str:
    """The policy version in force on the decision's legal date ("" after the measures lapse:
    a right granted under them still runs its term)."""
    try:
        return policy_version_in_force(on).code
    except PolicyError:
        return ""


def add_event(
    application: EmpowermentApplication, kind: EventKind, actor: User | None, note: str = ""
) -> None:
    EmpowermentEvent.objects.create(application=application, kind=kind, actor=actor, note=note)


# --- the unit's rules (M1.3) -----------------------------------------------------------------


@decision
def rules_set(
    *,
    actor: User,
    unit: Organisation,
    grants_ownership: bool,
    grants_long_term_use: bool,
    max_term_years: int | None,
    required_documents: Sequence[str] = (),
    regulations: str = "",
) -> EmpowermentRules:
    """M1.3: the unit's transfer office sets the unit's own empowerment rules: which rights it
    grants, the longest initial term of a long-term use right, the documents it requires."""
    require_capability(actor, Capability.MANAGE_EMPOWERMENT, unit)
    names = tuple(name.strip() for name in required_documents)
    offered = {
        empowerment_rules.Right.OWNERSHIP: grants_ownership,
        empowerment_rules.Right.LONG_TERM_USE: grants_long_term_use,
    }
    term = max_term_years if grants_long_term_use else None
    empowerment_rules.check_rules(
        empowerment_rules.UnitRules(frozenset(r for r, on in offered.items() if on), term, names)
    )
    current = EmpowermentRules.objects.select_for_update(of=("self",)).filter(unit=unit).first()
    before = model_snapshot(current, RULES_FIELDS) if current else None
    record = current or EmpowermentRules(unit=unit)
    record.grants_ownership, record.grants_long_term_use = grants_ownership, grants_long_term_use
    record.max_term_years, record.required_documents = term, list(names)
    record.regulations, record.updated_by = regulations.strip(), actor
    record.save()
    audit_record(
        actor=actor,
        organisation=unit,
        action="empowerment.rules_set",
        obj=record,
        before=before,
        after=model_snapshot(record, RULES_FIELDS),
        clauses=("M1.3",),
    )
    return record


# --- applying (M1.1, M1.2, M1.4, M1.8) -------------------------------------------------------


def result_facts(achievement: Achievement) -> empowerment_rules.ResultFacts:
    project = achievement.source_project
    return empowerment_rules.ResultFacts(
        unit_kind=OrganisationKind(achievement.unit.kind),
        unit_municipal=achievement.unit.is_municipal,
        municipal_project=bool(project and project.is_municipal),
        national_interest=achievement.national_interest,
        confidentiality=achievement.confidentiality,
    )


def unit_rules_of(unit: Organisation) -> EmpowermentRules:
    found = selectors.rules_of(unit)
    if found is None:
        raise PolicyError(
            gettext_noop("The unit has not set its empowerment rules yet."),
            code="empowerment.no_rules",
            field="unit",
            clauses=("M1.3",),
        )
    return found


def _parse_right(right: str) -> empowerment_rules.Right:
    try:
        return empowerment_rules.Right(right)
    except ValueError:
        raise PolicyError(
            gettext_noop("The right is ownership or a long-term use right."),
            code="empowerment.right",
            field="right",
            clauses=("M1.2",),
        ) from None


def _check_free(achievement: Achievement) -> None:
    """One open application per result, and none once a right is in force on it."""
    if selectors.open_application_of(achievement) is not None:
        raise PolicyError(
            gettext_noop("This result already has an application under way."),
            code="empowerment.already_open",
            field="achievement",
            clauses=("M1.4",),
        )
    if selectors.rights_of(achievement).filter(status="active").exists():
        raise PolicyError(
            gettext_noop("A right granted on this result is still in force."),
            code="empowerment.already_granted",
            field="achievement",
            clauses=("M1.2",),
        )


def keep_document(
    application: EmpowermentApplication,
    kind: DocumentKind,
    title: str,
    document: Document,
    actor: User,
) -> EmpowermentDocument:
    name, digest = documents.store_file(document)
    return EmpowermentDocument.objects.create(
        application=application,
        kind=kind,
        title=title[:200],
        file_name=document.name,
        sha256=digest,
        size=len(document.content),
        file=name,
        uploaded_by=actor,
    )


@decision
def empowerment_apply(
    *,
    actor: User,
    achievement: Achievement,
    right: str,
    term_years: int | None,
    summary: str,
    plan: Document,
    partners: Sequence[str] = (),
    attachments: Sequence[tuple[str, Document]] = (),
    today: date | None = None,
) -> EmpowermentApplication:
    """M1.1-M1.4, M1.8: a completer applies to the result's unit for ownership or a long-term
    use right, with the transformation implementation plan, alone or with partner units, and
    the documents the unit's rules require (``attachments``: title and document)."""
    on = today or selectors.today()
    achievement = (
        Achievement.objects.select_for_update(of=("self",))
        .select_related("unit", "source_project")
        .get(pk=achievement.pk)
    )
    require_capability(actor, Capability.APPLY_EMPOWERMENT, achievement.unit)
    if not selectors.is_completer(actor, achievement):
        raise AccessDenied(
            gettext_noop("Only a completer of the result applies for its rights."),
            clauses=("M1.4",),
        )
    empowerment_rules.check_eligible(result_facts(achievement))
    unit_rules = unit_rules_of(achievement.unit).as_policy()
    wanted = _parse_right(right)
    empowerment_rules.check_request(unit_rules, wanted, term_years)
    partner_names = empowerment_rules.check_partners(partners)
    summary = required_text(
        summary, "summary", ("M1.4",), gettext_noop("Summarise the transformation plan.")
    )
    plan = check_document(plan, field="plan")
    attached = [(t.strip(), check_document(d, field="documents")) for t, d in attachments]
    empowerment_rules.check_documents(unit_rules, [title for title, _ in attached])
    _check_free(achievement)
    application = EmpowermentApplication.objects.create(
        achievement=achievement,
        unit=achievement.unit,
        applicant=actor,
        right=wanted.value,
        term_years=term_years,
        team=[c.name for c in achievement.completers.all()],
        partners=list(partner_names),
        summary=summary,
        applied_on=on,
    )
    kept = [keep_document(application, DocumentKind.PLAN, "", plan, actor)]
    for title, document in attached:
        kind = (
            DocumentKind.REQUIRED if title in unit_rules.required_documents else DocumentKind.OTHER
        )
        kept.append(keep_document(application, kind, title, document, actor))
    add_event(application, EventKind.APPLIED, actor)
    record(
        actor,
        application,
        "apply",
        application,
        ("M1.1", "M1.2", "M1.3", "M1.4"),
        after={
            **model_snapshot(application, ("achievement", "right", "term_years", "partners")),
            "applied_on": on,
            "documents": {d.title or d.kind: d.sha256 for d in kept},
        },
        documents_=[plan, *(d for _, d in attached)],
    )
    return application


# --- the unit's decisions (M1.5) --------------------------------------------------------------


def lock_application(application: EmpowermentApplication) -> EmpowermentApplication:
    return (
        EmpowermentApplication.objects.select_for_update(of=("self",))
        .select_related("unit", "achievement__unit", "achievement__source_project")
        .get(pk=application.pk)
    )


def act_as_unit(actor: User, application: EmpowermentApplication) -> empowerment_rules.Actor:
    require_capability(actor, Capability.MANAGE_EMPOWERMENT, application.unit)
    return empowerment_rules.Actor.UNIT


def act_as_team(actor: User, application: EmpowermentApplication) -> empowerment_rules.Actor:
    if actor.pk != application.applicant_id:
        raise AccessDenied(
            gettext_noop("Only the applicant acts for the completers here."), clauses=("M1.4",)
        )
    return empowerment_rules.Actor.TEAM


def move(
    application: EmpowermentApplication,
    target: ApplicationStatus,
    step: empowerment_rules.Transition,
    *,
    actor: User,
    event: EventKind,
    on: date,
    note: str = "",
    extra_clauses: Sequence[str] = (),
    after: dict[str, Any] | None = None,
    documents_: Sequence[Document] = (),
) -> EmpowermentApplication:
    before = model_snapshot(application, ("status",))
    application.status = target
    if target in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
        application.decided_on = on
    if note:
        application.reason = note
    application.save()
    add_event(application, event, actor, note)
    record(
        actor,
        application,
        event.value,
        application,
        (*step.clauses, *extra_clauses),
        before=before,
        after={"status": target.value, "on": on, "reason": note, **(after or {})},
        documents_=documents_,
        on=on,
    )
    return application


@decision
def empowerment_approve(
    *, actor: User, application: EmpowermentApplication, today: date | None = None
) -> EmpowermentApplication:
    """M1.5: the unit reviews the application and approves it (the result is still eligible,
    M1.1 and M1.8, and the right still one its rules grant, M1.3)."""
    on = today or selectors.today()
    application = lock_application(application)
    who = act_as_unit(actor, application)
    empowerment_rules.check_eligible(result_facts(application.achievement))
    unit_rules = unit_rules_of(application.unit).as_policy()
    empowerment_rules.check_request(
        unit_rules, empowerment_rules.Right(application.right), application.term_years
    )
    step = empowerment_rules.check_transition(
        empowerment_rules.Status(application.status),
        empowerment_rules.Status.APPROVED,
        who,
        empowerment_rules.Facts(on=on),
    )
    return move(
        application,
        ApplicationStatus.APPROVED,
        step,
        actor=actor,
        event=EventKind.APPROVED,
        on=on,
        extra_clauses=("M1.1", "M1.3", "M1.8"),
    )


@decision
def empowerment_reject(
    *, actor: User, application: EmpowermentApplication, reason: str, today: date | None = None
) -> EmpowermentApplication:
    """M1.5: the unit refuses the application (before or after the notice), saying why."""
    on = today or selectors.today()
    application = lock_application(application)
    who = act_as_unit(actor, application)
    step = empowerment_rules.check_transition(
        empowerment_rules.Status(application.status),
        empowerment_rules.Status.REJECTED,
        who,
        empowerment_rules.Facts(on=on, reason=reason),
    )
    return move(
        application,
        ApplicationStatus.REJECTED,
        step,
        actor=actor,
        event=EventKind.REJECTED,
        on=on,
        note=reason.strip(),
    )


@decision
def empowerment_withdraw(
    *,
    actor: User,
    application: EmpowermentApplication,
    reason: str = "",
    today: date | None = None,
) -> EmpowermentApplication:
    """M1.4: the completers withdraw their application before a right is granted."""
    on = today or selectors.today()
    application = lock_application(application)
    who = act_as_team(actor, application)
    step = empowerment_rules.check_transition(
        empowerment_rules.Status(application.status),
        empowerment_rules.Status.WITHDRAWN,
        who,
        empowerment_rules.Facts(on=on),
    )
    return move(
        application,
        ApplicationStatus.WITHDRAWN,
        step,
        actor=actor,
        event=EventKind.WITHDRAWN,
        on=on,
        note=reason.strip(),
    )


@decision
def notice_publish(
    *,
    actor: User,
    application: EmpowermentApplication,
    days: int | None = None,
    today: date | None = None,
) -> EmpowermentNotice:
    """M1.5: publish the approved application inside the unit for at least the number of days
    in force on the day of publication (``days``, when longer); the period is computed once
    here and stored."""
    on = today or selectors.today()
    application = lock_application(application)
    who = act_as_unit(actor, application)
    version = policy_version_in_force(on)
    minimum = version.parameters.empowerment_notice_min_days
    period = empowerment_rules.notice_period(on, minimum if days is None else days, minimum)
    step = empowerment_rules.check_transition(
        empowerment_rules.Status(application.status),
        empowerment_rules.Status.IN_NOTICE,
        who,
        empowerment_rules.Facts(on=on),
    )
    text = documents.render_text("reform/notice.txt", application, period=period)
    notice = EmpowermentNotice.objects.create(
        application=application,
        published_on=on,
        days=period.days,
        min_days=minimum,
        policy_version=version.code,
        last_day=period.last_day,
        grant_from=period.grant_from,
        text=text,
        text_sha256=document_hash(text.encode("utf-8")),
        published_by=actor,
    )
    move(
        application,
        ApplicationStatus.IN_NOTICE,
        step,
        actor=actor,
        event=EventKind.NOTICE,
        on=on,
        after=model_snapshot(
            notice, ("published_on", "days", "min_days", "last_day", "grant_from")
        ),
        documents_=[documents.as_document("notice.txt", text)],
    )
    return notice


# --- objections (M1.5) ------------------------------------------------------------------------


@decision
def objection_raise(
    *, actor: User, notice: EmpowermentNotice, text: str, today: date | None = None
) -> Objection:
    """M1.5: a member of the unit objects while the notice runs."""
    on = today or selectors.today()
    application = lock_application(notice.application)
    require_capability(actor, Capability.VIEW_OWN_ORGANISATION, application.unit)
    notice = EmpowermentNotice.objects.get(pk=notice.pk)
    if application.status != ApplicationStatus.IN_NOTICE:
        raise PolicyError(
            gettext_noop("This notice is closed; the application is no longer in notice."),
            code="empowerment.notice_closed",
            field="text",
            clauses=("M1.5",),
        )
    empowerment_rules.check_objection_window(notice.as_policy(), on)
    text = required_text(text, "text", ("M1.5",), gettext_noop("Write the objection."))
    objection = Objection.objects.create(notice=notice, raised_by=actor, raised_on=on, text=text)
    add_event(application, EventKind.OBJECTION, actor)
    record(
        actor,
        application,
        "objection_raise",
        objection,
        ("M1.5",),
        after={"notice": notice.pk, "raised_on": on, "text": text},
    )
    return objection


@decision
def objection_answer(*, actor: User, objection: Objection, answer: str) -> Objection:
    """M1.5: the unit answers an objection; every one is answered before a grant."""
    application = lock_application(objection.notice.application)
    act_as_unit(actor, application)
    objection = Objection.objects.select_for_update(of=("self",)).get(pk=objection.pk)
    if not objection.is_open:
        raise PolicyError(
            gettext_noop("This objection is answered already."),
            code="empowerment.objection_answered",
            field="answer",
            clauses=("M1.5",),
        )
    objection.answer = required_text(answer, "answer", ("M1.5",), gettext_noop("Write the answer."))
    objection.answered_by = actor
    objection.answered_at = timezone.now()
    objection.save()
    add_event(application, EventKind.ANSWER, actor)
    record(
        actor,
        application,
        "objection_answer",
        objection,
        ("M1.5",),
        before={"answer": ""},
        after={"answer": objection.answer},
    )
    return objection
