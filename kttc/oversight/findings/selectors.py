"""Reads of the findings (M14.2): who reads which records (every supervising department's
auditors and the bureau read the issued ones, a department's drafts only its own; an inspected
unit's office the issued ones about itself), the supervising departments, and the other
departments' recent records of a unit covering the same clauses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from kttc.core.models import Membership, Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.oversight.findings.choices import Status
from kttc.oversight.findings.models import Amendment, Finding, Inspection
from kttc.policy import calendar
from kttc.policy import findings as rules
from kttc.policy.roles import Capability, OrganisationKind, Role


def today() -> date:
    """The legal date of a step: today in Asia/Shanghai."""
    return calendar.today_in_shanghai()


def departments_of(user: User) -> QuerySet[Organisation]:
    """The supervising departments for which ``user`` records findings (M14.2)."""
    return organisations_where(user, Capability.RECORD_FINDINGS).filter(
        kind=OrganisationKind.GOVERNMENT_DEPARTMENT
    )


def supervising_departments() -> QuerySet[Organisation]:
    """Government departments with an auditor member: those that inspect, audit, supervise."""
    ids = Membership.objects.filter(role=Role.AUDITOR, revoked_at__isnull=True).values(
        "organisation_id"
    )
    return Organisation.objects.filter(
        pk__in=ids, kind=OrganisationKind.GOVERNMENT_DEPARTMENT
    ).order_by("name")


def units_of(user: User) -> QuerySet[Organisation]:
    """The organisations whose findings ``user`` rectifies (M14.2)."""
    return organisations_where(user, Capability.RECTIFY_FINDINGS)


def inspections_for(user: User) -> QuerySet[Inspection]:
    """M14.2: the issued records for the bureau and every department's auditors, the drafts of
    one's own department; for a unit's office the issued records about it; else nothing."""
    issued = Q(status=Status.ISSUED)
    if user_can(user, Capability.VIEW_FINDINGS_ALL):
        visible = issued | Q(department__in=departments_of(user))
    else:
        visible = issued & Q(subjects__in=units_of(user))
    return Inspection.objects.filter(
        pk__in=Inspection.objects.filter(visible).values("pk")
    ).select_related("department")


def findings_for(user: User) -> QuerySet[Finding]:
    """M14.2: the findings one reads: those of the records one reads, and for an inspected
    unit only those about itself."""
    found = Finding.objects.filter(inspection__in=inspections_for(user))
    if not user_can(user, Capability.VIEW_FINDINGS_ALL):
        found = found.filter(subject__in=units_of(user))
    return found.select_related("inspection", "inspection__department", "subject")


def subjects_for(user: User, inspection: Inspection) -> QuerySet[Organisation]:
    """M14.2: the record's inspected units one may see named: all of them for the departments
    and the bureau, only itself for an inspected unit (never the other units inspected)."""
    subjects = inspection.subjects.order_by("name")
    if user_can(user, Capability.VIEW_FINDINGS_ALL):
        return subjects
    return subjects.filter(pk__in=units_of(user))


def amendments_for(user: User, inspection: Inspection) -> QuerySet[Amendment]:
    """M14.2: the record's amendments one reads: all for the departments and the bureau; for an
    inspected unit those of the record itself and of its own findings."""
    amendments = inspection.amendments.select_related("finding", "amended_by")
    if user_can(user, Capability.VIEW_FINDINGS_ALL):
        return amendments
    return amendments.filter(Q(finding__isnull=True) | Q(finding__subject__in=units_of(user)))


@dataclass(frozen=True)
class Overlap:
    """Another department's record of the same unit within a year, and the clauses shared."""

    inspection: Inspection
    clauses: list[str]


def overlapping(
    *,
    subjects: list[Organisation],
    clauses: list[str],
    department: Organisation | None,
    on: date,
    exclude: int | None = None,
) -> list[Overlap]:
    """M14.2: the other departments' records (drafts left out) of any of ``subjects`` whose
    fieldwork ended within :data:`kttc.policy.findings.RECENT_DAYS` days and that checked one of
    ``clauses`` (a warning before inspecting the unit again for the same thing)."""
    since = on - timedelta(days=rules.RECENT_DAYS)
    found = Inspection.objects.filter(
        status=Status.ISSUED, subjects__in=subjects, fieldwork_end__gte=since
    ).select_related("department")
    if department is not None:
        found = found.exclude(department=department)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    result = []
    for inspection in found.distinct().order_by("-fieldwork_end", "-id")[:50]:
        shared = rules.overlapping_clauses(clauses, inspection.clauses)
        if shared:
            result.append(Overlap(inspection, shared))
    return result
