"""Decisions on the units' reports (M13.3).

* :func:`period_open`: the bureau opens a year's period with its due date; each unit concerned
  (a verified municipal university, research institute or medical institution) gets its report
  pre-filled from the platform's records and hears of it.
* :func:`report_prepare`: a unit's report for a period, prepared on first use when the unit
  joined the platform after the period opened (or by the sweep, :func:`reports_prepare_missing`).
* :func:`report_save`: the unit's office corrects figures, each differing from the platform's
  with its reason (both kept), and fills in what the platform does not know.
* :func:`report_refresh`: the platform's figures taken again from its records; a figure the unit
  had not corrected follows them.
* :func:`report_submit`: the office submits the report, every field filled in; the bureau hears.
* :func:`report_return`: the bureau returns a submitted report with its reason; the unit hears,
  corrects and submits again (the history keeps each round).
* :func:`report_accept`: the bureau accepts it; the report is frozen.

Each takes the audit chain's lock first (``@decision``), then the report's row lock, and writes
an audit entry citing M13.3 and a step of the report's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import timezone

from kttc.core.models import Organisation, User
from kttc.core.services import audit_record, decision, model_snapshot, require_capability
from kttc.oversight.reports import figures as platform
from kttc.oversight.reports import notices, selectors
from kttc.oversight.reports.choices import EventKind, ReportStatus
from kttc.oversight.reports.models import ReportPeriod, UnitReport, UnitReportEvent
from kttc.policy import unit_reports as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

CLAUSES = rules.CLAUSES
FIELDS = ("status", "figures", "reasons", "submitted_on", "return_reason", "accepted_on")
#: What the unit files for a field: the figure as typed (blank for none) and the reason.
Entry = tuple[str | int | None, str]


def _record(actor: User | None, report: UnitReport, action: str, **kwargs: Any) -> None:
    audit_record(
        actor=actor,
        organisation=report.unit,
        action=f"unit_report.{action}",
        obj=report,
        clauses=CLAUSES,
        **kwargs,
    )


def _event(report: UnitReport, kind: EventKind, actor: User | None, reason: str = "") -> None:
    UnitReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=actor,
        reason=reason,
        figures={
            code: {
                "platform": report.platform.get(code),
                "value": report.figures.get(code),
                "reason": report.reasons.get(code, ""),
            }
            for code in rules.CODES
        },
    )


def _lock(report: UnitReport) -> UnitReport:
    return (
        UnitReport.objects.select_for_update(of=("self",))
        .select_related("period", "unit")
        .get(pk=report.pk)
    )


def _check_unit(unit: Organisation) -> None:
    if not (unit.is_reform_unit and unit.is_verified):
        raise refuse(
            gettext_noop(
                "Only verified municipal universities, research institutes and medical "
                "institutions report their transformation to the bureau."
            ),
            "unit_report.scope",
            None,
            CLAUSES,
        )


def _new_report(period: ReportPeriod, unit: Organisation, actor: User | None) -> UnitReport:
    taken = platform.platform_figures(unit, period.starts_on, period.ends_on)
    report = UnitReport.objects.create(
        period=period,
        unit=unit,
        platform=taken,
        platform_at=timezone.now(),
        figures=dict(taken),
        reasons={},
    )
    _event(report, EventKind.PREPARED, actor)
    _record(actor, report, "prepare", after={"platform": taken, "period": period.year})
    return report


@decision
def period_open(*, actor: User, year: int, due_on: date, today: date | None = None) -> ReportPeriod:
    """M13.3: the bureau opens ``year``'s period, due on ``due_on``; each unit concerned gets
    its pre-filled report and hears of it."""
    on = today or selectors.today()
    require_capability(actor, Capability.REVIEW_UNIT_REPORTS_ALL)
    starts_on, ends_on = rules.check_period(year, due_on, today=on)
    if ReportPeriod.objects.filter(year=year).exists():
        raise refuse(
            gettext_noop("The period for %(year)s is already open."),
            "unit_report.period_exists",
            "year",
            CLAUSES,
            year=year,
        )
    period = ReportPeriod.objects.create(
        year=year, starts_on=starts_on, ends_on=ends_on, due_on=due_on, opened_by=actor,
        opened_on=on,
    )  # fmt: skip
    units = list(selectors.units_concerned())
    audit_record(
        actor=actor, organisation=None, action="unit_report.open", obj=period,
        after={
            "year": year, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
            "due_on": due_on.isoformat(), "units": [u.pk for u in units],
        },
        clauses=CLAUSES,
    )  # fmt: skip
    for unit in units:
        report = _new_report(period, unit, actor)
        notices.tell_opened(period, unit, report)
    return period


@decision
def report_prepare(*, actor: User, unit: Organisation, period: ReportPeriod) -> UnitReport:
    """M13.3: the unit's report for ``period``, prepared (pre-filled) if it has none yet."""
    require_capability(actor, Capability.FILE_UNIT_REPORTS, unit)
    unit = Organisation.objects.select_for_update().get(pk=unit.pk)
    _check_unit(unit)
    found = UnitReport.objects.filter(period=period, unit=unit).first()
    return found if found is not None else _new_report(period, unit, actor)


@decision
def reports_prepare_missing(*, period: ReportPeriod) -> list[UnitReport]:
    """M13.3: the reports of the units concerned that have none yet for ``period`` (verified
    after it opened), prepared by the platform (the sweep, so that they too are reminded and
    told when late); each unit hears that the period is open."""
    have = UnitReport.objects.filter(period=period).values_list("unit_id", flat=True)
    made = []
    for unit in selectors.units_concerned().exclude(pk__in=have):
        report = _new_report(period, unit, None)
        notices.tell_opened(period, unit, report)
        made.append(report)
    return made


def _apply(report: UnitReport, entries: Mapping[str, Entry]) -> None:
    """The entries checked (figures, corrections with their reasons) onto the locked report."""
    figures = dict(report.figures)
    reasons = dict(report.reasons)
    for code, (raw, reason) in entries.items():
        value = rules.normalised(code, raw)
        checked = rules.check_correction(
            code, platform=report.platform.get(code), value=value, reason=reason
        )
        figures[code] = value
        if checked:
            reasons[code] = checked
        else:
            reasons.pop(code, None)
    report.figures = figures
    report.reasons = reasons


def _editable(actor: User, report: UnitReport, step: rules.Step) -> UnitReport:
    report = _lock(report)
    require_capability(actor, Capability.FILE_UNIT_REPORTS, report.unit)
    rules.check_step(report.status, step)
    return report


@decision
def report_save(*, actor: User, report: UnitReport, entries: Mapping[str, Entry]) -> UnitReport:
    """M13.3: the unit's office corrects figures (a figure other than the platform's with its
    reason) and fills in what the platform does not know; the report stays a draft (or
    returned)."""
    report = _editable(actor, report, rules.Step.SAVE)
    before = model_snapshot(report, FIELDS)
    _apply(report, entries)
    report.save(update_fields=["figures", "reasons", "updated_at"])
    _event(report, EventKind.SAVED, actor)
    _record(actor, report, "save", before=before, after=model_snapshot(report, FIELDS))
    return report


@decision
def report_refresh(*, actor: User, report: UnitReport) -> UnitReport:
    """M13.3: the platform's figures taken again from its records; each figure the unit filed
    as the platform's (without a reason) follows the new figure, a corrected one stays."""
    report = _editable(actor, report, rules.Step.SAVE)
    before = {**model_snapshot(report, FIELDS), "platform": report.platform}
    taken = platform.platform_figures(report.unit, report.period.starts_on, report.period.ends_on)
    figures = dict(report.figures)
    for code, value in taken.items():
        if value is not None and code not in report.reasons:
            figures[code] = value
    report.platform = taken
    report.platform_at = timezone.now()
    report.figures = figures
    report.save(update_fields=["platform", "platform_at", "figures", "updated_at"])
    _event(report, EventKind.PREPARED, actor)
    _record(
        actor, report, "refresh", before=before,
        after={**model_snapshot(report, FIELDS), "platform": taken},
    )  # fmt: skip
    return report


@decision
def report_submit(
    *,
    actor: User,
    report: UnitReport,
    entries: Mapping[str, Entry] | None = None,
    today: date | None = None,
) -> UnitReport:
    """M13.3: the unit's office submits its report (with last corrections, if any): every field
    filled in, each difference from the platform's figure with its reason; the bureau hears."""
    on = today or selectors.today()
    report = _editable(actor, report, rules.Step.SUBMIT)
    before = model_snapshot(report, FIELDS)
    if entries:
        _apply(report, entries)
    rules.check_complete(report.figures)
    for code in rules.CODES:  # a reason removed since: refused here too
        rules.check_correction(
            code, platform=report.platform.get(code), value=report.figures.get(code),
            reason=report.reasons.get(code, ""),
        )  # fmt: skip
    resubmitted = report.status == ReportStatus.RETURNED
    report.status = rules.check_step(report.status, rules.Step.SUBMIT).value
    report.submitted_on = on
    report.save(update_fields=["status", "figures", "reasons", "submitted_on", "updated_at"])
    _event(report, EventKind.SUBMITTED, actor)
    _record(actor, report, "submit", before=before, after=model_snapshot(report, FIELDS))
    rounds = report.events.filter(kind=EventKind.SUBMITTED).count()
    notices.tell_bureau(notices.SUBMITTED, report, f"r{rounds}" if resubmitted else "r1")
    return report


def _review(actor: User, report: UnitReport, step: rules.Step) -> UnitReport:
    require_capability(actor, Capability.REVIEW_UNIT_REPORTS_ALL)
    report = _lock(report)
    rules.check_step(report.status, step)
    return report


@decision
def report_return(
    *, actor: User, report: UnitReport, reason: str, today: date | None = None
) -> UnitReport:
    """M13.3: the bureau returns a submitted report saying why; the unit hears, corrects it and
    submits it again."""
    report = _review(actor, report, rules.Step.RETURN)
    checked = rules.check_reason(reason, field="reason")
    if not checked:
        raise refuse(
            gettext_noop("Say why the report is returned."),
            "unit_report.return_reason",
            "reason",
            CLAUSES,
        )
    before = model_snapshot(report, FIELDS)
    report.status = rules.check_step(report.status, rules.Step.RETURN).value
    report.return_reason = checked
    report.save(update_fields=["status", "return_reason", "updated_at"])
    _event(report, EventKind.RETURNED, actor, checked)
    _record(actor, report, "return", before=before, after=model_snapshot(report, FIELDS))
    rounds = report.events.filter(kind=EventKind.RETURNED).count()
    notices.tell_unit(notices.RETURNED, report, f"r{rounds}", reason=checked)
    return report


@decision
def report_accept(*, actor: User, report: UnitReport, today: date | None = None) -> UnitReport:
    """M13.3: the bureau accepts a submitted report; it is frozen and the unit hears."""
    on = today or selectors.today()
    report = _review(actor, report, rules.Step.ACCEPT)
    before = model_snapshot(report, FIELDS)
    report.status = rules.check_step(report.status, rules.Step.ACCEPT).value
    report.accepted_on = on
    report.save(update_fields=["status", "accepted_on", "updated_at"])
    _event(report, EventKind.ACCEPTED, actor)
    _record(actor, report, "accept", before=before, after=model_snapshot(report, FIELDS))
    notices.tell_unit(notices.ACCEPTED, report, "accepted")
    return report
