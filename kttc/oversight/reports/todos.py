"""What waits of the units' reports (see ``kttc.core.todos``, M13.3): for a unit's office, its
reports still to submit (drafts of a period open, the nearest due date first) and those the
bureau returned; for the bureau, the reports submitted and waiting for its review."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Membership
from kttc.core.todos import TodoSection, section
from kttc.oversight.reports import selectors
from kttc.oversight.reports.models import UnitReport
from kttc.policy import unit_reports as rules
from kttc.policy.roles import Capability, Role, role_can


def _report(r: UnitReport) -> tuple[str, str]:
    return f"{r.period.year} · {r.unit.name}", reverse("unit_reports:detail", args=[r.pk])


def _to_edit(r: UnitReport) -> tuple[str, str]:
    return f"{r.period.year} · {r.unit.name}", reverse("unit_reports:edit", args=[r.pk])


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    role = Role(membership.role)
    found: list[TodoSection] = []
    more = reverse("unit_reports:index")
    rows = UnitReport.objects.select_related("period", "unit")
    if role_can(role, Capability.FILE_UNIT_REPORTS):
        mine = rows.filter(unit=membership.organisation)
        due = mine.filter(
            status=rules.Status.DRAFT, period__in=selectors.open_periods(selectors.today())
        )
        returned = mine.filter(status=rules.Status.RETURNED)
        found += [
            section(
                _("Reports on transformation to submit"), rules.CLAUSES, due, limit=limit,
                more_link=more, describe=_to_edit, since="created_at",
            ),
            section(
                _("Reports on transformation returned by the bureau"), rules.CLAUSES, returned,
                limit=limit, more_link=more, describe=_to_edit, since="updated_at",
            ),
        ]  # fmt: skip
    if role_can(role, Capability.REVIEW_UNIT_REPORTS_ALL):
        waiting = rows.filter(status=rules.Status.SUBMITTED)
        found.append(
            section(
                _("Units' reports on transformation to review"),
                rules.CLAUSES,
                waiting,
                limit=limit,
                more_link=more,
                describe=_report,
                since="submitted_on",
            )
        )
    return found
