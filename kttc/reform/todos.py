"""What waits in Part 1 (see ``kttc.core.todos``): a unit's empowerment applications to review
and notices to publish (M1), licence applications to decide (M3.1); a licensee's credit records
to answer (M3.4); the bureau's justifications of unused results to decide (M4.4)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Membership
from kttc.core.todos import TodoSection, section
from kttc.policy.roles import Capability, Role, role_can
from kttc.reform.empowerment.choices import ApplicationStatus
from kttc.reform.empowerment.models import EmpowermentApplication
from kttc.reform.licensing.choices import CreditStatus, LicenceApplicationStatus
from kttc.reform.licensing.models import CreditRecord, LicenceApplication
from kttc.reform.transformation.choices import JustificationStatus
from kttc.reform.transformation.models import TransformationJustification


def _application(a: EmpowermentApplication) -> tuple[str, str]:
    return str(a.achievement), reverse("reform:application", args=[a.pk])


def _licence_application(a: LicenceApplication) -> tuple[str, str]:
    return f"{a.offer.achievement} · {a.applicant.name}", reverse(
        "licences:application", args=[a.pk]
    )


def _credit(r: CreditRecord) -> tuple[str, str]:
    return str(r.licence.achievement), reverse("licences:licence", args=[r.licence_id])


def _justification(j: TransformationJustification) -> tuple[str, str]:
    return str(j.achievement), reverse("transformation:decide", args=[j.pk])


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    role, unit = Role(membership.role), membership.organisation_id
    out = []
    if role_can(role, Capability.MANAGE_EMPOWERMENT):
        applications = EmpowermentApplication.objects.filter(unit_id=unit).select_related(
            "achievement", "unit"
        )
        for status, title, clauses in (
            (ApplicationStatus.APPLIED, _("Empowerment applications to review"), ("M1.3",)),
            (ApplicationStatus.APPROVED, _("Approved applications: notice to publish"), ("M1.5",)),
        ):
            rows = applications.filter(status=status)
            out.append(
                section(
                    title, clauses, rows, limit=limit, more_link=reverse("reform:home"),
                    describe=_application, since="created_at",
                )
            )  # fmt: skip
    if role_can(role, Capability.MANAGE_LICENCES):
        pending = LicenceApplication.objects.filter(
            offer__unit_id=unit, status=LicenceApplicationStatus.PENDING
        ).select_related("offer__achievement", "applicant")
        out.append(
            section(
                _("Licence applications to decide"), ("M3.1",), pending, limit=limit,
                more_link=reverse("licences:home"), describe=_licence_application,
                since="applied_at",
            )
        )  # fmt: skip
    if role_can(role, Capability.HOLD_LICENCES):
        records = CreditRecord.objects.filter(
            licensee_id=unit, status=CreditStatus.OPEN, answer=""
        ).select_related("licence__achievement")
        out.append(
            section(
                _("Breaches declared against us, to answer"), ("M3.4",), records, limit=limit,
                more_link=reverse("licences:home"), describe=_credit, since="declared_at",
            )
        )  # fmt: skip
    if role_can(role, Capability.REVIEW_ACHIEVEMENTS_ALL):
        waiting = TransformationJustification.objects.filter(
            status=JustificationStatus.PENDING
        ).select_related("achievement", "unit")
        out.append(
            section(
                _("Justifications of unused results to decide"), ("M4.4",), waiting,
                limit=limit, more_link=reverse("transformation:queue"),
                describe=_justification, since="filed_at",
            )
        )  # fmt: skip
    return out
