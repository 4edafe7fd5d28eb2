"""Response headers of every page: the Content-Security-Policy.

The pages load scripts, styles, images and fonts from the platform only (the interactive API
documentation included: django-ninja serves Swagger UI from static files); no inline script runs
unless it carries the request's nonce (``request.csp_nonce`` in a template, which adds the nonce
to the header), and no inline style attribute applies. Django 5.2 has no built-in CSP.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class _Nonce:
    """A nonce made on first use, so that pages without inline scripts name none."""

    def __init__(self) -> None:
        self.value: str | None = None

    def __str__(self) -> str:
        if self.value is None:
            self.value = secrets.token_urlsafe(16)
        return self.value


def policy(nonce: str | None = None) -> str:
    """The header's value, from ``KTTC_CONTENT_SECURITY_POLICY`` (directive -> sources)."""
    directives = {k: list(v) for k, v in settings.KTTC_CONTENT_SECURITY_POLICY.items()}
    if nonce is not None:
        directives.setdefault("script-src", ["'self'"]).append(f"'nonce-{nonce}'")
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = _Nonce()
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy(nonce.value)
        return response
