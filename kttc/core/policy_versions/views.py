"""V.1: the bureau publishes and withdraws versions of the policy parameters, and sets the day
the measures took effect (DESIGN rule 11)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.core import selectors, services
from kttc.core.errors import translated_message
from kttc.core.forms import MeasuresStartForm, PolicyVersionForm
from kttc.core.models import PolicyVersion
from kttc.core.policy_versions import services as measures_services
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy import calendar
from kttc.policy import params as policy_params
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability


@login_required
def measures_start(request: HttpRequest) -> HttpResponse:
    """V.1: set or correct the day the measures took effect, while no decision rests on it."""
    user = acting_user(request)
    if not selectors.user_can(user, Capability.PUBLISH_POLICY_ALL):
        return forbidden(
            request, gettext("Only the municipal S&T bureau sets when the measures took effect.")
        )
    versions = selectors.policy_version_records()
    first = versions[0] if versions else None
    initial = {"effective_from": first.effective_from} if first else {}
    form = MeasuresStartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            row = measures_services.measures_start_set(
                actor=user, effective_from=form.cleaned_data["effective_from"]
            )
        except PolicyError as exc:
            form_error(form, exc, fields={exc.field or "": "effective_from"})
        else:
            messages.success(
                request,
                gettext("The measures took effect on %(date)s.")
                % {"date": row.effective_from.isoformat()},
            )
            return redirect("office:policy_start")
    return render(
        request,
        "core/office/measures_start.html",
        {
            "form": form,
            "first": first,
            "setting": selectors.measures_start(),
            "locked": measures_services.decisions_rest_on_policy(),
        },
    )


def _param_fields(form: PolicyVersionForm, exc: PolicyError) -> dict[str, str]:
    """A refusal naming a parameter goes beside its ``param_`` field."""
    name = exc.field or ""
    return {} if name in form.fields else {name: f"param_{name}"}


@login_required
def policy_versions(request: HttpRequest) -> HttpResponse:
    """V.1: the bureau publishes a new version of the parameters, or withdraws a pending one."""
    user = acting_user(request)
    if not selectors.user_can(user, Capability.PUBLISH_POLICY_ALL):
        return forbidden(
            request, gettext("Only the municipal S&T bureau publishes policy versions.")
        )
    latest = PolicyVersion.objects.order_by("-effective_from").first()
    initial_values = dict(latest.values) if latest else policy_params.MEASURES_2026.to_values()
    form = PolicyVersionForm(request.POST or None, initial_values=initial_values)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.policy_version_publish(
                actor=user,
                code=form.cleaned_data["code"],
                title=form.cleaned_data["title"],
                source=form.cleaned_data["source"],
                effective_from=form.cleaned_data["effective_from"],
                effective_until=form.cleaned_data["effective_until"],
                values=form.values(),
            )
        except PolicyError as exc:
            form_error(form, exc, fields=_param_fields(form, exc))
        else:
            messages.success(
                request,
                gettext("Version %(code)s is published; it takes effect on %(date)s.")
                % {"code": version.code, "date": version.effective_from.isoformat()},
            )
            return redirect("office:policy")
    return render(
        request,
        "core/office/policy.html",
        {
            "form": form,
            "versions": selectors.policy_versions_listed(),
            "today": calendar.today_in_shanghai(),
        },
    )


@login_required
@require_POST
def policy_version_withdraw(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(PolicyVersion, pk=version_id)
    try:
        services.policy_version_withdraw(actor=acting_user(request), version=version)
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(request, gettext("The pending version was withdrawn."))
    return redirect("office:policy")
