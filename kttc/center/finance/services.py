"""Writes of technology finance (M12.1, M12.3): ``<thing>_<verb>`` functions, keyword-only, each
a decision (``@decision``: the audit chain's lock first, then the rows' locks, DESIGN rule 9)
recorded in the audit chain with its clause. The rules are :mod:`kttc.policy.finance`; a refused
step raises its PolicyError, naming the field and the clause, before anything is stored.

* A bank's people (``manage_finance``) publish its products and open or close them.
* An enterprise's people (``apply_finance``) apply to an open product with the amount, term and
  purpose; for an IP pledge loan, the granted patents of its own results that it pledges, the
  signed evaluations of those results attached (M10.1). A patent under an active pledge is
  refused. The enterprise may withdraw while the bank has not decided.
* The bank approves (a loan or bond: amount, rate, term; a pledge loan also the pledge's
  registration number and date, the pledge becoming active; a guarantee or insurance: its
  number, cover, premium and period) or refuses saying why. A loan's schedule is computed once
  at approval and kept.
* The bank records the repayments it received, paid on the earliest instalments first; when
  nothing is owed the loan is repaid and its pledges released.

Legal dates: each service takes ``today`` (a date in Asia/Shanghai); left out, it is
:func:`kttc.center.finance.selectors.today`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from kttc.center.finance import notices, selectors
from kttc.center.finance.choices import ApplicationStatus, PledgeState, ProductKind
from kttc.center.finance.models import (
    FinanceApplication,
    FinanceProduct,
    Instalment,
    Pledge,
    Repayment,
)
from kttc.core.models import Organisation, User
from kttc.core.services import audit_record, decision, model_snapshot, require_capability
from kttc.policy import finance as rules
from kttc.policy.errors import IdentifierError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.identifiers import parse_patent_application_number
from kttc.policy.roles import Capability
from kttc.policy.text import check_text

PURPOSE_MAX = 2000
DESCRIPTION_MAX = 5000
PRODUCT_FIELDS = (
    "kind", "name", "name_en", "description", "description_en", "amount_min", "amount_max",
    "term_min", "term_max", "rate", "eligible", "purposes", "is_open",
)  # fmt: skip
FIELDS = (
    "status", "kind", "amount", "term", "purpose", "filed_on", "decided_on", "reason",
    "approved_amount", "approved_rate", "approved_term", "method", "start_on",
    "registration_number", "registered_on", "policy_number", "cover_amount", "premium",
    "cover_start", "cover_end", "repaid_on",
)  # fmt: skip


@dataclass(frozen=True)
class ProductData:
    """What a bank states of a product (amounts in yuan, terms in months, rate in percent)."""

    kind: str
    name: str
    name_en: str
    description: str
    description_en: str
    amount_min: Decimal | None
    amount_max: Decimal | None
    term_min: int | None
    term_max: int | None
    rate: Decimal | None
    eligible: str = ""
    purposes: tuple[str, ...] = ()
    is_open: bool = True


@dataclass(frozen=True)
class Request:
    """What an applicant asks: the amount, the term, the purpose and the patents it pledges
    (their numbers, for an IP pledge loan)."""

    amount: Decimal | None
    term: int | None
    purpose: str
    patents: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoanDecision:
    """M12.1: what the bank grants on a loan or bond; for a pledge loan, the pledge's
    registration number and date."""

    amount: Decimal | None
    rate: Decimal | None
    term: int | None
    method: str = rules.Method.EQUAL_INSTALMENTS.value
    registration_number: str = ""
    registered_on: date | None = None


@dataclass(frozen=True)
class CoverDecision:
    """M12.3: a guarantee's or insurance's number, cover amount, premium or fee, and period."""

    number: str
    cover_amount: Decimal | None
    premium: Decimal | None
    start: date | None
    end: date | None


def _record(
    actor: User, organisation: Organisation, action: str, obj: Any, kind: str, **kwargs: Any
) -> None:
    audit_record(
        actor=actor,
        organisation=organisation,
        action=f"finance.{action}",
        obj=obj,
        clauses=rules.clauses_of(kind),
        **kwargs,
    )


def _text(
    value: str, field: str, template: str, max_length: int, clauses: tuple[str, ...],
    *, multiline: bool = True, required: bool = True,
) -> str:  # fmt: skip
    text = check_text(value or "", field=field, multiline=multiline).strip()
    if required and not text:
        raise refuse(template, "required", field, clauses)
    if len(text) > max_length:
        raise refuse(
            gettext_noop("At most %(max)s characters."), "too_long", field, clauses,
            max=max_length,
        )  # fmt: skip
    return text


def _product_values(data: ProductData) -> dict[str, Any]:
    """M12.1, M12.3: the product's terms checked, its names and descriptions in Chinese and
    English."""
    terms = rules.check_product(
        rules.ProductDraft(
            data.kind,
            data.amount_min,
            data.amount_max,
            data.term_min,
            data.term_max,
            data.rate,
            tuple(data.purposes),
        )
    )
    clauses = rules.clauses_of(terms.kind)
    name_missing = gettext_noop("Give the product's name.")
    text_missing = gettext_noop("Describe the product.")
    return {
        "kind": terms.kind,
        "name": _text(data.name, "name", name_missing, rules.NAME_MAX, clauses, multiline=False),
        "name_en": _text(
            data.name_en, "name_en", name_missing, rules.NAME_MAX, clauses, multiline=False
        ),
        "description": _text(
            data.description, "description", text_missing, DESCRIPTION_MAX, clauses
        ),
        "description_en": _text(
            data.description_en, "description_en", text_missing, DESCRIPTION_MAX, clauses
        ),
        "amount_min": terms.amount_min,
        "amount_max": terms.amount_max,
        "term_min": terms.term_min,
        "term_max": terms.term_max,
        "rate": terms.rate,
        "eligible": _text(data.eligible, "eligible", "", DESCRIPTION_MAX, clauses, required=False),
        "purposes": list(terms.purposes),
        "is_open": bool(data.is_open),
    }


@decision
def product_publish(*, actor: User, bank: Organisation, data: ProductData) -> FinanceProduct:
    """M12.1, M12.3: a bank publishes a product on the platform."""
    require_capability(actor, Capability.MANAGE_FINANCE, bank)
    values = _product_values(data)
    product = FinanceProduct.objects.create(bank=bank, created_by=actor, **values)
    _record(
        actor, bank, "product_publish", product, product.kind,
        after=model_snapshot(product, PRODUCT_FIELDS),
    )  # fmt: skip
    return product


@decision
def product_update(*, actor: User, product: FinanceProduct, data: ProductData) -> FinanceProduct:
    """M12.1, M12.3: a bank corrects its product, opens or closes it. Applications already
    filed keep what they asked."""
    require_capability(actor, Capability.MANAGE_FINANCE, product.bank)
    product = FinanceProduct.objects.select_for_update().select_related("bank").get(pk=product.pk)
    values = _product_values(data)
    before = model_snapshot(product, PRODUCT_FIELDS)
    for name, value in values.items():
        setattr(product, name, value)
    product.save()
    _record(
        actor, product.bank, "product_update", product, product.kind,
        before=before, after=model_snapshot(product, PRODUCT_FIELDS),
    )  # fmt: skip
    return product


def _number(text: str) -> str | None:
    try:
        return parse_patent_application_number(text).application_number
    except IdentifierError:
        return None


def _pledged(applicant: Organisation, numbers: list[str]) -> list[tuple[str, Any]]:
    """M12.1: each number is a granted patent of one of the applicant's results."""
    mine: dict[str, Any] = {}
    for right in selectors.pledgeable_patents(applicant):
        number = _number(right.number)
        if number is not None:
            mine.setdefault(number, right)
    out = []
    for number in numbers:
        if number not in mine:
            raise refuse(
                gettext_noop(
                    "The patent ZL%(number)s is not a granted patent of one of your results in "
                    "the registry."
                ),
                "finance.not_yours",
                "patents",
                rules.FINANCING,
                number=number,
            )
        out.append((number, mine[number]))
    return out


def _terms(product: FinanceProduct) -> rules.ProductTerms:
    return rules.ProductTerms(
        product.kind, product.amount_min, product.amount_max, product.term_min,
        product.term_max, product.rate, tuple(product.purposes),
    )  # fmt: skip


@decision
def application_file(
    *,
    actor: User,
    applicant: Organisation,
    product: FinanceProduct,
    request: Request,
    today: date | None = None,
) -> FinanceApplication:
    """M12.1, M12.3: an enterprise applies to an open product within its ranges; for an IP
    pledge loan it pledges granted patents of its own results, none under an active pledge,
    and the signed evaluations of those results are attached (M10.1). The bank hears of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.APPLY_FINANCE, applicant)
    product = FinanceProduct.objects.select_related("bank").get(pk=product.pk)
    clauses = rules.clauses_of(product.kind)
    if not product.is_open:
        raise refuse(
            gettext_noop("This product is closed to applications."),
            "finance.closed",
            "product",
            clauses,
        )
    amount, term, numbers = rules.check_request(
        _terms(product), amount=request.amount, term=request.term, patents=request.patents
    )
    purpose = _text(
        request.purpose, "purpose", gettext_noop("Say what the money or cover is for."),
        PURPOSE_MAX, clauses,
    )  # fmt: skip
    pledged = _pledged(applicant, numbers)
    rules.check_not_pledged(numbers, selectors.active_pledges(numbers))
    application = FinanceApplication.objects.create(
        product=product, bank=product.bank, applicant=applicant, filed_by=actor,
        kind=product.kind, amount=amount, term=term, purpose=purpose, filed_on=on,
    )  # fmt: skip
    Pledge.objects.bulk_create(
        Pledge(
            application=application,
            achievement_id=right.achievement_id,
            ip_right=right,
            patent_number=number,
        )
        for number, right in pledged
    )
    evaluations = list(
        selectors.signed_evaluations([right.achievement_id for _n, right in pledged])
    )
    application.evaluations.set(evaluations)
    _record(
        actor, applicant, "apply", application, application.kind,
        after={
            **model_snapshot(application, FIELDS), "product": product.pk, "patents": numbers,
            "evaluations": [e.pk for e in evaluations],
        },
    )  # fmt: skip
    notices.tell_bank(
        notices.APPLIED, application, amount=str(amount), term=term,
    )  # fmt: skip
    return application


def _lock(application: FinanceApplication) -> FinanceApplication:
    return (
        FinanceApplication.objects.select_for_update(of=("self",))
        .select_related("product", "applicant", "bank")
        .get(pk=application.pk)
    )


def _bank_lock(actor: User, application: FinanceApplication) -> FinanceApplication:
    require_capability(actor, Capability.MANAGE_FINANCE, application.bank)
    return _lock(application)


def _step(
    actor: User,
    organisation: Organisation,
    application: FinanceApplication,
    status: rules.Status,
    action: str,
    changes: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> FinanceApplication:
    before = model_snapshot(application, FIELDS)
    for name, value in changes.items():
        setattr(application, name, value)
    application.status = status.value
    application.save()
    _record(
        actor, organisation, action, application, application.kind, before=before,
        after={**model_snapshot(application, FIELDS), **(extra or {})},
    )  # fmt: skip
    return application


@decision
def application_withdraw(
    *, actor: User, application: FinanceApplication, today: date | None = None
) -> FinanceApplication:
    """M12.1, M12.3: the applicant withdraws an application the bank has not decided."""
    require_capability(actor, Capability.APPLY_FINANCE, application.applicant)
    application = _lock(application)
    status = rules.check_step(application.status, rules.Step.WITHDRAW)
    application.pledges.update(state=PledgeState.VOID)
    application = _step(actor, application.applicant, application, status, "withdraw", {})
    notices.tell_bank(notices.WITHDRAWN, application)
    return application


@decision
def application_refuse(
    *, actor: User, application: FinanceApplication, reason: str, today: date | None = None
) -> FinanceApplication:
    """M12.1, M12.3: the bank refuses an application, giving its reasons; the applicant hears."""
    on = today or selectors.today()
    application = _bank_lock(actor, application)
    status = rules.check_step(application.status, rules.Step.REFUSE)
    reason = rules.check_reason(check_text(reason or "", field="reason", multiline=True))
    application.pledges.update(state=PledgeState.VOID)
    application = _step(
        actor, application.bank, application, status, "refuse",
        {"reason": reason, "decided_on": on, "decided_by": actor},
    )  # fmt: skip
    notices.tell_applicant(notices.REFUSED, application, reason=reason)
    return application


def _activate_pledges(application: FinanceApplication) -> list[str]:
    """M12.1: the application's pledges become active: refused, naming the clause, when one of
    its patents is already under an active pledge (checked here, and by the partial unique
    index should two approvals ever race past the check)."""
    numbers = list(application.pledges.values_list("patent_number", flat=True))
    rules.check_not_pledged(numbers, selectors.active_pledges(numbers))
    try:
        with transaction.atomic():
            application.pledges.update(state=PledgeState.ACTIVE)
    except IntegrityError:
        rules.check_not_pledged(numbers, dict.fromkeys(numbers, ""))
    return numbers


def _schedule(
    application: FinanceApplication, grant: rules.Approval, method: str, on: date
) -> None:
    plan = rules.schedule(grant.amount, grant.rate, grant.term, method, on)
    Instalment.objects.bulk_create(
        Instalment(
            application=application,
            number=i.number,
            due_on=i.due_on,
            principal=i.principal,
            interest=i.interest,
            amount=i.amount,
        )
        for i in plan
    )


@decision
def application_approve(
    *,
    actor: User,
    application: FinanceApplication,
    grant: LoanDecision,
    today: date | None = None,
) -> FinanceApplication:
    """M12.1: the bank approves a loan or bond with the amount, annual rate and term; a pledge
    loan with its pledge's registration number and date, its patents then under an active
    pledge. A loan's monthly schedule is computed once from the day of approval and kept. The
    applicant hears of it."""
    on = today or selectors.today()
    application = _bank_lock(actor, application)
    status = rules.check_step(application.status, rules.Step.APPROVE)
    if application.is_cover:
        raise refuse(
            gettext_noop("A guarantee or insurance is approved with its number, cover and period."),
            "finance.cover_kind",
            None,
            rules.COVER,
        )
    checked = rules.check_approval(
        amount=grant.amount, rate=grant.rate, term=grant.term, clauses=rules.FINANCING
    )
    method = ""
    changes: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if application.is_loan:
        try:
            method = rules.Method(grant.method).value
        except ValueError:
            raise refuse(
                gettext_noop("Choose the repayment method: equal instalments or equal principal."),
                "finance.method",
                "method",
                rules.FINANCING,
            ) from None
        changes["start_on"] = on
    if application.kind == ProductKind.PLEDGE_LOAN:
        changes["registration_number"] = rules.check_number(
            grant.registration_number, "registration_number", rules.FINANCING
        )
        changes["registered_on"] = rules.check_day(
            grant.registered_on, "registered_on", on, rules.FINANCING
        )
        extra["pledged"] = _activate_pledges(application)
    application = _step(
        actor, application.bank, application, status, "approve",
        {
            **changes, "approved_amount": checked.amount, "approved_rate": checked.rate,
            "approved_term": checked.term, "method": method, "decided_on": on,
            "decided_by": actor, "reason": "",
        },
        extra,
    )  # fmt: skip
    if application.is_loan:
        _schedule(application, checked, method, on)
    params: dict[str, Any] = {
        "amount": str(checked.amount), "rate": str(checked.rate), "term": checked.term,
    }  # fmt: skip
    if application.kind == ProductKind.PLEDGE_LOAN:
        notices.tell_applicant(
            notices.PLEDGE_APPROVED, application,
            registration=application.registration_number, **params,
        )  # fmt: skip
    else:
        notices.tell_applicant(notices.APPROVED, application, **params)
    return application


@decision
def cover_approve(
    *,
    actor: User,
    application: FinanceApplication,
    cover: CoverDecision,
    today: date | None = None,
) -> FinanceApplication:
    """M12.3: the bank (or insurer) approves a guarantee or insurance with its number, cover
    amount, premium or fee, and period. The applicant hears of it."""
    on = today or selectors.today()
    application = _bank_lock(actor, application)
    status = rules.check_step(application.status, rules.Step.APPROVE)
    if not application.is_cover:
        raise refuse(
            gettext_noop("A loan or bond is approved with its amount, rate and term."),
            "finance.loan_kind",
            None,
            rules.FINANCING,
        )
    number = rules.check_number(cover.number, "policy_number", rules.COVER)
    amount, premium, start, end = rules.check_cover(
        amount=cover.cover_amount, premium=cover.premium, start=cover.start, end=cover.end
    )
    application = _step(
        actor, application.bank, application, status, "approve",
        {
            "policy_number": number, "cover_amount": amount, "premium": premium,
            "cover_start": start, "cover_end": end, "decided_on": on, "decided_by": actor,
            "reason": "",
        },
    )  # fmt: skip
    notices.tell_applicant(
        notices.COVER_APPROVED, application, number=number, cover=str(amount),
        premium=str(premium), start=start.isoformat(), end=end.isoformat(),
    )  # fmt: skip
    return application


@decision
def repayment_record(
    *,
    actor: User,
    application: FinanceApplication,
    amount: Decimal | None,
    paid_on: date | None,
    today: date | None = None,
) -> Repayment:
    """M12.1: the bank records a repayment it received, paid on the earliest instalments first;
    when nothing is owed any more the loan is repaid and its pledges released (the patents may
    be pledged again). The applicant hears of each repayment, both sides of the loan repaid."""
    on = today or selectors.today()
    application = _bank_lock(actor, application)
    if not application.is_loan or application.status != ApplicationStatus.APPROVED:
        raise refuse(
            gettext_noop("Repayments are recorded on an approved loan not yet repaid."),
            "finance.not_repayable",
            None,
            rules.FINANCING,
        )
    day = rules.check_day(paid_on, "paid_on", on, rules.FINANCING)
    if amount is None:
        raise refuse(
            gettext_noop("Give the amount."), "finance.required", "amount", rules.FINANCING
        )
    instalments = list(
        application.instalments.select_for_update().filter(paid__lt=F("amount")).order_by("number")
    )
    parts = rules.apply_repayment(amount, [i.amount - i.paid for i in instalments])
    for instalment, part in zip(instalments, parts, strict=True):
        if part:
            instalment.paid += part
            instalment.save(update_fields=["paid"])
    repayment = Repayment.objects.create(
        application=application, paid_on=day, amount=sum(parts, Decimal("0.00")),
        recorded_by=actor,
    )  # fmt: skip
    owed = selectors.outstanding(application)
    _record(
        actor, application.bank, "repayment", repayment, application.kind,
        after={
            "application": application.pk, "paid_on": day.isoformat(),
            "amount": str(repayment.amount), "owed": str(owed),
        },
    )  # fmt: skip
    notices.tell_applicant(
        notices.REPAYMENT, application, key=str(repayment.pk), amount=str(repayment.amount),
        date=day.isoformat(), owed=str(owed),
    )  # fmt: skip
    if owed == 0:
        _repaid(actor, application, day)
    return repayment


def _repaid(actor: User, application: FinanceApplication, day: date) -> None:
    """M12.1: the loan is repaid; its pledges are released."""
    status = rules.check_step(application.status, rules.Step.REPAY)
    released = list(
        application.pledges.filter(state=PledgeState.ACTIVE).values_list("patent_number", flat=True)
    )
    application.pledges.filter(state=PledgeState.ACTIVE).update(
        state=PledgeState.RELEASED, released_on=day
    )
    _step(
        actor, application.bank, application, status, "repaid", {"repaid_on": day},
        {"released": released},
    )  # fmt: skip
    notices.tell_applicant(notices.REPAID, application, date=day.isoformat())
    notices.tell_bank(notices.REPAID, application, date=day.isoformat())
