"""The first middleware: request ids, health probes, request metrics and the request's log line.

It runs before every other middleware, so ``/health/live`` and ``/health/ready`` are answered
without a session, a host check, a redirect to https, a sign-in or a rate limit in a load
balancer's way, and the duration measured covers the whole stack.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from kttc.core.observability import health, logs, metrics

logger = logging.getLogger(logs.REQUEST_LOGGER)

HEADER = "X-Request-ID"
#: An incoming request id is kept when it is short and plain (a proxy's or a caller's), else a
#: new one is made: nothing unbounded or able to forge a log line reaches the logs.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")

PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/health/live": health.live,
    "/health/ready": health.ready,
}


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    return given if SANE_ID.fullmatch(given) else uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in person's id, if the request already looked them up (never a query more,
    never the e-mail)."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:  # type: ignore[attr-defined]
        return None
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


class ObservabilityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_for(request)
        request.request_id = rid  # type: ignore[attr-defined]
        token = logs.request_id.set(rid)
        start = time.perf_counter()
        try:
            probe = PROBES.get(request.path_info.rstrip("/"))
            if probe is not None and request.method in ("GET", "HEAD"):
                response = probe(request)
                view = "health_" + request.path_info.rstrip("/").rsplit("/", 1)[1]
            else:
                response = self.get_response(request)
                match = getattr(request, "resolver_match", None)
                view = (match.view_name if match else "") or "unmatched"
            seconds = time.perf_counter() - start
            response[HEADER] = rid
            metrics.observe_request(view, request.method or "", response.status_code, seconds)
            logger.info(
                "%s %s %s",
                request.method,
                view,
                response.status_code,
                extra={
                    "view": view,
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            logs.request_id.reset(token)
