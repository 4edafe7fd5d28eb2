"""The pages of innovation vouchers (M12.2): the bureau's programmes (open, close, the report
and its xlsx) and the applications waiting for it (issue or refuse); the enterprise's page
(apply, its applications and vouchers, present one to a certified institution); the
institution's page (the vouchers presented to it, redeem one, its redemptions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.center.vouchers import exporting, selectors, services
from kttc.center.vouchers.forms import (
    ApplicationForm,
    IssueForm,
    PresentForm,
    ProgrammeForm,
    ReasonForm,
    RedeemForm,
)
from kttc.center.vouchers.models import Voucher, VoucherApplication, VoucherProgramme
from kttc.core import parsing
from kttc.core.errors import translated_message
from kttc.core.selectors import user_can
from kttc.core.web import acting_user, forbidden, form_error, paged, posted_decision
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability


def _bureau_only(request: HttpRequest) -> HttpResponse | None:
    if not selectors.may_manage(acting_user(request)):
        return forbidden(request, gettext("Only the bureau keeps the voucher programmes."))
    return None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """M12.2: each person's voucher page: the bureau's programmes, the enterprise's vouchers,
    the institution's redemptions."""
    user = acting_user(request)
    if selectors.may_manage(user):
        return redirect("vouchers:programmes")
    if selectors.enterprises_of(user).exists():
        return redirect("vouchers:mine")
    if selectors.institutions_of(user).exists():
        return redirect("vouchers:redeem")
    return forbidden(
        request, gettext("Innovation vouchers are for the bureau, enterprises and institutions.")
    )


@login_required
def programmes(request: HttpRequest) -> HttpResponse:
    """M12.2: the bureau's programmes with what remains of their budgets, the applications
    waiting, and the form to open a programme."""
    if (denied := _bureau_only(request)) is not None:
        return denied
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.programme_open(actor=acting_user(request), terms=form.terms())
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The programme is open."))
            return redirect("vouchers:programme", found.pk)
    page, querystring = paged(request, selectors.programmes())
    return render(
        request,
        "center/vouchers/programmes.html",
        {
            "form": form, "page": page, "querystring": querystring,
            "waiting": selectors.applications_waiting()[:50],
        },
    )  # fmt: skip


def _programme(request: HttpRequest, pk: int) -> VoucherProgramme:
    return get_object_or_404(VoucherProgramme, pk=parsing.id_or_404(pk))


@login_required
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    """M12.2: a programme's terms and report (budget, issued, redeemed, expired, remaining, by
    service kind and by institution) and its applications."""
    if (denied := _bureau_only(request)) is not None:
        return denied
    found = _programme(request, pk)
    applications, querystring = paged(
        request, found.applications.select_related("enterprise").order_by("-applied_on", "-id")
    )
    return render(
        request,
        "center/vouchers/programme.html",
        {
            "programme": found, "report": exporting.report_rows(found),
            "page": applications, "querystring": querystring,
        },
    )  # fmt: skip


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _bureau_only(request)) is not None:
        return denied
    found = _programme(request, pk)
    try:
        services.programme_close(actor=acting_user(request), programme=found)
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(request, gettext("The programme is closed to new applications."))
    return redirect("vouchers:programme", found.pk)


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """M12.2: the programme's report as an xlsx (every text cell guarded against formulas)."""
    if (denied := _bureau_only(request)) is not None:
        return denied
    found = _programme(request, pk)
    response = HttpResponse(exporting.report_xlsx(found), content_type=exporting.XLSX)
    response["Content-Disposition"] = f'attachment; filename="vouchers-{found.pk}.xlsx"'
    return response


def _application(request: HttpRequest, pk: int) -> tuple[VoucherApplication, bool]:
    user = acting_user(request)
    found = get_object_or_404(
        VoucherApplication.objects.select_related("programme", "enterprise", "applied_by"),
        pk=parsing.id_or_404(pk),
    )
    bureau = selectors.may_manage(user)
    if not bureau and not user_can(user, Capability.APPLY_VOUCHERS, found.enterprise):
        raise Http404
    return found, bureau


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """M12.2: an application; the bureau issues a voucher or refuses here."""
    found, bureau = _application(request, pk)
    context: dict[str, Any] = {"application": found, "bureau": bureau}
    context["voucher"] = Voucher.objects.filter(application=found).first()
    if bureau:
        context.update(
            issue_form=IssueForm(initial={"value": found.amount}), refuse_form=ReasonForm(),
            remaining=found.programme.budget - found.programme.committed,
        )  # fmt: skip
    return render(request, "center/vouchers/application.html", context)


def _decide(
    request: HttpRequest, pk: int, form: Any, act: Callable[[VoucherApplication, Any], Any],
    done: str,
) -> HttpResponse:  # fmt: skip
    found, bureau = _application(request, pk)
    if not bureau:
        return forbidden(request, gettext("Only the bureau keeps the voucher programmes."))
    posted_decision(request, form, lambda data: act(found, data), done)
    return redirect("vouchers:application", found.pk)


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _decide(
        request, pk, IssueForm(request.POST),
        lambda found, d: services.voucher_issue(actor=user, application=found, value=d["value"]),
        gettext("The voucher is issued."),
    )  # fmt: skip


@login_required
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _decide(
        request, pk, ReasonForm(request.POST),
        lambda found, d: services.voucher_refuse(actor=user, application=found, reason=d["reason"]),
        gettext("The application is refused."),
    )  # fmt: skip


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """M12.2: the enterprise's page: apply to an open programme; its applications; its
    vouchers, those to use with the form to present one to a certified institution."""
    user = acting_user(request)
    enterprise = selectors.enterprises_of(user).first()
    if enterprise is None:
        return forbidden(request, gettext("Enterprises apply for innovation vouchers."))
    today = selectors.today()
    open_now = selectors.open_programmes(today)
    form = ApplicationForm(request.POST or None, programmes=open_now)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.voucher_apply(
                actor=user, enterprise=enterprise, programme=data["programme"],
                service=data["service"], amount=data["amount"], purpose=data["purpose"],
            )  # fmt: skip
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The application is sent to the bureau."))
            return redirect("vouchers:mine")
    vouchers, querystring = paged(request, selectors.vouchers_of(enterprise))
    institutions = selectors.certified_institutions(today)
    return render(
        request,
        "center/vouchers/mine.html",
        {
            "enterprise": enterprise, "form": form, "open_programmes": open_now,
            "applications": selectors.applications_of(enterprise)[:50], "page": vouchers,
            "querystring": querystring, "today": today,
            "present_form": PresentForm(institutions=institutions) if institutions else None,
        },
    )  # fmt: skip


@login_required
@require_POST
def present(request: HttpRequest, pk: int) -> HttpResponse:
    """M12.2: the enterprise presents its voucher to the certified institution it chooses."""
    user = acting_user(request)
    found = get_object_or_404(Voucher, pk=parsing.id_or_404(pk))
    if not user_can(user, Capability.APPLY_VOUCHERS, found.enterprise):
        raise Http404
    form = PresentForm(
        request.POST, institutions=selectors.certified_institutions(selectors.today())
    )
    if form.is_valid():
        try:
            services.voucher_present(
                actor=user, voucher=found, institution=form.cleaned_data["institution"]
            )
        except PolicyError as exc:
            messages.error(request, translated_message(exc))
        else:
            messages.success(request, gettext("The voucher is presented to the institution."))
    else:
        messages.error(request, gettext("Choose a certified service institution."))
    return redirect("vouchers:mine")


@login_required
def redeem(request: HttpRequest) -> HttpResponse:
    """M12.2: the institution's page: the vouchers presented to it, each with the form to
    redeem it, and its redemptions."""
    user = acting_user(request)
    institution = selectors.institutions_of(user).first()
    if institution is None:
        return forbidden(request, gettext("Service institutions redeem innovation vouchers."))
    today = selectors.today()
    redemptions, querystring = paged(request, selectors.redemptions_of(institution))
    return render(
        request,
        "center/vouchers/redeem.html",
        {
            "institution": institution, "certified": selectors.is_certified(institution, today),
            "presented": selectors.vouchers_presented(institution, today)[:100],
            "form": RedeemForm(), "page": redemptions, "querystring": querystring,
        },
    )  # fmt: skip


@login_required
@require_POST
def redeem_voucher(request: HttpRequest, pk: int) -> HttpResponse:
    """M12.2, M9.1: the institution redeems a voucher presented to it."""
    user = acting_user(request)
    institution = selectors.institutions_of(user).first()
    found = get_object_or_404(Voucher, pk=parsing.id_or_404(pk))
    if institution is None or found.institution_id != institution.pk:
        raise Http404
    form = RedeemForm(request.POST)
    if form.is_valid():
        try:
            services.voucher_redeem(
                actor=user, voucher=found, institution=institution, service=form.service()
            )
        except PolicyError as exc:
            messages.error(request, translated_message(exc))
        else:
            messages.success(request, gettext("The voucher is redeemed."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("vouchers:redeem")
