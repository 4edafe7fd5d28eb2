"""Back-office pages of fiscal projects (M4.1-M4.3): the list, where the bureau records a project
with its deadline; and the transformation deadlines of the projects not yet transformed, soonest
deadline first; with ``missed=1`` only those whose deadline passed (the bureau's list of missed
deadlines), with when the sweep told their unit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from kttc.core import parsing
from kttc.core.models import Organisation
from kttc.core.selectors import parameters_in_force, user_can
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy import calendar
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability
from kttc.registry.projects import selectors, services
from kttc.registry.projects.forms import FiscalProjectForm
from kttc.registry.projects.selectors import projects_without_transformation

#: Who follows projects' deadlines: the bureau, auditors, and the undertaking unit's members.
FOLLOW_PROJECTS = (
    Capability.MANAGE_PROJECTS_ALL,
    Capability.VIEW_UNIT_ACHIEVEMENTS_ALL,
    Capability.VIEW_UNIT_ACHIEVEMENTS,
)


@login_required
def project_deadlines(request: HttpRequest) -> HttpResponse:
    """M4.1, M4.2: the transformation deadlines of the projects the person follows."""
    user = acting_user(request)
    if not (user.is_superuser or any(user_can(user, c) for c in FOLLOW_PROJECTS)):
        return forbidden(request, gettext("Only units and the bureau follow projects."))
    today = calendar.today_in_shanghai()
    visible = selectors.projects_visible_to(user)
    qs = (visible & projects_without_transformation()).annotate(
        missed=Case(
            When(transformation_deadline__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    counts = qs.aggregate(
        total=Count("pk"), late=Count("pk", filter=Q(transformation_deadline__lt=today))
    )
    missed_only = request.GET.get("missed") == "1"
    if missed_only:
        qs = qs.filter(transformation_deadline__lt=today)
    rows = qs.select_related("undertaking_unit").order_by("transformation_deadline", "id")
    page = parsing.page_of(rows, request.GET)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "registry/project_deadlines.html",
        {
            "page": page,
            "querystring": params.urlencode(),
            "total": counts["total"],
            "missed_count": counts["late"],
            "missed_only": missed_only,
        },
    )


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    """M4.1–M4.2: fiscal projects; the bureau records new ones with their deadline."""
    user = acting_user(request)
    can_manage = user_can(user, Capability.MANAGE_PROJECTS_ALL)
    form = None
    if can_manage:
        form = FiscalProjectForm(
            request.POST or None,
            units=Organisation.objects.filter(verified_at__isnull=False),
            max_years=parameters_in_force().transformation_deadline_max_years,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.fiscal_project_create(actor=user, **form.cleaned_data)
            except PolicyError as exc:
                form_error(form, exc)
            else:
                messages.success(request, gettext("The project is recorded."))
                return redirect("registry:projects")
    page = parsing.page_of(
        selectors.projects_visible_to(user).select_related("undertaking_unit"), request.GET
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "registry/projects.html",
        {
            "page": page,
            "querystring": params.urlencode(),
            "form": form,
            "today": calendar.today_in_shanghai(),
        },
    )
