"""Public pages: home, organisations, the policy parameters in force, the audit chain's
checkpoints; error pages."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext

from kttc.core import parsing, selectors
from kttc.core.choices import OrganisationKind
from kttc.core.forms import OrganisationFilterForm
from kttc.core.models import AuditCheckpoint
from kttc.core.selectors import hashed_time
from kttc.policy import params as policy_params
from kttc.policy.errors import PolicyError


def home(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_public()
    counts = {
        kind.label: organisations.filter(kind=kind.value).count() for kind in OrganisationKind
    }
    try:
        params = selectors.parameters_in_force()
    except PolicyError:
        params = None
    return render(
        request,
        "core/home.html",
        {
            "params": params,
            "income_share": _percent(params.completer_income_min_share) if params else None,
            "organisations": organisations[:12],
            "organisation_count": organisations.count(),
            "kind_counts": [(label, n) for label, n in counts.items() if n],
        },
    )


def _percent(ratio: Decimal) -> str:
    """0.70 as "70", 0.725 as "72.5"."""
    return format((ratio * 100).normalize(), "f")


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    kind = query = None
    if form.is_valid():
        kind, query = form.cleaned_data["kind"] or None, form.cleaned_data["q"] or None
    page = parsing.page_of(selectors.organisations_public(kind=kind, query=query), request.GET)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "core/organisation_list.html",
        {"form": form, "page": page, "querystring": params.urlencode()},
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisations_public(), pk=pk)
    return render(request, "core/organisation_detail.html", {"organisation": organisation})


def policy_parameters(request: HttpRequest) -> HttpResponse:
    """V.1: the parameters in force today, each with its clauses, and every published version."""
    try:
        version = selectors.policy_version_in_force()
    except PolicyError:
        version = None
    rows = []
    if version is not None:
        values = version.parameters.to_values()
        rows = [{"spec": spec, "value": values[spec.key]} for spec in policy_params.SPECS]
    return render(
        request,
        "core/policy.html",
        {
            "version": version,
            "rows": rows,
            "versions": selectors.policy_versions_listed(),
        },
    )


def audit_checkpoints(request: HttpRequest) -> HttpResponse:
    """M14.1: the checkpoints of the audit chain's head, newest first, for anyone to keep:
    ``?format=json`` or ``?format=csv`` gives all of them (``kttc audit verify --against``
    reads the JSON)."""
    checkpoints = AuditCheckpoint.objects.order_by("-seq")
    rows = (
        {
            "seq": c.seq,
            "hash": c.hash,
            "time": hashed_time(c.created_at),
            "key_id": c.key_id,
            "signature": c.signature,
        }
        for c in checkpoints.iterator()
    )
    wanted = request.GET.get("format")
    if wanted == "json":
        response: HttpResponse = JsonResponse(
            {"algorithm": "HMAC-SHA256", "checkpoints": list(rows)},
            json_dumps_params={"indent": 1},
        )
        response["Content-Disposition"] = 'attachment; filename="kttc-audit-checkpoints.json"'
        return response
    if wanted == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="kttc-audit-checkpoints.csv"'
        writer = csv.writer(response)
        writer.writerow(["seq", "hash", "time", "key_id", "signature"])
        writer.writerows(
            [r["seq"], r["hash"], r["time"], r["key_id"], r["signature"]] for r in rows
        )
        return response
    page = parsing.page_of(checkpoints, request.GET)
    return render(request, "core/audit_checkpoints.html", {"page": page, "querystring": ""})


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {
                "error": {
                    "code": code,
                    "message": message,
                    "field": None,
                    "clauses": [],
                    "details": [],
                }
            },
            status=status,
        )
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "bad_request", gettext("The request could not be understood."))


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "access.denied", gettext("You are not allowed to see this page."))


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "not_found", gettext("This page does not exist."))


def error_500(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "server_error",
        gettext("Something went wrong on our side; it has been logged."),
    )
