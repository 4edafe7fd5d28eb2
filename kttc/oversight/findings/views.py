"""Pages of the findings (M14.2): the list of findings one reads (filters, pages, an xlsx
export), a record's page, the forms to record, add findings, issue and amend (a department's
auditors), the unit's rectification and the department's review of it."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from kttc.core import parsing
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_public, user_can
from kttc.core.spreadsheets import xlsx_row
from kttc.core.web import acting_user, forbidden, form_error, paged, posted_decision
from kttc.oversight.findings import selectors, services
from kttc.oversight.findings.choices import Status
from kttc.oversight.findings.forms import (
    AmendForm,
    FilterForm,
    FindingForm,
    InspectionForm,
    RectifyForm,
    ReviewForm,
    as_document,
)
from kttc.oversight.findings.models import (
    Finding,
    Inspection,
    InspectionDocument,
    RectificationDocument,
)
from kttc.policy import findings as rules
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability, OrganisationKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The most findings one export holds (newest first).
EXPORT_MAX = 20_000


def _reads_any(user: User) -> bool:
    return user_can(user, Capability.VIEW_FINDINGS_ALL) or selectors.units_of(user).exists()


def _filtered(request: HttpRequest, user: User) -> tuple[FilterForm, QuerySet[Finding]]:
    form = FilterForm(request.GET or None, departments=selectors.supervising_departments())
    found = selectors.findings_for(user)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("department"):
            found = found.filter(inspection__department=data["department"])
        if data.get("unit"):
            found = found.filter(
                Q(subject__name__icontains=data["unit"])
                | Q(subject__name_en__icontains=data["unit"])
            )
        if data.get("clause"):
            found = found.filter(clause=data["clause"])
        if data.get("status"):
            found = found.filter(rectification=data["status"])
        if data.get("record"):
            found = found.filter(inspection__status=data["record"])
    elif request.GET:
        found = found.none()
    return form, found.order_by("-inspection__fieldwork_end", "-inspection_id", "id")


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    """M14.2: the findings one reads, filtered by department, unit, clause and status."""
    user = acting_user(request)
    if not _reads_any(user):
        return forbidden(
            request,
            gettext("Supervising departments, the bureau and inspected units read findings."),
        )
    form, found = _filtered(request, user)
    page, querystring = paged(request, found)
    return render(
        request,
        "oversight/findings/list.html",
        {
            "form": form,
            "page": page,
            "querystring": querystring,
            "can_record": selectors.departments_of(user).exists(),
            "today": selectors.today(),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """M14.2: the filtered findings as an xlsx file (every text through the formula guard)."""
    user = acting_user(request)
    if not _reads_any(user):
        return forbidden(request)
    _form, found = _filtered(request, user)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(gettext("Findings"))
    sheet.append(
        xlsx_row(
            sheet,
            [
                gettext("Department"), gettext("Reference number"), gettext("Kind"),
                gettext("Title"), gettext("Record"), gettext("Fieldwork until"),
                gettext("Inspected unit"), gettext("Clause"), gettext("Severity"),
                gettext("Description"), gettext("Rectification"),
                gettext("Rectification deadline"), gettext("Objects concerned"),
            ],
        )
    )  # fmt: skip
    for f in found[:EXPORT_MAX].iterator(chunk_size=1000):
        i = f.inspection
        sheet.append(
            xlsx_row(
                sheet,
                [
                    i.department.name, i.reference, str(i.get_kind_display()), i.title,
                    str(i.get_status_display()), i.fieldwork_end, f.subject.name, f.clause,
                    str(f.get_severity_display()), f.description,
                    str(f.get_rectification_display()), f.deadline, " ".join(f.links),
                ],
            )
        )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    answer = HttpResponse(out.getvalue(), content_type=XLSX)
    answer["Content-Disposition"] = 'attachment; filename="findings.xlsx"'
    return answer


def _units() -> QuerySet[Organisation]:
    return organisations_public().exclude(kind=OrganisationKind.GOVERNMENT_DEPARTMENT)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """M14.2: a department's auditor records an inspection, audit or supervision as a draft;
    before it is recorded, the other departments' records of the same units within a year
    covering the same clauses are shown (a warning: recording again goes through)."""
    user = acting_user(request)
    departments = selectors.departments_of(user)
    if not departments.exists():
        return forbidden(
            request, gettext("Only a supervising department's auditors record findings.")
        )
    form = InspectionForm(
        request.POST or None, request.FILES or None, departments=departments, units=_units(),
        initial={"department": departments.first()},
    )  # fmt: skip
    overlaps: list[selectors.Overlap] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        overlaps = selectors.overlapping(
            subjects=list(data["subjects"]), clauses=data["clauses"],
            department=data["department"], on=selectors.today(),
        )  # fmt: skip
        if overlaps and not data.get("acknowledge"):
            posted = request.POST.copy()
            posted["acknowledge"] = "on"
            form = InspectionForm(posted, departments=departments, units=_units())
            form.is_valid()
        else:
            documents = (
                [services.Attachment(data["document"].name, as_document(data["document"]))]
                if data.get("document") else []
            )  # fmt: skip
            try:
                inspection = services.inspection_record(
                    actor=user, department=data["department"], kind=data["kind"],
                    reference=data["reference"], title=data["title"],
                    scope=services.Scope(
                        subjects=list(data["subjects"]), period_start=data["period_start"],
                        period_end=data["period_end"], clauses=data["clauses"],
                        scope=data["scope"], fieldwork_start=data["fieldwork_start"],
                        fieldwork_end=data["fieldwork_end"],
                    ),
                    documents=documents,
                )  # fmt: skip
            except PolicyError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request, gettext("The record is saved as a draft; add its findings.")
                )
                return redirect("findings:detail", inspection.pk)
    return render(request, "oversight/findings/form.html", {"form": form, "overlaps": overlaps})


def _visible(request: HttpRequest, pk: int) -> Inspection:
    found = selectors.inspections_for(acting_user(request)).filter(pk=parsing.id_or_404(pk)).first()
    if found is None:
        raise Http404
    return found


def _context(request: HttpRequest, inspection: Inspection, **extra: Any) -> dict[str, Any]:
    user = acting_user(request)
    mine = user_can(user, Capability.RECORD_FINDINGS, inspection.department)
    findings = (
        selectors.findings_for(user).filter(inspection=inspection).prefetch_related("documents")
    )
    subjects = list(selectors.subjects_for(user, inspection))
    units = set(selectors.units_of(user).values_list("pk", flat=True))
    draft = inspection.status == Status.DRAFT
    context: dict[str, Any] = {
        "inspection": inspection,
        "subjects": subjects,
        "findings": findings,
        "documents": inspection.documents.all(),
        "amendments": selectors.amendments_for(user, inspection),
        "mine": mine,
        "draft": draft,
        "my_units": units,
        "owed": [r.value for r in rules.OWED],
        "overlaps": selectors.overlapping(
            subjects=subjects, clauses=inspection.clauses, department=inspection.department,
            on=selectors.today(), exclude=inspection.pk,
        ) if mine and draft else [],
        "finding_form": FindingForm(subjects=subjects, clauses=inspection.clauses)
        if mine and draft else None,
        "review_form": ReviewForm() if mine and not draft else None,
    }  # fmt: skip
    context.update(extra)
    return context


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """M14.2: a record, its scope, documents, findings with their rectification, and its
    amendments (the history)."""
    inspection = _visible(request, pk)
    return render(request, "oversight/findings/detail.html", _context(request, inspection))


@login_required
@require_POST
def add_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """M14.2: the department adds a finding to its draft."""
    inspection = _visible(request, pk)
    subjects = list(inspection.subjects.order_by("name"))
    form = FindingForm(request.POST, subjects=subjects, clauses=inspection.clauses)
    if form.is_valid():
        data = form.cleaned_data
        subject = next(s for s in subjects if str(s.pk) == data["subject"])
        try:
            services.finding_add(
                actor=acting_user(request), inspection=inspection,
                plan=services.FindingPlan(
                    subject=subject, clause=data["clause"], severity=data["severity"],
                    description=data["description"], links=form.link_list(),
                    rectification_required=data["rectification_required"],
                    deadline=data["deadline"],
                ),
            )  # fmt: skip
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The finding is added to the draft."))
            return redirect("findings:detail", inspection.pk)
    context = _context(request, inspection, finding_form=form)
    return render(request, "oversight/findings/detail.html", context, status=400)


@login_required
@require_POST
def remove_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """M14.2: the department takes a finding out of its draft."""
    finding = _finding(request, pk)
    posted_decision(
        request, None,
        lambda _data: services.finding_remove(actor=acting_user(request), finding=finding),
        gettext("The finding is taken out of the draft."),
    )  # fmt: skip
    return redirect("findings:detail", finding.inspection_id)


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    """M14.2: the department signs its draft off; the inspected units are told."""
    inspection = _visible(request, pk)
    posted_decision(
        request, None,
        lambda _data: services.inspection_issue(actor=acting_user(request), inspection=inspection),
        gettext("The findings are issued; the inspected units are told."),
    )  # fmt: skip
    return redirect("findings:detail", inspection.pk)


@login_required
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    """M14.2: the department corrects its issued record by an amendment with its reason."""
    inspection = _visible(request, pk)
    user = acting_user(request)
    if not user_can(user, Capability.RECORD_FINDINGS, inspection.department):
        raise Http404
    findings = list(inspection.findings.select_related("subject"))
    form = AmendForm(request.POST or None, findings=findings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        finding = next((f for f in findings if str(f.pk) == data["target"]), None)
        names = services.AMENDABLE_FINDING if finding else services.AMENDABLE
        try:
            services.inspection_amend(
                actor=user, inspection=inspection, reason=data["reason"], finding=finding,
                correction=services.Correction({n: data.get(n) for n in names}),
            )  # fmt: skip
        except PolicyError as exc:
            form_error(form, exc, fields={"correction": "target"})
        else:
            messages.success(request, gettext("The amendment is recorded with its reason."))
            return redirect("findings:detail", inspection.pk)
    return render(
        request, "oversight/findings/amend.html", {"form": form, "inspection": inspection}
    )


def _finding(request: HttpRequest, pk: int) -> Finding:
    found = selectors.findings_for(acting_user(request)).filter(pk=parsing.id_or_404(pk)).first()
    if found is None:
        raise Http404
    return found


@login_required
def rectify(request: HttpRequest, pk: int) -> HttpResponse:
    """M14.2: the inspected unit records its rectification of a finding with its evidence."""
    finding = _finding(request, pk)
    user = acting_user(request)
    if not user_can(user, Capability.RECTIFY_FINDINGS, finding.subject):
        raise Http404
    form = RectifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("document")
        documents = [services.Attachment(upload.name, as_document(upload))] if upload else []
        try:
            services.rectification_submit(
                actor=user, finding=finding, text=form.cleaned_data["text"], documents=documents
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, gettext("Your rectification is recorded; the department is told.")
            )
            return redirect("findings:detail", finding.inspection_id)
    return render(request, "oversight/findings/rectify.html", {"form": form, "finding": finding})


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """M14.2: the department marks a rectification rectified or not."""
    finding = _finding(request, pk)
    posted_decision(
        request, ReviewForm(request.POST),
        lambda data: services.rectification_review(
            actor=acting_user(request), finding=finding, rectified=data["rectified"],
            note=data["note"],
        ),
        gettext("The review is recorded; the unit is told."),
    )  # fmt: skip
    return redirect(
        reverse("findings:detail", args=[finding.inspection_id]) + f"#finding-{finding.pk}"
    )


@login_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    """M14.2: a document of a record (its report, working papers), for those who read it."""
    found = get_object_or_404(InspectionDocument, pk=parsing.id_or_404(pk))
    _visible(request, found.inspection_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.file_name)


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """M14.2: a document of a unit's rectification, for those who read the finding."""
    found = get_object_or_404(RectificationDocument, pk=parsing.id_or_404(pk))
    _finding(request, found.finding_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.file_name)
