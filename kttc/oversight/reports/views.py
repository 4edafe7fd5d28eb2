"""Pages of the units' reports (M13.3): the list (a unit's reports and open periods; the
periods for the bureau and auditors, the bureau opening one), a period's overview (filed, not
filed, late, with filters, and its xlsx), a report with its figures side by side and its history
(the bureau returning or accepting it), the unit's form (pre-filled, each figure beside the
platform's and its source, a correction with its reason inline), and the report's xlsx and PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.core import fonts, parsing
from kttc.core.errors import translated_message
from kttc.core.selectors import user_can
from kttc.core.statements import XLSX
from kttc.core.web import acting_user, forbidden, form_error, paged, posted_decision
from kttc.oversight.reports import exports, selectors, services
from kttc.oversight.reports.choices import Filing
from kttc.oversight.reports.forms import FiguresForm, PeriodForm, ReturnForm, value_name
from kttc.oversight.reports.models import ReportPeriod, UnitReport
from kttc.policy import unit_reports as rules
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _can_review(request: HttpRequest) -> bool:
    return user_can(acting_user(request), Capability.REVIEW_UNIT_REPORTS_ALL)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """M13.3: a unit's reports and the periods open to it; the periods for the bureau (which
    opens them) and auditors."""
    user = acting_user(request)
    sees_all = selectors.sees_all(user)
    units = list(selectors.filing_units(user))
    if not sees_all and not units:
        return forbidden(
            request,
            gettext(
                "Municipal universities, institutes and medical institutions file their reports; "
                "the bureau reviews them."
            ),
        )
    form = None
    if _can_review(request):
        form = PeriodForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                period = services.period_open(
                    actor=user, year=form.cleaned_data["year"], due_on=form.cleaned_data["due_on"]
                )
            except PolicyError as exc:
                form_error(form, exc)
            else:
                return redirect("unit_reports:period", period.pk)
    mine = (
        selectors.reports_for(user).filter(unit__in=units) if units else UnitReport.objects.none()
    )
    have = {(r.period_id, r.unit_id) for r in mine}
    today = selectors.today()
    to_prepare = [
        (p, u)
        for p in selectors.open_periods(today)
        for u in units
        if u.is_reform_unit and (p.pk, u.pk) not in have
    ]
    periods = []
    if sees_all:
        for p in selectors.periods():
            periods.append((p, selectors.counts(selectors.overview(p, today))))
    return render(
        request,
        "oversight/reports/index.html",
        {
            "mine": mine,
            "to_prepare": to_prepare,
            "periods": periods,
            "form": form,
            "today": today,
        },
    )


@login_required
@require_POST
def prepare(request: HttpRequest, period: int, unit: int) -> HttpResponse:
    """M13.3: the unit's report for a period, prepared (pre-filled) on first use."""
    found = get_object_or_404(ReportPeriod, pk=parsing.id_or_404(period))
    organisation = get_object_or_404(
        selectors.filing_units(acting_user(request)), pk=parsing.id_or_404(unit)
    )
    try:
        report = services.report_prepare(
            actor=acting_user(request), unit=organisation, period=found
        )
    except PolicyError as exc:
        return forbidden(request, translated_message(exc))
    return redirect("unit_reports:edit", report.pk)


@login_required
def period(request: HttpRequest, pk: int) -> HttpResponse:
    """M13.3: the bureau's overview of a period: every unit concerned, filed, accepted, not
    filed or late, filtered by state and name."""
    if not selectors.sees_all(acting_user(request)):
        return forbidden(request, gettext("The bureau and auditors read every unit's report."))
    found = get_object_or_404(ReportPeriod, pk=parsing.id_or_404(pk))
    today = selectors.today()
    rows = selectors.overview(found, today)
    counts = selectors.counts(rows)
    state = request.GET.get("state", "")
    if state in Filing.values:
        rows = [r for r in rows if r.filing.value == state]
    else:
        state = ""
    query = request.GET.get("q", "").strip()[:100]
    if query:
        rows = [r for r in rows if query.lower() in r.unit.name.lower()]
    page, params = paged(request, rows)
    return render(
        request,
        "oversight/reports/period.html",
        {
            "period": found,
            "page": page,
            "params": params,
            "counts": [(value, label, counts[value]) for value, label in Filing.choices],
            "states": Filing.choices,
            "state": state,
            "query": query,
            "late": today > found.due_on,
        },
    )


@login_required
def period_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """M13.3: the bureau's summary of a period as xlsx, one row per unit."""
    if not selectors.sees_all(acting_user(request)):
        raise Http404
    found = get_object_or_404(ReportPeriod, pk=parsing.id_or_404(pk))
    rows = selectors.overview(found, selectors.today())
    return _download(exports.period_xlsx(found, rows), XLSX, f"unit-reports-{found.year}.xlsx")


def _report(request: HttpRequest, pk: int) -> UnitReport:
    found = selectors.reports_for(acting_user(request)).filter(pk=parsing.id_or_404(pk)).first()
    if found is None:
        raise Http404
    return found


def _files_for(request: HttpRequest, report: UnitReport) -> bool:
    return selectors.filing_units(acting_user(request)).filter(pk=report.unit_id).exists()


def _rows(report: UnitReport) -> list[dict[str, Any]]:
    return [
        {
            "field": field,
            "label": gettext(field.label),
            "group": gettext(rules.GROUP_LABELS[field.group]),
            "source": gettext(rules.SOURCE_LABELS[field.source]),
            "platform": report.platform.get(field.code),
            "value": report.figures.get(field.code),
            "reason": report.reasons.get(field.code, ""),
            "platform_shown": exports.shown(field, report.platform.get(field.code)),
            "value_shown": exports.shown(field, report.figures.get(field.code)),
            "differs": rules.differs(
                report.platform.get(field.code), report.figures.get(field.code)
            ),
        }
        for field in rules.FIELDS
    ]


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """M13.3: a report, each figure beside the platform's with the reason, its history, and the
    bureau's return and accept."""
    report = _report(request, pk)
    review = _can_review(request) and report.status == rules.Status.SUBMITTED
    return render(
        request,
        "oversight/reports/detail.html",
        {
            "report": report,
            "rows": _rows(report),
            "events": report.events.select_related("actor"),
            "editable": report.status in rules.EDITABLE and _files_for(request, report),
            "review": review,
            "return_form": ReturnForm(prefix="return") if review else None,
        },
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """M13.3: the unit's form: each figure pre-filled, beside the platform's and its source; a
    figure changed needs its reason; saved as a draft, taken again from the records, or
    submitted."""
    report = _report(request, pk)
    if not _files_for(request, report):
        return forbidden(request, gettext("Only the unit's office files its report."))
    if report.status not in rules.EDITABLE:
        return redirect("unit_reports:detail", report.pk)
    user = acting_user(request)
    form = FiguresForm(request.POST or None, report=report)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "refresh":
            posted_decision(
                request, None, lambda _d: services.report_refresh(actor=user, report=report),
                gettext("The platform's figures are taken again from its records."),
            )  # fmt: skip
            return redirect("unit_reports:edit", report.pk)
        if form.is_valid():
            try:
                if action == "submit":
                    services.report_submit(actor=user, report=report, entries=form.entries())
                else:
                    services.report_save(actor=user, report=report, entries=form.entries())
            except PolicyError as exc:
                fields = {f.code: value_name(f.code) for f in rules.FIELDS}
                if exc.code == "unit_report.reason_required":
                    fields = {f.code: f"r_{f.code}" for f in rules.FIELDS}
                form_error(form, exc, fields=fields)
            else:
                if action == "submit":
                    messages.success(request, gettext("The report is submitted to the bureau."))
                    return redirect("unit_reports:detail", report.pk)
                messages.success(request, gettext("The figures are saved."))
                return redirect("unit_reports:edit", report.pk)
    return render(
        request,
        "oversight/reports/edit.html",
        {"report": report, "form": form, "rows": form.rows()},
    )


@login_required
@require_POST
def return_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not _can_review(request):
        return forbidden(request, gettext("Only the bureau reviews the units' reports."))
    user = acting_user(request)
    posted_decision(
        request, ReturnForm(request.POST, prefix="return"),
        lambda d: services.report_return(actor=user, report=report, reason=d["reason"]),
        gettext("The report is returned to the unit."),
    )  # fmt: skip
    return redirect("unit_reports:detail", report.pk)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not _can_review(request):
        return forbidden(request, gettext("Only the bureau reviews the units' reports."))
    user = acting_user(request)
    posted_decision(
        request, None, lambda _d: services.report_accept(actor=user, report=report),
        gettext("The report is accepted; it is now frozen."),
    )  # fmt: skip
    return redirect("unit_reports:detail", report.pk)


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """M13.3: the report as xlsx or PDF, the platform's figure, the figure filed and the reason
    side by side."""
    report = _report(request, pk)
    name = f"unit-report-{report.period.year}-{report.unit_id}.{fmt}"
    if fmt == "xlsx":
        return _download(exports.report_xlsx(report), XLSX, name)
    if fmt != "pdf":
        raise Http404
    with translation.override(fonts.pdf_language(translation.get_language() or "")):
        content = exports.report_pdf(report)
    return _download(content, "application/pdf", name)
