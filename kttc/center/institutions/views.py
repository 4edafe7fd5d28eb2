"""The pages of service institutions and brokers (M9): the institution's staff keep its brokers,
apply for certification and reward the brokers from the subsidy; the bureau certifies, refuses,
revokes and records the subsidy; each broker sees their reward lines; the public sees the
certified institutions and each broker's profile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.center.institutions import facilitations, selectors, services, statements
from kttc.center.institutions.choices import DealKind
from kttc.center.institutions.forms import (
    ApplicationForm,
    BrokerForm,
    CertifyForm,
    FacilitationForm,
    ReasonForm,
    RewardForm,
    SubsidyForm,
)
from kttc.center.institutions.models import (
    ApplicationDocument,
    BrokerProfile,
    BrokerRewardLine,
    CertificationApplication,
    Facilitation,
    Subsidy,
)
from kttc.core import fonts, parsing, rows
from kttc.core.errors import translated_message
from kttc.core.models import Organisation, User
from kttc.core.selectors import parameters_in_force, user_can
from kttc.core.statements import XLSX
from kttc.core.web import acting_user, forbidden, form_error, posted_decision
from kttc.policy.errors import PolicyError
from kttc.policy.money import percent
from kttc.policy.roles import Capability, Role


def _institution_or_forbidden(request: HttpRequest) -> Organisation | HttpResponse:
    """The service institution the person manages (the one named by ``?institution=`` when
    several)."""
    found = list(selectors.institutions_of(acting_user(request)))
    if not found:
        return forbidden(request, gettext("Only the staff of a service institution manage it."))
    wanted = parsing.parse_id(request.GET.get("institution"))
    if wanted is None:
        return found[0]
    chosen = next((o for o in found if o.pk == wanted), None)
    if chosen is None:
        raise Http404
    return chosen


def _home(institution: Organisation) -> str:
    return reverse("institutions:home") + f"?institution={institution.pk}"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """M9: the institution's brokers, its record on the platform, its applications and
    certification, its subsidies and the brokers' rewards."""
    institution = _institution_or_forbidden(request)
    if isinstance(institution, HttpResponse):
        return institution
    brokers = [(b, selectors.broker_record(b)) for b in selectors.brokers_of(institution)]
    return render(
        request,
        "center/institutions/home.html",
        {
            "institution": institution,
            "institutions": selectors.institutions_of(acting_user(request)),
            "brokers": brokers,
            "record": selectors.institution_record(institution),
            "applications": selectors.applications_of(institution),
            "in_force": selectors.certification_in_force(institution),
            "waiting": selectors.waiting_application(institution),
            "to_reward": selectors.subsidies_to_reward(institution),
        },
    )


def _members(institution: Organisation) -> list[User]:
    taken = set(selectors.brokers_of(institution).values_list("person_id", flat=True))
    people = User.objects.filter(
        memberships__organisation=institution,
        memberships__role=Role.SERVICE_BROKER,
        memberships__revoked_at__isnull=True,
    ).distinct()
    return [p for p in people.order_by("full_name") if p.pk not in taken]


@login_required
def broker_new(request: HttpRequest) -> HttpResponse:
    """M9.2: the institution registers one of its members as a technology broker."""
    institution = _institution_or_forbidden(request)
    if isinstance(institution, HttpResponse):
        return institution
    people = _members(institution)
    form = BrokerForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        person = next(p for p in people if str(p.pk) == form.cleaned_data["person"])
        try:
            services.broker_register(
                actor=acting_user(request),
                institution=institution,
                person=person,
                data=form.data_for_service(),
            )
        except PolicyError as exc:
            form_error(form, exc, fields={"fields": "fields_text"})
        else:
            messages.success(request, gettext("The broker is registered."))
            return redirect(_home(institution))
    return render(
        request,
        "center/institutions/broker_form.html",
        {"form": form, "institution": institution, "people": people},
    )


def _own_broker(request: HttpRequest, pk: int) -> BrokerProfile:
    found = get_object_or_404(
        BrokerProfile.objects.select_related("institution", "person"),
        pk=parsing.id_or_404(pk),
        withdrawn_at__isnull=True,
    )
    if not user_can(acting_user(request), Capability.MANAGE_INSTITUTION, found.institution):
        raise Http404
    return found


@login_required
def broker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """M9.2: the institution corrects a broker's certificate, fields or languages."""
    profile = _own_broker(request, pk)
    initial = {
        "certificate_number": profile.certificate_number,
        "certificate_level": profile.certificate_level,
        "fields_text": ", ".join(profile.fields),
        "languages": profile.languages,
        "introduction": profile.introduction,
    }
    form = BrokerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.broker_update(
                actor=acting_user(request), profile=profile, data=form.data_for_service()
            )
        except PolicyError as exc:
            form_error(form, exc, fields={"fields": "fields_text"})
        else:
            messages.success(request, gettext("The broker's record is saved."))
            return redirect(_home(profile.institution))
    return render(
        request,
        "center/institutions/broker_form.html",
        {"form": form, "institution": profile.institution, "profile": profile},
    )


@login_required
@require_POST
def broker_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _own_broker(request, pk)
    try:
        services.broker_withdraw(actor=acting_user(request), profile=profile)
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(
            request,
            gettext("%(name)s is no longer a broker of the institution.")
            % {"name": profile.person.full_name},
        )
    return redirect(_home(profile.institution))


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    """M9.1: the institution applies for certification with its statement and materials."""
    institution = _institution_or_forbidden(request)
    if isinstance(institution, HttpResponse):
        return institution
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.certification_apply(
                actor=acting_user(request),
                institution=institution,
                statement=form.cleaned_data["statement"],
                materials=form.materials(),
            )
        except PolicyError as exc:
            form_error(form, exc, fields={"materials": "material_application"})
        else:
            messages.success(request, gettext("The application is sent to the bureau."))
            return redirect("institutions:application", application.pk)
    return render(
        request,
        "center/institutions/apply.html",
        {
            "form": form,
            "institution": institution,
            "record": selectors.institution_record(institution),
            "brokers": selectors.brokers_of(institution).count(),
        },
    )


def _application(request: HttpRequest, pk: int) -> tuple[CertificationApplication, bool]:
    """The application, for the bureau (who decides) or the institution's staff; with whether
    the person decides."""
    user = acting_user(request)
    found = get_object_or_404(
        CertificationApplication.objects.select_related("institution", "applicant"),
        pk=parsing.id_or_404(pk),
    )
    bureau = user_can(user, Capability.CERTIFY_INSTITUTIONS_ALL)
    if not (
        bureau
        or user_can(user, Capability.MANAGE_INSTITUTION, found.institution)
        or user_can(user, Capability.VIEW_AUDIT_ALL)
    ):
        raise Http404
    return found, bureau


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """M9.1: an application, its materials and record, the bureau's decision and the subsidy;
    the bureau decides here."""
    found, bureau = _application(request, pk)
    subsidy = Subsidy.objects.filter(certification=found).first()
    reward = getattr(subsidy, "reward", None) if subsidy else None
    today = selectors.today()
    context: dict[str, Any] = {
        "application": found,
        "documents": found.documents.all(),
        "bureau": bureau,
        "subsidy": subsidy,
        "reward": reward,
        "lines": reward.lines.select_related("broker__person") if reward else [],
        "in_force": found.in_force(today),
        "can_manage": user_can(
            acting_user(request), Capability.MANAGE_INSTITUTION, found.institution
        ),
    }
    if bureau:
        if found.decided_on:
            amount = parameters_in_force(found.decided_on).demonstration_institution_subsidy
            context["subsidy_in_force"] = amount
        context.update(
            certify_form=CertifyForm(
                initial={"term_start": today, "term_end": today.replace(year=today.year + 3)}
            ),
            refuse_form=ReasonForm(prefix="refuse"),
            revoke_form=ReasonForm(prefix="revoke"),
            subsidy_form=SubsidyForm(initial={"disbursed_on": today}),
        )
    return render(request, "center/institutions/application.html", context)


@login_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    """A material of an application, for those who may read the application."""
    found = get_object_or_404(ApplicationDocument, pk=parsing.id_or_404(pk))
    _application(request, found.application_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.file_name)


def _decide(request: HttpRequest, pk: int, form: Any, act: Any, done: str) -> HttpResponse:
    found, bureau = _application(request, pk)
    if not bureau:
        return forbidden(request, gettext("Only the bureau certifies service institutions."))
    posted_decision(request, form, lambda data: act(found, data), done)
    return redirect("institutions:application", found.pk)


@login_required
@require_POST
def certify(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _decide(
        request, pk, CertifyForm(request.POST),
        lambda found, d: services.certification_certify(
            actor=user, application=found, term_start=d["term_start"], term_end=d["term_end"]
        ),
        gettext("The institution is certified."),
    )  # fmt: skip


@login_required
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _decide(
        request, pk, ReasonForm(request.POST, prefix="refuse"),
        lambda found, d: services.certification_refuse(
            actor=user, application=found, reason=d["reason"]
        ),
        gettext("The application is refused."),
    )  # fmt: skip


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _decide(
        request, pk, ReasonForm(request.POST, prefix="revoke"),
        lambda found, d: services.certification_revoke(
            actor=user, application=found, reason=d["reason"]
        ),
        gettext("The certification is revoked."),
    )  # fmt: skip


@login_required
@require_POST
def subsidy(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _decide(
        request, pk, SubsidyForm(request.POST),
        lambda found, d: services.subsidy_record(
            actor=user, certification=found, disbursed_on=d["disbursed_on"]
        ),
        gettext("The subsidy is recorded."),
    )  # fmt: skip


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """M9.1: the bureau's queue of applications, the certifications decided and the subsidies
    still to record."""
    user = acting_user(request)
    if not (
        user_can(user, Capability.CERTIFY_INSTITUTIONS_ALL)
        or user_can(user, Capability.VIEW_AUDIT_ALL)
    ):
        return forbidden(request, gettext("Only the bureau certifies service institutions."))
    return render(
        request,
        "center/institutions/queue.html",
        {
            "waiting": selectors.certification_queue(),
            "without_subsidy": selectors.without_subsidy(),
            "decided": selectors.certifications()[:100],
        },
    )


@login_required
def reward(request: HttpRequest, pk: int) -> HttpResponse:
    """M9.2: the institution rewards its brokers from a subsidy, by their agreed shares."""
    user = acting_user(request)
    found = get_object_or_404(
        Subsidy.objects.select_related("certification__institution"), pk=parsing.id_or_404(pk)
    )
    institution = found.certification.institution
    if not user_can(user, Capability.MANAGE_INSTITUTION, institution):
        raise Http404
    if hasattr(found, "reward"):
        return redirect("institutions:application", found.certification_id)
    brokers = list(selectors.brokers_of(institution))
    min_share = parameters_in_force(selectors.today()).broker_reward_min_share
    from kttc.policy.institutions import minimum_reward

    minimum = minimum_reward(found.amount, min_share)
    initial = {
        "total": minimum,
        "shares": [{"broker": str(b.pk), "percent": ""} for b in brokers],
    }
    form = RewardForm(request.POST or None, initial=initial, brokers=brokers)
    if rows.ready(form):
        try:
            services.reward_decide(actor=user, subsidy=found, reward=form.reward())
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The brokers' reward is decided."))
            return redirect("institutions:application", found.certification_id)
    return render(
        request,
        "center/institutions/reward.html",
        {
            "form": form,
            "subsidy": found,
            "institution": institution,
            "minimum": minimum,
            "min_share": percent(min_share),
        },
    )


@login_required
def my_rewards(request: HttpRequest) -> HttpResponse:
    """M9.2: the person's own lines of their institutions' rewards to brokers."""
    user = acting_user(request)
    return render(
        request,
        "center/institutions/my_rewards.html",
        {
            "lines": selectors.reward_lines_of(user),
            "profiles": BrokerProfile.objects.filter(
                person=user, withdrawn_at__isnull=True
            ).select_related("institution"),
        },
    )


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def reward_statement(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """M9.2: a broker's statement of a reward line, as PDF or xlsx: for the broker, the
    institution's staff and the bureau."""
    user = acting_user(request)
    line = get_object_or_404(
        BrokerRewardLine.objects.select_related(
            "broker__person", "reward__subsidy__certification__institution"
        ),
        pk=parsing.id_or_404(pk),
    )
    institution = line.reward.subsidy.certification.institution
    if not (
        line.broker.person_id == user.pk
        or user_can(user, Capability.MANAGE_INSTITUTION, institution)
        or user_can(user, Capability.CERTIFY_INSTITUTIONS_ALL)
    ):
        raise Http404  # a broker reads their own statement only
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    name = f"broker-reward-{line.reward_id}-{line.pk}.{fmt}"
    if fmt == "xlsx":
        return _download(statements.statement_xlsx(line), XLSX, name)
    with translation.override(fonts.pdf_language(translation.get_language() or "")):
        content = statements.statement_pdf(line)
    return _download(content, "application/pdf", name)


# --- brokers named on deals (M9.1, M9.2) -------------------------------------------------------


@login_required
def deals(request: HttpRequest) -> HttpResponse:
    """A party names the brokers who facilitated its licences, contracts, listings and
    demands, and sees (and may remove) the names it gave."""
    user = acting_user(request)
    options = facilitations.deals_of(user)
    named = list(facilitations.named_by(user))
    if not options and not named:
        return forbidden(
            request,
            gettext("Only a unit's transfer office or an enterprise names brokers on its deals."),
        )
    wanted = request.GET.get("deal", "")[:40]
    initial = {"deal": wanted} if any(o.value == wanted for o in options) else {}
    form = FacilitationForm(request.POST or None, deals=options, initial=initial)
    if request.method == "POST" and form.is_valid():
        kind, pk = form.deal_kind_and_id()
        try:
            facilitations.facilitation_record(
                actor=user, broker=form.cleaned_data["certificate_number"], kind=kind, deal_id=pk
            )
        except PolicyError as exc:
            form_error(form, exc, fields={"broker": "certificate_number"})
        else:
            messages.success(request, gettext("The broker is named on the deal."))
            return redirect("institutions:deals")
    return render(request, "center/institutions/deals.html", {"form": form, "named": named})


@login_required
@require_POST
def deal_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """The party takes a broker's name off its deal."""
    found = get_object_or_404(Facilitation, pk=parsing.id_or_404(pk))
    try:
        facilitations.facilitation_remove(actor=acting_user(request), facilitation=found)
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(request, gettext("The broker's name is removed from the deal."))
    return redirect("institutions:deals")


# --- public pages --------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    """M9.1: the key demonstration service institutions certified today, with their brokers."""
    found = [
        (c, list(selectors.public_brokers(c.institution)))
        for c in selectors.certified_institutions()
    ]
    return render(request, "center/institutions/public_list.html", {"certified": found})


def public_broker(request: HttpRequest, pk: int) -> HttpResponse:
    """M9.2: a broker's public profile: their institution, certificate level, fields,
    languages and record on the platform (demands answered, deals)."""
    profile = selectors.public_broker(parsing.id_or_404(pk))
    if profile is None:
        raise Http404
    public = facilitations.public_deals(profile)
    figures = facilitations.figures(public)
    return render(
        request,
        "center/institutions/public_broker.html",
        {
            "profile": profile,
            "record": selectors.broker_record(profile),
            "deals": selectors.broker_deals(profile)[:50],
            "public_deals": public[:100],
            "figures": figures,
            "by_kind": [(label, figures.by_kind[value]) for value, label in DealKind.choices],
            "certification": selectors.certification_in_force(profile.institution),
        },
    )
