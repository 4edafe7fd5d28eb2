"""Pages of "use first, pay later" licences (M3).

The transfer office offers its unit's published results, reads the applications (with each
applicant's standing credit records, M3.4), concludes a licence on a payment model or declines;
records payments and milestones, declares a breach and removes a cured record. The enterprise
browses the open offers, applies, reports its revenue and answers a credit record. Every page
acts through the licensing services: a refusal is shown beside the field it names, with its
clause, and stores nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.core import parsing, rows
from kttc.core.errors import translated_message
from kttc.core.models import Organisation, User
from kttc.core.selectors import user_can
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability
from kttc.reform import dates
from kttc.reform.licensing import credit, services
from kttc.reform.licensing import selectors as reads
from kttc.reform.licensing.choices import CreditStatus, LicenceApplicationStatus
from kttc.reform.licensing.forms import (
    AnswerForm,
    ConcludeForm,
    LicenceApplyForm,
    MilestoneForm,
    OfferForm,
    PaymentForm,
    ReasonForm,
    RevenueForm,
)
from kttc.reform.licensing.models import CreditRecord, LicenceOffer
from kttc.registry.choices import Status
from kttc.registry.models import Achievement


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The office's offers, applications and licences; the enterprise's open offers to browse,
    its applications, licences and credit records."""
    user = acting_user(request)
    units = reads.units_licensing(user)
    enterprises = reads.licensees_of(user)
    query = request.GET.get("q", "").strip()
    offers = reads.offers_open()
    if query:
        offers = offers.filter(
            Q(achievement__name__icontains=query) | Q(unit__name__icontains=query)
        )
    applications = reads.applications_visible_to(user)
    return render(
        request,
        "reform/licences/home.html",
        {
            "units": units,
            "enterprises": enterprises,
            "own_offers": (
                parsing.page_of(reads.offers_of_units(user), request.GET, "own") if units else None
            ),
            "waiting": applications.filter(
                offer__unit__in=units, status=LicenceApplicationStatus.PENDING
            ),
            "mine": applications.filter(applicant__in=enterprises)[:50],
            "licences": parsing.page_of(reads.licences_visible_to(user), request.GET, "lic"),
            "offers": parsing.page_of(offers, request.GET) if enterprises else None,
            "query": query,
            "querystring": urlencode({"q": query}) if query else "",
            "records": [(e, list(reads.standing_records(e))) for e in enterprises],
        },
    )


@login_required
def offer_new(request: HttpRequest) -> HttpResponse:
    """M3.1: the office offers one of its unit's published results for licence."""
    user = acting_user(request)
    units = list(reads.units_licensing(user))
    if not units:
        return forbidden(request, gettext("Only a unit's transfer office offers licences."))
    results = Achievement.objects.filter(unit__in=units, status=Status.PUBLISHED).order_by("name")
    initial = {"achievement": request.GET.get("achievement")}
    form = OfferForm(request.POST or None, initial=initial, results=results[:500])
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        achievement = get_object_or_404(Achievement, pk=values.pop("achievement"))
        try:
            offer = services.licence_offer(
                actor=user, unit=achievement.unit, achievement=achievement, **values
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The result is offered for licence (M3.1)."))
            return redirect("licences:offer", pk=offer.pk)
    return render(request, "reform/licences/offer_new.html", {"form": form, "results": results})


def _offer_context(user: User, offer: LicenceOffer) -> dict[str, Any]:
    manages = user_can(user, Capability.MANAGE_LICENCES, offer.unit)
    applications = []
    if manages:
        applications = [
            (a, list(reads.standing_records(a.applicant)))
            for a in offer.applications.select_related("applicant")
        ]
    return {
        "offer": offer,
        "manages": manages,
        "applications": applications,
        "licences": offer.licences.select_related("licensee"),
        "mine": offer.applications.filter(applicant__in=reads.licensees_of(user)),
    }


@login_required
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    """An offer: its terms; the enterprise applies here (M3.1); the office reads the
    applications with each applicant's credit records (M3.4)."""
    user = acting_user(request)
    found = get_object_or_404(reads.offers_visible_to(user), pk=pk)
    enterprises = list(reads.licensees_of(user))
    form = None
    if enterprises and found.open:
        form = LicenceApplyForm(request.POST or None, enterprises=enterprises)
        if request.method == "POST" and form.is_valid():
            applicant = get_object_or_404(
                Organisation, pk=form.cleaned_data["applicant"], pk__in=[e.pk for e in enterprises]
            )
            try:
                application = services.licence_apply(
                    actor=user,
                    offer=found,
                    applicant=applicant,
                    plan=form.cleaned_data["plan"],
                    proposed_terms=form.cleaned_data["proposed_terms"],
                )
            except PolicyError as exc:
                form_error(form, exc)
            else:
                messages.success(request, gettext("Your application is with the unit (M3.1)."))
                return redirect("licences:application", pk=application.pk)
    context = _offer_context(user, found)
    return render(request, "reform/licences/offer.html", {**context, "form": form})


@login_required
@require_POST
def offer_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    found = get_object_or_404(reads.offers_visible_to(user), pk=pk)
    try:
        services.offer_close(actor=user, offer=found)
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(request, gettext("The offer is closed; pending applications declined."))
    return redirect("licences:offer", pk=pk)


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """An application: the office concludes the licence (M3.2, M3.3, M8.5) or declines it; the
    enterprise follows it and may withdraw it."""
    user = acting_user(request)
    found = get_object_or_404(reads.applications_visible_to(user), pk=pk)
    manages = user_can(user, Capability.MANAGE_LICENCES, found.offer.unit)
    pending = found.status == LicenceApplicationStatus.PENDING
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    conclude = ConcludeForm(posted if action == "conclude" else None, prefix="conclude")
    decline = ReasonForm(posted if action == "decline" else None, prefix="decline")
    if posted and manages and pending:
        try:
            if action == "conclude" and rows.ready(conclude):
                licence = services.licence_conclude(
                    actor=user,
                    offer=found.offer,
                    licensee=found.applicant,
                    application=found,
                    **conclude.values(),
                )
                messages.success(request, gettext("The licence is concluded (M3.2, M3.3)."))
                return redirect("licences:licence", pk=licence.pk)
            if action == "decline" and decline.is_valid():
                services.licence_application_decline(
                    actor=user, application=found, reason=decline.cleaned_data["reason"]
                )
                messages.success(request, gettext("The application is declined."))
                return redirect("licences:application", pk=pk)
        except PolicyError as exc:
            form_error(conclude if action == "conclude" else decline, exc)
    elif posted and action == "withdraw" and pending:
        try:
            services.licence_application_withdraw(actor=user, application=found)
        except PolicyError as exc:
            messages.error(request, translated_message(exc))
        else:
            messages.success(request, gettext("Your application is withdrawn."))
            return redirect("licences:application", pk=pk)
    return render(
        request,
        "reform/licences/application.html",
        {
            "app": found,
            "manages": manages,
            "is_applicant": user_can(user, Capability.HOLD_LICENCES, found.applicant),
            "pending": pending,
            "records": list(reads.standing_records(found.applicant)) if manages else [],
            "conclude_form": conclude,
            "conclude_fields": conclude.for_model(found.offer.payment_model),
            "decline_form": decline,
            "licence": getattr(found, "licence", None),
        },
    )


@login_required
def licence(request: HttpRequest, pk: int) -> HttpResponse:
    """A licence: its schedule with each instalment's state, the balance, the revenue reports
    and royalties, the payments, milestones and credit records; each party acts here."""
    user = acting_user(request)
    found = get_object_or_404(reads.licences_visible_to(user), pk=pk)
    manages = user_can(user, Capability.MANAGE_LICENCES, found.unit)
    holds = user_can(user, Capability.HOLD_LICENCES, found.licensee)
    milestones = reads.milestones_waiting(found)
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    forms: dict[str, Form] = {
        "revenue": RevenueForm(posted if action == "revenue" else None, prefix="revenue"),
        "payment": PaymentForm(posted if action == "payment" else None, prefix="payment"),
        "milestone": MilestoneForm(
            posted if action == "milestone" else None, prefix="milestone", milestones=milestones
        ),
        "breach": ReasonForm(posted if action == "breach" else None, prefix="breach"),
    }
    record_forms: dict[int, Form] = {}
    if posted and action in forms and forms[action].is_valid():
        form, data = forms[action], forms[action].cleaned_data
        try:
            if action == "revenue" and holds:
                services.revenue_report(actor=user, licence=found, **data)
                note = gettext("The revenue is reported; the royalty is computed (M3.2).")
            elif action == "payment" and manages:
                services.payment_record(actor=user, licence=found, **data)
                note = gettext("The payment is recorded (M3.2).")
            elif action == "milestone" and manages:
                services.milestone_record(actor=user, licence=found, **data)
                note = gettext("The milestone is recorded; its stages fall due (M3.2).")
            elif action == "breach" and manages:
                credit.licence_breach_declare(actor=user, licence=found, reason=data["reason"])
                note = gettext("The breach is declared and entered as a credit record (M3.4).")
            else:
                return forbidden(request, gettext("This is for the other party to do."))
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, note)
            return redirect("licences:licence", pk=pk)
    elif posted and action in ("answer", "remove"):
        record_id = parsing.id_or_404(posted.get("record"))  # an id the form did not send
        record = get_object_or_404(CreditRecord, pk=record_id, licence=found)
        form = (
            AnswerForm(posted, prefix=f"answer-{record.pk}")
            if action == "answer"
            else ReasonForm(posted, prefix=f"remove-{record.pk}")
        )
        record_forms[record.pk] = form
        if form.is_valid():
            try:
                if action == "answer":
                    credit.credit_record_answer(
                        actor=user, record=record, answer=form.cleaned_data["answer"]
                    )
                    note = gettext("Your answer is shown beside the record (M3.4).")
                else:
                    credit.credit_record_remove(
                        actor=user, record=record, reason=form.cleaned_data["reason"]
                    )
                    note = gettext("The credit record is removed (M3.4).")
            except PolicyError as exc:
                form_error(form, exc)
            else:
                messages.success(request, note)
                return redirect("licences:licence", pk=pk)
    today = dates.today()
    records = []
    for record in found.credit_records.all():
        answer = record_forms.get(record.pk) if action == "answer" else None
        remove = record_forms.get(record.pk) if action == "remove" else None
        records.append(
            {
                "record": record,
                "answer_form": answer or AnswerForm(prefix=f"answer-{record.pk}"),
                "remove_form": remove or ReasonForm(prefix=f"remove-{record.pk}"),
            }
        )
    return render(
        request,
        "reform/licences/licence.html",
        {
            "licence": found,
            "manages": manages,
            "holds": holds,
            "lines": reads.schedule_lines(found, today),
            "balance": services.licence_balance(found, today),
            "reports": found.revenue_reports.all(),
            "payments": found.payments.all(),
            "records": records,
            "milestones": milestones,
            "forms": forms,
            "removed": CreditStatus.REMOVED,
            "today": today,
        },
    )
