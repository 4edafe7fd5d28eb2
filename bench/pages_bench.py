"""Page benchmark: server time of the public catalog's list and detail pages over synthetic
published records, on the embedded default database (SQLite) and the platform's search index.

Records from ``generate.py`` are put into a freshly migrated SQLite database by a raw bulk insert
(``rawload.raw_insert``: one transaction per 10,000 records, published and public, spread over a
hundred-odd verified organisations), then the search index is built by the platform's own
``kttc search rebuild``. Pages are requested in-process through ``django.test.Client``, so the
figures are server time (middleware, views, queries, search, templates) without a network. Each
request opens its own database connection, as the server does on SQLite (``CONN_MAX_AGE`` 0), and
the search engine's cache of facet counts is emptied before each list request, so every list
figure is a first load; ``list, next page`` is the one kind that reuses the counts, as the second
page of a search does. Every response is checked (status 200 and the expected content), so an
error page is never timed. Figures are printed, never asserted.

    .venv/bin/python bench/pages_bench.py                       # 100,000 records
    .venv/bin/python bench/pages_bench.py --size 1000000        # the big run
    .venv/bin/python bench/pages_bench.py --size 1000000 --workdir /tmp/kp   # keep the data; then
    .venv/bin/python bench/pages_bench.py --size 1000000 --workdir /tmp/kp --reuse

Target (1M records): every page kind under 50 ms server time (p95).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlencode

ROOT = Path(__file__).resolve().parent.parent
for entry in (str(ROOT), str(ROOT / "bench")):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from generate import Generator  # noqa: E402

TARGET_MS = 50.0
#: Completing organisations: more than the catalog's unit facet shows (100), so that facet is as
#: long as it gets.
UNITS = 120
#: The list page with these parameters: browsing, very common words (the worst case for search),
#: specific Chinese terms, several words, English, sorts, facet filters alone and with text.
LIST_QUERIES: tuple[dict[str, Any], ...] = (
    {},
    {"q": "研究"},
    {"q": "技术"},
    {"q": "方法"},
    {"q": "应用"},
    {"q": "石墨烯"},
    {"q": "锂离子电池"},
    {"q": "三七"},
    {"q": "普洱茶"},
    {"q": "中试"},
    {"q": "石墨烯 复合材料"},
    {"q": "中药材 质量控制 检测方法"},
    {"q": "基于深度学习的图像识别方法"},
    {"q": "graphene"},
    {"q": "lithium-ion battery"},
    {"q": "deep learning"},
    {"q": "研究", "sort": "newest"},
    {"sort": "trl"},
    {"trl": ["9"]},
    {"discipline": ["430"]},
    {"year": ["2024", "2025"]},
    {"licensing": ["use_first_pay_later"]},
    {"ip_kind": ["invention"], "industry": ["C"]},
    {"unit": ["{unit}"]},
    {"q": "技术", "discipline": ["430"], "year": ["2024"]},
    {"q": "电池", "trl": ["7", "8", "9"]},
    {"q": "三七", "year": ["2020"]},
)
DEEP_PAGE = 50
TOTAL = re.compile(r"共 (\d+) 项成果")
HIT = '<li class="hit">'


@dataclass
class Kind:
    """One kind of page: its timings (ms) and how many SQL queries one request makes."""

    label: str
    times: list[float] = field(default_factory=list)
    queries: int = 0

    def figures(self) -> tuple[float, float, float]:
        return _percentile(self.times, 0.5), _percentile(self.times, 0.95), max(self.times)


def _percentile(values: list[float], share: float) -> float:
    from search_bench import percentile

    return percentile(values, share)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the list queries")
    parser.add_argument("--details", type=int, default=200, help="detail pages timed")
    parser.add_argument("--workdir", type=Path, help="where the data goes (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    parser.add_argument("--reuse", action="store_true", help="reuse the data in --workdir")
    parser.add_argument(
        "--profile", action="store_true", help="profile one list and one detail request"
    )
    args = parser.parse_args()
    scratch = None if args.workdir else Path(tempfile.mkdtemp(prefix="kttc-pages-bench-"))
    try:
        run(args, (args.workdir or scratch) / f"pages-n{args.size}-s{args.seed}")
    finally:
        if scratch is not None and not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


def _setup(workdir: Path) -> None:
    """Point Django at the SQLite database and search directory under ``workdir``, without
    DEBUG (which would keep every query in memory and is off in production)."""
    os.environ["KTTC_ENV"] = "development"
    os.environ["DEBUG"] = "false"
    os.environ["KTTC_VAR_DIR"] = str(workdir / "var")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'kttc.sqlite3'}"
    os.environ["KTTC_SEARCH_DIR"] = str(workdir / "search")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    (workdir / "var" / "static").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def run(args: argparse.Namespace, workdir: Path) -> None:
    reuse = args.reuse and (workdir / "done").exists()
    if not reuse and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    _setup(workdir)
    print(f"KTTC page benchmark: {args.size:,} records, seed {args.seed}, {os.cpu_count()} CPUs")
    print(f"work dir {workdir}")
    if reuse:
        print("load: reusing the database and index in the work directory")
    else:
        load(args.size, args.seed)
        (workdir / "done").touch()
    database = workdir / "kttc.sqlite3"
    print(f"database {database.stat().st_size / 1e9:.2f} GB")
    kinds = measure(args)
    report(kinds, args.size)
    if args.profile:
        profile()


# --- loading -------------------------------------------------------------------------------


def _chunks(generator: Generator, size: int, step: int = 10_000) -> Iterator[list[Any]]:
    done = 0
    while done < size:
        count = min(step, size - done)
        yield list(generator.records(count, start=done + 1))
        done += count


def load(size: int, seed: int) -> None:
    import io

    from django.core.management import call_command
    from rawload import create_units, raw_insert

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - start:.1f} s")
    generator = Generator(seed)
    if not generator.corpus.real:
        print("texts: built-in vocabulary (../shared/data/csl/ absent)")
    unit_ids = create_units(generator.units[:UNITS])
    counts: dict[str, int] = {}
    inserting = generating = 0.0
    mark = time.perf_counter()
    for chunk in _chunks(generator, size):
        started = time.perf_counter()
        generating += started - mark
        raw_insert(chunk, unit_ids, counts=counts)
        mark = time.perf_counter()
        inserting += mark - started
        print(f"\r  inserted {counts['registry_achievement']:,}", end="", flush=True)
    rows = sum(counts.values())
    print(
        f"\rraw bulk insert: {size:,} records ({rows:,} rows in {len(counts)} tables) in "
        f"{inserting:.1f} s: {size / inserting:,.0f} records/s, {rows / inserting:,.0f} rows/s "
        f"(generation {generating:.1f} s, not counted)"
    )
    for table, n in counts.items():
        print(f"  {table:<34} {n:>10,}")
    start = time.perf_counter()
    out = io.StringIO()
    call_command("search_rebuild", stdout=out)
    seconds = time.perf_counter() - start
    print(
        f"search index (kttc search rebuild): {seconds:.1f} s, {size / seconds:,.0f} records/s"
        f" — {out.getvalue().strip().splitlines()[-1].strip()}"
    )


# --- measuring -----------------------------------------------------------------------------


def _client() -> Any:
    from django.test import Client

    return Client()


def _sample(seed: int, count: int) -> list[tuple[int, str, str | None]]:
    """``count`` random published records: (id, name, English name or None)."""
    from django.db.models import Max, Min

    from kttc.registry.models import AchievementTranslation
    from kttc.registry.selectors import public_achievements

    bounds = public_achievements().aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"], bounds["high"]
    ids = random.Random(seed).sample(range(low, high + 1), min(count, high - low + 1))
    names = dict(public_achievements().filter(pk__in=ids).values_list("pk", "name"))
    english = dict(
        AchievementTranslation.objects.filter(achievement__in=ids, language="en").values_list(
            "achievement_id", "name"
        )
    )
    return [(pk, names[pk], english.get(pk)) for pk in ids if pk in names]


class Bench:
    def __init__(self) -> None:
        from django.db import connection

        from kttc.center import search

        self.client = _client()
        self.connection = connection
        self.engine = search.backend()

    def forget_facets(self) -> None:
        """Empty the engine's cache of facet counts, so the next search counts (first load)."""
        cache = getattr(self.engine, "_cache", None)
        if cache is not None:
            cache._entries.clear()

    def get(self, url: str, **headers: str) -> tuple[float, Any]:
        """One request, timed; the connection is closed afterwards as at the end of a request
        on the server (the next request opens its own)."""
        start = time.perf_counter()
        response = self.client.get(url, headers=headers)
        elapsed = (time.perf_counter() - start) * 1000
        self.connection.close()
        return elapsed, response

    def count_queries(self, url: str, **headers: str) -> int:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(self.connection) as captured:
            self.client.get(url, headers=headers)
        self.connection.close()
        return len(captured.captured_queries)


def _text(response: Any) -> str:
    return response.content.decode()


def _check_list(url: str, response: Any, *, page: int = 1) -> int:
    """The total the list page shows; refuses an error page or a page without hits."""
    if response.status_code != 200:
        raise SystemExit(f"{url}: status {response.status_code}")
    text = _text(response)
    total = TOTAL.search(text)
    hits = text.count(HIT)
    if total is None or hits == 0:
        raise SystemExit(f"{url}: no results on the page")
    expected = min(20, int(total.group(1)) - (page - 1) * 20)
    if hits != expected:
        raise SystemExit(f"{url}: {hits} hits on the page, {expected} expected")
    if page > 1 and f"第 {page} 页" not in text:
        raise SystemExit(f"{url}: not page {page}")
    return int(total.group(1))


def _check_detail(url: str, response: Any, title: str) -> None:
    from django.utils.html import escape

    if response.status_code != 200:
        raise SystemExit(f"{url}: status {response.status_code}")
    if "<h1" not in _text(response) or escape(title) not in _text(response):
        raise SystemExit(f"{url}: the title {title!r} is not on the page")


def _list_url(params: dict[str, Any], unit: int, page: int = 1) -> str:
    query = {k: [v.replace("{unit}", str(unit)) for v in vs] if isinstance(vs, list) else vs
             for k, vs in params.items()}  # fmt: skip
    if page > 1:
        query["page"] = str(page)
    encoded = urlencode(query, doseq=True)
    return "/achievements/" + (f"?{encoded}" if encoded else "")


def _first_unit() -> int:
    from kttc.core.models import Organisation

    return Organisation.objects.order_by("pk").values_list("pk", flat=True).first() or 0


def measure(args: argparse.Namespace) -> dict[str, Kind]:
    bench = Bench()
    unit = _first_unit()
    kinds = {
        name: Kind(name)
        for name in (
            "baseline: home page",
            "list, no query",
            "list, text queries",
            "list, facet filters",
            "list, next page",
            f"list, page {DEEP_PAGE}",
            "detail",
            "detail, English",
        )
    }
    samples = _sample(args.seed, args.details * 2)
    warm, timed = samples[: args.details], samples[args.details :]
    if len(timed) < args.details // 2:
        timed = samples
    urls = [_list_url(p, unit) for p in LIST_QUERIES]

    print("warming up (every page kind once, other records than the timed ones)")
    for url in urls:
        bench.forget_facets()
        _check_list(url, bench.get(url)[1])
    for pk, name, _en in warm:
        _check_detail(f"/achievements/{pk}/", bench.get(f"/achievements/{pk}/")[1], name)
    for _ in range(5):
        bench.get("/")

    def kind_of(params: dict[str, Any]) -> str:
        if not params or set(params) == {"sort"}:
            return "list, no query"
        return "list, text queries" if params.get("q") else "list, facet filters"

    totals: dict[str, int] = {}
    per_url: dict[str, list[float]] = {u: [] for u in urls}
    for _round in range(args.rounds):
        for params, url in zip(LIST_QUERIES, urls, strict=True):
            bench.forget_facets()
            ms, response = bench.get(url)
            totals[url] = _check_list(url, response)
            kinds[kind_of(params)].times.append(ms)
            per_url[url].append(ms)
            # The next page of the same results: the facet counts of page 1 are reused.
            if totals[url] > 20:
                next_url = _list_url(params, unit, page=2)
                ms, response = bench.get(next_url)
                _check_list(next_url, response, page=2)
                kinds["list, next page"].times.append(ms)
            deep = _list_url(params, unit, page=DEEP_PAGE)
            if totals[url] > (DEEP_PAGE - 1) * 20:
                bench.forget_facets()
                ms, response = bench.get(deep)
                _check_list(deep, response, page=DEEP_PAGE)
                kinds[f"list, page {DEEP_PAGE}"].times.append(ms)
            ms, response = bench.get("/")
            if response.status_code != 200:
                raise SystemExit(f"/: status {response.status_code}")
            kinds["baseline: home page"].times.append(ms)
    for pk, name, english in timed:
        url = f"/achievements/{pk}/"
        ms, response = bench.get(url)
        _check_detail(url, response, name)
        kinds["detail"].times.append(ms)
        ms, response = bench.get(url, accept_language="en")
        _check_detail(url, response, english or name)
        kinds["detail, English"].times.append(ms)
        ms, response = bench.get("/")
        kinds["baseline: home page"].times.append(ms)

    kinds["baseline: home page"].queries = bench.count_queries("/")
    kinds["list, no query"].queries = bench.count_queries(urls[0])
    kinds["list, text queries"].queries = bench.count_queries(urls[1])
    kinds["list, facet filters"].queries = bench.count_queries(_list_url({"trl": ["9"]}, unit))
    kinds["list, next page"].queries = bench.count_queries(_list_url({}, unit, page=2))
    kinds[f"list, page {DEEP_PAGE}"].queries = bench.count_queries(
        _list_url({}, unit, page=DEEP_PAGE)
    )
    pk = timed[0][0]
    kinds["detail"].queries = bench.count_queries(f"/achievements/{pk}/")
    kinds["detail, English"].queries = bench.count_queries(
        f"/achievements/{pk}/", accept_language="en"
    )

    print(f"\nlist page per query (ms, {args.rounds} rounds, first load):")
    print(f"  {'query':<52} {'found':>9} {'p50':>7} {'worst':>7}")
    for url, times in per_url.items():
        label = url.removeprefix("/achievements/").removeprefix("?") or "(no query)"
        label = unquote_plus(label)
        print(
            f"  {label[:52]:<52} {totals[url]:>9,} {statistics.median(times):7.1f} "
            f"{max(times):7.1f}"
        )
    return kinds


def report(kinds: dict[str, Kind], size: int) -> None:
    base = kinds["baseline: home page"].figures()[0]
    print(f"\nserver time per page kind ({size:,} published records; ms):")
    header = (
        f"  {'page':<24} {'n':>5} {'p50':>7} {'p95':>7} {'worst':>7} {'p50/base':>9} {'SQL':>4}"
    )
    print(header)
    worst_p95 = 0.0
    for kind in kinds.values():
        if not kind.times:
            continue
        p50, p95, worst = kind.figures()
        if not kind.label.startswith("baseline"):
            worst_p95 = max(worst_p95, p95)
        print(
            f"  {kind.label:<24} {len(kind.times):>5} {p50:7.1f} {p95:7.1f} {worst:7.1f} "
            f"{p50 / base:8.1f}x {kind.queries:>4}"
        )
    verdict = "met" if worst_p95 < TARGET_MS else "missed"
    print(
        f"\ntarget at 1M: every page kind under {TARGET_MS:.0f} ms (p95); highest p95 here "
        f"{worst_p95:.1f} ms ({verdict})"
    )


def profile() -> None:
    """Where the time of one list request (a common word) and one detail request goes."""
    import cProfile
    import pstats

    bench = Bench()
    pk = _sample(7, 1)[0][0]
    for url in ("/achievements/?q=%E7%A0%94%E7%A9%B6", f"/achievements/{pk}/"):
        bench.get(url)
        bench.forget_facets()
        profiler = cProfile.Profile()
        profiler.enable()
        bench.get(url)
        profiler.disable()
        print(f"\nprofile of {url}:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
