"""Breaches and credit records of licences (M3.4): the unit declares that a licensee breached a
licence, which becomes a credit record of the licensee that units see when they consider a new
licence; the licensee answers it; the unit removes it once the breach is cured. Each decision is
one transaction and one audit entry citing M3.4; the licensee hears of a breach at once."""

from __future__ import annotations

from django.utils import timezone

from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.selectors import user_can
from kttc.core.services import audit_record, decision, require_capability
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.reform.licensing import notices
from kttc.reform.licensing.choices import CreditStatus, LicenceStatus
from kttc.reform.licensing.models import CreditRecord, Licence
from kttc.reform.licensing.services import audit


def _reason(text: str, field: str, template: str) -> str:
    if not text.strip():
        raise refuse(template, "required", field, ("M3.4",))
    return text.strip()


@decision
def licence_breach_declare(*, actor: User, licence: Licence, reason: str) -> CreditRecord:
    """M3.4: the unit declares that the licensee breached the licence; the breach becomes a
    credit record of the licensee that units see when they consider a new licence."""
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    require_capability(actor, Capability.MANAGE_LICENCES, licence.unit)
    text = _reason(reason, "reason", gettext_noop("Say how the licensee breached the licence."))
    licence.status = LicenceStatus.BREACHED
    licence.save(update_fields=["status"])
    record = CreditRecord.objects.create(
        licence=licence, licensee=licence.licensee, reason=text, declared_by=actor
    )
    audit(
        actor,
        record,
        licence.unit,
        "breach",
        ("M3.4",),
        {"licence": licence.pk, "licensee": licence.licensee_id, "reason": text},
    )
    notices.tell_enterprise(
        notices.BREACH_DECLARED,
        licence.licensee,
        record,
        notices.licence_page(licence.pk),
        unit=licence.unit.name,
        licensee=licence.licensee.name,
        name=licence.achievement.name,
        reason=text,
    )
    return record


@decision
def credit_record_answer(*, actor: User, record: CreditRecord, answer: str) -> CreditRecord:
    """M3.4: the licensee answers the credit record; the answer is shown beside it."""
    record = CreditRecord.objects.select_for_update().get(pk=record.pk)
    require_capability(actor, Capability.HOLD_LICENCES, record.licensee)
    if record.status == CreditStatus.REMOVED:
        raise refuse(
            gettext_noop("The record is removed already."),
            "licence.credit_removed",
            "record",
            ("M3.4",),
        )
    record.answer = _reason(answer, "answer", gettext_noop("Write the answer."))
    record.status, record.answered_at = CreditStatus.ANSWERED, timezone.now()
    record.save(update_fields=["answer", "status", "answered_at"])
    audit_record(
        actor=actor,
        organisation=record.licensee,
        action="licence.credit_answer",
        obj=record,
        after={"answer": record.answer},
        clauses=["M3.4"],
    )
    return record


@decision
def credit_record_remove(*, actor: User, record: CreditRecord, reason: str) -> CreditRecord:
    """M3.4: the unit removes the record once the breach is cured."""
    record = CreditRecord.objects.select_for_update().select_related("licence").get(pk=record.pk)
    require_capability(actor, Capability.MANAGE_LICENCES, record.licence.unit)
    if record.status == CreditStatus.REMOVED:
        raise refuse(
            gettext_noop("The record is removed already."),
            "licence.credit_removed",
            "record",
            ("M3.4",),
        )
    record.removal_reason = _reason(reason, "reason", gettext_noop("Say how the breach was cured."))
    record.status, record.removed_at = CreditStatus.REMOVED, timezone.now()
    record.save(update_fields=["removal_reason", "status", "removed_at"])
    licence = record.licence
    if not licence.credit_records.exclude(status=CreditStatus.REMOVED).exists():
        licence.status = LicenceStatus.ACTIVE
        licence.save(update_fields=["status"])
    audit(
        actor, record, licence.unit, "credit_remove", ("M3.4",), {"reason": record.removal_reason}
    )
    return record


def credit_records_of(actor: User, licensee: Organisation) -> list[CreditRecord]:
    """M3.4: the licensee's standing credit records, for a unit considering a licence to it
    (or for the licensee itself)."""
    if not (
        user_can(actor, Capability.MANAGE_LICENCES)
        or user_can(actor, Capability.HOLD_LICENCES, licensee)
    ):
        raise AccessDenied()
    return list(
        CreditRecord.objects.filter(licensee=licensee)
        .exclude(status=CreditStatus.REMOVED)
        .select_related("licence__unit")
    )
