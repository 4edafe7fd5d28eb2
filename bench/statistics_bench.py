"""Statistics benchmark (M13.3): the bureau's dashboard and the public statistics page over a
million results on the embedded default (SQLite), without DEBUG. Figures are printed, never
asserted.

It loads ``--size`` results with a raw bulk insert (``executemany``, no children: the statistics
read the results' own columns), spread over three years, 200 units, twenty industries and thirty
fields, half published, one in ten restricted, a due date (M8.6) on each; then, in proportion,
"use first, pay later" licences (one per 50 results, ``licence_load``), technology contracts
(one per 50, one in five with a party abroad), open licensing entries (one per 100), demands
(one per 100, from six countries) and their matches (two per demand). It times:

1. ``statistics_refresh`` (what ``kttc statistics refresh`` and the daily sweep run), twice;
2. each dashboard request of the bureau, by each breakdown of three measures, and a page of
   drill-down rows;
3. the public page by each breakdown;

beside a bare Django view (an ``HttpResponse`` through the same middleware) requested by the same
client in the same run, printed as p50, worst and the ratio of the p50 to the bare view's.

    .venv/bin/python bench/statistics_bench.py                    # 1,000,000 results
    .venv/bin/python bench/statistics_bench.py --quick            # 50,000: a quick look
    .venv/bin/python bench/statistics_bench.py --workdir /tmp/kst # keep the data; then
    .venv/bin/python bench/statistics_bench.py --workdir /tmp/kst --reuse   # measure again

Target (issue 16): each dashboard request under 200 ms at 1M results.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for entry in (str(ROOT), str(ROOT / "bench")):
    if entry not in sys.path:
        sys.path.insert(0, entry)

CHUNK = 20_000
UNITS = 200
INDUSTRIES = ("A01", "B06", "C13", "C26", "C27", "C35", "C39", "C40", "D44", "E47", "F51", "G53",
              "I63", "I65", "M73", "M74", "N77", "O80", "Q84", "R86")  # fmt: skip
FIELDS = tuple(str(code) for code in range(110, 910, 27))[:30]
COUNTRIES = ("CN", "CN", "LA", "VN", "TH", "MM", "KH")
MONTHS = 36
REPEAT = 15


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="50,000 results")
    parser.add_argument("--workdir", type=Path, help="where the data goes (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="reuse the data in --workdir")
    args = parser.parse_args()
    if args.quick:
        args.size = 50_000
    scratch = None if args.workdir else Path(tempfile.mkdtemp(prefix="kttc-stat-bench-"))
    try:
        run(args, (args.workdir or scratch) / f"statistics-n{args.size}")
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _environment(workdir: Path) -> dict[str, str]:
    """Development profile without DEBUG (no query log)."""
    return {
        "KTTC_ENV": "development",
        "DEBUG": "false",
        "KTTC_VAR_DIR": str(workdir / "var"),
        "DATABASE_URL": f"sqlite:///{workdir / 'kttc.sqlite3'}",
        "KTTC_SEARCH_DIR": str(workdir / "search"),
        "KTTC_EMBEDDINGS": "off",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def run(args: argparse.Namespace, workdir: Path) -> None:
    reuse = args.reuse and (workdir / "done").exists()
    if not reuse and workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "var").mkdir(parents=True, exist_ok=True)
    os.environ.update(_environment(workdir))
    import django

    django.setup()
    print(f"KTTC statistics benchmark: {args.size:,} results, {os.cpu_count()} CPUs")
    today = date(2026, 12, 1)
    if reuse:
        print(f"load: reusing {workdir}")
    else:
        load(args.size, today)
        (workdir / "done").write_text("ok")
    print(f"database {(workdir / 'kttc.sqlite3').stat().st_size / 1e9:.2f} GB")
    refresh(today)
    measure()


# --- loading -------------------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S}"


def _achievement_row(pk: int, unit_id: int, start: datetime) -> tuple[Any, ...]:
    created = start + timedelta(days=(pk * 7919) % (MONTHS * 30), hours=pk % 9)
    due = (created + timedelta(days=90)).date()
    kind = pk % 10
    status = "published" if kind < 5 else "submitted" if kind < 7 else "draft"
    submitted = created + timedelta(days=(pk * 31) % 120) if status != "draft" else None
    published = submitted + timedelta(days=7) if status == "published" and submitted else None
    return (
        pk, f"基准成果{pk}", "applied", "original", "[]", "摘要", FIELDS[pk % len(FIELDS)] + "10",
        INDUSTRIES[(pk * 7) % len(INDUSTRIES)], 5, "middle", "not_evaluated",
        created.date().isoformat(), "restricted" if pk % 10 == 3 else "public", False, "[]",
        False, "", "", "", "", "zh-hans", status, due.isoformat(),
        _stamp(submitted) if submitted else None, _stamp(published) if published else None,
        "", "", _stamp(created), _stamp(created), unit_id, None,
    )  # fmt: skip


def _units() -> list[int]:
    from django.contrib.auth.hashers import make_password

    from kttc.core.models import Membership, Organisation, User
    from kttc.policy.identifiers import make_uscc, organisation_code_check_char

    def code(n: int) -> str:
        body = f"BU{n:06d}"
        return make_uscc(f"12530100{body}{organisation_code_check_char(body)}")

    units = Organisation.objects.bulk_create(
        Organisation(name=f"基准单位{n}", kind="university", credit_code=code(n),
                     verified_at=datetime.now(UTC))
        for n in range(1, UNITS + 1)
    )  # fmt: skip
    bureau = Organisation.objects.create(
        name="基准科技局", kind="government_department", credit_code=code(UNITS + 1),
        verified_at=datetime.now(UTC),
    )  # fmt: skip
    person = User.objects.create(
        email="bureau@bench.kttc.example", full_name="科技局", password=make_password(None)
    )
    Membership.objects.create(user=person, organisation=bureau, role="bureau")
    return [u.pk for u in units]


def _insert_results(size: int, unit_ids: list[int]) -> None:
    from django.db import connection, transaction
    from rawload import ACHIEVEMENT_COLUMNS, _insert_sql

    sql = _insert_sql("registry_achievement", ACHIEVEMENT_COLUMNS)
    start = datetime(2024, 1, 1, 2, tzinfo=UTC)
    began = time.perf_counter()
    for first in range(1, size + 1, CHUNK):
        rows = [
            _achievement_row(pk, unit_ids[pk % len(unit_ids)], start)
            for pk in range(first, min(first + CHUNK, size + 1))
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        print(f"\r  results {first + len(rows) - 1:,}", end="", flush=True)
    seconds = time.perf_counter() - began
    print(f"\rresults: {size:,} in {seconds:.1f} s ({size / seconds:,.0f}/s)")


def _others(size: int, today: date) -> None:
    from django.db import transaction

    from kttc.benefits.models import TechnologyContract
    from kttc.center.models import Demand, DemandMatch
    from kttc.core.models import Organisation, User
    from kttc.reform.models import OpenLicensingEntry
    from kttc.registry.models import Achievement

    began = time.perf_counter()
    actor = User.objects.get(email="bureau@bench.kttc.example")
    firm = Organisation.objects.filter(kind="enterprise").first()
    published = list(
        Achievement.objects.filter(status="published").order_by("pk").values_list("pk", "unit_id")
    )
    with transaction.atomic():
        contracts = TechnologyContract.objects.bulk_create(
            (TechnologyContract(
                unit_id=unit, kind=("transfer", "licence", "development")[n % 3],
                title=f"基准合同{n}", counterparty="基准企业", achievement_id=pk,
                counterparty_country=COUNTRIES[n % len(COUNTRIES)] if n % 5 == 0 else "CN",
                signed_on=today - timedelta(days=(n * 37) % (MONTHS * 30)),
                amount=100_000 + (n * 997) % 900_000, created_by=actor,
                disclosed=["amount"] if n % 2 else [],
            ) for n, (pk, unit) in enumerate(published[: size // 50])),
            batch_size=5000,
        )  # fmt: skip
        listed = OpenLicensingEntry.objects.bulk_create(
            (OpenLicensingEntry(
                achievement_id=pk, unit_id=unit, ip_obtained_on=date(2019, 1, 1),
                listed_on=today - timedelta(days=(n * 13) % 700),
            ) for n, (pk, unit) in enumerate(published[-(size // 100):])),
            batch_size=5000,
        )  # fmt: skip
        demands = Demand.objects.bulk_create(
            (Demand(
                organisation=firm, author=actor, title=f"基准需求{n}", description="需求",
                industry=INDUSTRIES[n % len(INDUSTRIES)], discipline=FIELDS[n % len(FIELDS)],
                deadline=today + timedelta(days=90), country=COUNTRIES[n % len(COUNTRIES)],
                status="published",
                published_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=n % 1000),
            ) for n in range(size // 100)),
            batch_size=5000,
        )  # fmt: skip
        matches = DemandMatch.objects.bulk_create(
            (DemandMatch(demand=d, achievement_id=published[(n * 2 + r) % len(published)][0],
                         rank=r + 1)
             for n, d in enumerate(demands) for r in range(2)),
            batch_size=5000,
        )  # fmt: skip
    print(
        f"contracts {len(contracts):,}, open licensing {len(listed):,}, demands "
        f"{len(demands):,}, matches {len(matches):,} in {time.perf_counter() - began:.1f} s"
    )


def load(size: int, today: date) -> None:
    from django.core.management import call_command
    from licence_load import load_licences

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - start:.1f} s")
    unit_ids = _units()
    _insert_results(size, unit_ids)
    load_licences(size // 50, today, enterprises=100)
    _others(size, today)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- measuring -----------------------------------------------------------------------------


def refresh(today: date) -> None:
    from kttc.oversight.statistics import services

    for label in ("refresh", "refresh again (same data)"):
        began = time.perf_counter()
        done = services.statistics_refresh(today=today)
        print(f"{label}: {time.perf_counter() - began:.1f} s, {done.rows:,} summary rows")


def _bare_urls() -> str:
    """A URLconf with the platform's URLs and one bare view (the baseline)."""
    from django.http import HttpRequest, HttpResponse
    from django.urls import include, path

    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    module = types.ModuleType("statistics_bench_urls")
    module.urlpatterns = [path("bench-bare/", bare), path("", include("config.urls"))]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    return module.__name__


def _timed(get: Callable[[], Any]) -> list[float]:
    from django.db import connection

    began = time.perf_counter()
    get()  # the first: it draws the chart and its table, kept until the next refresh
    times = [(time.perf_counter() - began) * 1000]
    for _ in range(REPEAT):
        began = time.perf_counter()
        response = get()
        times.append((time.perf_counter() - began) * 1000)
        connection.close()
        assert response.status_code == 200, response.status_code
    return times


def measure() -> None:
    from django.test import Client, override_settings

    from kttc.core.models import User
    from kttc.oversight.statistics import measures
    from kttc.oversight.statistics.models import StatisticsFigure

    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(User.objects.get(email="bureau@bench.kttc.example"))
    rows: list[tuple[str, list[float]]] = []
    with override_settings(ROOT_URLCONF=_bare_urls(), ALLOWED_HOSTS=["testserver"]):
        bare = _timed(lambda: client.get("/bench-bare/"))
        for key in ("results_registered", "transfers", "demands"):
            for by in measures.BY_KEY[key].breakdowns:
                url = f"/office/statistics/?measure={key}&by={by}"
                rows.append((f"dashboard {key} by {by}", _timed(lambda u=url: client.get(u))))
        figure = (
            StatisticsFigure.objects.filter(measure="results_registered", breakdown="industry")
            .order_by("-count")
            .first()
        )
        assert figure is not None
        for page in (1, 50):
            url = (
                "/office/statistics/rows/?measure=results_registered&by=industry"
                f"&key={figure.key}&page={page}"
            )
            rows.append((f"drill-down rows, page {page}", _timed(lambda u=url: client.get(u))))
        url = "/office/statistics/export.xlsx?measure=results_registered&by=unit"
        rows.append(("xlsx of a table (by unit)", _timed(lambda: client.get(url))))
        for by in measures.PUBLIC_BREAKDOWNS:
            rows.append(
                (f"public page by {by}", _timed(lambda b=by: client.get(f"/statistics/?by={b}")))
            )
    base = statistics.median(bare[1:])
    print("\n  first: the first request after the refresh (it draws the chart); p50 and worst of")
    print(f"  the {REPEAT} after it")
    print(f"  {'request':<44} {'first':>7} {'p50 ms':>8} {'worst':>8} {'p50/bare':>9}")
    print(f"  {'bare Django view (baseline)':<44} {bare[0]:7.1f} {base:8.1f} {max(bare[1:]):8.1f}")
    for label, times in rows:
        p50 = statistics.median(times[1:])
        print(f"  {label:<44} {times[0]:7.1f} {p50:8.1f} {max(times[1:]):8.1f} {p50 / base:8.1f}x")
    worst = max(max(t) for label, t in rows if label.startswith("dashboard"))
    print(f"\nworst dashboard request, the first included: {worst:.1f} ms (target < 200 ms)")


if __name__ == "__main__":
    main()
