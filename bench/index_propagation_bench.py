"""Index propagation: the time from a publish's commit to the result being found by a search on
another web node, beside the time to being found on the node that published it (the baseline),
in the same run, on PostgreSQL.

Two nodes, each with its own search directory, share one database. Node A: this process publishes
N results one after another through the registry's services (its own index follows after each
commit, read-your-writes) and runs a follower (``kttc search follow``); node B: a follower and a
searcher, another process that searches B's index every 2 ms for the result just published, as a
web worker of B would (it sees the follower's commits through the index's ``meta.json``).

    scripts/with-postgres .venv/bin/python bench/index_propagation_bench.py --quick
    .venv/bin/python bench/index_propagation_bench.py --dsn postgres://user@host/db -n 200

Prints p50, p95 and the maximum for both nodes, and B's p95 over A's. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("KTTC_EMBEDDINGS", "off")
os.environ.setdefault("KTTC_ENV", "development")

POLL = 0.002


def _token(n: int) -> str:
    return f"kqzp{n + 1:05d}x"


def searcher(directory: str) -> None:
    """Node B's web worker: for each token read on stdin, search until found, print the time."""
    os.environ["KTTC_SEARCH_DIR"] = directory
    import django

    django.setup()
    from kttc.center import search
    from kttc.center.search.base import SearchQuery

    print("ready", flush=True)
    for line in sys.stdin:
        token = line.strip()
        deadline = time.time() + 60
        seen = "never"
        while time.time() < deadline:
            if search.backend().search(SearchQuery(text=token)).total:
                seen = f"{time.time():.6f}"
                break
            time.sleep(POLL)
        print(f"{token} {seen}", flush=True)


def _create_database(dsn: str) -> None:
    """The database of the DSN, created when the server has none of that name (a throwaway
    cluster of scripts/with-postgres starts with none)."""
    import psycopg
    from psycopg import sql

    base, name = dsn.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as server:
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _setup(dsn: str) -> tuple[Any, Any, Any]:
    os.environ["DATABASE_URL"] = dsn
    _create_database(dsn)
    import django
    from django.core.management import call_command

    django.setup()
    from django.apps import apps
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The tables straight from the models (as the tests' --nomigrations would): a fraction of the
    # time of every migration, and nothing this bench measures depends on them.
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    from kttc.core.models import Membership
    from kttc.core.tests.factories import OrganisationFactory, UserFactory
    from kttc.policy.roles import OrganisationKind, Role

    university = OrganisationFactory(kind=OrganisationKind.UNIVERSITY.value, name="传播测试大学")
    bureau_org = OrganisationFactory(
        kind=OrganisationKind.GOVERNMENT_DEPARTMENT.value, name="传播测试科技局"
    )
    office, bureau = UserFactory(), UserFactory()
    Membership.objects.create(user=office, organisation=university, role=Role.TRANSFER_OFFICE.value)
    Membership.objects.create(user=bureau, organisation=bureau_org, role=Role.BUREAU.value)
    return university, office, bureau


def _submitted(unit: Any, office: Any, count: int) -> list[Any]:
    """``count`` results created and submitted (before the clock runs), each with its token."""
    from kttc.registry import services
    from kttc.registry.tests.factories import achievement_raw
    from kttc.registry.validation import validate_achievement

    found = []
    for n in range(-1, count):
        raw = achievement_raw(name=f"石墨烯导热膜 {_token(n)}", keywords=["材料"], translations=[])
        data = validate_achievement(raw, today=time_today())
        achievement = services.achievement_create(actor=office, unit=unit, data=data)
        found.append(services.achievement_submit(actor=office, achievement=achievement))
    return found


def _publish(bureau: Any, achievement: Any) -> float:
    """Publish a result; returns the moment the publish committed (a hook registered before the
    service's own runs first after the commit)."""
    from django.db import transaction

    from kttc.registry import services

    committed: list[float] = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(time.time()))
        services.achievement_publish(actor=bureau, achievement=achievement)
    return committed[0]


def time_today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _found_on_a(token: str) -> float:
    from kttc.center import search
    from kttc.center.search.base import SearchQuery

    deadline = time.time() + 60
    while time.time() < deadline:
        if search.backend().search(SearchQuery(text=token)).total:
            return time.time()
        time.sleep(POLL)
    raise SystemExit(f"{token} not found on node A")


def _figures(name: str, ms: list[float]) -> tuple[float, str]:
    ms = sorted(ms)
    p95 = ms[max(0, round(len(ms) * 0.95) - 1)]
    return p95, (
        f"{name}: p50 {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dsn", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("-n", type=int, default=100, help="results published (default 100)")
    parser.add_argument("--quick", action="store_true", help="10 results (under a minute)")
    parser.add_argument("--seconds", type=float, default=0.5, help="the followers' poll")
    parser.add_argument("--searcher", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.searcher:
        searcher(args.searcher)
        return
    if not args.dsn.startswith("postgres"):
        sys.exit("A PostgreSQL DATABASE_URL or --dsn is needed (scripts/with-postgres ...).")
    count = 10 if args.quick else args.n
    work = Path(tempfile.mkdtemp(prefix="kttc-propagation-"))
    node_a, node_b = work / "a", work / "b"
    os.environ["KTTC_SEARCH_DIR"] = str(node_a)
    os.environ["KTTC_SEARCH_FOLLOW_SECONDS"] = "0"  # this process publishes; A's follower follows
    env = {**os.environ, "DATABASE_URL": args.dsn, "PYTHONUNBUFFERED": "1"}
    watcher = subprocess.Popen(  # noqa: S603 (this script, this interpreter)
        [sys.executable, __file__, "--searcher", str(node_b)],
        env={**env, "KTTC_SEARCH_DIR": str(node_b)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    unit, office, bureau = _setup(args.dsn)
    results = _submitted(unit, office, count)
    kttc = [sys.executable, "-m", "kttc.cli", "search", "follow", "--seconds", str(args.seconds)]
    processes = [
        subprocess.Popen(  # noqa: S603 (the project's own command)
            kttc, env={**env, "KTTC_SEARCH_DIR": str(d)}, stdout=subprocess.DEVNULL, cwd=ROOT
        )
        for d in (node_a, node_b)
    ]
    assert watcher.stdin is not None and watcher.stdout is not None
    try:
        assert watcher.stdout.readline().strip() == "ready"
        while not all((d / "outbox.cursor").exists() for d in (node_a, node_b)):
            time.sleep(0.05)  # the followers have built their (empty) indexes
        on_a, on_b = [], []
        for n in range(-1, count):  # the first (-1) warms both nodes up: not counted
            time.sleep(random.uniform(0, args.seconds))  # not in step with the polls
            token = _token(n)
            committed = _publish(bureau, results[n + 1])
            watcher.stdin.write(token + "\n")
            watcher.stdin.flush()
            found_a = _found_on_a(token)
            answer, seen = watcher.stdout.readline().split()
            assert answer == token and seen != "never", f"{token} not found on node B"
            if n >= 0:
                on_a.append((found_a - committed) * 1000)
                on_b.append((float(seen) - committed) * 1000)
    finally:
        watcher.terminate()
        for process in processes:
            process.terminate()
        for process in (*processes, watcher):
            process.wait(10)
    base, line_a = _figures("found on node A (the one that published)", on_a)
    p95, line_b = _figures(f"found on node B (follows every {args.seconds:g} s)", on_b)
    print(f"{count} results published on node A, on PostgreSQL")
    print(line_a)
    print(line_b)
    print(f"node B's p95 over node A's: {p95 / max(base, 0.001):.1f}x")


if __name__ == "__main__":
    main()
