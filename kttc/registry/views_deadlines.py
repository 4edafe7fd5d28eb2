"""The back-office list of fiscal projects' transformation deadlines (M4.1, M4.2): projects not
yet transformed, soonest deadline first; with ``missed=1`` only those whose deadline passed
(the bureau's list of missed deadlines), with when the sweep told their unit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from kttc.core import parsing
from kttc.core.models import User
from kttc.core.selectors import user_can
from kttc.policy import calendar
from kttc.policy.roles import Capability
from kttc.registry import selectors
from kttc.registry.sweep import projects_without_transformation

#: Who follows projects' deadlines: the bureau, auditors, and the undertaking unit's members.
FOLLOW_PROJECTS = (
    Capability.MANAGE_PROJECTS_ALL,
    Capability.VIEW_UNIT_ACHIEVEMENTS_ALL,
    Capability.VIEW_UNIT_ACHIEVEMENTS,
)


@login_required
def project_deadlines(request: HttpRequest) -> HttpResponse:
    """M4.1, M4.2: the transformation deadlines of the projects the person follows."""
    user: User = request.user  # type: ignore[assignment]
    if not (user.is_superuser or any(user_can(user, c) for c in FOLLOW_PROJECTS)):
        return render(
            request,
            "error.html",
            {"status": 403, "message": gettext("Only units and the bureau follow projects.")},
            status=403,
        )
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
