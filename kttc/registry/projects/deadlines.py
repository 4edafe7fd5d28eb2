"""M4.1, M4.2: the transformation deadlines of fiscal projects not yet transformed, for the back
office's deadlines (through ``kttc.registry.deadlines``, see ``kttc.core.deadlines``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.deadlines import DeadlineItem, DeadlineSection
from kttc.core.models import Membership
from kttc.policy.roles import Capability, Role, role_can
from kttc.registry.choices import ProjectStatus
from kttc.registry.projects.models import FiscalProject
from kttc.registry.projects.selectors import projects_without_transformation


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


def sections(
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
