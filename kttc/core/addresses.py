"""The address a request came from, behind a known number of trusted reverse proxies.

Sign-in throttling locks an account *from an address* (django-axes, ``AXES_CLIENT_IP_CALLABLE``).
Behind the TLS proxy the deployment puts in front of the platform, ``REMOTE_ADDR`` is the proxy
for everyone: one person's wrong passwords would lock the account for all. Each trusted proxy
appends the address it was reached from to ``X-Forwarded-For``, so with ``n`` trusted proxies the
client is the ``n``-th entry from the right; entries further left are whatever the client sent
and are never believed. With no trusted proxy (the default) the header is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or with ``KTTC_TRUSTED_PROXIES`` = n > 0 the
    address the outermost trusted proxy saw (``REMOTE_ADDR`` again when the header is missing,
    too short for n proxies, or malformed: never an address the client chose)."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or None
    proxies: int = settings.KTTC_TRUSTED_PROXIES
    if proxies < 1:
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < proxies:
        return remote
    return _address(hops[-proxies]) or remote
