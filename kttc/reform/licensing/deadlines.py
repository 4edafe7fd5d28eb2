"""The licence deadlines of the back office (M3.2, M3.3; see ``kttc.core.deadlines``).

* A unit's transfer office: the licence instalments its licensees still owe, due in the period
  or overdue.
* An enterprise: the instalments it still owes on its licences.

An instalment counts while the payments received do not cover it (payments go to instalments
oldest first, as the sweep counts them). A role with no licence payment pending sees no licence
section. Two queries a section, the counts and then the first items.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.deadlines import DeadlineItem, DeadlineSection
from kttc.core.models import Membership
from kttc.policy.roles import Capability, Role, role_can
from kttc.reform.licensing.choices import IN_FORCE
from kttc.reform.licensing.models import LicenceInstalment
from kttc.reform.licensing.selectors import uncovered

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def sections(
    membership: Membership, *, today: date, until: date, limit: int
) -> list[DeadlineSection]:
    """M3.2, M3.3: the licence deadlines of the membership's organisation, by its role."""
    role = Role(membership.role)
    found: list[DeadlineSection] = []
    organisation_id = membership.organisation_id
    if role_can(role, Capability.MANAGE_LICENCES):
        found += _instalments(
            LicenceInstalment.objects.filter(licence__unit_id=organisation_id),
            _("Licence payments to receive"),
            "licensee",
            today=today,
            until=until,
            limit=limit,
        )
    if role_can(role, Capability.HOLD_LICENCES):
        found += _instalments(
            LicenceInstalment.objects.filter(licence__licensee_id=organisation_id),
            _("Licence payments to make"),
            "unit",
            today=today,
            until=until,
            limit=limit,
        )
    return found


def _instalments(
    instalments: QuerySet[LicenceInstalment],
    title: StrOrPromise,
    other_party: str,
    *,
    today: date,
    until: date,
    limit: int,
) -> list[DeadlineSection]:
    """M3.2, M3.3: instalments of licences in force due up to ``until`` and not covered yet;
    each item names ``other_party`` of the licence (the licensee, or the unit)."""
    owed = uncovered(
        instalments.filter(licence__status__in=IN_FORCE, due__isnull=False, due__lte=until), today
    )
    counts = owed.aggregate(
        overdue=Count("pk", filter=Q(due__lt=today)),
        upcoming=Count("pk", filter=Q(due__gte=today)),
    )
    if not (counts["overdue"] or counts["upcoming"]):
        return []
    rows = owed.select_related("licence__achievement", "licence__unit", "licence__licensee")
    items = [
        DeadlineItem(
            due=i.due,
            title=f"{i.licence.achievement.name} · #{i.number} · {i.amount}",
            link=reverse("licences:licence", args=[i.licence_id]),
            organisation=getattr(i.licence, other_party),
            overdue=i.due < today,
            status=i.get_trigger_display(),
        )
        for i in rows.order_by("due", "licence_id", "number")[:limit]
        if i.due is not None
    ]
    return [
        DeadlineSection(
            title=title,
            clauses=("M3.2", "M3.3"),
            overdue=counts["overdue"],
            upcoming=counts["upcoming"],
            items=items,
            more_link=reverse("licences:home"),
        )
    ]
