""" "Use first, pay later" licences (M3): the unit offers a result it holds and concludes a
licence on one of the payment models of M3.2/M3.3, whose schedule is computed by
``kttc.policy.licensing`` and stored; the licensee reports its revenue (the royalty is computed,
and the first revenue starts the instalments that waited for it); the unit records payments.
Each decision is one transaction and one audit entry citing its clauses; the party waiting for it
hears of it at once (:mod:`kttc.reform.licensing.notices`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone

from kttc.core.accounts.services import require_verified
from kttc.core.models import Organisation, User
from kttc.core.services import audit_record, decision, require_capability
from kttc.policy import calendar
from kttc.policy import licensing as licensing_rules
from kttc.policy.calendar import add_years
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import to_money
from kttc.policy.roles import Capability, OrganisationKind
from kttc.reform import dates
from kttc.reform.licensing import notices
from kttc.reform.licensing.choices import IN_FORCE, LicenceApplicationStatus
from kttc.reform.licensing.models import (
    DISCLOSABLE,
    Licence,
    LicenceApplication,
    LicenceInstalment,
    LicenceOffer,
    LicencePayment,
    RevenueReport,
)
from kttc.registry.choices import Confidentiality, Status
from kttc.registry.models import Achievement


def audit(
    actor: User,
    licence_or_offer: Any,
    unit: Organisation,
    action: str,
    clauses: Sequence[str],
    after: dict[str, Any],
) -> None:
    audit_record(
        actor=actor,
        organisation=unit,
        action=f"licence.{action}",
        obj=licence_or_offer,
        after=after,
        clauses=list(clauses),
    )


@decision
def licence_offer(
    *,
    actor: User,
    unit: Organisation,
    achievement: Achievement,
    term_years: int,
    payment_model: str,
    exclusive: bool = False,
    field_of_use: str = "",
    territory: str = "",
) -> LicenceOffer:
    """M3.1: the unit offers one of its published results for licence."""
    require_capability(actor, Capability.MANAGE_LICENCES, unit)
    if achievement.unit_id != unit.pk:
        raise refuse(
            gettext_noop("A unit can only license results it holds; this one is another's."),
            "licence.not_held",
            "achievement",
            ("M3.1",),
        )
    if achievement.status != Status.PUBLISHED:
        raise refuse(
            gettext_noop("Only a published result can be offered for licence."),
            "licence.not_published",
            "achievement",
            ("M3.1",),
        )
    if achievement.confidentiality != Confidentiality.PUBLIC:
        # Offers are read on the public marketplace; a restricted result never appears there.
        raise refuse(
            gettext_noop(
                "Only a public result can be offered on the marketplace; this one is restricted "
                "to its unit and the bureau."
            ),
            "licence.not_public",
            "achievement",
            ("M3.1", "M8.6"),
        )
    if payment_model not in {m.value for m in licensing_rules.PaymentModel}:
        raise refuse(
            gettext_noop("%(model)s is not a payment model of the measures."),
            "licence.model",
            "payment_model",
            ("M3.2",),
            model=payment_model,
        )
    licensing_rules.check_term(term_years)
    offer = LicenceOffer.objects.create(
        achievement=achievement,
        unit=unit,
        exclusive=exclusive,
        field_of_use=field_of_use.strip(),
        territory=territory.strip(),
        term_years=term_years,
        payment_model=payment_model,
        created_by=actor,
    )
    after = {
        "achievement": achievement.pk,
        "payment_model": payment_model,
        "exclusive": exclusive,
        "term_years": term_years,
    }
    audit(actor, offer, unit, "offer", ("M3.1",), after)
    return offer


@decision
def licence_conclude(
    *,
    actor: User,
    offer: LicenceOffer,
    licensee: Organisation,
    starts_on: date,
    stages: Sequence[licensing_rules.Stage] = (),
    royalty_rate: Decimal | None = None,
    total_fee: Decimal | None = None,
    first_due: date | None = None,
    instalments: int = 1,
    every_months: int = 12,
    grace_months: int = 0,
    royalty_due_days: int = licensing_rules.DEFAULT_ROYALTY_DUE_DAYS,
    application: LicenceApplication | None = None,
    disclosed: Sequence[str] = (),
) -> Licence:
    """M3.2, M3.3: the unit concludes the licence with ``licensee`` (the applicant, when it
    answers an application) on the offer's payment model; the schedule is computed to the fen
    (:func:`kttc.policy.licensing.licence_plan`) and stored. ``royalty_due_days``: the agreed
    days after the end of a reported period within which its royalty is paid. ``disclosed``: the
    fields of ``DISCLOSABLE`` the parties agreed to publish on the transaction page (M8.5)."""
    offer = LicenceOffer.objects.select_for_update().get(pk=offer.pk)
    require_capability(actor, Capability.MANAGE_LICENCES, offer.unit)
    if application is not None:
        application = _answered(application, offer, licensee)
    _check_conclusion(offer, licensee, disclosed)
    model = licensing_rules.PaymentModel(offer.payment_model)
    terms = licensing_rules.Terms(
        stages, royalty_rate, total_fee, first_due, instalments, every_months
    )
    plan = licensing_rules.licence_plan(model, terms)
    licensing_rules.check_royalty_due_days(royalty_due_days)
    licence = Licence.objects.create(
        offer=offer,
        achievement=offer.achievement,
        unit=offer.unit,
        licensee=licensee,
        exclusive=offer.exclusive,
        field_of_use=offer.field_of_use,
        territory=offer.territory,
        starts_on=starts_on,
        ends_on=add_years(starts_on, offer.term_years),
        payment_model=model.value,
        total_fee=plan.fee,
        royalty_rate=plan.rate,
        grace_months=grace_months,
        every_months=every_months,
        royalty_due_days=royalty_due_days,
        application=application,
        disclosed=[f for f in DISCLOSABLE if f in set(disclosed)],
        concluded_by=actor,
    )
    _store_schedule(licence, plan.schedule)
    _close_on_conclusion(offer, application)
    after = {
        "licensee": licensee.pk,
        "application": application.pk if application else None,
        "disclosed": licence.disclosed,
        "payment_model": model.value,
        "total_fee": plan.fee,
        "royalty_rate": plan.rate,
        "royalty_due_days": royalty_due_days,
        "instalments": [str(i.amount) for i in plan.schedule],
    }
    audit(actor, licence, offer.unit, "conclude", ("M3.2", "M3.3"), after)
    notices.tell_enterprise(
        notices.CONCLUDED,
        licensee,
        licence,
        notices.licence_page(licence.pk),
        unit=offer.unit.name,
        name=offer.achievement.name,
        licensee=licensee.name,
        starts=licence.starts_on.isoformat(),
        ends=licence.ends_on.isoformat(),
    )
    return licence


def _answered(
    application: LicenceApplication, offer: LicenceOffer, licensee: Organisation
) -> LicenceApplication:
    """M3.1: the application the licence answers, locked: pending on this offer, by
    ``licensee``."""
    application = LicenceApplication.objects.select_for_update().get(pk=application.pk)
    if application.offer_id != offer.pk or application.status != LicenceApplicationStatus.PENDING:
        raise refuse(
            gettext_noop("This application is not waiting for a decision on this offer."),
            "licence.application_decided",
            "application",
            ("M3.1",),
        )
    if application.applicant_id != licensee.pk:
        raise refuse(
            gettext_noop("The licence goes to the enterprise that applied."),
            "licence.licensee",
            "licensee",
            ("M3.1",),
        )
    return application


def _check_conclusion(
    offer: LicenceOffer, licensee: Organisation, disclosed: Sequence[str]
) -> None:
    """M3.1, M8.5: the terms published are disclosable, the offer is open, the licensee is an
    enterprise other than the unit, and the exclusivity of the licences in force holds."""
    unknown = sorted(set(disclosed) - set(DISCLOSABLE))
    if unknown:
        raise refuse(
            gettext_noop("%(fields)s cannot be published on the transaction page."),
            "licence.disclosed",
            "disclosed",
            ("M8.5",),
            fields=", ".join(unknown),
        )
    if not offer.open:
        raise refuse(
            gettext_noop("The offer is closed."), "licence.offer_closed", "offer", ("M3.1",)
        )
    if licensee.pk == offer.unit_id or licensee.kind != OrganisationKind.ENTERPRISE:
        raise refuse(
            gettext_noop("A licence goes to an enterprise other than the unit."),
            "licence.licensee",
            "licensee",
            ("M3.1",),
        )
    active = Licence.objects.filter(achievement=offer.achievement, status__in=IN_FORCE)
    licensing_rules.check_exclusivity(
        exclusive=offer.exclusive,
        active=active.count(),
        active_exclusive=active.filter(exclusive=True).count(),
    )


def _store_schedule(licence: Licence, schedule: Sequence[licensing_rules.Instalment]) -> None:
    LicenceInstalment.objects.bulk_create(
        LicenceInstalment(
            licence=licence,
            number=i.number,
            amount=i.amount,
            trigger=i.trigger.value,
            milestone=i.milestone,
            due=i.due,
        )
        for i in schedule
    )


def _close_on_conclusion(offer: LicenceOffer, application: LicenceApplication | None) -> None:
    """The application answered is concluded; an exclusive licence closes its offer and
    declines the other pending applications."""
    if application is not None:
        application.status = LicenceApplicationStatus.CONCLUDED
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decided_at"])
    if offer.exclusive:
        offer.open = False
        offer.save(update_fields=["open"])
        _decline_pending(
            offer,
            gettext_noop("An exclusive licence was concluded on the offer."),
            notices.DECLINED_EXCLUSIVE,
        )


def _decline_pending(offer: LicenceOffer, reason: str, notice: notices.Notice) -> int:
    """The offer's pending applications are declined with ``reason`` (the offer closed), and
    each applicant is told why with ``notice`` (DESIGN rule 12)."""
    pending = list(
        offer.applications.filter(status=LicenceApplicationStatus.PENDING).select_related(
            "applicant"
        )
    )
    declined = LicenceApplication.objects.filter(pk__in=[a.pk for a in pending]).update(
        status=LicenceApplicationStatus.DECLINED, decision_reason=reason, decided_at=timezone.now()
    )
    for application in pending:
        notices.tell_enterprise(
            notice,
            application.applicant,
            application,
            notices.application_page(application.pk),
            unit=offer.unit.name,
            applicant=application.applicant.name,
            name=offer.achievement.name,
        )
    return declined


@decision
def offer_close(*, actor: User, offer: LicenceOffer) -> LicenceOffer:
    """M3.1: the unit closes its offer; pending applications are declined."""
    offer = LicenceOffer.objects.select_for_update().get(pk=offer.pk)
    require_capability(actor, Capability.MANAGE_LICENCES, offer.unit)
    if not offer.open:
        raise refuse(
            gettext_noop("The offer is closed."), "licence.offer_closed", "offer", ("M3.1",)
        )
    offer.open = False
    offer.save(update_fields=["open"])
    declined = _decline_pending(
        offer, gettext_noop("The unit closed the offer."), notices.DECLINED_OFFER_CLOSED
    )
    audit(actor, offer, offer.unit, "offer_close", ("M3.1",), {"declined": declined})
    return offer


@decision
def licence_apply(
    *,
    actor: User,
    offer: LicenceOffer,
    applicant: Organisation,
    plan: str,
    proposed_terms: str = "",
) -> LicenceApplication:
    """M3.1: an enterprise applies for a licence on an open offer, with how it means to use the
    result and, if it likes, the payment terms it proposes."""
    offer = LicenceOffer.objects.select_for_update().get(pk=offer.pk)
    require_capability(actor, Capability.HOLD_LICENCES, applicant)
    require_verified(applicant)
    if not offer.open:
        raise refuse(
            gettext_noop("The offer is closed."), "licence.offer_closed", "offer", ("M3.1",)
        )
    if applicant.pk == offer.unit_id or applicant.kind != OrganisationKind.ENTERPRISE:
        raise refuse(
            gettext_noop("A licence goes to an enterprise other than the unit."),
            "licence.licensee",
            "applicant",
            ("M3.1",),
        )
    text = plan.strip()
    if not text:
        raise refuse(
            gettext_noop("Say how the enterprise means to use the result."),
            "required",
            "plan",
            ("M3.1",),
        )
    if offer.applications.filter(
        applicant=applicant, status=LicenceApplicationStatus.PENDING
    ).exists():
        raise refuse(
            gettext_noop("The enterprise has applied on this offer already; the unit decides."),
            "licence.applied",
            "offer",
            ("M3.1",),
        )
    application = LicenceApplication.objects.create(
        offer=offer,
        applicant=applicant,
        plan=text,
        proposed_terms=proposed_terms.strip(),
        applied_by=actor,
    )
    audit_record(
        actor=actor,
        organisation=applicant,
        action="licence.apply",
        obj=application,
        after={"offer": offer.pk, "applicant": applicant.pk},
        clauses=["M3.1"],
    )
    notices.tell_unit(
        notices.APPLICATION_RECEIVED,
        offer.unit,
        application,
        notices.application_page(application.pk),
        applicant=applicant.name,
        name=offer.achievement.name,
    )
    return application


def _pending(application: LicenceApplication) -> LicenceApplication:
    locked = LicenceApplication.objects.select_for_update().select_related("offer")
    application = locked.get(pk=application.pk)
    if application.status != LicenceApplicationStatus.PENDING:
        raise refuse(
            gettext_noop("This application is decided already."),
            "licence.application_decided",
            "application",
            ("M3.1",),
        )
    return application


@decision
def licence_application_decline(
    *, actor: User, application: LicenceApplication, reason: str
) -> LicenceApplication:
    """M3.1: the unit declines an application, saying why (the enterprise reads it)."""
    application = _pending(application)
    require_capability(actor, Capability.MANAGE_LICENCES, application.offer.unit)
    text = reason.strip()
    if not text:
        raise refuse(
            gettext_noop("Say why the application is declined."), "required", "reason", ("M3.1",)
        )
    application.status, application.decision_reason = LicenceApplicationStatus.DECLINED, text
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decision_reason", "decided_at"])
    audit(actor, application, application.offer.unit, "decline", ("M3.1",), {"reason": text})
    notices.tell_enterprise(
        notices.DECLINED,
        application.applicant,
        application,
        notices.application_page(application.pk),
        unit=application.offer.unit.name,
        applicant=application.applicant.name,
        name=application.offer.achievement.name,
        reason=text,
    )
    return application


@decision
def licence_application_withdraw(
    *, actor: User, application: LicenceApplication
) -> LicenceApplication:
    """M3.1: the enterprise withdraws its pending application."""
    application = _pending(application)
    require_capability(actor, Capability.HOLD_LICENCES, application.applicant)
    application.status, application.decided_at = LicenceApplicationStatus.WITHDRAWN, timezone.now()
    application.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=actor,
        organisation=application.applicant,
        action="licence.withdraw",
        obj=application,
        after={"status": application.status},
        clauses=["M3.1"],
    )
    return application


@decision
def milestone_record(*, actor: User, licence: Licence, milestone: str, on: date) -> Licence:
    """M3.2: the unit records that the licensee reached a milestone of the schedule on ``on``;
    the stages at that milestone fall due that day."""
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    require_capability(actor, Capability.MANAGE_LICENCES, licence.unit)
    fixed = licensing_rules.milestone_reached(schedule_of(licence), milestone, on)
    changed = [i for i in fixed if i.trigger is licensing_rules.Trigger.MILESTONE and i.due == on]
    updated = 0
    for instalment in changed:
        updated += LicenceInstalment.objects.filter(
            licence=licence, number=instalment.number, due__isnull=True
        ).update(due=on)
    if not updated:
        raise refuse(
            gettext_noop("The milestone “%(milestone)s” is recorded already."),
            "licence.milestone_recorded",
            "milestone",
            ("M3.2",),
            milestone=milestone.strip(),
        )
    audit(actor, licence, licence.unit, "milestone", ("M3.2",), {"milestone": milestone, "on": on})
    return licence


def schedule_of(licence: Licence) -> list[licensing_rules.Instalment]:
    """The licence's stored schedule, as the policy rules take it."""
    return [
        licensing_rules.Instalment(
            i.number, i.amount, licensing_rules.Trigger(i.trigger), i.due, i.milestone
        )
        for i in licence.instalments.all()
    ]


@decision
def revenue_report(
    *,
    actor: User,
    licence: Licence,
    period_start: date,
    period_end: date,
    revenue: Decimal,
) -> RevenueReport:
    """M3.2, M3.3: the licensee reports a period's revenue from the result; the royalty is
    computed and falls due the licence's agreed days after the period ends (the licensee does
    not choose the day), and the first revenue makes the instalments that waited for it fall
    due."""
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    require_capability(actor, Capability.HOLD_LICENCES, licence.licensee)
    licensing_rules.check_period(period_start, period_end, today=calendar.today_in_shanghai())
    due = licensing_rules.royalty_due(period_end, licence.royalty_due_days)
    amount = licensing_rules.check_revenue(revenue)
    rate = licence.royalty_rate
    royalty = licensing_rules.royalty(amount, rate) if rate else Decimal("0.00")
    if RevenueReport.objects.filter(licence=licence, period_start=period_start).exists():
        raise refuse(
            gettext_noop("This period is reported already."),
            "licence.period_reported",
            "period_start",
            ("M3.2",),
        )
    report = RevenueReport.objects.create(
        licence=licence,
        period_start=period_start,
        period_end=period_end,
        revenue=amount,
        royalty=to_money(royalty),
        due=due,
        reported_by=actor,
    )
    if report.royalty > 0:
        last = licence.instalments.aggregate(last=Max("number"))["last"] or 0
        LicenceInstalment.objects.create(
            licence=licence,
            number=last + 1,
            amount=report.royalty,
            trigger=licensing_rules.Trigger.ROYALTY.value,
            milestone=f"{period_start.isoformat()}/{period_end.isoformat()}",
            due=due,
        )
    if amount > 0 and licence.first_revenue_on is None:
        licence.first_revenue_on = period_end
        licence.save(update_fields=["first_revenue_on"])
        fixed = licensing_rules.on_first_revenue(
            schedule_of(licence),
            period_end,
            grace_months=licence.grace_months,
            every_months=licence.every_months,
        )
        for instalment in fixed:
            LicenceInstalment.objects.filter(
                licence=licence, number=instalment.number, due__isnull=True
            ).update(due=instalment.due)
    after = {
        "period": [period_start, period_end],
        "revenue": amount,
        "royalty": report.royalty,
        "due": due,
    }
    audit_record(
        actor=actor,
        organisation=licence.licensee,
        action="licence.revenue_report",
        obj=report,
        after=after,
        clauses=["M3.2", "M3.3"],
    )
    notices.tell_unit(
        notices.REVENUE_REPORTED,
        licence.unit,
        report,
        notices.licence_page(licence.pk),
        licensee=licence.licensee.name,
        name=licence.achievement.name,
        revenue=str(report.revenue),
        royalty=str(report.royalty),
        start=period_start.isoformat(),
        end=period_end.isoformat(),
        due=due.isoformat(),
    )
    return report


@decision
def payment_record(
    *, actor: User, licence: Licence, amount: Decimal, paid_on: date
) -> LicencePayment:
    """M3.2: the unit records a payment received under the licence."""
    require_capability(actor, Capability.MANAGE_LICENCES, licence.unit)
    money = to_money(amount)
    if money <= 0:
        raise refuse(
            gettext_noop("A payment is more than 0; %(amount)s is not."),
            "licence.payment",
            "amount",
            ("M3.2",),
            amount=money,
        )
    payment = LicencePayment.objects.create(
        licence=licence, amount=money, paid_on=paid_on, recorded_by=actor
    )
    audit(actor, payment, licence.unit, "payment", ("M3.2",), {"amount": money, "paid_on": paid_on})
    notices.tell_enterprise(
        notices.PAYMENT_RECORDED,
        licence.licensee,
        payment,
        notices.licence_page(licence.pk),
        unit=licence.unit.name,
        name=licence.achievement.name,
        amount=str(money),
        paid_on=paid_on.isoformat(),
    )
    return payment


def licence_balance(licence: Licence, on: date | None = None) -> licensing_rules.Balance:
    """M3.2, M3.3: what the licensee owes on ``on``: the schedule's instalments (the royalties
    reported among them) less the payments, oldest first."""
    day = on or dates.today()
    payments = [p.amount for p in licence.payments.filter(paid_on__lte=day)]
    return licensing_rules.balance(schedule_of(licence), payments, day)
