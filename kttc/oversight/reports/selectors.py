"""Reads of the units' reports (M13.3): the units concerned, the periods, a unit's reports, the
bureau's and auditors' view of all, and each period's overview (who filed, who has not, who is
late)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.oversight.reports.models import ReportPeriod, UnitReport
from kttc.policy import calendar
from kttc.policy import unit_reports as rules
from kttc.policy.roles import RESEARCH_UNIT_KINDS, Capability


def today() -> date:
    """The legal date of a step: today in Asia/Shanghai."""
    return calendar.today_in_shanghai()


def units_concerned() -> QuerySet[Organisation]:
    """M13.3: the verified municipal universities, research institutes and medical
    institutions, by name."""
    return Organisation.objects.filter(
        is_municipal=True,
        kind__in=[k.value for k in RESEARCH_UNIT_KINDS],
        verified_at__isnull=False,
    ).order_by("name", "pk")


def periods() -> QuerySet[ReportPeriod]:
    return ReportPeriod.objects.all()


def open_periods(on: date) -> QuerySet[ReportPeriod]:
    """The periods still collecting reports: due no more than a year before ``on``."""
    return ReportPeriod.objects.filter(due_on__gte=on - timedelta(days=366))


def filing_units(user: User) -> QuerySet[Organisation]:
    """The units whose reports ``user`` files."""
    return organisations_where(user, Capability.FILE_UNIT_REPORTS)


def sees_all(user: User) -> bool:
    return user_can(user, Capability.VIEW_UNIT_REPORTS_ALL)


def reports_for(user: User) -> QuerySet[UnitReport]:
    """Every report for the bureau and auditors; else those of the user's units."""
    rows = UnitReport.objects.select_related("period", "unit")
    if sees_all(user):
        return rows
    return rows.filter(unit__in=filing_units(user))


@dataclass(frozen=True)
class OverviewRow:
    """A unit in a period's overview: its report (if any) and where it stands."""

    unit: Organisation
    report: UnitReport | None
    filing: rules.Filing


def overview(period: ReportPeriod, on: date) -> list[OverviewRow]:
    """M13.3: every unit concerned, and every unit with a report in ``period``, with where it
    stands (filed, accepted, not filed, late), by name."""
    found = UnitReport.objects.filter(period=period).select_related("unit")
    reports = {r.unit_id: r for r in found}
    units = {u.pk: u for u in units_concerned()}
    units.update({pk: r.unit for pk, r in reports.items()})
    rows = []
    for unit in sorted(units.values(), key=lambda u: (u.name, u.pk)):
        report = reports.get(unit.pk)
        status = report.status if report is not None else None
        rows.append(
            OverviewRow(unit, report, rules.filing_state(status, due_on=period.due_on, today=on))
        )
    return rows


def counts(rows: list[OverviewRow]) -> dict[str, int]:
    """How many units stand where (every filing state, zero included)."""
    found = {state.value: 0 for state in rules.Filing}
    for row in rows:
        found[row.filing.value] += 1
    return found
