"""Queue import benchmark: results imported from the upload page's jobs by a worker of the task
queue (``kttc worker``, Redis as the broker) on PostgreSQL, beside a raw bulk insert of the same
rows into a database of its own, in the same run. Figures are printed, never asserted.

Run it under a PostgreSQL server (``scripts/with-postgres`` starts a throwaway one) on a machine
with ``redis-server``:

    scripts/with-postgres .venv/bin/python bench/queue_import_bench.py              # 1,000,000 rows
    scripts/with-postgres .venv/bin/python bench/queue_import_bench.py --quick      # 20,000 rows
    scripts/with-postgres .venv/bin/python bench/queue_import_bench.py --rows 200000

The rows come from ``generate.py`` as ``import_bench.py`` makes them, written as CSV files of
``--file-rows`` rows (an upload is at most 20 MB and 50,000 rows). Each file is read and kept as
an import job exactly as the upload page does (``kttc.registry.importing.jobs.create``); then
every job is queued as the page's "Check and import" does and the worker (``--concurrency``
processes) checks and stores each file in one transaction with its events, audit entries and
progress. The time measured runs from the first job queued to the last one done. The baseline is
``rawload.raw_insert`` of the same records (no validation, events, audit or progress).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
for entry in (str(ROOT), str(ROOT / "bench")):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from generate import Generator  # noqa: E402
from import_bench import write_csv  # noqa: E402

from kttc.core.tasks.redis_server import RedisServer  # noqa: E402

KTTC = Path(sys.executable).parent / "kttc"  # the command of the running environment


def _database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


def _create_database(name: str) -> None:
    import psycopg

    with psycopg.connect(_database_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _environment(workdir: Path, database: str, broker: str) -> dict[str, str]:
    return {
        **os.environ,
        "KTTC_ENV": "production",  # no query log (DEBUG off), as the platform runs
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 60),
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": _database_url(database),
        "KTTC_BROKER_URL": broker,
        "KTTC_VAR_DIR": str(workdir / "var"),
        "KTTC_SEARCH_DIR": str(workdir / "search"),
        "KTTC_EMBEDDINGS": "off",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="20,000 rows")
    parser.add_argument("--file-rows", type=int, default=10_000, help="rows per uploaded file")
    parser.add_argument("--concurrency", type=int, default=2, help="the worker's processes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="where the files go (default: a temp dir)")
    parser.add_argument("--baseline-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.rows = 20_000
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Run under PostgreSQL: scripts/with-postgres .venv/bin/python " + __file__)
    if args.baseline_only:
        _run_baseline(args)
        return
    if shutil.which("redis-server") is None:
        raise SystemExit("No redis-server on this machine (apt-get install redis-server).")
    scratch = None if args.workdir else Path(tempfile.mkdtemp(prefix="kttc-queue-bench-"))
    workdir = args.workdir or scratch
    assert workdir is not None
    workdir.mkdir(parents=True, exist_ok=True)
    redis = RedisServer().start()
    try:
        run(args, workdir, redis.url)
    finally:
        redis.stop()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace, workdir: Path, broker: str) -> None:
    print(
        f"KTTC queue import benchmark: {args.rows:,} rows in files of {args.file_rows:,}, "
        f"worker concurrency {args.concurrency}, {os.cpu_count()} CPUs, PostgreSQL, Redis"
    )
    _create_database("kttc_queue")
    env = _environment(workdir, "kttc_queue", broker)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from import_bench import _people

    actor, unit = _people()

    from django.db.models import Count

    from kttc.core.models import Job
    from kttc.registry import importing
    from kttc.registry.importing import jobs

    # The uploads: each file read and kept as a job, as the upload page does.
    start = time.perf_counter()
    records = Generator(args.seed).records(args.rows)
    created: list[Job] = []
    files = workdir / "files"
    files.mkdir(exist_ok=True)
    remaining = args.rows
    while remaining > 0:
        size = min(args.file_rows, remaining)
        path = files / f"part{len(created):04d}.csv"
        write_csv(path, (next(records) for _ in range(size)), with_project=False)
        table = importing.read_rows(path.read_bytes(), path.name)
        created.append(jobs.create(user=actor, unit=unit, filename=path.name, table=table))
        path.unlink()
        remaining -= size
    seconds = time.perf_counter() - start
    print(f"uploads: {len(created)} files read and kept as jobs in {seconds:.1f} s")

    worker = subprocess.Popen(  # noqa: S603
        [str(KTTC), "worker", "--concurrency", str(args.concurrency), "--loglevel", "WARNING"],
        env=env,
    )
    try:
        time.sleep(3)  # the worker connects to the broker
        start = time.perf_counter()
        for job in created:
            jobs.queue(job)  # the page's "Check and import"
        ids = [job.pk for job in created]
        last = ""
        while True:
            states = dict(
                Job.objects.filter(pk__in=ids).values_list("state").annotate(n=Count("pk"))
            )
            done = states.get("done", 0) + states.get("failed", 0)
            report = f"  {done}/{len(ids)} files done after {time.perf_counter() - start:.0f} s"
            if report != last and int(time.perf_counter() - start) % 30 == 0:
                print(report, flush=True)
                last = report
            if done == len(ids):
                break
            if worker.poll() is not None:
                raise SystemExit("the worker stopped")
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(60)
    failed = Job.objects.filter(pk__in=ids, state="failed")
    for job in failed[:3]:
        print("  refused:", job.outcome.get("problems", [])[:3])
    if failed.exists():
        raise SystemExit("some files were refused")
    from kttc.registry.models import Achievement

    stored = Achievement.objects.count()
    rate = stored / elapsed
    print(f"through the queue: {stored:,} rows stored, {rate:,.0f} rows/s ({elapsed:.1f} s)")
    baseline = _baseline(args, workdir)
    print(
        f"raw bulk insert of the same records (bench/rawload.py, no validation, events, audit "
        f"or progress): {args.rows / baseline:,.0f} rows/s ({baseline:.1f} s)"
    )
    print(f"queue import / raw insert: {elapsed / baseline:.1f}x the time, "
          f"{100 * baseline / elapsed:.0f} % of the raw rate")  # fmt: skip


def _baseline(args: argparse.Namespace, workdir: Path) -> float:
    """The raw insert into a fresh database, in a child process (one Django database each)."""
    command = [sys.executable, __file__, "--baseline-only", "--rows", str(args.rows),
               "--seed", str(args.seed), "--workdir", str(workdir)]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return float(output.strip().splitlines()[-1])


def _run_baseline(args: argparse.Namespace) -> None:
    _create_database("kttc_raw")
    os.environ.update(_environment(args.workdir, "kttc_raw", ""))
    import django

    django.setup()
    from django.core.management import call_command
    from rawload import create_units, raw_insert

    call_command("migrate", verbosity=0)
    generator = Generator(args.seed)
    units = create_units(generator.units[:1])
    records = list(generator.records(args.rows))
    start = time.perf_counter()
    raw_insert(records, units, status="draft")
    print(time.perf_counter() - start)


if __name__ == "__main__":
    main()
