"""What people hear of the units' reports at once (DESIGN rule 12, M13.3): each unit concerned
when the bureau opens a period; the bureau when a unit submits; the unit when the bureau returns
or accepts its report; the unit of a due date near (once) and, with the bureau, of a report late
(once, the sweep). Each notice is sent once per event (its dedupe key)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Organisation
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.oversight.reports.models import ReportPeriod, UnitReport
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

CLAUSES = ("M13.3",)

OPENED = Notice(
    kind="unit_report.opened",
    subject=gettext_noop("Report on your transformation of results for %(year)s, due %(due)s"),
    body=gettext_noop(
        "The bureau opened the reports for %(year)s (M13.3). Your report is pre-filled with "
        "what the platform records; check each figure, correct it with a reason where needed, "
        "fill in the people and platforms, and submit it by %(due)s."
    ),
    clauses=CLAUSES,
)
SUBMITTED = Notice(
    kind="unit_report.submitted",
    subject=gettext_noop("Report submitted: %(unit)s, %(year)s"),
    body=gettext_noop(
        "%(unit)s submitted its report on its transformation of results for %(year)s (M13.3). "
        "Review it: accept it or return it with a reason."
    ),
    clauses=CLAUSES,
)
RETURNED = Notice(
    kind="unit_report.returned",
    subject=gettext_noop("Your report for %(year)s is returned"),
    body=gettext_noop(
        "The bureau returned your report for %(year)s (M13.3): %(reason)s Correct it and submit "
        "it again."
    ),
    clauses=CLAUSES,
)
ACCEPTED = Notice(
    kind="unit_report.accepted",
    subject=gettext_noop("Your report for %(year)s is accepted"),
    body=gettext_noop("The bureau accepted your report for %(year)s (M13.3); it is now frozen."),
    clauses=CLAUSES,
)
REMINDER = Notice(
    kind="unit_report.reminder",
    subject=gettext_noop("Your report for %(year)s is due on %(due)s"),
    body=gettext_noop(
        "Your report on your transformation of results for %(year)s is due on %(due)s and is "
        "not submitted yet (M13.3)."
    ),
    clauses=CLAUSES,
)
LATE = Notice(
    kind="unit_report.late",
    subject=gettext_noop("Report for %(year)s late: %(unit)s"),
    body=gettext_noop(
        "The report of %(unit)s on its transformation of results for %(year)s was due on "
        "%(due)s and is not submitted (M13.3)."
    ),
    clauses=CLAUSES,
)

register_kind(OPENED.kind, _("The bureau opened a period of reports on transformation"))
register_kind(SUBMITTED.kind, _("A unit submitted its report on transformation"))
register_kind(RETURNED.kind, _("Your report on transformation is returned"))
register_kind(ACCEPTED.kind, _("Your report on transformation is accepted"))
register_kind(REMINDER.kind, _("Your report on transformation is due soon"))
register_kind(LATE.kind, _("A report on transformation is late"))


def roles_with(capability: Capability) -> tuple[str, ...]:
    return tuple(r.value for r in Role if role_can(r, capability))


def report_page(report: UnitReport) -> str:
    """The report's page (empty where the pages are not installed)."""
    try:
        return reverse("unit_reports:detail", args=[report.pk])
    except NoReverseMatch:
        return ""


def _params(report: UnitReport, **more: Any) -> dict[str, Any]:
    period = report.period
    return {
        "year": period.year,
        "due": period.due_on.isoformat(),
        "unit": report.unit.name,
        **more,
    }


def tell_unit(notice: Notice, report: UnitReport, key: str, **params: Any) -> int:
    """The unit's office hears of a step on its report, once per ``key``."""
    return notification_send_now(
        roles=roles_with(Capability.FILE_UNIT_REPORTS),
        organisation=report.unit,
        notice=replace(notice, params=_params(report, **params)),
        dedupe_key=f"{notice.kind}:{report.pk}:{key}",
        about=report,
        link=report_page(report),
    )


def tell_bureau(notice: Notice, report: UnitReport, key: str) -> int:
    """The bureau hears of a report submitted or late, once per ``key``."""
    return notification_send_now(
        roles=roles_with(Capability.REVIEW_UNIT_REPORTS_ALL),
        notice=replace(notice, params=_params(report)),
        dedupe_key=f"{notice.kind}:{report.pk}:{key}:bureau",
        about=report,
        link=report_page(report),
    )


def tell_opened(period: ReportPeriod, unit: Organisation, report: UnitReport) -> int:
    """A unit hears that the period is open, once."""
    return tell_unit(OPENED, report, f"p{period.pk}")
