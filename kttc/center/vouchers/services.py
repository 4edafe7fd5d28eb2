"""Writes of innovation vouchers (M12.2): ``<thing>_<verb>`` functions, keyword-only, each a
decision (``@decision``: the audit chain's lock first, then the programme's or the voucher's row
lock, DESIGN rule 9) recorded in the audit chain with its clause ids. The rules are
:mod:`kttc.policy.vouchers`; a refused request raises its PolicyError, naming the field and the
clause, before anything is stored.

* The bureau opens a programme (budget, services, value fixed or a maximum, application period,
  validity, who may apply) and closes it to new applications.
* A verified enterprise (a local one where the programme asks) applies: the service, the
  amount within the programme's value, the purpose. The bureau issues a voucher or refuses
  saying why. Issuing locks the programme's row and checks its budget: the vouchers issued and
  not yet used plus the amounts redeemed never pass it; the programme's ``committed`` column,
  which a database constraint holds within the budget, is the second guard.
* The enterprise's agreement to a redemption: the enterprise presents its voucher to a service
  institution it chooses among those certified (M9.1); only that institution may redeem it,
  once, before it expires, while its certification is in force, against a service delivered
  (what, the invoice, an amount not above the value). The unspent part returns to the budget.

Legal dates: each service takes ``today`` (a date in Asia/Shanghai); left out, it is
:func:`kttc.center.vouchers.selectors.today`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from kttc.center.vouchers import notices, selectors
from kttc.center.vouchers.choices import ApplicationStatus, ProgrammeStatus, VoucherStatus
from kttc.center.vouchers.models import (
    Voucher,
    VoucherApplication,
    VoucherProgramme,
    VoucherRedemption,
)
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.services import audit_record, decision, model_snapshot, require_capability
from kttc.policy import vouchers as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, OrganisationKind
from kttc.policy.text import check_text

CLAUSES = rules.CLAUSES
PROGRAMME_FIELDS = (
    "name", "budget", "services", "value_mode", "value", "opens_on", "closes_on", "valid_until",
    "local_only", "status", "committed", "closed_on",
)  # fmt: skip
APPLICATION_FIELDS = ("service", "amount", "purpose", "status", "decided_on", "reason")
VOUCHER_FIELDS = (
    "code", "service", "value", "issued_on", "expires_on", "status", "institution", "presented_on",
)  # fmt: skip
REASON_MAX = 2000


@dataclass(frozen=True)
class ProgrammeTerms:
    """What the bureau states when it opens a programme."""

    name: str
    budget: Decimal | str
    services: Sequence[str]
    value_mode: str
    value: Decimal | str
    opens_on: date
    closes_on: date
    valid_until: date
    local_only: bool = False


@dataclass(frozen=True)
class Service:
    """The service an institution delivered against a voucher."""

    description: str
    invoice_number: str
    amount: Decimal | str


def _record(
    actor: User,
    organisation: Organisation | None,
    action: str,
    obj: Any,
    clauses: Sequence[str] = CLAUSES,
    **kwargs: Any,
) -> None:
    audit_record(
        actor=actor,
        organisation=organisation,
        action=f"voucher.{action}",
        obj=obj,
        clauses=list(clauses),
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


def _terms(programme: VoucherProgramme) -> rules.Programme:
    return rules.Programme(
        programme.name, programme.budget,
        tuple(rules.ServiceKind(s) for s in programme.services),
        rules.ValueMode(programme.value_mode), programme.value, programme.opens_on,
        programme.closes_on, programme.valid_until,
    )  # fmt: skip


def _lock_programme(programme: VoucherProgramme) -> VoucherProgramme:
    return VoucherProgramme.objects.select_for_update().get(pk=programme.pk)


# --- the bureau's programmes ------------------------------------------------------------------


@decision
def programme_open(
    *, actor: User, terms: ProgrammeTerms, today: date | None = None
) -> VoucherProgramme:
    """M12.2: the bureau opens a voucher programme; every enterprise hears of it."""
    require_capability(actor, Capability.MANAGE_VOUCHERS_ALL)
    checked = rules.check_programme(
        name=check_text(terms.name, field="name"), budget=terms.budget, services=terms.services,
        value_mode=terms.value_mode, value=terms.value, opens_on=terms.opens_on,
        closes_on=terms.closes_on, valid_until=terms.valid_until,
    )  # fmt: skip
    programme = VoucherProgramme.objects.create(
        name=checked.name, budget=checked.budget, services=[s.value for s in checked.services],
        value_mode=checked.value_mode.value, value=checked.value, opens_on=checked.opens_on,
        closes_on=checked.closes_on, valid_until=checked.valid_until,
        local_only=terms.local_only, opened_by=actor,
    )  # fmt: skip
    _record(
        actor, None, "programme_open", programme, after=model_snapshot(programme, PROGRAMME_FIELDS)
    )
    notices.tell_enterprises_opened(programme, "、".join(programme.service_names))
    return programme


@decision
def programme_close(
    *, actor: User, programme: VoucherProgramme, today: date | None = None
) -> VoucherProgramme:
    """M12.2: the bureau closes a programme to new applications; the applications waiting may
    still be decided (their enterprises hear of the closing) and the vouchers issued stay valid
    until they expire."""
    on = today or selectors.today()
    require_capability(actor, Capability.MANAGE_VOUCHERS_ALL)
    programme = _lock_programme(programme)
    if programme.status != ProgrammeStatus.OPEN:
        raise refuse(
            gettext_noop("This programme is closed already."), "voucher.closed", None, CLAUSES
        )
    before = model_snapshot(programme, PROGRAMME_FIELDS)
    programme.status, programme.closed_on, programme.closed_by = ProgrammeStatus.CLOSED, on, actor
    programme.save(update_fields=["status", "closed_on", "closed_by"])
    _record(
        actor, None, "programme_close", programme, before=before,
        after=model_snapshot(programme, PROGRAMME_FIELDS),
    )  # fmt: skip
    waiting = Organisation.objects.filter(
        voucher_applications__programme=programme,
        voucher_applications__status=ApplicationStatus.SUBMITTED,
    ).distinct()
    notices.tell_waiting_closed(programme, list(waiting))
    return programme


# --- the enterprise applies; the bureau decides ------------------------------------------------


@decision
def voucher_apply(
    *,
    actor: User,
    enterprise: Organisation,
    programme: VoucherProgramme,
    service: str,
    amount: Decimal | str,
    purpose: str,
    today: date | None = None,
) -> VoucherApplication:
    """M12.2: a verified enterprise (a local one where asked) applies to an open programme for
    a voucher for one of its services, within its value; the bureau hears of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.APPLY_VOUCHERS, enterprise)
    enterprise = Organisation.objects.get(pk=enterprise.pk)
    programme = VoucherProgramme.objects.get(pk=programme.pk)
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        raise AccessDenied()
    kind, asked = rules.check_application(
        programme=_terms(programme), status=programme.status, local_only=programme.local_only,
        applicant=rules.Applicant(enterprise.verified_at is not None, enterprise.credit_code),
        service=service, amount=amount, today=on,
    )  # fmt: skip
    text = _text(
        purpose, "purpose", gettext_noop("Say what the voucher is for."), rules.PURPOSE_MAX
    )
    if VoucherApplication.objects.filter(
        programme=programme, enterprise=enterprise, status=ApplicationStatus.SUBMITTED
    ).exists():
        raise refuse(
            gettext_noop("Your enterprise's application to this programme waits for the bureau."),
            "voucher.waiting",
            None,
            CLAUSES,
        )
    application = VoucherApplication.objects.create(
        programme=programme, enterprise=enterprise, applied_by=actor, service=kind.value,
        amount=asked, purpose=text, applied_on=on,
    )  # fmt: skip
    _record(
        actor, enterprise, "apply", application,
        after=model_snapshot(application, APPLICATION_FIELDS),
    )  # fmt: skip
    notices.tell_bureau_applied(application)
    return application


def _waiting(application: VoucherApplication) -> VoucherApplication:
    found = (
        VoucherApplication.objects.select_for_update(of=("self",))
        .select_related("programme", "enterprise")
        .get(pk=application.pk)
    )
    if found.status != ApplicationStatus.SUBMITTED:
        raise refuse(
            gettext_noop("This application has been decided already."),
            "voucher.decided",
            None,
            CLAUSES,
        )
    return found


def _new_code() -> str:
    for _attempt in range(20):
        code = rules.new_code()
        if not Voucher.objects.filter(code=code).exists():
            return code
    raise RuntimeError("no free voucher code after 20 draws")  # pragma: no cover


@decision
def voucher_issue(
    *,
    actor: User,
    application: VoucherApplication,
    value: Decimal | str | None = None,
    today: date | None = None,
) -> Voucher:
    """M12.2: the bureau issues the enterprise a voucher (the programme's fixed value, or its
    choice up to the amount asked), valid until the programme's validity, within the budget:
    the programme's row is locked (after the audit chain's, DESIGN rule 9) and its committed
    sum checked, then raised by the value. The enterprise hears of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.MANAGE_VOUCHERS_ALL)
    programme_id = VoucherApplication.objects.values_list("programme_id", flat=True).get(
        pk=application.pk
    )
    programme = _lock_programme(VoucherProgramme(pk=programme_id))
    application = _waiting(application)
    issued = rules.check_issue_value(
        value_mode=programme.value_mode, programme_value=programme.value,
        asked=application.amount, value=value,
    )  # fmt: skip
    rules.check_budget(budget=programme.budget, committed=programme.committed, value=issued)
    with transaction.atomic():  # the database's check of the budget is the second guard
        try:
            VoucherProgramme.objects.filter(pk=programme.pk).update(
                committed=F("committed") + issued
            )
        except IntegrityError:  # pragma: no cover (the check above refuses first)
            rules.check_budget(budget=programme.budget, committed=programme.budget, value=issued)
            raise
    before = model_snapshot(application, APPLICATION_FIELDS)
    application.status, application.decided_on = ApplicationStatus.ISSUED, on
    application.decided_by = actor
    application.save(update_fields=["status", "decided_on", "decided_by"])
    voucher = Voucher.objects.create(
        programme=programme, application=application, enterprise=application.enterprise,
        code=_new_code(), service=application.service, value=issued, issued_on=on,
        expires_on=programme.valid_until, issued_by=actor,
    )  # fmt: skip
    _record(
        actor, application.enterprise, "issue", voucher, before=before,
        after={
            **model_snapshot(voucher, VOUCHER_FIELDS), "application": application.pk,
            "committed": str(programme.committed + issued),
        },
    )  # fmt: skip
    notices.tell_enterprise_issued(voucher)
    return voucher


@decision
def voucher_refuse(
    *, actor: User, application: VoucherApplication, reason: str, today: date | None = None
) -> VoucherApplication:
    """M12.2: the bureau refuses an application, saying why; the enterprise hears of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.MANAGE_VOUCHERS_ALL)
    application = _waiting(application)
    text = _text(reason, "reason", gettext_noop("Say why the application is refused."), REASON_MAX)
    before = model_snapshot(application, APPLICATION_FIELDS)
    application.status, application.decided_on = ApplicationStatus.REFUSED, on
    application.decided_by, application.reason = actor, text
    application.save(update_fields=["status", "decided_on", "decided_by", "reason"])
    _record(
        actor, application.enterprise, "refuse", application, before=before,
        after=model_snapshot(application, APPLICATION_FIELDS),
    )  # fmt: skip
    notices.tell_enterprise_refused(application)
    return application


# --- the enterprise presents; the institution redeems ------------------------------------------


def _lock_voucher(voucher: Voucher) -> Voucher:
    return (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("programme", "enterprise", "institution")
        .get(pk=voucher.pk)
    )


def _certified(institution: Organisation, on: date) -> bool:
    return institution.kind == OrganisationKind.SERVICE_INSTITUTION and selectors.is_certified(
        institution, on
    )


@decision
def voucher_present(
    *, actor: User, voucher: Voucher, institution: Organisation, today: date | None = None
) -> Voucher:
    """M12.2, M9.1: the enterprise presents its voucher to a certified service institution it
    chooses, agreeing that this institution redeems it; the institution hears of it. Presented
    again, it goes to the institution chosen last."""
    on = today or selectors.today()
    voucher = _lock_voucher(voucher)
    require_capability(actor, Capability.APPLY_VOUCHERS, voucher.enterprise)
    institution = Organisation.objects.get(pk=institution.pk)
    rules.check_redemption(
        status=voucher.status, expires_on=voucher.expires_on, value=voucher.value,
        certified=_certified(institution, on), amount=voucher.value, today=on,
    )  # fmt: skip
    before = model_snapshot(voucher, VOUCHER_FIELDS)
    voucher.institution, voucher.presented_on = institution, on
    voucher.save(update_fields=["institution", "presented_on"])
    _record(
        actor, voucher.enterprise, "present", voucher, rules.REDEEM_CLAUSES, before=before,
        after=model_snapshot(voucher, VOUCHER_FIELDS),
    )  # fmt: skip
    notices.tell_institution_presented(voucher)
    return voucher


@decision
def voucher_redeem(
    *,
    actor: User,
    voucher: Voucher,
    institution: Organisation,
    service: Service,
    today: date | None = None,
) -> VoucherRedemption:
    """M12.2, M9.1: the institution the enterprise presented the voucher to redeems it, once,
    before it expires, while its certification is in force, against a service delivered (what,
    the invoice, an amount within the value). The unspent part returns to the programme's
    budget. The enterprise and the bureau hear of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.REDEEM_VOUCHERS, institution)
    institution = Organisation.objects.get(pk=institution.pk)
    programme_id = Voucher.objects.values_list("programme_id", flat=True).get(pk=voucher.pk)
    programme = _lock_programme(VoucherProgramme(pk=programme_id))
    voucher = _lock_voucher(voucher)
    if voucher.institution_id != institution.pk:
        raise refuse(
            gettext_noop(
                "The enterprise has not presented this voucher to your institution; it is "
                "redeemed only where the enterprise chose."
            ),
            "voucher.not_presented",
            None,
            CLAUSES,
        )
    spent = rules.check_redemption(
        status=voucher.status, expires_on=voucher.expires_on, value=voucher.value,
        certified=_certified(institution, on), amount=service.amount, today=on,
    )  # fmt: skip
    description = _text(
        service.description, "description", gettext_noop("Say what service was delivered."),
        rules.DESCRIPTION_MAX,
    )  # fmt: skip
    invoice = rules.check_invoice_number(check_text(service.invoice_number, field="invoice_number"))
    if VoucherRedemption.objects.filter(institution=institution, invoice_number=invoice).exists():
        raise refuse(
            gettext_noop("Invoice %(invoice)s has redeemed a voucher already."),
            "voucher.invoice_used",
            "invoice_number",
            CLAUSES,
            invoice=invoice,
        )
    before = model_snapshot(voucher, VOUCHER_FIELDS)
    redemption = VoucherRedemption.objects.create(
        voucher=voucher, institution=institution, description=description,
        invoice_number=invoice, amount=spent, redeemed_on=on, redeemed_by=actor,
    )  # fmt: skip
    voucher.status = VoucherStatus.REDEEMED
    voucher.save(update_fields=["status"])
    VoucherProgramme.objects.filter(pk=programme.pk).update(
        committed=F("committed") - (voucher.value - spent)
    )
    _record(
        actor, institution, "redeem", voucher, rules.REDEEM_CLAUSES, before=before,
        after={
            **model_snapshot(voucher, VOUCHER_FIELDS), "amount": str(spent),
            "invoice_number": invoice, "description": description,
        },
    )  # fmt: skip
    notices.tell_redeemed(voucher, institution=institution.name, amount=str(spent), invoice=invoice)
    return redemption
