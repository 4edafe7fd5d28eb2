"""Health checks: ``/health/live`` (the process answers) and ``/health/ready`` (it can serve).

Ready checks the database with one trivial query, the broker when ``KTTC_BROKER_URL`` is set
(a Redis PING; another scheme: a TCP connection), and each part's own checks
(``kttc.<part>.health.checks()`` returning name -> callable that raises when unhealthy: the
center opens the search index and counts how far it lags). The body names each check, whether
it passed and how long it took, with the figures a check reports (a dict of integers, returned or
carried by its error as ``detail``); a failure says only the kind of error (the log has the rest):
no address, password or personal data reaches a probe.
"""

from __future__ import annotations

import logging
import socket
import ssl
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse

from kttc.core.parts import part_modules

logger = logging.getLogger(__name__)

BROKER_TIMEOUT = 2.0


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _command(*words: str) -> bytes:
    out = [f"*{len(words)}\r\n".encode()]
    for word in words:
        raw = word.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
    return b"".join(out)


def ping_broker(url: str, timeout: float = BROKER_TIMEOUT) -> None:
    """Raise unless the broker at ``url`` answers: Redis (redis://, rediss://) must answer PING
    with PONG (after AUTH when the URL has a password); any other scheme must accept a TCP
    connection."""
    parts = urlsplit(url)
    redis = parts.scheme in ("redis", "rediss")
    port = parts.port or (6379 if redis else 5672)
    with socket.create_connection((parts.hostname or "localhost", port), timeout=timeout) as raw:
        if not redis:
            return
        sock: socket.socket = raw
        if parts.scheme == "rediss":
            sock = ssl.create_default_context().wrap_socket(raw, server_hostname=parts.hostname)
        request = b""
        if parts.password:
            user = unquote(parts.username or "")
            secret = unquote(parts.password)
            request += _command("AUTH", user, secret) if user else _command("AUTH", secret)
        request += _command("PING")
        sock.sendall(request)
        replies = b""
        wanted = 2 if parts.password else 1
        while replies.count(b"\r\n") < wanted:
            chunk = sock.recv(256)
            if not chunk:
                break
            replies += chunk
        if replies.startswith(b"-") or not replies.endswith(b"+PONG\r\n"):
            raise ConnectionError("the broker did not answer PING")


def checks() -> dict[str, Callable[[], object] | None]:
    """name -> check (None: not configured), in the order they run."""
    broker = getattr(settings, "KTTC_BROKER_URL", "") or ""
    found: dict[str, Callable[[], object] | None] = {
        "database": _database,
        "broker": (lambda: ping_broker(broker)) if broker else None,
    }
    for _label, module in part_modules("health"):
        found.update(module.checks())
    return found


def run_checks() -> tuple[bool, dict[str, dict[str, Any]]]:
    results: dict[str, dict[str, Any]] = {}
    healthy = True
    for name, check in checks().items():
        if check is None:
            results[name] = {"ok": True, "status": "not configured"}
            continue
        start = time.perf_counter()
        try:
            detail = check()
        except Exception as exc:  # a probe reports every failure, it never raises
            logger.exception("health check %s failed", name)
            healthy = False
            results[name] = {"ok": False, "error": type(exc).__name__}
            detail = getattr(exc, "detail", None)
        else:
            results[name] = {"ok": True}
        if isinstance(detail, dict):  # figures a check reports (the index's lag), never text
            results[name].update(
                {k: v for k, v in detail.items() if isinstance(v, int) and k not in ("ok", "ms")}
            )
        results[name]["ms"] = round((time.perf_counter() - start) * 1000, 1)
    return healthy, results


def _answer(body: dict[str, Any], status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def live(request: HttpRequest) -> JsonResponse:
    """The process answers: 200, nothing else is touched."""
    return _answer({"status": "ok"}, 200)


def ready(request: HttpRequest) -> JsonResponse:
    """200 when every configured check passes, else 503; the body names each check."""
    healthy, results = run_checks()
    return _answer(
        {"status": "ok" if healthy else "fail", "checks": results}, 200 if healthy else 503
    )
