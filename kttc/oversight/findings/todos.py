"""What waits in the findings (see ``kttc.core.todos``, M14.2): for a department's auditors,
its drafts waiting to be issued and the rectifications waiting for its review; for an
inspected unit, the findings whose rectification it owes (the nearest deadline first)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Membership
from kttc.core.todos import TodoSection, section
from kttc.oversight.findings.choices import Rectification, Status
from kttc.oversight.findings.models import Finding, Inspection
from kttc.policy import findings as rules
from kttc.policy.roles import Capability, Role, role_can


def _inspection(i: Inspection) -> tuple[str, str]:
    return f"{i.reference} · {i.title}", reverse("findings:detail", args=[i.pk])


def _finding(f: Finding) -> tuple[str, str]:
    return (
        f"{f.inspection.reference} · {f.clause} · {f.subject.name}",
        reverse("findings:detail", args=[f.inspection_id]),
    )


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    role = Role(membership.role)
    organisation = membership.organisation
    more = reverse("findings:list")
    found: list[TodoSection] = []
    if role_can(role, Capability.RECORD_FINDINGS):
        drafts = Inspection.objects.filter(department=organisation, status=Status.DRAFT)
        to_review = Finding.objects.filter(
            inspection__department=organisation, rectification=Rectification.SUBMITTED
        ).select_related("inspection", "subject")
        found += [
            section(
                _("Your department's findings waiting to be issued"), rules.FINDINGS, drafts,
                limit=limit, more_link=more + "?record=draft", describe=_inspection,
                since="recorded_on",
            ),
            section(
                _("Rectifications waiting for your department's review"), rules.FINDINGS,
                to_review, limit=limit, more_link=more + "?status=submitted",
                describe=_finding, since="rectified_on",
            ),
        ]  # fmt: skip
    if role_can(role, Capability.RECTIFY_FINDINGS):
        owed = Finding.objects.filter(
            subject=organisation, inspection__status=Status.ISSUED,
            rectification__in=[r.value for r in rules.OWED],
        ).select_related("inspection", "subject")  # fmt: skip
        found.append(
            section(
                _("Findings about your organisation to rectify"),
                rules.FINDINGS,
                owed,
                limit=limit,
                more_link=more,
                describe=_finding,
                since="deadline",
            )
        )
    return found
