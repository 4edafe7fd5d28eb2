"""Gunicorn, the production WSGI server: ``kttc web`` (or ``gunicorn -c python:config.gunicorn
config.wsgi``) serves the platform with these settings, each read from the environment.

KTTC_BIND            where to listen (default 127.0.0.1:$PORT, PORT 8000); a proxy sits in front
WEB_CONCURRENCY      worker processes (default: the machine's cores, at least 2)
KTTC_WEB_THREADS     threads per worker (default 4): a request waiting on the database or the
                     search index leaves the core to another
KTTC_WEB_TIMEOUT     seconds a request may take before its worker is replaced (default 30)
KTTC_ACCESS_LOG      "json": one JSON access line per request on stdout; off by default, since
                     the platform itself logs one JSON line per request (KTTC_LOG_FORMAT)

Workers are started after the master forks, each loading the platform itself (no preloading), so
threads started at load (the search index's follower, the embedding worker) run in every worker;
each loads the URLs and templates and runs a few catalog searches before its first request
(KTTC_WEB_WARM=off skips them).
With PROMETHEUS_MULTIPROC_DIR set, the folder is emptied when the server starts and a worker that
exits is marked dead, so /metrics adds up the living workers' values (README "Health, metrics and
logs"). TERM stops gracefully: workers finish their requests for up to KTTC_WEB_TIMEOUT seconds.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def _whole(name: str, default: int, low: int = 1, high: int = 256) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise SystemExit(f"{name} must be a whole number from {low} to {high}; it is {raw!r}.")
    return int(raw)


bind = os.environ.get("KTTC_BIND", "").strip() or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = _whole("WEB_CONCURRENCY", max(2, os.cpu_count() or 1))
threads = _whole("KTTC_WEB_THREADS", 4)
worker_class = "gthread"
timeout = _whole("KTTC_WEB_TIMEOUT", 30, high=3600)
graceful_timeout = timeout
keepalive = 5  # seconds an idle connection from the proxy stays open
backlog = 2048
# The proxy in front on this machine may say the visitor's scheme (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "kttc-web"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()

_access = os.environ.get("KTTC_ACCESS_LOG", "off").strip().lower()
if _access not in ("off", "json"):
    raise SystemExit(f'KTTC_ACCESS_LOG must be "off" or "json"; it is {_access!r}.')
accesslog = "-" if _access == "json" else None
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_us": %(D)s, '
    '"request_id": "%({x-request-id}o)s"}'
)


def on_starting(server: Any) -> None:
    """Empty the metrics folder: values of a previous run's workers are not this run's."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        return
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()


def post_worker_init(worker: Any) -> None:
    """Before a worker takes its first request, load what Django loads lazily on the first one
    (the URLs with the API's schemas: about 3 s here), the catalog's templates and what a first
    search loads (the word cutters' dictionaries, the search index): seconds that would otherwise
    fall on the first visitors of each worker. KTTC_WEB_WARM=off skips it."""
    if os.environ.get("KTTC_WEB_WARM", "on").strip().lower() == "off":
        return
    try:
        from django.db import connections
        from django.template.loader import get_template
        from django.urls import get_resolver

        from kttc.center.catalog import selectors

        get_resolver().url_patterns  # noqa: B018 (imports every URL module once)
        for name in ("center/catalog.html", "center/detail.html"):
            get_template(name)
        try:
            for params in ({}, {"q": ["技术转移"]}, {"q": ["technology transfer"]}):
                query = selectors.catalog_query(params, language="zh-hans")
                selectors.catalog_search(query)
        finally:
            connections.close_all()
    except Exception:  # a worker that cannot warm up still serves (the first search is slower)
        worker.log.warning("Warming the search engine failed", exc_info=True)


def child_exit(server: Any, worker: Any) -> None:
    """A worker that exits stops counting in /metrics' live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
