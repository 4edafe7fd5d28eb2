"""Writes of the empowerment reform, second half: the written agreement (M1.6) and the granted
right (M1.2): grant, extension (M1.7), expiry and revocation. Same rules as
``kttc.reform.empowerment.services``: keyword-only, one transaction each, audited with clause
ids and document hashes, nothing stored when a rule refuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kttc.core.documents import check_document
from kttc.core.models import User
from kttc.core.selectors import parameters_in_force
from kttc.core.services import Document, decision, decision_transaction, model_snapshot
from kttc.policy import empowerment as empowerment_rules
from kttc.policy.errors import PolicyError
from kttc.policy.evidence import document_hash
from kttc.policy.i18n import gettext_noop
from kttc.reform.empowerment import documents, selectors
from kttc.reform.empowerment.choices import (
    ApplicationStatus,
    DocumentKind,
    EventKind,
    RightStatus,
    Side,
)
from kttc.reform.empowerment.models import (
    AgreementSignature,
    EmpowermentAgreement,
    EmpowermentApplication,
    EmpowermentGrant,
    RightExtension,
)
from kttc.reform.empowerment.services import (
    act_as_team,
    act_as_unit,
    add_event,
    keep_document,
    lock_application,
    move,
    record,
    required_text,
    result_facts,
    unit_rules_of,
)


def _agreement_open(application: EmpowermentApplication) -> None:
    if application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.IN_NOTICE):
        raise PolicyError(
            gettext_noop(
                "The agreement is drawn up and signed once the unit has approved the "
                "application and before the right is granted."
            ),
            code="empowerment.agreement_status",
            field="status",
            clauses=("M1.6",),
        )


@decision
def agreement_draw_up(
    *,
    actor: User,
    application: EmpowermentApplication,
    team_share: Decimal,
    terms: str,
    today: date | None = None,
) -> EmpowermentAgreement:
    """M1.6, M5.2: the unit writes the agreement: the completers' share of the net income, not
    below the parameter in force, and the other terms. It can be rewritten until a side signs."""
    on = today or selectors.today()
    application = lock_application(application)
    act_as_unit(actor, application)
    _agreement_open(application)
    minimum = parameters_in_force(on).completer_income_min_share
    empowerment_rules.check_team_share(team_share, minimum)
    terms = required_text(terms, "terms", ("M1.6",), gettext_noop("Write the other terms."))
    current = EmpowermentAgreement.objects.filter(application=application).first()
    if current is not None and current.signatures.exists():
        raise PolicyError(
            gettext_noop("The agreement is signed already; its text cannot change."),
            code="empowerment.agreement_signed",
            field="terms",
            clauses=("M1.6",),
        )
    text = documents.render_text(
        "reform/agreement.txt", application, share=documents.percent(team_share), terms=terms
    )
    before = model_snapshot(current, ("team_share", "text_sha256")) if current else None
    agreement = current or EmpowermentAgreement(application=application)
    agreement.team_share, agreement.min_share, agreement.terms = team_share, minimum, terms
    agreement.text, agreement.drawn_by = text, actor
    agreement.text_sha256 = document_hash(text.encode("utf-8"))
    agreement.save()
    add_event(application, EventKind.AGREEMENT, actor)
    record(
        actor,
        application,
        "agreement_draw_up",
        agreement,
        ("M1.6", "M5.2"),
        before=before,
        after=model_snapshot(agreement, ("team_share", "min_share", "text_sha256")),
        documents_=[documents.as_document("agreement.txt", text)],
        on=on,
    )
    return agreement


@decision
def agreement_sign(
    *,
    actor: User,
    agreement: EmpowermentAgreement,
    side: str,
    today: date | None = None,
) -> AgreementSignature:
    """M1.6: one side signs the agreement on the platform: the signer, the time and the hash of
    the text signed are kept. The unit signs through its transfer office, the completers
    through their applicant."""
    on = today or selectors.today()
    application = lock_application(agreement.application)
    if side == Side.UNIT:
        act_as_unit(actor, application)
    elif side == Side.TEAM:
        act_as_team(actor, application)
    else:
        raise PolicyError(
            gettext_noop("The side is the unit or the completers."),
            code="choice",
            field="side",
            clauses=("M1.6",),
        )
    _agreement_open(application)
    agreement = EmpowermentAgreement.objects.get(pk=agreement.pk)
    empowerment_rules.check_team_share(
        agreement.team_share, parameters_in_force(on).completer_income_min_share
    )
    if agreement.signatures.filter(side=side).exists():
        raise PolicyError(
            gettext_noop("This side has signed already."),
            code="empowerment.signed_twice",
            field="side",
            clauses=("M1.6",),
        )
    signature = AgreementSignature.objects.create(
        agreement=agreement,
        side=side,
        signer=actor,
        signed_on=on,
        text_sha256=agreement.text_sha256,
    )
    add_event(application, EventKind.SIGNED, actor)
    record(
        actor,
        application,
        "agreement_sign",
        agreement,
        ("M1.6",),
        after={"side": side, "signed_on": on, "text_sha256": agreement.text_sha256},
        documents_=[documents.as_document("agreement.txt", agreement.text)],
    )
    return signature


# --- the right (M1.2, M1.7) -------------------------------------------------------------------


@decision
def right_grant(
    *, actor: User, application: EmpowermentApplication, today: date | None = None
) -> EmpowermentGrant:
    """M1.2, M1.5, M1.6: the unit grants the right once the notice has run its course, every
    objection is answered and both sides have signed the agreement; the result must still be
    eligible (M1.1, M1.8). A long-term use right runs for its term from today."""
    on = today or selectors.today()
    application = lock_application(application)
    who = act_as_unit(actor, application)
    notice = getattr(application, "notice", None)
    agreement = EmpowermentAgreement.objects.filter(application=application).first()
    facts = empowerment_rules.Facts(
        on=on,
        notice=notice.as_policy() if notice else None,
        open_objections=notice.objections.filter(answered_at__isnull=True).count() if notice else 0,
        agreement_signed=bool(agreement and agreement.fully_signed),
    )
    step = empowerment_rules.check_transition(
        empowerment_rules.Status(application.status), empowerment_rules.Status.GRANTED, who, facts
    )
    empowerment_rules.check_eligible(result_facts(application.achievement))
    right = empowerment_rules.Right(application.right)
    assert agreement is not None and notice is not None  # the guards saw to it
    grant = EmpowermentGrant.objects.create(
        application=application,
        achievement=application.achievement,
        unit=application.unit,
        right=right.value,
        holders=application.team,
        partners=application.partners,
        team_share=agreement.team_share,
        starts_on=on,
        ends_on=empowerment_rules.right_ends(right, on, application.term_years),
        granted_by=actor,
    )
    move(
        application,
        ApplicationStatus.GRANTED,
        step,
        actor=actor,
        event=EventKind.GRANTED,
        on=on,
        extra_clauses=("M1.1", "M1.8"),
        after={
            **model_snapshot(grant, ("right", "starts_on", "ends_on", "team_share")),
            "grant": grant.pk,
            "notice_sha256": notice.text_sha256,
            "agreement_sha256": agreement.text_sha256,
            "documents": {d.title or d.kind: d.sha256 for d in application.documents.all()},
        },
        documents_=[
            documents.as_document("notice.txt", notice.text),
            documents.as_document("agreement.txt", agreement.text),
        ],
    )
    return grant


def _lock_grant(grant: EmpowermentGrant) -> EmpowermentGrant:
    return (
        EmpowermentGrant.objects.select_for_update(of=("self",))
        .select_related("application__unit", "unit")
        .get(pk=grant.pk)
    )


def _right_facts(
    grant: EmpowermentGrant,
    on: date,
    *,
    reason: str = "",
    years: int = 0,
    max_years: int | None = None,
) -> empowerment_rules.RightFacts:
    return empowerment_rules.RightFacts(
        right=empowerment_rules.Right(grant.right),
        on=on,
        ends_on=grant.ends_on,
        reason=reason,
        years=years,
        max_years=max_years,
    )


@decision
def right_extend(
    *,
    actor: User,
    grant: EmpowermentGrant,
    years: int,
    report: str,
    report_document: Document | None = None,
    today: date | None = None,
) -> RightExtension:
    """M1.7: on the team's report of progress and income, the unit extends a long-term use
    right still in force by up to its rules' longest term."""
    on = today or selectors.today()
    grant = _lock_grant(grant)
    application = grant.application
    act_as_unit(actor, application)
    longest = unit_rules_of(grant.unit).max_term_years
    facts = _right_facts(grant, on, reason=report, years=years, max_years=longest)
    empowerment_rules.check_right_step(
        empowerment_rules.RightStep.EXTEND, empowerment_rules.RightStatus(grant.status), facts
    )
    attached = (
        check_document(report_document, field="report_document")
        if report_document is not None
        else None
    )
    previous = grant.ends_on
    assert previous is not None  # a long-term use right, as the guard checked
    kept = (
        keep_document(application, DocumentKind.REPORT, "", attached, actor) if attached else None
    )
    extension = RightExtension.objects.create(
        grant=grant,
        previous_end=previous,
        new_end=empowerment_rules.extended_end(previous, years),
        years=years,
        report=report.strip(),
        report_document=kept,
        decided_by=actor,
        decided_on=on,
    )
    grant.ends_on = extension.new_end
    grant.save(update_fields=["ends_on"])
    add_event(application, EventKind.EXTENDED, actor, f"{previous} → {extension.new_end}")
    record(
        actor,
        application,
        "right_extend",
        grant,
        ("M1.7",),
        before={"ends_on": previous},
        after={"ends_on": extension.new_end, "years": years, "report": extension.report},
        documents_=[documents.as_document("report.txt", extension.report)]
        + ([attached] if attached else []),
        on=on,
    )
    return extension


@decision
def right_revoke(
    *, actor: User, grant: EmpowermentGrant, reason: str, today: date | None = None
) -> EmpowermentGrant:
    """M1.6: the unit revokes a right in force (the team broke the agreement, say), saying why."""
    on = today or selectors.today()
    grant = _lock_grant(grant)
    act_as_unit(actor, grant.application)
    target = empowerment_rules.check_right_step(
        empowerment_rules.RightStep.REVOKE,
        empowerment_rules.RightStatus(grant.status),
        _right_facts(grant, on, reason=reason),
    )
    grant.status, grant.closed_on, grant.revocation_reason = target.value, on, reason.strip()
    grant.save(update_fields=["status", "closed_on", "revocation_reason"])
    add_event(grant.application, EventKind.REVOKED, actor, grant.revocation_reason)
    record(
        actor,
        grant.application,
        "right_revoke",
        grant,
        ("M1.6",),
        before={"status": RightStatus.ACTIVE.value},
        after={"status": target.value, "closed_on": on, "reason": grant.revocation_reason},
        on=on,
    )
    return grant


def rights_expire(*, today: date | None = None) -> list[int]:
    """M1.2: record every long-term use right past its last day as expired, one transaction
    each; a right is claimed by a conditional UPDATE, so a second run, or two at once, record
    it once. Returns the ids of the rights recorded now."""
    on = today or selectors.today()
    expired = []
    for pk in list(selectors.rights_past_their_end(on=on).values_list("pk", flat=True)):
        with decision_transaction():
            if _expire_one(pk, on):
                expired.append(pk)
    return expired


def _expire_one(pk: int, on: date) -> bool:
    claimed = EmpowermentGrant.objects.filter(
        pk=pk, status=RightStatus.ACTIVE, ends_on__lt=on
    ).update(status=RightStatus.EXPIRED, closed_on=on)
    if not claimed:
        return False
    grant = EmpowermentGrant.objects.select_related("application__unit").get(pk=pk)
    empowerment_rules.check_right_step(
        empowerment_rules.RightStep.EXPIRE,
        empowerment_rules.RightStatus.ACTIVE,
        _right_facts(grant, on),
    )
    add_event(grant.application, EventKind.EXPIRED, None, str(grant.ends_on))
    record(
        None,
        grant.application,
        "right_expire",
        grant,
        ("M1.2",),
        before={"status": RightStatus.ACTIVE.value},
        after={"status": RightStatus.EXPIRED.value, "ends_on": grant.ends_on, "closed_on": on},
        on=on,
    )
    return True
