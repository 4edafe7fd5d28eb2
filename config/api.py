"""The API under /api/v1/: one NinjaAPI, each app's router, one error shape for every failure."""

from __future__ import annotations

import logging

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kttc.benefits.contracts.api import router as contracts_router
from kttc.benefits.invest_first.api import router as invest_first_router
from kttc.benefits.shareholding.api import router as equity_router
from kttc.benefits.state_equity.api import router as state_equity_router
from kttc.center.alerts.api import router as alerts_router
from kttc.center.catalog.api import router as catalog_router
from kttc.center.demands.api import router as demands_router
from kttc.center.evaluation.api import router as evaluations_router
from kttc.center.finance.api import router as finance_router
from kttc.center.inquiries.api import router as inquiries_router
from kttc.center.institutions.api import router as institutions_router
from kttc.center.ip_protection.api import router as ip_cases_router
from kttc.center.ip_services.api import router as pre_examinations_router
from kttc.center.listings.api import router as listings_router
from kttc.center.transactions.api import router as transactions_router
from kttc.center.vouchers.api import router as vouchers_router
from kttc.core.api import router as core_router
from kttc.core.errors import AccessDenied, NotFound
from kttc.core.notifications.api import router as notifications_router
from kttc.oversight.findings.api import router as findings_router
from kttc.oversight.meeting.api import router as meeting_router
from kttc.oversight.reports.api import router as unit_reports_router
from kttc.oversight.statistics.api import router as statistics_router
from kttc.policy.errors import PolicyError
from kttc.reform.empowerment.api import router as reform_router
from kttc.reform.licensing.api import router as licences_router
from kttc.reform.transformation.api import router as transformation_router
from kttc.registry.achievements.api import router as registry_router

logger = logging.getLogger("kttc.api")

api = NinjaAPI(
    title="KTTC API",
    version="1",
    description="Kunming (International) Technology Transfer Center. Every failure answers "
    '{"error": {"code", "message", "field", "clauses", "details"}}.',
    urls_namespace="api-v1",
)
api.add_router("/", core_router)
api.add_router("/notifications", notifications_router)
api.add_router("/", registry_router)
api.add_router("/", reform_router)
api.add_router("/", licences_router)
api.add_router("/", transactions_router)
api.add_router("/", transformation_router)
api.add_router("/", contracts_router)
api.add_router("/", equity_router)
api.add_router("/", state_equity_router)
api.add_router("/", invest_first_router)
api.add_router("/", inquiries_router)
api.add_router("/catalog", catalog_router)
api.add_router("/alerts", alerts_router)
api.add_router("/demands", demands_router)
api.add_router("/listings", listings_router)
api.add_router("/institutions", institutions_router)
api.add_router("/evaluations", evaluations_router)
api.add_router("/vouchers", vouchers_router)
api.add_router("/finance", finance_router)
api.add_router("/pre-examinations", pre_examinations_router)
api.add_router("/ip-cases", ip_cases_router)
api.add_router("/meeting", meeting_router)
api.add_router("/unit-reports", unit_reports_router)
api.add_router("/findings", findings_router)
api.add_router("/statistics", statistics_router)


def error_response(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    *,
    field: str | None = None,
    clauses: list[str] | None = None,
    details: list[dict[str, object]] | None = None,
) -> HttpResponse:
    body = {
        "error": {
            "code": code,
            "message": message,
            "field": field,
            "clauses": clauses or [],
            "details": details or [],
        }
    }
    return api.create_response(request, body, status=status)


@api.exception_handler(PolicyError)
def _policy_error(request: HttpRequest, exc: PolicyError) -> HttpResponse:
    from kttc.core.errors import translated_message

    status = 403 if isinstance(exc, AccessDenied) else 404 if isinstance(exc, NotFound) else 400
    return error_response(
        request,
        status,
        exc.code,
        translated_message(exc, dates_as_read=False),  # the API keeps ISO dates
        field=exc.field,
        clauses=list(exc.clauses),
    )


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = []
    for item in exc.errors:
        location = [
            str(part)
            for part in item.get("loc", ())
            if part not in ("body", "query", "path", "payload", "filters")
        ]
        details.append({"field": ".".join(location), "message": item.get("msg", "")})
    first = details[0]["field"] if details else None
    return error_response(
        request,
        422,
        "validation",
        gettext("The request is not valid."),
        field=first or None,
        details=details,
    )  # type: ignore[arg-type]


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request, 401, "unauthenticated", gettext("Sign in or send a valid API token.")
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", gettext("Not found."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A value the schema let through but the database or the calendar cannot hold (a count
    past the database's integers, a date past year 9999): the caller's input, not a server
    error. The decision's transaction has rolled back, so nothing is stored (DESIGN rule 10)."""
    logger.warning("Out of range in %s %s: %s", request.method, request.path, exc)
    return error_response(
        request,
        422,
        "validation.range",
        gettext("A number or a date in the request is beyond what the platform can record."),
    )


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected error in %s %s", request.method, request.path)
    return error_response(
        request,
        500,
        "server_error",
        gettext("Something went wrong on our side; it has been logged."),
    )
