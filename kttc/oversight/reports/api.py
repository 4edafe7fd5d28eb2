"""The units' reports' API (M13.3): a unit's office reads its reports and its pre-filled draft for
a period and submits it (each figure with its reason where it differs from the platform's); the
bureau and auditors read every report. Refusals in the one error shape, naming the field and the
clause."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from kttc.core.api import AUTH
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.parsing import ApiId
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.oversight.reports import selectors, services
from kttc.oversight.reports.models import ReportPeriod, UnitReport
from kttc.policy import unit_reports as rules

router = Router(tags=["unit-reports"])


class UnitReportPeriodOut(Schema):
    id: int
    year: int
    starts_on: date
    ends_on: date
    due_on: date


class UnitReportFigureOut(Schema):
    code: str
    label: str
    kind: str
    source: str
    clauses: list[str]
    item: str
    platform: str | None = Field(description="the platform's figure; null where it has none")
    value: str | None = Field(description="the figure filed (exact decimal text)")
    reason: str


class UnitReportEventOut(Schema):
    kind: str
    at: datetime
    reason: str


class UnitReportOut(Schema):
    id: int
    period_id: int
    year: int
    unit_id: int
    unit: str
    status: str
    submitted_on: date | None
    accepted_on: date | None
    return_reason: str
    figures: list[UnitReportFigureOut]
    history: list[UnitReportEventOut]

    @staticmethod
    def resolve_year(obj: UnitReport) -> int:
        return obj.period.year

    @staticmethod
    def resolve_unit(obj: UnitReport) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_figures(obj: UnitReport) -> list[dict[str, Any]]:
        return [
            {
                "code": f.code,
                "label": gettext(f.label),
                "kind": f.kind.value,
                "source": f.source.value,
                "clauses": list(f.clauses),
                "item": f.item,
                "platform": obj.platform.get(f.code),
                "value": obj.figures.get(f.code),
                "reason": obj.reasons.get(f.code, ""),
            }
            for f in rules.FIELDS
        ]

    @staticmethod
    def resolve_history(obj: UnitReport) -> list[Any]:
        return list(obj.events.all())


class UnitReportFigureIn(Schema):
    code: Text = Field(..., max_length=40)
    value: Text | int | None = Field(None, description="a count, or yuan to the fen, as text")
    reason: LongText = Field("", max_length=rules.REASON_MAX)


class UnitReportReturnIn(Schema):
    reason: LongText = Field(..., max_length=rules.REASON_MAX)


class UnitReportSubmitIn(Schema):
    figures: list[UnitReportFigureIn] = Field([], max_length=len(rules.FIELDS))


def _report(request: HttpRequest, pk: int) -> UnitReport:
    found = selectors.reports_for(acting_user(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _unit(user: User, pk: int | None) -> Organisation:
    mine = selectors.filing_units(user)
    found = mine.filter(pk=pk).first() if pk is not None else mine.first()
    if found is None:
        raise AccessDenied()
    return found


@router.get("/periods", response=list[UnitReportPeriodOut], auth=AUTH)
def periods(request: HttpRequest) -> list[ReportPeriod]:
    """M13.3: the reporting periods, the latest first."""
    return list(selectors.periods()[:100])


@router.get("/reports", response=list[UnitReportOut], auth=AUTH)
def reports(request: HttpRequest) -> list[UnitReport]:
    """M13.3: the unit's own reports; every report for the bureau and auditors."""
    return list(selectors.reports_for(acting_user(request)).prefetch_related("events")[:500])


@router.get("/reports/{pk}", response=UnitReportOut, auth=AUTH)
def read(request: HttpRequest, pk: ApiId) -> UnitReport:
    return _report(request, pk)


@router.get("/periods/{pk}/draft", response=UnitReportOut, auth=AUTH)
def draft(request: HttpRequest, pk: ApiId, unit_id: ApiId | None = None) -> UnitReport:
    """M13.3: the unit's report for the period, pre-filled from the platform's records (prepared
    on first use); ``unit_id`` left out: the caller's unit."""
    user = acting_user(request)
    period = ReportPeriod.objects.filter(pk=pk).first()
    if period is None:
        raise Http404
    return services.report_prepare(actor=user, unit=_unit(user, unit_id), period=period)


@router.post("/reports/{pk}/submit", response=UnitReportOut, auth=AUTH)
def submit(request: HttpRequest, pk: ApiId, payload: UnitReportSubmitIn) -> UnitReport:
    """M13.3: the unit's office submits its report, with last figures (each differing from the
    platform's with its reason); every field must then be filled in."""
    entries: dict[str, services.Entry] = {}
    for item in payload.figures:
        rules.field_of(item.code)
        entries[item.code] = (item.value, item.reason)
    return services.report_submit(
        actor=acting_user(request), report=_report(request, pk), entries=entries
    )


@router.post("/reports/{pk}/return", response=UnitReportOut, auth=AUTH)
def return_report(request: HttpRequest, pk: ApiId, payload: UnitReportReturnIn) -> UnitReport:
    """M13.3: the bureau returns a submitted report with its reason; the unit hears of it."""
    return services.report_return(
        actor=acting_user(request), report=_report(request, pk), reason=payload.reason
    )


@router.post("/reports/{pk}/accept", response=UnitReportOut, auth=AUTH)
def accept(request: HttpRequest, pk: ApiId) -> UnitReport:
    """M13.3: the bureau accepts a submitted report; it is frozen and the unit hears of it."""
    return services.report_accept(actor=acting_user(request), report=_report(request, pk))
