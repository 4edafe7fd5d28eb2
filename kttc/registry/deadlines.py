"""M8.6, M4.1, M4.2: the registry's upcoming deadlines for the back office (see
``kttc.core.deadlines``): fiscally funded results not yet submitted to the platform, by their
stored due date; and the transformation deadlines of fiscal projects not yet transformed."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.deadlines import DeadlineItem, DeadlineSection
from kttc.core.models import Membership
from kttc.policy.roles import Capability, Role, role_can
from kttc.registry.choices import ProjectStatus, Status
from kttc.registry.models import Achievement, FiscalProject
from kttc.registry.sweep import PENDING, projects_without_transformation


def sections(
    membership: Membership, *, today: date, until: date, limit: int
) -> list[DeadlineSection]:
    """M8.6: results to submit, for a role that sees its unit's results (its own unit) or every
    unit's (the bureau, auditors); M4.1, M4.2: the transformation deadlines of their projects;
    nothing for other roles."""
    return _results(membership, today=today, until=until, limit=limit) + _projects(
        membership, today=today, until=until, limit=limit
    )


def _results(
    membership: Membership, *, today: date, until: date, limit: int
) -> list[DeadlineSection]:
    role = Role(membership.role)
    if role_can(role, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL):
        results = Achievement.objects.all()
    elif role_can(role, Capability.VIEW_UNIT_ACHIEVEMENTS):
        results = Achievement.objects.filter(unit_id=membership.organisation_id)
    else:
        return []
    pending = results.filter(
        status__in=PENDING, submission_due__isnull=False, submission_due__lte=until
    )
    counts = pending.aggregate(
        overdue=Count("pk", filter=Q(submission_due__lt=today)),
        upcoming=Count("pk", filter=Q(submission_due__gte=today)),
    )
    items = [
        DeadlineItem(
            due=a.submission_due,
            title=a.name,
            link=reverse("registry:achievement_detail", args=[a.pk]),
            organisation=a.unit,
            overdue=a.submission_due < today,
            status=Status(a.status).label,
        )
        for a in pending.select_related("unit").order_by("submission_due", "id")[:limit]
        if a.submission_due is not None
    ]
    return [
        DeadlineSection(
            title=_("Results to submit to the platform"),
            clauses=("M8.6",),
            overdue=counts["overdue"],
            upcoming=counts["upcoming"],
            items=items,
            more_link=reverse("registry:due"),
        )
    ]


def projects_visible(membership: Membership) -> QuerySet[FiscalProject] | None:
    """The projects a role follows: every one for the bureau and auditors, its own unit's as
    the undertaking unit for a role that sees the unit's results; None for other roles."""
    role = Role(membership.role)
    if role_can(role, Capability.MANAGE_PROJECTS_ALL) or role_can(
        role, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL
    ):
        return FiscalProject.objects.all()
    if role_can(role, Capability.VIEW_UNIT_ACHIEVEMENTS):
        return FiscalProject.objects.filter(undertaking_unit_id=membership.organisation_id)
    return None


def _projects(
    membership: Membership, *, today: date, until: date, limit: int
) -> list[DeadlineSection]:
    """M4.1, M4.2: projects not yet transformed whose deadline comes by ``until`` or passed."""
    projects = projects_visible(membership)
    if projects is None:
        return []
    open_ = (projects & projects_without_transformation()).filter(
        transformation_deadline__lte=until
    )
    counts = open_.aggregate(
        overdue=Count("pk", filter=Q(transformation_deadline__lt=today)),
        upcoming=Count("pk", filter=Q(transformation_deadline__gte=today)),
    )
    if not (counts["overdue"] or counts["upcoming"]):
        return []  # no project of the role's units has a deadline running in the period
    link = reverse("registry:project_deadlines")
    items = [
        DeadlineItem(
            due=p.transformation_deadline,
            title=f"{p.project_number} {p.title}",
            link=link,
            organisation=p.undertaking_unit,
            overdue=p.transformation_deadline < today,
            status=ProjectStatus(p.status).label,
        )
        for p in open_.select_related("undertaking_unit").order_by("transformation_deadline", "id")[
            :limit
        ]
    ]
    return [
        DeadlineSection(
            title=_("Transformation deadlines of fiscal projects"),
            clauses=("M4.1", "M4.2"),
            overdue=counts["overdue"],
            upcoming=counts["upcoming"],
            items=items,
            more_link=link,
        )
    ]
