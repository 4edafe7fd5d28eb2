"""M4.4: the open licensing deadlines of a unit's transfer office (see ``kttc.core.deadlines``):
its results becoming due for open licensing, or due already and so on the list. Two queries,
the counts and then the first items, and the policy version in force for its number of years."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.deadlines import DeadlineItem, DeadlineSection
from kttc.core.models import Membership
from kttc.core.selectors import parameters_in_force
from kttc.policy import transformation as transformation_rules
from kttc.policy.errors import PolicyError
from kttc.reform.transformation import selectors as reads
from kttc.registry.models import Achievement


def sections(
    membership: Membership, *, today: date, until: date, limit: int
) -> list[DeadlineSection]:
    """M4.4: the unit's listable results due for open licensing before ``today`` (on the list,
    or going on it at the next sweep) or becoming due up to ``until``: not transformed, and
    without an accepted justification valid today."""
    try:
        years = parameters_in_force(today).open_licensing_after_years
    except PolicyError:  # a day no policy version covers: no rule to be due under
        return []
    due_before, due_by = reads.cutoffs(on=today, until=until, years=years)
    results = (
        reads.listable()
        .filter(unit_id=membership.organisation_id)
        .filter(reads.has_ip_by(due_by))
        .exclude(reads.transformed())
        .exclude(reads.justified(today))
        .annotate(obtained=reads.ip_obtained())
    )
    counts = results.aggregate(
        overdue=Count("pk", filter=Q(obtained__lte=due_before)),
        upcoming=Count("pk", filter=Q(obtained__gt=due_before)),
    )
    rows = results.order_by("obtained", "id")[:limit]
    items = [_result_item(a, a.obtained, years, today) for a in rows]
    return [
        DeadlineSection(
            title=_("Results due for open licensing"),
            clauses=("M4.4",),
            overdue=counts["overdue"],
            upcoming=counts["upcoming"],
            items=items,
            more_link=reverse("transformation:home"),
        )
    ]


def _result_item(result: Achievement, obtained: date, years: int, today: date) -> DeadlineItem:
    """M4.4: the result's item, due ``years`` after its IP was ``obtained``."""
    due_on = transformation_rules.open_licensing_due_on(obtained, years)
    return DeadlineItem(
        due=due_on,
        title=result.name,
        link=reverse("transformation:justify", args=[result.pk]),
        organisation=None,
        overdue=due_on < today,
        status=str(_("On the open licensing list") if due_on < today else _("Not yet due")),
    )
