"""The bureau's page for the day the measures took effect (V.1, DESIGN rule 11)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from kttc.core import selectors, services_measures
from kttc.core.errors import translated_message
from kttc.core.forms import MeasuresStartForm
from kttc.core.models import User
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability


@login_required
def measures_start(request: HttpRequest) -> HttpResponse:
    """V.1: set or correct the day the measures took effect, while no decision rests on it."""
    user = request.user
    assert isinstance(user, User)
    if not selectors.user_can(user, Capability.PUBLISH_POLICY_ALL):
        message = gettext("Only the municipal S&T bureau sets when the measures took effect.")
        return render(request, "error.html", {"status": 403, "message": message}, status=403)
    versions = selectors.policy_version_records()
    first = versions[0] if versions else None
    initial = {"effective_from": first.effective_from} if first else {}
    form = MeasuresStartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            row = services_measures.measures_start_set(
                actor=user, effective_from=form.cleaned_data["effective_from"]
            )
        except PolicyError as exc:
            form.add_error("effective_from", translated_message(exc))
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
            "locked": services_measures.decisions_rest_on_policy(),
        },
    )
