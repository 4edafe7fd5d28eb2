"""Prometheus metrics (prometheus-client).

Requests are counted by the URL pattern's name (never the raw path: the number of series stays
bounded), the method and the status class; their duration goes to a histogram. The sweep counts
its runs and what each of its parts did; the task queue counts each task's runs by outcome. The
notifications not yet e-mailed and the audit chain's length (M14.1) are read from the database,
and the messages waiting in each queue from the broker, when Prometheus scrapes.

Several worker processes: with ``PROMETHEUS_MULTIPROC_DIR`` set (an empty directory, the same for
every web worker and for ``kttc sweep``, emptied when the service starts), prometheus-client
writes each process's values there and ``/metrics`` adds them up, whichever worker answers.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "kttc_http_requests",
    "Requests answered, by URL pattern name, method and status class.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "kttc_http_request_duration_seconds",
    "Time to answer a request, by URL pattern name and method.",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SWEEP_RUNS = Counter("kttc_sweep_runs", "Runs of `kttc sweep`, by outcome.", ["outcome"])
SWEEP_ITEMS = Counter(
    "kttc_sweep_items",
    "What each part of `kttc sweep` did (reminders, notices, e-mails ...), by part and count.",
    ["part", "count"],
)

TASKS = Counter(
    "kttc_tasks",
    "Background tasks run, by task name and outcome (succeeded, retried, failed).",
    ["task", "outcome"],
)


def observe_task(name: str, outcome: str) -> None:
    TASKS.labels(name, outcome).inc()


SEARCH_LAG = Gauge(
    "kttc_search_index_lag",
    "Outbox rows this node's search index had not applied when it last looked (README "
    '"Search on every node").',
    multiprocess_mode="mostrecent",
)


def observe_search_lag(rows: int) -> None:
    SEARCH_LAG.set(rows)


def observe_request(view: str, method: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    REQUESTS.labels(view, method, f"{status // 100}xx").inc()
    LATENCY.labels(view, method).observe(seconds)


def observe_sweep_part(part: str, counts: dict[str, int]) -> None:
    for name, value in counts.items():
        SWEEP_ITEMS.labels(part, name).inc(value)


def observe_sweep_run(ok: bool) -> None:
    SWEEP_RUNS.labels("ok" if ok else "failed").inc()


class DatabaseCollector(Collector):
    """Gauges read at scrape time: notifications not yet e-mailed, audit entries written."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Max

        from kttc.core.models import AuditEntry, Notification

        unsent = Notification.objects.filter(emailed_at__isnull=True).count()
        yield GaugeMetricFamily(
            "kttc_notifications_unsent",
            "Notifications not yet e-mailed (the next sweep or daily digest sends them).",
            value=unsent,
        )
        last = AuditEntry.objects.aggregate(last=Max("seq"))["last"] or 0
        yield GaugeMetricFamily(
            "kttc_audit_entries", "Entries written to the audit chain (M14.1).", value=last
        )


class QueueCollector(Collector):
    """The messages waiting in each queue of the broker (Redis LLEN), read at scrape time;
    nothing without a broker, and a gauge of -1 when it does not answer."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from kttc.core import tasks

        if not tasks.broker_configured():
            return
        family = GaugeMetricFamily(
            "kttc_queue_depth",
            "Messages waiting in the task queue, by queue (-1: the broker did not answer).",
            labels=["queue"],
        )
        try:
            depths = tasks.queue_depths()
        except Exception:
            depths = dict.fromkeys(tasks.QUEUES, -1)
        for queue, depth in depths.items():
            family.add_metric([queue], depth)
        yield family


def exposition() -> bytes:
    """The metrics in Prometheus text format: this process's, or every process's in multiprocess
    mode, then the database's gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    database = CollectorRegistry()
    database.register(DatabaseCollector())
    database.register(QueueCollector())
    return generate_latest(registry) + generate_latest(database)


def authorised(request: HttpRequest) -> bool:
    """Whether the request carries ``Authorization: Bearer <KTTC_METRICS_TOKEN>`` (compared in
    constant time); never with no token set."""
    token = getattr(settings, "KTTC_METRICS_TOKEN", "") or ""
    if not token:
        return False
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def metrics_view(request: HttpRequest) -> HttpResponse:
    """``/metrics``: the site's plain 404 unless the token is set and given, so that a probe of
    the routes learns nothing."""
    if not authorised(request):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
