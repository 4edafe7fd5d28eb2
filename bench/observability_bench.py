"""Observability benchmark: what the probes, /metrics and the per-request middleware cost.

A fresh SQLite database is migrated in a temporary folder; requests go in-process through
``django.test.Client`` (server time, no network), with the production log format (JSON, written
to a null stream) so the log line's formatting is counted. It prints, each over many requests:
the median and p95 of ``/health/live`` and ``/health/ready`` with the queries each runs, the
median of the home page with and without ``ObservabilityMiddleware`` (its overhead per request)
and the time and size of a ``/metrics`` scrape. Figures are printed, never asserted.

    .venv/bin/python bench/observability_bench.py            # 2,000 probes, 300 pages
    .venv/bin/python bench/observability_bench.py --quick
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOKEN = "b" * 40


def timed(n: int, request: Callable[[], object]) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        request()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests")
    args = parser.parse_args()
    probes, pages = (300, 60) if args.quick else (2000, 300)
    work = Path(tempfile.mkdtemp(prefix="kttc-obs-"))
    os.environ.update(
        KTTC_ENV="test",
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        KTTC_VAR_DIR=str(work),
        KTTC_LOG_FORMAT="json",
        KTTC_METRICS_TOKEN=TOKEN,
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(io.StringIO())  # the JSON lines are formatted, then dropped
    client = Client()
    from kttc.core.observability import health

    with CaptureQueriesContext(connection) as queries:
        health.run_checks()  # the ready probe's checks (the request signals reset the query log)
    counts = {"/health/live": 0, "/health/ready": len(queries)}
    for path in ("/health/live", "/health/ready"):
        assert client.get(path).status_code == 200
        median, p95 = timed(probes, lambda path=path: client.get(path))
        print(f"{path:14} median {median:6.2f} ms  p95 {p95:6.2f} ms  queries {counts[path]}")
    without = [m for m in settings.MIDDLEWARE if "observability" not in m]
    with override_settings(MIDDLEWARE=without):
        bare = Client()
        bare.get("/")
    client.get("/")
    with_samples, bare_samples = [], []
    for _ in range(pages):  # interleaved, so both see the same load on the machine
        with_samples.append(timed(1, lambda: client.get("/"))[0])
        bare_samples.append(timed(1, lambda: bare.get("/"))[0])  # its middleware is loaded
    with_mw, without_mw = statistics.median(with_samples), statistics.median(bare_samples)
    print(
        f"home page     median {with_mw:6.2f} ms with the middleware, {without_mw:6.2f} ms "
        f"without: {with_mw - without_mw:+.2f} ms per request"
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
    body = client.get("/metrics", **auth).content
    median, p95 = timed(max(pages // 3, 20), lambda: client.get("/metrics", **auth))
    print(f"/metrics      median {median:6.2f} ms  p95 {p95:6.2f} ms  {len(body):,} bytes")


if __name__ == "__main__":
    main()
