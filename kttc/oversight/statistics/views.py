"""Pages of the statistics (M13.3): the bureau's dashboard with its drill-down and xlsx, and
the public statistics page."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from kttc.core.selectors import user_can
from kttc.core.web import acting_user, forbidden
from kttc.oversight.statistics import charts, exporting, measures, selectors, services
from kttc.oversight.statistics.measures import BREAKDOWNS, Measure
from kttc.oversight.statistics.models import StatisticsRefresh
from kttc.policy import calendar
from kttc.policy.roles import Capability

#: What a breakdown's key may be: ``2026-03``, ``C``, ``416``, ``LA``, an id, or empty.
KEY = re.compile(r"[A-Za-z0-9-]{0,40}")
#: How long a drawn chart is kept (a refresh makes new keys; this only bounds the memory).
CHART_SECONDS = 24 * 3600


def _refreshed() -> StatisticsRefresh:
    """The last refresh; the first view of a fresh installation makes one."""
    return selectors.last_refresh() or services.statistics_refresh(
        today=calendar.today_in_shanghai()
    )


def _breakdown(request: HttpRequest, measure: Measure) -> str:
    wanted = str(request.GET.get("by", "month"))[:16]
    return wanted if wanted in measure.breakdowns else measure.breakdowns[0]


def _chart(
    measure: Measure, breakdown: str, chart_id: str, refresh: StatisticsRefresh, *, drill: bool
) -> dict[str, Any]:
    """A chart and its table, as HTML. They change only when the figures are refreshed, so
    each is drawn once per refresh and language and kept in the cache (pygal and a table of a
    few hundred rows take tens of milliseconds)."""
    key = (
        f"statistics:{refresh.pk}:{refresh.refreshed_at.timestamp()}:{measure.key}:{breakdown}:"
        f"{get_language()}:{chart_id}:{drill}"
    )
    html: str | None = cache.get(key)
    if html is None:
        drawn = {**_draw(measure, breakdown, chart_id), "measure": measure}
        html = render_to_string(
            "oversight/statistics/_chart.html",
            {"chart": drawn, "drill": drill, "open_tables": drill},
        )
        cache.set(key, html, CHART_SECONDS)
    return {"measure": measure, "breakdown": breakdown, "html": mark_safe(html)}  # noqa: S308


def _draw(measure: Measure, breakdown: str, chart_id: str) -> dict[str, Any]:
    found = selectors.figures(measure, breakdown)
    shown = selectors.charted(breakdown, found)
    by = str(BREAKDOWNS[breakdown])
    amounts = bool(measure.amount)
    what = gettext("amount (yuan)") if amounts else gettext("count")
    description = gettext("%(measure)s (%(clause)s): %(what)s by %(breakdown)s.") % {
        "measure": measure.title, "clause": measure.clause, "what": what, "breakdown": by,
    }  # fmt: skip
    return {
        "breakdown": breakdown,
        "breakdown_label": by,
        "id": chart_id,
        "figures": found,
        "description": description,
        "svg": charts.svg(chart_id, f"{measure.title} ({measure.clause})", description, shown,
                          by_month=breakdown == "month", amounts=amounts) if shown else None,
    }  # fmt: skip


def _may_read(request: HttpRequest) -> bool:
    return user_can(acting_user(request), Capability.VIEW_STATISTICS_ALL)


def _refused(request: HttpRequest) -> HttpResponse:
    return forbidden(request, gettext("The statistics are the bureau's and the auditors' (M13.3)."))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """M13.3: every measure's total, and one measure's chart and table by the breakdown chosen,
    each row leading to the rows behind it."""
    if not _may_read(request):
        return _refused(request)
    refresh = _refreshed()
    measure = measures.measure_or_none(str(request.GET.get("measure", "")), public=False)
    measure = measure or measures.OFFICE[0]
    breakdown = _breakdown(request, measure)
    return render(
        request,
        "oversight/statistics/dashboard.html",
        {
            "refresh": refresh,
            "totals": selectors.totals(measures.OFFICE),
            "measures": measures.OFFICE,
            "chosen": measure,
            "breakdowns": [(b, BREAKDOWNS[b]) for b in measure.breakdowns],
            "chart": _chart(measure, breakdown, "chart-main", refresh, drill=True),
        },
    )


def _measure_and_breakdown(request: HttpRequest) -> tuple[Measure, str]:
    measure = measures.measure_or_none(str(request.GET.get("measure", ""))[:40], public=False)
    breakdown = str(request.GET.get("by", ""))[:16]
    if measure is None or breakdown not in measure.breakdowns:
        raise Http404
    return measure, breakdown


@login_required
def rows(request: HttpRequest) -> HttpResponse:
    """M13.3: the source rows behind one bar, newest first, each leading to its page."""
    if not _may_read(request):
        return _refused(request)
    measure, breakdown = _measure_and_breakdown(request)
    key = str(request.GET.get("key", ""))
    if not KEY.fullmatch(key):  # a month, a code, an id or nothing (DESIGN rule 10)
        raise Http404
    figure, page = selectors.drill_page(measure, breakdown, key, request.GET.get("page"))
    if figure is None or page is None:
        raise Http404
    assert measure.describe is not None
    return render(
        request,
        "oversight/statistics/rows.html",
        {
            "refresh": selectors.last_refresh(),
            "measure": measure,
            "breakdown": breakdown,
            "breakdown_label": BREAKDOWNS[breakdown],
            "figure": figure,
            "page": page,
            "rows": [measure.describe(r) for r in page.object_list],
            "query": f"measure={measure.key}&by={breakdown}&key={key}",
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """M13.3: one figure's table as xlsx."""
    if not _may_read(request):
        return _refused(request)
    measure, breakdown = _measure_and_breakdown(request)
    refresh = _refreshed()
    body = exporting.figure_xlsx(
        measure, breakdown, selectors.figures(measure, breakdown), f"{refresh.as_of:%Y-%m-%d}"
    )
    response = HttpResponse(body, content_type=exporting.XLSX)
    name = f"kttc-{measure.key}-{breakdown}-{refresh.as_of:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def public(request: HttpRequest) -> HttpResponse:
    """M8.5, M13.3: what may be public, by the breakdown chosen: published results,
    transactions and their published amounts, open licensing, demands, matches and the
    countries reached."""
    refresh = _refreshed()
    wanted = str(request.GET.get("by", "month"))[:16]
    breakdown = wanted if wanted in measures.PUBLIC_BREAKDOWNS else "month"
    return render(
        request,
        "oversight/statistics/public.html",
        {
            "refresh": refresh,
            "totals": selectors.totals(measures.PUBLIC),
            "countries": selectors.countries_reached(),
            "breakdown": breakdown,
            "breakdowns": [(b, BREAKDOWNS[b]) for b in measures.PUBLIC_BREAKDOWNS],
            "charts": [
                _chart(m, breakdown, f"chart-{m.key}", refresh, drill=False)
                for m in measures.PUBLIC
                if breakdown in m.breakdowns
            ],
        },
    )


def chart_css(request: HttpRequest) -> HttpResponse:
    """The charts' stylesheet (pygal's, in the site's colours and fonts), served from here."""
    response = HttpResponse(charts.stylesheet(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
