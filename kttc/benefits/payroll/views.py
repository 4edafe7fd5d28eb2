"""Pages of the payroll (M5.1): the unit's roster (a row per person of its teams, or a file),
the layout of its payroll file, and a distribution's payroll export, which first names the people
whose payroll data is missing. Only the unit's transfer office reaches them; anyone else meets a
404 (a unit's roster is not even said to exist)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext

from kttc.benefits.contracts import statements
from kttc.benefits.contracts.models import Distribution
from kttc.benefits.payroll import importing, selectors, services
from kttc.benefits.payroll.forms import LayoutForm, RosterForm, RosterImportForm
from kttc.core import parsing, rows
from kttc.core.errors import translated_message
from kttc.core.models import Organisation
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy.errors import PolicyError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit(request: HttpRequest, unit_id: object) -> Organisation:
    """A unit whose payroll the person keeps, or 404."""
    units = selectors.payroll_units(acting_user(request))
    return get_object_or_404(units, pk=parsing.id_or_404(unit_id))


def _distribution(request: HttpRequest, pk: object) -> Distribution:
    rows_ = selectors.distributions_for_payroll(acting_user(request))
    return get_object_or_404(rows_, pk=parsing.id_or_404(pk))


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"  # personal data: not kept by a shared cache
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The units whose payroll the person keeps; straight to the roster when there is one."""
    units = list(selectors.payroll_units(acting_user(request)))
    if not units:
        return forbidden(request, gettext("Only a unit's transfer office keeps its payroll."))
    if len(units) == 1:
        return redirect("payroll:roster", unit=units[0].pk)
    return render(request, "benefits/payroll/home.html", {"units": units})


def _saved_note(saved: services.RosterSaved) -> str:
    return gettext(
        "The roster is saved: %(created)s added, %(updated)s changed, %(removed)s taken off."
    ) % {"created": saved.created, "updated": saved.updated, "removed": saved.removed}


def _save_form(request: HttpRequest, unit: Organisation, form: RosterForm) -> bool:
    try:
        saved = services.payroll_roster_save(
            actor=acting_user(request), unit=unit, changes=form.changes
        )
    except services.RowRefused as refused:
        form.refuse_line(form.change_lines[refused.row], refused)
        return False
    except PolicyError as error:
        form_error(form, error)
        return False
    messages.success(request, _saved_note(saved))
    return True


def _import(
    request: HttpRequest, unit: Organisation, upload: RosterImportForm
) -> list[importing.Problem] | None:
    """The file's problems, or None once its rows are stored (all of them)."""
    file = upload.cleaned_data["file"]
    entries = selectors.roster_of(unit)
    read = importing.read_roster(file.read(importing.READ_BYTES), file.name, entries)
    if read.problems:
        return read.problems
    try:
        saved = services.payroll_roster_save(
            actor=acting_user(request), unit=unit, changes=read.changes
        )
    except services.RowRefused as refused:
        column = importing.column_of(refused.field)
        return [importing.Problem(read.rows[refused.row], column, translated_message(refused))]
    messages.success(request, _saved_note(saved))
    return None


@login_required
def roster(request: HttpRequest, unit: int) -> HttpResponse:
    """M5.1: the unit's payroll roster, a row per person of its teams (numbers masked): the
    office fills it in here or from a file; all the lines are stored, or none."""
    found = _unit(request, unit)
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    people = selectors.roster_page(found)
    entries = selectors.roster_of(found)
    form = RosterForm(posted if action == "save" else None, people=people, entries=entries)
    upload = RosterImportForm(
        posted if action == "import" else None, request.FILES if action == "import" else None
    )
    problems: list[importing.Problem] = []
    if action == "save" and form.is_valid() and _save_form(request, found, form):
        return redirect("payroll:roster", unit=found.pk)
    if action == "import" and upload.is_valid():
        problems = _import(request, found, upload) or []
        if not problems:
            return redirect("payroll:roster", unit=found.pk)
    context: dict[str, Any] = {
        "unit": found,
        "form": form,
        "lines": form.shown_lines(),
        "upload": upload,
        "problems": problems,
        "lacking": sum(1 for p in people if p.entry is None),
    }
    return render(request, "benefits/payroll/roster.html", context)


@login_required
def roster_template(request: HttpRequest, unit: int) -> HttpResponse:
    """The roster file to fill in, with the names of the unit's people (no other data)."""
    found = _unit(request, unit)
    names = selectors.people_of(found)
    return _download(importing.template_xlsx(names), XLSX, f"payroll-roster-{found.pk}.xlsx")


@login_required
def layout(request: HttpRequest, unit: int) -> HttpResponse:
    """M5.1: the columns of the unit's payroll file, their order and headers; or back to the
    default."""
    found = _unit(request, unit)
    user = acting_user(request)
    posted = request.POST if request.method == "POST" else None
    if posted and posted.get("action") == "reset":
        if services.payroll_layout_reset(actor=user, unit=found):
            messages.success(request, gettext("The payroll has the default columns again."))
        else:
            messages.info(request, gettext("The payroll has the default columns already."))
        return redirect("payroll:layout", unit=found.pk)
    current = selectors.layout_of(found)
    initial = {"columns": [{"column": c.value, "header": h} for c, h in current]}
    form = LayoutForm(posted, initial=initial)
    if rows.ready(form):
        try:
            services.payroll_layout_set(actor=user, unit=found, columns=form.lines())
        except PolicyError as error:
            form_error(form, error)
        else:
            messages.success(request, gettext("The payroll layout is saved (M5.1)."))
            return redirect("payroll:layout", unit=found.pk)
    context = {
        "unit": found,
        "form": form,
        "current": current,
        "own": selectors.has_own_layout(found),
    }
    return render(request, "benefits/payroll/layout.html", context)


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """M5.1: a distribution's payroll: its columns, and the people it pays whose payroll data
    is missing (their cells export empty), before the office downloads it."""
    found = _distribution(request, pk)
    unit = found.contract.unit
    layout_ = selectors.layout_of(unit)
    lacking = selectors.lacking(found, layout_)
    note = ngettext(
        "%(count)s person the payroll pays lacks payroll data:",
        "%(count)s people the payroll pays lack payroll data:",
        len(lacking),
    ) % {"count": len(lacking)}
    context = {
        "distribution": found,
        "contract": found.contract,
        "unit": unit,
        "headers": [header for _column, header in layout_],
        "lacking": lacking,
        "lacking_note": note,
    }
    return render(request, "benefits/payroll/export.html", context)


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """M5.1: the distribution's payroll file in the unit's layout, with the people's payroll
    data whole: for the unit's transfer office only."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    found = _distribution(request, pk)
    layout_ = selectors.layout_of(found.contract.unit)
    roster_ = selectors.export_roster(found)
    name = f"payroll-{found.pk}.{fmt}"
    if fmt == "xlsx":
        content = statements.payroll_xlsx([found], layout=layout_, roster=roster_)
        return _download(content, XLSX, name)
    text = statements.payroll_csv([found], layout=layout_, roster=roster_)
    return _download(text.encode("utf-8"), "text/csv", name)
