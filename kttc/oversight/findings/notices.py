"""What people hear of the findings at once (DESIGN rule 12, M14.2): the inspected units of a
record issued or amended; the department of a rectification recorded; the unit of the
department's review; the unit and the department of a rectification's deadline near and past
(the sweep). Each notice is sent once per event (its dedupe key)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Organisation
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.oversight.findings.models import Finding, Inspection
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

CLAUSES = ("M14.2",)

ISSUED = Notice(
    kind="findings.issued",
    subject=gettext_noop("Findings issued about your organisation: %(reference)s"),
    body=gettext_noop(
        "%(department)s issued “%(title)s” (%(reference)s) with its findings about your "
        "organisation (M14.2). Record the rectification of each finding that requires one "
        "before its deadline."
    ),
    clauses=CLAUSES,
)
AMENDED = Notice(
    kind="findings.amended",
    subject=gettext_noop("Findings amended: %(reference)s"),
    body=gettext_noop("%(department)s amended “%(title)s” (%(reference)s) (M14.2): %(reason)s"),
    clauses=CLAUSES,
)
SUBMITTED = Notice(
    kind="findings.rectification_submitted",
    subject=gettext_noop("Rectification recorded: %(reference)s"),
    body=gettext_noop(
        "%(unit)s recorded its rectification of the finding on %(clause)s of “%(title)s” "
        "(%(reference)s) (M14.2). Mark it rectified or not."
    ),
    clauses=CLAUSES,
)
ACCEPTED = Notice(
    kind="findings.rectified",
    subject=gettext_noop("Finding rectified: %(reference)s"),
    body=gettext_noop(
        "%(department)s accepted your rectification of the finding on %(clause)s of "
        "“%(title)s” (%(reference)s) (M14.2). %(note)s"
    ),
    clauses=CLAUSES,
)
REJECTED = Notice(
    kind="findings.not_rectified",
    subject=gettext_noop("Finding not rectified: %(reference)s"),
    body=gettext_noop(
        "%(department)s found your rectification of the finding on %(clause)s of “%(title)s” "
        "(%(reference)s) insufficient (M14.2): %(note)s Record the rectification again."
    ),
    clauses=CLAUSES,
)
REMINDER = Notice(
    kind="findings.reminder",
    subject=gettext_noop("Rectification due on %(deadline)s: %(reference)s"),
    body=gettext_noop(
        "The rectification of %(unit)s of the finding on %(clause)s of “%(title)s” "
        "(%(reference)s) is due on %(deadline)s (M14.2)."
    ),
    clauses=CLAUSES,
)
OVERDUE = Notice(
    kind="findings.overdue",
    subject=gettext_noop("Rectification overdue since %(deadline)s: %(reference)s"),
    body=gettext_noop(
        "The rectification of %(unit)s of the finding on %(clause)s of “%(title)s” "
        "(%(reference)s) was due on %(deadline)s and is not recorded (M14.2)."
    ),
    clauses=CLAUSES,
)

register_kind(ISSUED.kind, _("Findings about your organisation are issued"))
register_kind(AMENDED.kind, _("Findings about your organisation are amended"))
register_kind(SUBMITTED.kind, _("A unit recorded its rectification of a finding"))
register_kind(ACCEPTED.kind, _("Your rectification of a finding is accepted"))
register_kind(REJECTED.kind, _("Your rectification of a finding is not accepted"))
register_kind(REMINDER.kind, _("A rectification of a finding is due soon"))
register_kind(OVERDUE.kind, _("A rectification of a finding is overdue"))


def roles_with(capability: Capability) -> tuple[str, ...]:
    return tuple(r.value for r in Role if role_can(r, capability))


def record_page(inspection: Inspection) -> str:
    """The record's page (empty where the pages are not installed)."""
    try:
        return reverse("findings:detail", args=[inspection.pk])
    except NoReverseMatch:
        return ""


def _params(inspection: Inspection) -> dict[str, Any]:
    return {
        "reference": inspection.reference,
        "title": inspection.title,
        "department": inspection.department.name,
    }


def tell_unit(notice: Notice, inspection: Inspection, unit: Organisation, key: str,
              **params: Any) -> int:  # fmt: skip
    """The inspected unit's people hear of a step of the record about it, once per ``key``."""
    return notification_send_now(
        roles=roles_with(Capability.RECTIFY_FINDINGS),
        organisation=unit,
        notice=replace(notice, params={**_params(inspection), **params}),
        dedupe_key=f"{notice.kind}:{inspection.pk}:{unit.pk}:{key}",
        about=inspection,
        link=record_page(inspection),
    )


def tell_department(notice: Notice, finding: Finding, key: str) -> int:
    """The department's auditors hear of a step on one of its findings, once per ``key``."""
    inspection = finding.inspection
    return notification_send_now(
        roles=roles_with(Capability.RECORD_FINDINGS),
        organisation=inspection.department,
        notice=replace(notice, params=finding_params(finding)),
        dedupe_key=f"{notice.kind}:{finding.pk}:{key}",
        about=finding,
        link=record_page(inspection),
    )


def finding_params(finding: Finding) -> dict[str, Any]:
    return {
        **_params(finding.inspection),
        "unit": finding.subject.name,
        "clause": finding.clause,
        "deadline": finding.deadline.isoformat() if finding.deadline else "",
    }


def tell_of_deadline(notice: Notice, finding: Finding) -> int:
    """M14.2: the unit and the department hear of a rectification due soon or overdue, once per
    deadline (a deadline moved by an amendment is told of again)."""
    told = notification_send_now(
        roles=roles_with(Capability.RECTIFY_FINDINGS),
        organisation=finding.subject,
        notice=replace(notice, params=finding_params(finding)),
        dedupe_key=f"{notice.kind}:{finding.pk}:{finding.deadline}:unit",
        about=finding,
        link=record_page(finding.inspection),
    )
    return told + tell_department(notice, finding, f"{finding.deadline}:department")
