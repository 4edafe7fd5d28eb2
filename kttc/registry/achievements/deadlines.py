"""M8.6: the results not yet submitted to the platform, by their stored due date, for the back
office's deadlines (through ``kttc.registry.deadlines``, see ``kttc.core.deadlines``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.deadlines import DeadlineItem, DeadlineSection
from kttc.core.models import Membership
from kttc.policy.roles import Capability, Role, role_can
from kttc.registry.achievements.models import Achievement
from kttc.registry.achievements.sweep import PENDING
from kttc.registry.choices import Status


def sections(
    membership: Membership, *, today: date, until: date, limit: int
) -> list[DeadlineSection]:
    """M8.6: results to submit, for a role that sees its unit's results (its own unit) or every
    unit's (the bureau, auditors); nothing for other roles."""
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
