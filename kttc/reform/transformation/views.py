"""Pages of time-limited transformation (M4.4): the unit's results due for open licensing or
coming due, where its transfer office records a transformation or files a justification; the
bureau's queue of justifications to accept or reject; and the public open licensing list."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from kttc.core import parsing
from kttc.core.selectors import organisations_where, parameters_in_force
from kttc.core.web import acting_user, forbidden, form_error, paged
from kttc.policy import transformation as transformation_rules
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability
from kttc.reform import dates
from kttc.reform.transformation import selectors as reads
from kttc.reform.transformation import services
from kttc.reform.transformation.choices import JustificationStatus
from kttc.reform.transformation.forms import DecisionForm, JustificationForm, TransformationForm
from kttc.registry.models import Achievement
from kttc.registry.selectors import with_readings


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """M4.4: the unit's published results due for open licensing, or becoming due within
    ``LOOKAHEAD_DAYS``, not transformed: listed or not, justified or waiting for the bureau."""
    user = acting_user(request)
    units = reads.managed_units(user)
    decides = reads.can_decide(user)
    if not decides and not units.exists():
        return forbidden(
            request,
            gettext("Only a unit's technology transfer office and the bureau work on this page."),
        )
    today = dates.today()
    years = parameters_in_force(today).open_licensing_after_years
    until = today + timedelta(days=reads.LOOKAHEAD_DAYS)
    rows = reads.results_due_or_coming(units, on=today, until=until, years=years)
    page, querystring = paged(request, rows)
    for result in page.object_list:
        result.due_on = transformation_rules.open_licensing_due_on(result.obtained, years)
    return render(
        request,
        "reform/open/home.html",
        {
            "page": page,
            "querystring": querystring,
            "years": years,
            "today": today,
            "until": until,
            "manages": units.exists(),
            "decides": decides,
            "waiting": reads.justification_queue().count() if decides else 0,
            "justifications": reads.justifications_visible_to(user).filter(unit__in=units)[:20],
        },
    )


def _own_result(request: HttpRequest, achievement_id: int) -> Achievement:
    return get_object_or_404(
        reads.results_of(reads.managed_units(acting_user(request))).select_related("unit"),
        pk=achievement_id,
    )


@login_required
def record(request: HttpRequest, achievement_id: int) -> HttpResponse:
    """M4.4: the unit records a transformation of its result done outside the platform."""
    achievement = _own_result(request, achievement_id)
    form = TransformationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transformation_record(
                actor=acting_user(request), achievement=achievement, **form.cleaned_data
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                gettext("The transformation is recorded; the result is off the open list (M4.4)."),
            )
            return redirect("transformation:home")
    return render(
        request,
        "reform/open/record.html",
        {"achievement": achievement, "form": form, "entry": reads.entry_of(achievement)},
    )


@login_required
def justify(request: HttpRequest, achievement_id: int) -> HttpResponse:
    """M4.4: the unit explains why its result is not transformed; the bureau decides."""
    achievement = _own_result(request, achievement_id)
    form = JustificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.justification_file(
                actor=acting_user(request),
                achievement=achievement,
                reason=form.cleaned_data["reason"],
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The justification is with the bureau (M4.4)."))
            return redirect("transformation:home")
    return render(
        request,
        "reform/open/justify.html",
        {
            "achievement": achievement,
            "form": form,
            "entry": reads.entry_of(achievement),
            "earlier": reads.justifications_visible_to(acting_user(request)).filter(
                achievement=achievement
            ),
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """M4.4: justifications waiting for the bureau, oldest first."""
    if not reads.can_decide(acting_user(request)):
        return forbidden(request, gettext("Only the bureau decides on justifications."))
    page, querystring = paged(request, reads.justification_queue())
    years = parameters_in_force(dates.today()).open_licensing_after_years
    for justification in page.object_list:
        obtained = justification.obtained
        justification.due_on = (
            transformation_rules.open_licensing_due_on(obtained, years) if obtained else None
        )
    return render(request, "reform/open/queue.html", {"page": page, "querystring": querystring})


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """M4.4: the bureau accepts a justification (until a day, or without limit) or rejects it,
    with its reason."""
    user = acting_user(request)
    if not reads.can_decide(user):
        return forbidden(request, gettext("Only the bureau decides on justifications."))
    found = get_object_or_404(reads.justifications_visible_to(user), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.justification_decide(actor=user, justification=found, **form.cleaned_data)
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The decision is recorded; the unit is told."))
            return redirect("transformation:queue")
    today = dates.today()
    years = parameters_in_force(today).open_licensing_after_years
    obtained = reads.obtained_on(found.achievement)
    return render(
        request,
        "reform/open/decide.html",
        {
            "j": found,
            "form": form if found.status == JustificationStatus.PENDING else None,
            "obtained": obtained,
            "due_on": transformation_rules.open_licensing_due_on(obtained, years)
            if obtained
            else None,
            "entry": reads.entry_of(found.achievement),
            "transformed": reads.is_transformed(found.achievement),
            "earlier": reads.justifications_visible_to(user)
            .filter(achievement_id=found.achievement_id)
            .exclude(pk=found.pk),
        },
    )


def open_list(request: HttpRequest) -> HttpResponse:
    """M4.4, M8.5: the public open licensing list, newest listings first, by unit if asked."""
    chosen = parsing.optional_id(request.GET, "unit")  # a malformed one filters nothing
    page, querystring = paged(request, reads.open_list(unit_id=chosen))
    with_readings(page.object_list, attr="achievement")
    # M4.4: a unit's office lists its results from here for bidding, like from their pages.
    listing_units = (
        set(
            organisations_where(request.user, Capability.MANAGE_LICENCES).values_list(
                "pk", flat=True
            )
        )
        if request.user.is_authenticated
        else set()
    )
    try:
        years: int | None = parameters_in_force(dates.today()).open_licensing_after_years
    except PolicyError:  # a day no policy version covers: the list stands, without the rule
        years = None
    return render(
        request,
        "reform/open/list.html",
        {
            "page": page,
            "querystring": querystring,
            "units": reads.open_list_units(),
            "unit": chosen,
            "years": years,
            "listing_units": listing_units,
        },
    )
