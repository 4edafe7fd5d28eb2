"""Back-office pages of the empowerment reform (M1): the unit's rules and its applications queue,
review, notice, objections, agreement and grants (transfer office); applying, following and
signing (researchers); the unit's notices and objections (every member)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from kttc.core import fonts
from kttc.core.errors import translated_message
from kttc.core.selectors import parameters_in_force, user_can
from kttc.core.text import posted_text
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability
from kttc.reform.empowerment import documents, grants, pdf, selectors, services
from kttc.reform.empowerment.forms import (
    AgreementForm,
    AnswerForm,
    ApplyForm,
    ExtendForm,
    NoticeForm,
    ObjectionForm,
    ReasonForm,
    RulesForm,
    as_document,
)
from kttc.reform.empowerment.models import EmpowermentApplication, EmpowermentDocument, Objection
from kttc.registry.selectors import achievements_visible_to


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page for every role: the office's queue, the researcher's applications and results,
    the member's notices."""
    user = acting_user(request)
    managed = selectors.managed_units(user)
    return render(
        request,
        "reform/home.html",
        {
            "managed": [(unit, selectors.rules_of(unit)) for unit in managed],
            "queue": selectors.review_queue(user),
            "mine": selectors.applications_visible_to(user).filter(applicant=user),
            "results": selectors.results_to_apply_from(user)[:50],
            "notices": selectors.notices_running(user),
            "oversees": user_can(user, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL),
            "today": selectors.today(),
        },
    )


@login_required
def rules(request: HttpRequest, unit_id: int) -> HttpResponse:
    """M1.3: the unit's own empowerment rules."""
    unit = get_object_or_404(selectors.managed_units(acting_user(request)), pk=unit_id)
    current = selectors.rules_of(unit)
    initial: dict[str, Any] = {"grants_long_term_use": True}
    if current is not None:
        initial = {f: getattr(current, f) for f in services.RULES_FIELDS}
        initial["required_documents"] = "\n".join(current.required_documents)
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_set(actor=acting_user(request), unit=unit, **form.values())
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The unit's empowerment rules are saved (M1.3)."))
            return redirect("reform:home")
    return render(request, "reform/rules.html", {"unit": unit, "form": form, "rules": current})


@login_required
def apply(request: HttpRequest, achievement_id: int) -> HttpResponse:
    """M1.4: a completer applies from the result's page."""
    user = acting_user(request)
    achievement = get_object_or_404(achievements_visible_to(user), pk=achievement_id)
    if not (
        user_can(user, Capability.APPLY_EMPOWERMENT, achievement.unit)
        and selectors.is_completer(user, achievement)
    ):
        return forbidden(request, gettext("Only a completer of the result applies for its rights."))
    unit_rules = selectors.rules_of(achievement.unit)
    if unit_rules is None:
        return render(
            request, "reform/apply.html", {"achievement": achievement, "rules": None, "form": None}
        )
    form = ApplyForm(request.POST or None, request.FILES or None, rules=unit_rules)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.empowerment_apply(
                actor=user, achievement=achievement, **form.values()
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("Your application is with the unit (M1.4)."))
            return redirect("reform:application", pk=application.pk)
    return render(
        request,
        "reform/apply.html",
        {"achievement": achievement, "rules": unit_rules, "form": form},
    )


def _application(request: HttpRequest, pk: int) -> EmpowermentApplication:
    return get_object_or_404(selectors.applications_visible_to(acting_user(request)), pk=pk)


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    app = _application(request, pk)
    can_manage = user_can(user, Capability.MANAGE_EMPOWERMENT, app.unit)
    notice = getattr(app, "notice", None)
    agreement = getattr(app, "agreement", None)
    min_share = parameters_in_force(selectors.today()).completer_income_min_share
    initial = {"team_share": min_share * 100}
    if agreement is not None:
        initial = {"team_share": agreement.team_share * 100, "terms": agreement.terms}
    return render(
        request,
        "reform/application.html",
        {
            "app": app,
            "notice": notice,
            "agreement": agreement,
            "objections": notice.objections.select_related("raised_by") if notice else [],
            "events": app.events.select_related("actor"),
            "can_manage": can_manage,
            "is_applicant": app.applicant_id == user.pk,
            "today": selectors.today(),
            "reject_form": ReasonForm(),
            "notice_form": NoticeForm(
                min_days=parameters_in_force(selectors.today()).empowerment_notice_min_days
            ),
            "agreement_form": AgreementForm(initial=initial, min_share=min_share),
            "answer_form": AnswerForm(),
            "unit_signature": agreement.signed_by("unit") if agreement else None,
            "team_signature": agreement.signed_by("team") if agreement else None,
        },
    )


def _act(
    request: HttpRequest, pk: int, action: Callable[[EmpowermentApplication], object], done: str
) -> HttpResponse:
    app = _application(request, pk)
    try:
        action(app)
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(request, done)
    return redirect("reform:application", pk=pk)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda app: services.empowerment_approve(actor=acting_user(request), application=app),
        gettext("Approved. Publish the notice inside the unit next (M1.5)."),
    )


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda app: services.empowerment_reject(
            actor=acting_user(request),
            application=app,
            reason=posted_text(request.POST, "reason", label=gettext("Reason")),
        ),
        gettext("The application is rejected; the completers see your reason."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda app: services.empowerment_withdraw(actor=acting_user(request), application=app),
        gettext("The application is withdrawn."),
    )


@login_required
@require_POST
def publish_notice(request: HttpRequest, pk: int) -> HttpResponse:
    form = NoticeForm(request.POST, min_days=1)
    days = form.cleaned_data["days"] if form.is_valid() else None
    return _act(
        request,
        pk,
        lambda app: services.notice_publish(actor=acting_user(request), application=app, days=days),
        gettext("The notice is published inside the unit (M1.5)."),
    )


@login_required
@require_POST
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    min_share = parameters_in_force(selectors.today()).completer_income_min_share
    form = AgreementForm(request.POST, min_share=min_share)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("reform:application", pk=pk)
    return _act(
        request,
        pk,
        lambda app: grants.agreement_draw_up(
            actor=acting_user(request),
            application=app,
            team_share=form.ratio(),
            terms=form.cleaned_data["terms"],
        ),
        gettext("The agreement is drawn up; both sides sign it next (M1.6)."),
    )


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    def signing(app: EmpowermentApplication) -> object:
        found = getattr(app, "agreement", None)
        if found is None:
            raise Http404
        return grants.agreement_sign(
            actor=acting_user(request), agreement=found, side=request.POST.get("side", "")
        )

    return _act(request, pk, signing, gettext("Signed (M1.6)."))


@login_required
@require_POST
def grant(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda app: grants.right_grant(actor=acting_user(request), application=app),
        gettext("The right is granted (M1.2)."),
    )


@login_required
@require_POST
def answer(request: HttpRequest, objection_id: int) -> HttpResponse:
    objection = get_object_or_404(
        Objection.objects.select_related("notice__application"), pk=objection_id
    )
    pk = objection.notice.application_id
    _application(request, pk)
    return _act(
        request,
        pk,
        lambda app: services.objection_answer(
            actor=acting_user(request),
            objection=objection,
            answer=posted_text(request.POST, "answer", label=gettext("Answer")),
        ),
        gettext("The objection is answered (M1.5)."),
    )


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    """M1.5: the notices published inside the person's units."""
    return render(
        request,
        "reform/notices.html",
        {"notices": selectors.notices_for(acting_user(request)), "today": selectors.today()},
    )


def _notice(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(selectors.notices_for(acting_user(request)), pk=pk)


@login_required
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """M1.5: a notice as the unit's members read it, and the objection form while it runs."""
    user = acting_user(request)
    found = _notice(request, pk)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_raise(actor=user, notice=found, text=form.cleaned_data["text"])
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("Your objection is recorded; the unit answers it."))
            return redirect("reform:notice", pk=pk)
    return render(
        request,
        "reform/notice.html",
        {
            "notice": found,
            "running": found.application.status == "in_notice"
            and found.published_on <= selectors.today() <= found.last_day,
            "form": form,
            "mine": found.objections.filter(raised_by=user),
        },
    )


@login_required
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """M1.5: the notice as a printable PDF, in the reader's language."""
    found = _notice(request, pk)
    language = fonts.pdf_language(get_language() or documents.RECORD_LANGUAGE)
    body = pdf.notice_pdf(found, language=language)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kttc-notice-{found.pk}.pdf"'
    return response


@login_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    """A document of an application, for those who may read the application."""
    found = get_object_or_404(EmpowermentDocument, pk=pk)
    _application(request, found.application_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.file_name)


@login_required
def rights(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "reform/rights.html",
        {"rights": selectors.rights_visible_to(user), "today": selectors.today()},
    )


@login_required
def right(request: HttpRequest, pk: int) -> HttpResponse:
    """M1.7: a granted right; the unit extends or revokes it here."""
    user = acting_user(request)
    found = get_object_or_404(selectors.rights_visible_to(user), pk=pk)
    can_manage = user_can(user, Capability.MANAGE_EMPOWERMENT, found.unit)
    posted = request.POST if request.method == "POST" else None
    extend_form = ExtendForm(
        posted if posted and "extend" in posted else None, request.FILES or None, prefix="extend"
    )
    revoke_form = ReasonForm(posted if posted and "revoke" in posted else None, prefix="revoke")
    if request.method == "POST" and can_manage:
        try:
            if "extend" in request.POST and extend_form.is_valid():
                upload = extend_form.cleaned_data["report_document"]
                grants.right_extend(
                    actor=user,
                    grant=found,
                    years=extend_form.cleaned_data["years"],
                    report=extend_form.cleaned_data["report"],
                    report_document=as_document(upload) if upload else None,
                )
                messages.success(request, gettext("The right is extended (M1.7)."))
                return redirect("reform:right", pk=pk)
            if "revoke" in request.POST and revoke_form.is_valid():
                grants.right_revoke(
                    actor=user, grant=found, reason=revoke_form.cleaned_data["reason"]
                )
                messages.success(request, gettext("The right is revoked."))
                return redirect("reform:right", pk=pk)
        except PolicyError as exc:
            form_error(extend_form if "extend" in request.POST else revoke_form, exc)
    return render(
        request,
        "reform/right.html",
        {
            "right": found,
            "extensions": found.extensions.select_related("decided_by"),
            "can_manage": can_manage,
            "extend_form": extend_form,
            "revoke_form": revoke_form,
        },
    )
