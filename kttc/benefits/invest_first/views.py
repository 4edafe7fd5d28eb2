"""Pages of "invest first, equity later" (M7): the platform's cases and the revolving fund's
report; a grant; each case with its rounds or declaration, the conversion and the exits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from kttc.benefits.invest_first import selectors as reads
from kttc.benefits.invest_first import services
from kttc.benefits.invest_first.forms import ExitForm, GrantForm, RoundForm, StableForm
from kttc.core import parsing
from kttc.core.selectors import organisations_where, user_can
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability

#: The services' names of fields the forms ask in other terms (ratios in percent).
FIELD_OF_FORM = {"discount": "discount_percent", "return_cap_ratio": "return_cap_percent"}


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """The platform's cases (every case for the bureau), with the fund's report (M7.4)."""
    user = acting_user(request)
    visible = reads.invest_first_cases_visible_to(user).order_by("-granted_on", "-id")
    page = parsing.page_of(visible, request.GET)
    return render(
        request,
        "benefits/invest/cases.html",
        {
            "page": page,
            "report": reads.fund_report(visible) if visible.exists() else None,
            "can_grant": organisations_where(user, Capability.MANAGE_INVESTMENTS).exists(),
        },
    )


@login_required
def grant(request: HttpRequest) -> HttpResponse:
    """M7.1, M7.2: the platform records the fiscal support it invested into a company."""
    user = acting_user(request)
    platforms = list(organisations_where(user, Capability.MANAGE_INVESTMENTS))
    if not platforms:
        return forbidden(request, gettext("Only the designated investment platform invests."))
    form = GrantForm(request.POST or None, platforms=platforms)
    if request.method == "POST" and form.is_valid():
        platform = next(p for p in platforms if p.pk == form.cleaned_data["platform"])
        try:
            case = services.invest_first_grant(actor=user, platform=platform, **form.values())
        except PolicyError as exc:
            form_error(form, exc, fields=FIELD_OF_FORM)
        else:
            messages.success(request, gettext("The support is recorded (M7.2)."))
            return redirect("invest:case", pk=case.pk)
    return render(request, "benefits/invest/grant.html", {"form": form})


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    """A case: the agreement, its rounds or declaration, the conversion (M7.3) and the exits
    within the appropriate return (M7.4); the platform records each here."""
    user = acting_user(request)
    found = get_object_or_404(reads.invest_first_cases_visible_to(user), pk=pk)
    manages = user_can(user, Capability.MANAGE_INVESTMENTS, found.platform)
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    forms: dict[str, Form] = {
        "round": RoundForm(posted if action == "round" else None, prefix="round"),
        "stable": StableForm(posted if action == "stable" else None, prefix="stable"),
        "exit": ExitForm(posted if action == "exit" else None, prefix="exit"),
    }
    if posted and manages and action in forms and forms[action].is_valid():
        form, data = forms[action], forms[action].cleaned_data
        try:
            if action == "round":
                outcome = services.invest_first_round(actor=user, case=found, **data)
                note = (
                    gettext("The round meets the trigger: the support is converted (M7.3).")
                    if outcome.conversion
                    else gettext("The round is recorded; it does not meet the trigger.")
                )
            elif action == "stable":
                services.invest_first_declare_stable(actor=user, case=found, **data)
                note = gettext("Stable development is declared; the support is converted (M7.3).")
            else:
                services.invest_first_exit(actor=user, case=found, **data)
                note = gettext("The exit is recorded (M7.4).")
        except PolicyError as exc:
            form_error(form, exc, fields=FIELD_OF_FORM)
        else:
            messages.success(request, note)
            return redirect("invest:case", pk=pk)
    context: dict[str, Any] = {
        "case": found,
        "manages": manages,
        "forms": forms,
        "milestones": found.milestones.order_by("occurred_on", "id"),
        "conversion": getattr(found, "conversion", None),
        "exits": found.exits.order_by("exited_on", "id"),
        "position": reads.invest_first_position(found),
        "report": reads.fund_report([found]),
    }
    return render(request, "benefits/invest/case.html", context)
