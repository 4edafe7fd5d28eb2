"""Writes of service institutions and brokers (M9): ``<thing>_<verb>`` functions, keyword-only,
each a decision (``@decision``) recorded in the audit chain with its clause ids and the hashes of
its documents. The rules are :mod:`kttc.policy.institutions`; a refused request raises its
PolicyError before anything is stored.

* The institution's staff register, correct and withdraw its brokers (M9.2), apply for
  certification with materials (M9.1) and decide the brokers' reward from a subsidy (M9.2).
* The bureau certifies for a term, refuses or revokes with a reason, and records the subsidy
  of a certification once, at the parameter in force on the day of the certification (M9.1).

Legal dates: each service takes ``today`` (a date in Asia/Shanghai); left out, it is
:func:`kttc.center.institutions.selectors.today`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kttc.center.institutions import notices, selectors
from kttc.center.institutions.choices import ApplicationStatus
from kttc.center.institutions.models import (
    ApplicationDocument,
    BrokerProfile,
    BrokerReward,
    BrokerRewardLine,
    CertificationApplication,
    Subsidy,
)
from kttc.core.documents import MAX_DOCUMENTS, Attachment, check_document, keep
from kttc.core.models import Membership, Organisation, User
from kttc.core.selectors import policy_version_in_force
from kttc.core.services import Document, audit_record, decision, model_snapshot, require_capability
from kttc.policy import institutions as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import percent
from kttc.policy.roles import Capability, OrganisationKind, Role
from kttc.policy.text import check_text

BROKER_FIELDS = (
    "person", "certificate_number", "certificate_level", "fields", "languages", "introduction",
)  # fmt: skip
#: The largest material the platform keeps, and the most materials of one application.
FOLDER = "institutions"


@dataclass(frozen=True)
class BrokerData:
    certificate_number: str
    certificate_level: str
    fields: Sequence[str]
    languages: Sequence[str]
    introduction: str = ""


@dataclass(frozen=True)
class Material:
    """A material of an application: its title and the document."""

    title: str
    document: Document


@dataclass(frozen=True)
class Reward:
    """What the institution decides: the brokers' total and each broker's agreed share (in
    percent, or as ratios adding up to 1), by broker profile."""

    total: Decimal
    shares: Mapping[int, Decimal] = field(default_factory=dict)


def _record(
    actor: User,
    institution: Organisation,
    action: str,
    obj: Any,
    clauses: Sequence[str],
    **kwargs: Any,
) -> None:
    audit_record(
        actor=actor,
        organisation=institution,
        action=f"institution.{action}",
        obj=obj,
        clauses=list(dict.fromkeys(clauses)),
        **kwargs,
    )


def _institution(actor: User, institution: Organisation) -> Organisation:
    """The service institution, locked, that ``actor`` manages."""
    require_capability(actor, Capability.MANAGE_INSTITUTION, institution)
    found = Organisation.objects.select_for_update().get(pk=institution.pk)
    if found.kind != OrganisationKind.SERVICE_INSTITUTION:
        raise refuse(
            gettext_noop("%(name)s is not registered as a service institution."),
            "institution.kind",
            None,
            rules.CLAUSES,
            name=found.name,
        )
    return found


def _required(text: str, field: str, template: str, clauses: tuple[str, ...]) -> str:
    value = check_text(text, field=field, multiline=True).strip()
    if not value:
        raise refuse(template, "required", field, clauses)
    return value


# --- brokers (M9.2) ---------------------------------------------------------------------------


def _broker_values(data: BrokerData) -> dict[str, Any]:
    broker = rules.check_broker(
        data.certificate_number, data.certificate_level, data.fields, data.languages
    )
    for name in broker.fields:
        check_text(name, field="fields")
    return {
        "certificate_number": broker.certificate_number,
        "certificate_level": broker.level.value,
        "fields": [name[:100] for name in broker.fields],
        "languages": list(broker.languages),
        "introduction": check_text(data.introduction, field="introduction", multiline=True).strip()[
            :2000
        ],
    }


def _check_certificate_free(number: str, *, exclude: int | None = None) -> None:
    clash = BrokerProfile.objects.filter(certificate_number=number, withdrawn_at__isnull=True)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise refuse(
            gettext_noop("A broker with the certificate %(number)s is registered already."),
            "broker.certificate_known",
            "certificate_number",
            rules.REWARD_CLAUSES,
            number=number,
        )


@decision
def broker_register(
    *, actor: User, institution: Organisation, person: User, data: BrokerData
) -> BrokerProfile:
    """M9.2: the institution's staff register one of its members as a technology broker, with
    the certificate's number and level, the broker's fields and languages."""
    institution = _institution(actor, institution)
    member = Membership.objects.filter(
        user=person, organisation=institution, role=Role.SERVICE_BROKER, revoked_at__isnull=True
    ).exists()
    if not member:
        raise refuse(
            gettext_noop("A broker is a member of the institution; invite them first."),
            "broker.not_member",
            "person",
            rules.REWARD_CLAUSES,
        )
    if BrokerProfile.objects.filter(
        institution=institution, person=person, withdrawn_at__isnull=True
    ).exists():
        raise refuse(
            gettext_noop("%(name)s is registered as a broker of the institution already."),
            "broker.known",
            "person",
            rules.REWARD_CLAUSES,
            name=person.full_name,
        )
    values = _broker_values(data)
    _check_certificate_free(values["certificate_number"])
    profile = BrokerProfile.objects.create(
        institution=institution, person=person, registered_by=actor, **values
    )
    _record(
        actor, institution, "broker_register", profile, rules.REWARD_CLAUSES,
        after=model_snapshot(profile, BROKER_FIELDS),
    )  # fmt: skip
    return profile


def _lock_broker(actor: User, profile: BrokerProfile) -> tuple[BrokerProfile, Organisation]:
    institution = _institution(actor, profile.institution)
    found = BrokerProfile.objects.select_for_update().select_related("person").get(pk=profile.pk)
    if found.institution_id != institution.pk or found.withdrawn_at is not None:
        raise refuse(
            gettext_noop("This broker is no longer registered with the institution."),
            "broker.withdrawn",
            None,
            rules.REWARD_CLAUSES,
        )
    return found, institution


@decision
def broker_update(*, actor: User, profile: BrokerProfile, data: BrokerData) -> BrokerProfile:
    """M9.2: the institution corrects a broker's certificate, fields or languages."""
    profile, institution = _lock_broker(actor, profile)
    values = _broker_values(data)
    _check_certificate_free(values["certificate_number"], exclude=profile.pk)
    before = model_snapshot(profile, BROKER_FIELDS)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.save()
    _record(
        actor, institution, "broker_update", profile, rules.REWARD_CLAUSES,
        before=before, after=model_snapshot(profile, BROKER_FIELDS),
    )  # fmt: skip
    return profile


@decision
def broker_withdraw(*, actor: User, profile: BrokerProfile) -> BrokerProfile:
    """The institution withdraws a broker (who left it); their past reward lines stay."""
    profile, institution = _lock_broker(actor, profile)
    profile.withdrawn_at = timezone.now()
    profile.save(update_fields=["withdrawn_at", "updated_at"])
    _record(
        actor, institution, "broker_withdraw", profile, rules.REWARD_CLAUSES,
        before={"withdrawn_at": None}, after={"withdrawn_at": profile.withdrawn_at.isoformat()},
    )  # fmt: skip
    return profile


# --- certification (M9.1) ---------------------------------------------------------------------


def _keep(
    application: CertificationApplication, title: str, document: Document, actor: User
) -> ApplicationDocument:
    return keep(
        ApplicationDocument, Attachment(title, document), folder=FOLDER, actor=actor,
        application=application,
    )  # fmt: skip


@decision
def certification_apply(
    *,
    actor: User,
    institution: Organisation,
    statement: str,
    materials: Sequence[Material],
    today: date | None = None,
) -> CertificationApplication:
    """M9.1: the institution applies for certification as a key demonstration service
    institution, with its statement, its materials (kept by their hash) and its record on the
    platform that day (the demands it answered and the deals they led to); the bureau hears
    of it."""
    on = today or selectors.today()
    institution = _institution(actor, institution)
    if not institution.is_verified:
        raise refuse(
            gettext_noop("The center verifies the institution before it applies."),
            "certification.unverified",
            None,
            rules.SUBSIDY_CLAUSES,
        )
    current = selectors.certification_in_force(institution, on)
    rules.check_may_apply(
        waiting=selectors.waiting_application(institution) is not None,
        in_force_until=current.term_end if current else None,
        today=on,
    )
    brokers = selectors.brokers_of(institution).count()
    if not brokers:
        raise refuse(
            gettext_noop("Register the institution's technology brokers before applying."),
            "certification.no_brokers",
            None,
            rules.CLAUSES,
        )
    statement = _required(
        statement, "statement", gettext_noop("Say what the institution applies with."),
        rules.SUBSIDY_CLAUSES,
    )  # fmt: skip
    if not materials:
        raise refuse(
            gettext_noop("Attach the application's materials."),
            "certification.no_materials",
            "materials",
            rules.SUBSIDY_CLAUSES,
        )
    if len(materials) > MAX_DOCUMENTS:
        raise refuse(
            gettext_noop("At most %(count)s materials."),
            "certification.too_many_materials",
            "materials",
            rules.SUBSIDY_CLAUSES,
            count=MAX_DOCUMENTS,
        )
    checked = [
        Material(check_text(m.title, field="materials").strip() or m.document.name,
                 check_document(m.document, field="materials"))
        for m in materials
    ]  # fmt: skip
    record = selectors.institution_record(institution)
    application = CertificationApplication.objects.create(
        institution=institution,
        applicant=actor,
        statement=statement,
        answers_count=record.answers,
        deals_count=record.deals,
        brokers_count=brokers,
        applied_on=on,
    )
    kept = [_keep(application, m.title, m.document, actor) for m in checked]
    _record(
        actor, institution, "apply", application, rules.SUBSIDY_CLAUSES,
        after={
            "applied_on": on, "answers_count": record.answers, "deals_count": record.deals,
            "brokers_count": brokers, "documents": {d.title: d.sha256 for d in kept},
        },
        documents=[m.document for m in checked],
    )  # fmt: skip
    notices.tell_bureau(application)
    return application


def _lock_application(
    actor: User, application: CertificationApplication
) -> CertificationApplication:
    require_capability(actor, Capability.CERTIFY_INSTITUTIONS_ALL)
    return (
        CertificationApplication.objects.select_for_update(of=("self",))
        .select_related("institution")
        .get(pk=application.pk)
    )


DECISION_FIELDS = ("status", "decided_on", "term_start", "term_end", "reason")


@decision
def certification_certify(
    *,
    actor: User,
    application: CertificationApplication,
    term_start: date,
    term_end: date,
    today: date | None = None,
) -> CertificationApplication:
    """M9.1: the bureau certifies the institution as a key demonstration service institution
    for a term; the institution hears of it."""
    on = today or selectors.today()
    application = _lock_application(actor, application)
    status = rules.check_transition(application.status, rules.Decision.CERTIFY)
    start, end = rules.check_term(term_start, term_end, decided_on=on)
    before = model_snapshot(application, DECISION_FIELDS)
    application.status = status.value
    application.decided_by, application.decided_on = actor, on
    application.term_start, application.term_end = start, end
    application.save()
    _record(
        actor, application.institution, "certify", application, rules.SUBSIDY_CLAUSES,
        before=before, after=model_snapshot(application, DECISION_FIELDS),
    )  # fmt: skip
    notices.tell_institution(
        notices.CERTIFIED, application, start=start.isoformat(), end=end.isoformat()
    )
    return application


@decision
def certification_refuse(
    *,
    actor: User,
    application: CertificationApplication,
    reason: str,
    today: date | None = None,
) -> CertificationApplication:
    """M9.1: the bureau refuses the application, saying why; the institution hears of it."""
    on = today or selectors.today()
    application = _lock_application(actor, application)
    status = rules.check_transition(application.status, rules.Decision.REFUSE)
    reason = _required(
        reason, "reason", gettext_noop("Say why the application is refused."),
        rules.SUBSIDY_CLAUSES,
    )  # fmt: skip
    before = model_snapshot(application, DECISION_FIELDS)
    application.status = status.value
    application.decided_by, application.decided_on, application.reason = actor, on, reason
    application.save()
    _record(
        actor, application.institution, "refuse", application, rules.SUBSIDY_CLAUSES,
        before=before, after=model_snapshot(application, DECISION_FIELDS),
    )  # fmt: skip
    notices.tell_institution(notices.REFUSED, application, reason=reason)
    return application


@decision
def certification_revoke(
    *,
    actor: User,
    application: CertificationApplication,
    reason: str,
    today: date | None = None,
) -> CertificationApplication:
    """M9.1: the bureau revokes a certification, saying why; the institution hears of it. A
    subsidy already recorded stays recorded."""
    on = today or selectors.today()
    application = _lock_application(actor, application)
    status = rules.check_transition(application.status, rules.Decision.REVOKE)
    reason = _required(
        reason, "reason", gettext_noop("Say why the certification is revoked."),
        rules.SUBSIDY_CLAUSES,
    )  # fmt: skip
    before = model_snapshot(application, ("status", "revoked_on", "revoke_reason"))
    application.status = status.value
    application.revoked_by, application.revoked_on = actor, on
    application.revoke_reason = reason
    application.save()
    _record(
        actor, application.institution, "revoke", application, rules.SUBSIDY_CLAUSES,
        before=before,
        after=model_snapshot(application, ("status", "revoked_on", "revoke_reason")),
    )  # fmt: skip
    notices.tell_institution(notices.REVOKED, application, reason=reason, date=on.isoformat())
    return application


# --- the subsidy (M9.1) -----------------------------------------------------------------------


@decision
def subsidy_record(
    *,
    actor: User,
    certification: CertificationApplication,
    disbursed_on: date,
    today: date | None = None,
) -> Subsidy:
    """M9.1: the bureau records the subsidy of a certification, once, at the parameter in force
    on the day of the certification, with the day it was disbursed; the institution hears of
    it."""
    on = today or selectors.today()
    certification = _lock_application(actor, certification)
    if certification.status != ApplicationStatus.CERTIFIED or certification.decided_on is None:
        raise refuse(
            gettext_noop("A subsidy is recorded for a certification in force."),
            "subsidy.not_certified",
            None,
            rules.SUBSIDY_CLAUSES,
        )
    if Subsidy.objects.filter(certification=certification).exists():
        raise refuse(
            gettext_noop("The subsidy of this certification is recorded already."),
            "subsidy.once",
            None,
            rules.SUBSIDY_CLAUSES,
        )
    version = policy_version_in_force(certification.decided_on)
    amount = rules.subsidy_amount(version.parameters.demonstration_institution_subsidy)
    rules.check_disbursement(disbursed_on, certified_on=certification.decided_on, today=on)
    subsidy = Subsidy.objects.create(
        certification=certification,
        amount=amount,
        policy_version=version.code,
        disbursed_on=disbursed_on,
        recorded_by=actor,
    )
    _record(
        actor, certification.institution, "subsidy_record", subsidy, rules.SUBSIDY_CLAUSES,
        after={
            "certification": certification.pk, "amount": amount,
            "certified_on": certification.decided_on, "disbursed_on": disbursed_on,
        },
        policy_version=version.code,
    )  # fmt: skip
    share = policy_version_in_force(on).parameters.broker_reward_min_share
    notices.tell_institution(
        notices.SUBSIDISED, certification, amount=str(amount), date=disbursed_on.isoformat(),
        share=percent(share),
    )  # fmt: skip
    return subsidy


# --- the brokers' reward (M9.2) ---------------------------------------------------------------


@decision
def reward_decide(
    *, actor: User, subsidy: Subsidy, reward: Reward, today: date | None = None
) -> BrokerReward:
    """M9.2: the institution rewards its brokers from its subsidy: their total at least the
    minimum share in force that day of the subsidy, split by their agreed shares to the fen;
    once per subsidy. Each broker hears of their own line."""
    on = today or selectors.today()
    subsidy = Subsidy.objects.select_related("certification__institution").get(pk=subsidy.pk)
    institution = _institution(actor, subsidy.certification.institution)
    # The certification's row: two rewards of one subsidy at once wait for each other here.
    CertificationApplication.objects.select_for_update().filter(
        pk=subsidy.certification_id
    ).exists()
    if BrokerReward.objects.filter(subsidy=subsidy).exists():
        raise refuse(
            gettext_noop("The brokers' reward from this subsidy is decided already."),
            "reward.once",
            None,
            rules.REWARD_CLAUSES,
        )
    brokers = {b.pk: b for b in selectors.brokers_of(institution)}
    unknown = [pk for pk in reward.shares if pk not in brokers]
    if unknown:
        raise refuse(
            gettext_noop("Give shares to the institution's registered brokers only."),
            "reward.unknown_broker",
            "shares",
            rules.REWARD_CLAUSES,
        )
    version = policy_version_in_force(on)
    min_share = version.parameters.broker_reward_min_share
    by_certificate = {brokers[pk].certificate_number: share for pk, share in reward.shares.items()}
    split = rules.split_reward(subsidy.amount, reward.total, by_certificate, min_share=min_share)
    decided = BrokerReward.objects.create(
        subsidy=subsidy,
        total=split.total,
        min_share=split.min_share,
        minimum=split.minimum,
        policy_version=version.code,
        decided_on=on,
        decided_by=actor,
    )
    profile_of = {b.certificate_number: b for b in brokers.values()}
    lines = BrokerRewardLine.objects.bulk_create(
        [
            BrokerRewardLine(
                reward=decided,
                broker=profile_of[line.broker],
                share=line.share,
                amount=line.amount,
            )
            for line in split.lines
        ]
    )
    _record(
        actor, institution, "reward_decide", decided, rules.REWARD_CLAUSES,
        after={
            "subsidy": subsidy.pk, "subsidy_amount": subsidy.amount, "total": split.total,
            "min_share": split.min_share, "minimum": split.minimum,
            "lines": {line.broker: str(line.amount) for line in split.lines},
        },
        policy_version=version.code,
    )  # fmt: skip
    for line in lines:
        notices.tell_broker(
            line, institution=institution.name, share=percent(line.share),
            amount=str(line.amount), total=str(split.total),
        )  # fmt: skip
    return decided
