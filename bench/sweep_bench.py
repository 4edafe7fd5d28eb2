"""Sweep benchmark: ``kttc sweep`` over a million results whose due dates (M8.6) lie around today,
on the embedded default (SQLite), without DEBUG. Figures are printed, never asserted.

The results are loaded with a raw bulk insert (``rawload.raw_insert``): three in five drafts,
one in five submitted, one in five published (their IP, granted over past years, puts the
untransformed ones on the open licensing list, M4.4), every one with a due date spread evenly
over a year either side of today, in ``--units`` units that each have a transfer office (one
person), plus a bureau. Then it times three runs of ``kttc sweep`` as a separate process, as
cron would start it:

1. the first run, which meets the whole backlog: every draft already overdue gets its overdue
   notice, every draft due within the reminder window its reminder, and each person one e-mail;
2. the same run again, which must find nothing (it checks that no notification was added);
3. the next day's run (``--today`` tomorrow), the daily work of a platform in service.

    .venv/bin/python bench/sweep_bench.py                          # 1,000,000 results
    .venv/bin/python bench/sweep_bench.py --size 100000            # a quick look
    .venv/bin/python bench/sweep_bench.py --workdir /tmp/ks        # keep the data; then
    .venv/bin/python bench/sweep_bench.py --workdir /tmp/ks --reuse   # measure again

Besides the results, ``--licences`` (100,000) "use first, pay later" licences are loaded
(``licence_load``): three instalments each, due dates spread over the same two years, two in
three with the first instalment paid; the sweep reminds of those due soon and tells of those
overdue and not covered by the payments (M3.2, M3.3).

Target (issue 4): the sweep over 1M results and 100k licences in under 10 seconds.

``--broker`` runs the same three sweeps with the task queue: a throwaway ``redis-server`` as the
broker and one ``kttc worker`` (one process: SQLite has one writer). ``kttc sweep`` then queues
each part and returns; the worker runs the parts one after the other, then the mail, and the
statistics' refresh (M13.3) as a task of its own. It prints the command's time, the worker's
time for the parts and the mail (from the queueing to the last of them), and the refresh apart.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for entry in (str(ROOT), str(ROOT / "bench")):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from generate import Generator  # noqa: E402

from kttc.core.tasks.redis_server import RedisServer  # noqa: E402

SPREAD_DAYS = 365  # due dates from a year ago to a year ahead
SUBMITTED_EVERY = 5  # one chunk in five is submitted (not chased), one published, the rest drafts
CHUNK = 10_000
KTTC = Path(sys.executable).parent / "kttc"  # the command of the running environment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--units", type=int, default=200, help="units, each with an office")
    parser.add_argument("--licences", type=int, default=100_000, help="licences to load")
    parser.add_argument("--workdir", type=Path, help="where the data goes (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    parser.add_argument("--reuse", action="store_true", help="reuse the data in --workdir")
    parser.add_argument("--broker", action="store_true", help="sweep through the task queue")
    args = parser.parse_args()
    scratch = None if args.workdir else Path(tempfile.mkdtemp(prefix="kttc-sweep-bench-"))
    try:
        name = f"sweep-n{args.size}-l{args.licences}-u{args.units}-s{args.seed}"
        run(args, (args.workdir or scratch) / name)
    finally:
        if scratch is not None and not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


class Queue:
    """A throwaway redis-server and one ``kttc worker`` logging each task's run to a file."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.redis = RedisServer().start()
        env["KTTC_BROKER_URL"] = self.redis.url
        self.log = workdir / "worker.log"
        self.log.unlink(missing_ok=True)
        self.output = self.log.open("w")
        self.worker = subprocess.Popen(  # noqa: S603
            [str(KTTC), "worker", "--concurrency", "1"],
            env={**env, "LOG_LEVEL": "INFO", "KTTC_LOG_FORMAT": "text"},  # each task's run
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )
        time.sleep(3)

    def count(self, task: str, what: str = "received") -> int:
        text = self.log.read_text(errors="replace")
        return len(re.findall(re.escape(task) + r"\[[^\]]+\] " + what, text))

    def wait(self, task: str, count: int) -> list[float]:
        """Wait until ``task`` has succeeded ``count`` times in all; the seconds of each run."""
        pattern = re.compile(re.escape(task) + r"\[[^\]]+\] succeeded in ([\d.]+)s")
        while True:
            text = self.log.read_text(errors="replace") if self.log.exists() else ""
            runs = [float(m) for m in pattern.findall(text)]
            if len(runs) >= count:
                return runs
            if self.worker.poll() is not None:
                raise SystemExit("the worker stopped; see " + str(self.log))
            time.sleep(0.05)

    def close(self) -> None:
        self.worker.terminate()
        self.worker.wait(60)
        self.redis.stop()
        self.output.close()


def _environment(workdir: Path) -> dict[str, str]:
    """Development profile without DEBUG (no query log), e-mails kept in memory."""
    return {
        **os.environ,
        "KTTC_ENV": "development",
        "DEBUG": "false",
        "KTTC_VAR_DIR": str(workdir / "var"),
        "DATABASE_URL": f"sqlite:///{workdir / 'kttc.sqlite3'}",
        "KTTC_SEARCH_DIR": str(workdir / "search"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def run(args: argparse.Namespace, workdir: Path) -> None:
    reuse = args.reuse and (workdir / "done").exists()
    if not reuse and workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "var").mkdir(parents=True, exist_ok=True)
    env = _environment(workdir)
    os.environ.update(env)
    import django

    django.setup()
    print(
        f"KTTC sweep benchmark: {args.size:,} results, {args.licences:,} licences, "
        f"{args.units} units, {os.cpu_count()} CPUs"
    )
    print(f"work dir {workdir}")
    today = date.fromisoformat((workdir / "done").read_text()) if reuse else _today()
    if reuse:
        print(f"load: reusing the database (due dates around {today})")
    else:
        load(args, today)
        (workdir / "done").write_text(today.isoformat())
    print(f"database {(workdir / 'kttc.sqlite3').stat().st_size / 1e9:.2f} GB")
    _reset()
    _describe(today)
    queue = Queue(workdir, env) if args.broker else None
    try:
        first, _added = _sweep(env, today, "first run (the whole backlog)", queue)
        second, again = _sweep(env, today, "second run, same day (must do nothing)", queue)
        print("  nothing notified twice: " + ("yes" if again == 0 else f"NO, {again:,} more"))
        third, _added = _sweep(
            env, today + timedelta(days=1), "next day's run (the daily work)", queue
        )
    finally:
        if queue is not None:
            queue.close()
    _parts()
    print(
        f"summary: first {first:.2f} s, second {second:.2f} s, next day {third:.2f} s "
        "(wall time of `kttc sweep`, process start included); target < 10 s"
    )


def _today() -> date:
    from kttc.policy.calendar import today_in_shanghai

    return today_in_shanghai()


# --- loading -------------------------------------------------------------------------------


def _chunks(generator: Generator, size: int) -> Iterator[list[Any]]:
    done = 0
    while done < size:
        count = min(CHUNK, size - done)
        yield list(generator.records(count, start=done + 1))
        done += count


def load(args: argparse.Namespace, today: date) -> None:
    from django.core.management import call_command
    from rawload import create_units, raw_insert

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - start:.1f} s")
    generator = Generator(args.seed)
    unit_ids = create_units(generator.units[: args.units])
    _people(unit_ids)

    def due(pk: int) -> date:
        # Spread evenly (7919 is prime) over SPREAD_DAYS either side of today.
        return today + timedelta(days=(pk * 7919) % (2 * SPREAD_DAYS + 1) - SPREAD_DAYS)

    counts: dict[str, int] = {}
    inserting = 0.0
    for number, chunk in enumerate(_chunks(generator, args.size)):
        status = {SUBMITTED_EVERY - 1: "submitted", SUBMITTED_EVERY - 2: "published"}.get(
            number % SUBMITTED_EVERY, "draft"
        )
        started = time.perf_counter()
        raw_insert(chunk, unit_ids, status=status, counts=counts, due=due)
        inserting += time.perf_counter() - started
        print(f"\r  inserted {counts['registry_achievement']:,}", end="", flush=True)
    print(
        f"\rraw bulk insert: {args.size:,} results in {inserting:.1f} s "
        f"({args.size / inserting:,.0f} results/s, with their children)"
    )
    _grant_dates(today)
    if args.licences:
        from licence_load import load_licences

        load_licences(args.licences, today)


def _grant_dates(today: date) -> None:
    """The granted IP rights get grant dates spread evenly over the last ten years, so about
    half of the published results are old enough for open licensing (M4.4)."""
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_ipright SET grant_date = date(%s, '-' || ((id * 7919) % 3650) || "
            "' days') WHERE status = 'granted'",
            [today.isoformat()],
        )
        dated = cursor.rowcount
    print(f"grant dates for {dated:,} granted IP rights in {time.perf_counter() - start:.1f} s")


def _people(unit_ids: list[int]) -> None:
    """One transfer-office person per unit, and the bureau (organisation and person)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from kttc.core.models import Membership, Organisation, User
    from kttc.policy.identifiers import make_uscc, organisation_code_check_char

    password = make_password(None)  # unusable: nobody signs in to a benchmark
    with transaction.atomic():
        bureau = Organisation.objects.create(
            name="昆明市科学技术局（基准）",
            kind="government_department",
            is_municipal=True,
            credit_code=make_uscc(
                "11530100" + "BB000001" + organisation_code_check_char("BB000001")
            ),
        )
        people = User.objects.bulk_create(
            User(email=f"office{pk}@bench.kttc.example", full_name=f"转化办{pk}", password=password)
            for pk in [*unit_ids, 0]
        )
        organisations = [*unit_ids, bureau.pk]
        roles = ["transfer_office"] * len(unit_ids) + ["bureau"]
        Membership.objects.bulk_create(
            Membership(user=person, organisation_id=org, role=role)
            for person, org, role in zip(people, organisations, roles, strict=True)
        )


# --- measuring -----------------------------------------------------------------------------


def _reset() -> None:
    """Back to "never swept": no claim on any result, no notification (not timed)."""
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_achievement SET due_reminded_at = NULL, overdue_notified_at = NULL "
            "WHERE due_reminded_at IS NOT NULL OR overdue_notified_at IS NOT NULL"
        )
        cursor.execute(
            "UPDATE reform_licenceinstalment SET reminded_at = NULL, overdue_notified_at = NULL "
            "WHERE reminded_at IS NOT NULL OR overdue_notified_at IS NOT NULL"
        )
        cursor.execute("DELETE FROM reform_openlicensingentry")
        cursor.execute("DELETE FROM reform_licenceoffer WHERE open_licensing")
        cursor.execute("DELETE FROM core_notification")
    print(f"reset to never swept in {time.perf_counter() - start:.1f} s (not timed)")


def _describe(today: date) -> None:
    from django.conf import settings
    from django.db.models import Count, Q

    from kttc.registry.models import Achievement

    window = today + timedelta(days=settings.KTTC_DUE_REMINDER_DAYS)
    pending = Q(status__in=("draft", "returned"))
    figures = Achievement.objects.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=pending & Q(submission_due__lt=today)),
        soon=Count("pk", filter=pending & Q(submission_due__gte=today, submission_due__lte=window)),
        submitted=Count("pk", filter=Q(status="submitted")),
        published=Count("pk", filter=Q(status="published")),
    )
    print(
        f"results {figures['total']:,}: drafts overdue on {today} {figures['overdue']:,}, "
        f"drafts due within {settings.KTTC_DUE_REMINDER_DAYS} days {figures['soon']:,}, "
        f"submitted (not chased) {figures['submitted']:,}, published {figures['published']:,}"
    )
    from kttc.reform.models import Licence, LicenceInstalment

    instalments = LicenceInstalment.objects.aggregate(
        total=Count("pk"),
        past=Count("pk", filter=Q(due__lt=today)),
        soon=Count("pk", filter=Q(due__gte=today, due__lte=window)),
    )
    print(
        f"licences {Licence.objects.count():,}: instalments {instalments['total']:,}, "
        f"of which past due {instalments['past']:,} (paid or not), "
        f"due within {settings.KTTC_DUE_REMINDER_DAYS} days {instalments['soon']:,}"
    )


def _notifications() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_notification")
        return int(cursor.fetchone()[0])


PARTS = ("registry", "reform", "center", "oversight")  # the apps with a sweep module
SWEEPS = {"count": 0, "refreshes": 0}  # what the worker has run so far


def _sweep(
    env: dict[str, str], today: date, label: str, queue: Queue | None = None
) -> tuple[float, int]:
    before = _notifications()
    command = [str(KTTC), "sweep", "--today", today.isoformat()]
    start = time.perf_counter()
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout  # noqa: S603
    seconds = time.perf_counter() - start
    inside = re.search(r"Done in ([\d.]+) s", output)
    print(f"{label}: {seconds:.2f} s ({inside.group(1) if inside else '?'} s inside the command)")
    for line in output.splitlines()[1:-1]:
        print(f"  {line.strip()}")
    if queue is not None:
        SWEEPS["count"] += 1
        queue.wait("kttc.sweep.finish", SWEEPS["count"])
        worker = time.perf_counter() - start
        parts = queue.wait("kttc.sweep.part", SWEEPS["count"] * len(PARTS))[-len(PARTS) :]
        print(
            f"  on the worker: the parts and the mail done {worker:.2f} s after the start "
            f"(the parts' own times: {' + '.join(f'{p:.2f}' for p in parts)} s)"
        )
        refreshes = queue.count("kttc.oversight.statistics_refresh")
        if refreshes > SWEEPS["refreshes"]:
            SWEEPS["refreshes"] = refreshes
            refresh = queue.wait("kttc.oversight.statistics_refresh", refreshes)[-1]
            print(f"  statistics refresh (M13.3), a task of its own: {refresh:.2f} s")
    added = _notifications() - before
    print(f"  notifications added: {added:,}")
    return seconds, added


def _parts() -> None:
    from kttc.core.parts import part_modules

    print(f"parts swept: {', '.join(label for label, _module in part_modules('sweep'))}")


if __name__ == "__main__":
    main()
