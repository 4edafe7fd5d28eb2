"""The pages of partners abroad (M8.4): a partner's cases and its referrals; the center's
partnerships; an enterprise's agreement that a partner posts its demands; the public page of the
center's international cooperation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.center.partners import selectors, services
from kttc.center.partners.forms import PartnershipForm, ReferForm
from kttc.center.partners.models import Partnership
from kttc.center.transactions.selectors import cross_border_by_country
from kttc.core import parsing
from kttc.core.accounts import services as accounts
from kttc.core.accounts.views import mail_invitation
from kttc.core.errors import translated_message
from kttc.core.models import Organisation
from kttc.core.selectors import organisations_where, user_can
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability, OrganisationKind


def _partner_or_forbidden(request: HttpRequest) -> Organisation | HttpResponse:
    """The partner abroad the person works for (the one named by ``?partner=`` when several);
    a partner sees its own cases only (M8.4)."""
    partners = list(selectors.partners_of(acting_user(request)))
    if not partners:
        return forbidden(request, gettext("Only the staff of a partner abroad see its cases."))
    wanted = parsing.parse_id(request.GET.get("partner"))
    if wanted is None:
        return partners[0]
    found = next((p for p in partners if p.pk == wanted), None)
    if found is None:
        raise Http404
    return found


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """M8.4: the enterprises the partner referred (or that agreed), their verification, the
    demands posted for them with their answers, and the licences and contracts they concluded."""
    partner = _partner_or_forbidden(request)
    if isinstance(partner, HttpResponse):
        return partner
    return render(
        request,
        "center/partners/cases.html",
        {
            "partner": partner,
            "partners": selectors.partners_of(acting_user(request)),
            "cases": selectors.cases_of(partner),
            "can_refer": user_can(acting_user(request), Capability.REFER_ENTERPRISES, partner),
        },
    )


@login_required
def refer(request: HttpRequest) -> HttpResponse:
    """M8.4: the partner registers an enterprise of its country and refers it to the center."""
    partner = _partner_or_forbidden(request)
    if isinstance(partner, HttpResponse):
        return partner
    form = ReferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            invitation = accounts.organisation_refer(
                actor=acting_user(request),
                partner=partner,
                referral=accounts.Referral(
                    values["name"], values["name_en"], values["registration_number"],
                    values["email"],
                ),
            )  # fmt: skip
        except PolicyError as exc:
            form_error(form, exc)
        else:
            mail_invitation(request, invitation)
            messages.success(
                request,
                gettext(
                    "%(name)s is referred: the center verifies it, and %(email)s is invited to "
                    "join it."
                )
                % {"name": invitation.organisation.name, "email": invitation.email},
            )
            return redirect(f"{_cases_url()}?partner={partner.pk}")
    return render(request, "center/partners/refer.html", {"form": form, "partner": partner})


def _cases_url() -> str:
    from django.urls import reverse

    return reverse("partners:cases")


@login_required
def partnerships(request: HttpRequest) -> HttpResponse:
    """M8.4: the center's partners abroad and their partnerships, for the bureau."""
    if not user_can(acting_user(request), Capability.MANAGE_PARTNERSHIPS_ALL):
        return forbidden(request, gettext("Only the bureau records partnerships abroad."))
    partners = (
        Organisation.objects.filter(kind=OrganisationKind.PARTNER_ABROAD)
        .select_related("partnership")
        .order_by("country", "name")
    )
    return render(request, "center/partners/partnerships.html", {"partners": partners})


@login_required
def partnership(request: HttpRequest, pk: int) -> HttpResponse:
    """M8.4: the bureau records or corrects its partnership with a partner abroad."""
    user = acting_user(request)
    if not user_can(user, Capability.MANAGE_PARTNERSHIPS_ALL):
        return forbidden(request, gettext("Only the bureau records partnerships abroad."))
    partner = get_object_or_404(
        Organisation, pk=parsing.id_or_404(pk), kind=OrganisationKind.PARTNER_ABROAD
    )
    found = Partnership.objects.filter(partner=partner).first()
    initial = {f: getattr(found, f) for f in services.FIELDS} if found else {"status": "active"}
    form = PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_record(
                actor=user, partner=partner, data=services.PartnershipData(**form.cleaned_data)
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The partnership is recorded."))
            return redirect("partners:partnerships")
    return render(request, "center/partners/partnership.html", {"form": form, "partner": partner})


@login_required
def agreements(request: HttpRequest) -> HttpResponse:
    """M8.4: an enterprise abroad agrees (or stops agreeing) that a partner of its country
    posts its demands."""
    user = acting_user(request)
    enterprises = [e for e in organisations_where(user, Capability.POST_DEMANDS) if e.is_foreign]
    if not enterprises:
        return forbidden(
            request, gettext("Only a person of an enterprise abroad chooses a partner abroad.")
        )
    rows = [(e, selectors.partners_to_agree(e)) for e in enterprises]
    return render(request, "center/partners/agreements.html", {"rows": rows})


@login_required
@require_POST
def agreement(request: HttpRequest, enterprise: int, partner: int) -> HttpResponse:
    user = acting_user(request)
    found = get_object_or_404(Organisation, pk=parsing.id_or_404(enterprise))
    other = get_object_or_404(
        Organisation, pk=parsing.id_or_404(partner), kind=OrganisationKind.PARTNER_ABROAD
    )
    try:
        if request.POST.get("agree") == "1":
            services.consent_give(actor=user, enterprise=found, partner=other)
            messages.success(
                request,
                gettext("%(partner)s may now post demands for %(name)s.")
                % {"partner": other.name, "name": found.name},
            )
        else:
            services.consent_withdraw(actor=user, enterprise=found, partner=other)
            messages.success(
                request,
                gettext("%(partner)s no longer posts demands for %(name)s.")
                % {"partner": other.name, "name": found.name},
            )
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    return redirect("partners:agreements")


def cooperation(request: HttpRequest) -> HttpResponse:
    """M8.4: the public page of the center's international cooperation: its partners abroad
    by country, the results transferred abroad and the demands from abroad, with their
    figures."""
    by_country = selectors.partners_by_country()
    transfers = cross_border_by_country()
    demands = selectors.demands_from_abroad()
    return render(
        request,
        "center/partners/cooperation.html",
        {
            "by_country": by_country,
            "partner_count": sum(len(p) for _c, p in by_country),
            "transfers": transfers,
            "transfer_count": sum(f.transactions for f in transfers),
            "demands": demands,
            "demand_count": sum(r["total"] for r in demands),
        },
    )
