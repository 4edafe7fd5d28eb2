"""Cross-language search quality and cost: enterprise demands in Chinese, English and Vietnamese
over 10,850 real Chinese records, and the aligned XQuAD questions (en, vi, th) over their Chinese
paragraphs, each searched three ways in the same run:

- ``bm25``: the platform's lexical index alone (tantivy, jieba, per-language tokenizers);
- ``embedding``: the multilingual encoder alone (nearest records by cosine);
- ``glossed``: the encoder reading the query with its Chinese gloss (``semantic.query_text``);
- ``translated``: BM25 over the Chinese terms of the query's dictionary translation alone
  (``kttc.center.search.translation``; English queries only);
- ``hanviet``: BM25 over the Sino-Vietnamese readings of the records' Chinese words, queried by
  the adjacent syllables of the query (``kttc.center.search.sinoviet``; Vietnamese queries only);
- ``hybrid``: all fused, as the catalog search and its API answer (``kttc.center.search``).

Prints recall at 1 and 10 and the mean reciprocal rank per language and method, the encoder's
throughput (records/s on this machine, with the hours a million records would take), and the
search latency of hybrid against bm25 alone (p50/p95). Figures are printed, never asserted.

    .venv/bin/python bench/crosslingual_bench.py                       # CSL + XQuAD
    .venv/bin/python bench/crosslingual_bench.py --workdir /tmp/xb     # keep the index and vectors
    .venv/bin/python bench/crosslingual_bench.py --workdir /tmp/xb --reuse

The demands (``bench/data/demands.jsonl``) were written for this benchmark, one per target record,
in the three languages; the records come from ``../shared/data/csl/`` (2,000 full records, 8,000
titles, the first 850 FewCLUE abstracts) and are skipped with a message when it is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from kttc.center.search import embedding, hybrid_search, semantic  # noqa: E402
from kttc.center.search.base import SearchDoc, SearchQuery  # noqa: E402
from kttc.center.search.query import translated_query  # noqa: E402
from kttc.center.search.tantivy_backend import TantivyBackend  # noqa: E402
from kttc.center.search.vectors import VectorStore  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DEMANDS = ROOT / "bench" / "data" / "demands.jsonl"
#: Demands written afterwards by another hand, for records chosen by rule (every 50th of
#: csl_records.jsonl): nothing here was tuned on them.
HELD_OUT = ROOT / "bench" / "data" / "demands_heldout.jsonl"
LANGUAGES = ("zh", "en", "vi")
PUBLISHED = datetime(2026, 1, 1, tzinfo=UTC)


def _doc(pk: int, name: str, abstract: str = "", keywords: Sequence[str] = ()) -> SearchDoc:
    return SearchDoc(
        id=pk,
        name=name,
        abstract=abstract,
        keywords=list(keywords),
        translations={},
        unit_id=1,
        unit_name="",
        unit_name_en="",
        discipline="",
        industry="",
        trl=1,
        ip_kinds=[],
        licensing=[],
        year=2026,
        published_at=PUBLISHED,
    )


def csl_corpus() -> tuple[list[SearchDoc], dict[str, int]]:
    """10,850 records: 2,000 full, 8,000 titles, 850 abstracts; and the ids of the CSL keys."""
    folder = DATA / "csl"
    docs: list[SearchDoc] = []
    keys: dict[str, int] = {}
    with (folder / "csl_records.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            keys[row["id"]] = len(docs) + 1
            docs.append(_doc(len(docs) + 1, row["title"], row["abstract"], row["keywords"]))
    with (folder / "csl_titles_category.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            keys[row["id"]] = len(docs) + 1
            docs.append(_doc(len(docs) + 1, row["title"]))
    with (folder / "fewclue_csldcp.jsonl").open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if n >= 850:
                break
            row = json.loads(line)
            text = row["abstract"].lstrip("\ufeff")
            name = text.split("。")[0].split(".")[0][:60]
            keys[row["id"]] = len(docs) + 1
            docs.append(_doc(len(docs) + 1, name, text))
    return docs, keys


def demand_queries(
    keys: dict[str, int], path: Path = DEMANDS
) -> dict[str, list[tuple[str, int]]]:
    queries: dict[str, list[tuple[str, int]]] = {lang: [] for lang in LANGUAGES}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for lang in LANGUAGES:
                queries[lang].append((row[lang], keys[row["target"]]))
    return queries


def xquad() -> tuple[list[SearchDoc], dict[str, list[tuple[str, int]]]]:
    """The Chinese paragraphs, and the questions in en, vi and th with their paragraph's id."""

    def load(lang: str) -> list[dict]:
        data = json.loads((DATA / "xquad" / f"xquad.{lang}.json").read_text(encoding="utf-8"))
        return [p for article in data["data"] for p in article["paragraphs"]]

    zh = load("zh")
    docs = [_doc(n + 1, p["context"][:40], p["context"]) for n, p in enumerate(zh)]
    queries: dict[str, list[tuple[str, int]]] = {}
    for lang in ("en", "vi", "th"):
        queries[lang] = [
            (qa["question"].lstrip("\ufeff"), n + 1)
            for n, p in enumerate(load(lang))
            for qa in p["qas"]
        ]
    return docs, queries


def embed(
    model: embedding.Encoder, store: VectorStore, docs: list[SearchDoc], label: str
) -> float | None:
    """Encode what the store lacks; returns records/s (None when nothing was encoded)."""
    have = store.ids()
    todo = [d for d in docs if d.id not in have]
    if not todo:
        return None
    start = time.perf_counter()
    for n in range(0, len(todo), semantic.BATCH):
        chunk = todo[n : n + semantic.BATCH]
        store.put([d.id for d in chunk], model.passages([embedding.passage_text(d) for d in chunk]))
        done = n + len(chunk)
        rate = done / (time.perf_counter() - start)
        print(f"\r  {label}: {done:,}/{len(todo):,} encoded ({rate:.1f}/s)", end="", flush=True)
    print()
    return len(todo) / (time.perf_counter() - start)


def rank_of(found: Sequence[int], target: int) -> int | None:
    try:
        return list(found).index(target) + 1
    except ValueError:
        return None


def evaluate(
    engine: TantivyBackend,
    model: embedding.Encoder,
    store: VectorStore,
    queries: dict[str, list[tuple[str, int]]],
    times: dict[str, list[float]],
) -> dict[str, dict[str, tuple[float, float, float]]]:
    methods: dict[str, Callable[[str], list[int]]] = {}

    def bm25(text: str) -> list[int]:
        return [
            h.id for h in engine.search(SearchQuery(text=text, limit=10, with_facets=False)).hits
        ]

    def dense(text: str) -> list[int]:
        return [pk for pk, _s in store.nearest(model.query(text), 10)]

    def glossed(text: str) -> list[int]:
        return [pk for pk, _s in store.nearest(model.query(semantic.query_text(text)), 10)]

    def translated(text: str) -> list[int]:
        found_by = translated_query(text, engine.schema)
        if found_by is None:
            return []
        searcher = engine._searcher()[1]
        return engine._ranked_ids(searcher, found_by, 10)

    def hanviet(text: str) -> list[int]:
        searcher = engine._searcher()[1]
        found_by = engine._sinoviet_query(searcher, text)
        if found_by is None:
            return []
        return engine._ranked_ids(searcher, found_by, 10)

    def hybrid(text: str) -> list[int]:
        query = SearchQuery(text=text, limit=10, with_facets=False)
        near = lambda t: semantic.nearest(model, store, t)  # noqa: E731
        return [h.id for h in hybrid_search(engine, query, near).hits]

    methods = {
        "bm25": bm25,
        "embedding": dense,
        "glossed": glossed,
        "translated": translated,
        "hanviet": hanviet,
        "hybrid": hybrid,
    }
    out: dict[str, dict[str, tuple[float, float, float]]] = {}
    for lang, items in queries.items():
        out[lang] = {}
        for name, method in methods.items():
            ranks = []
            for text, target in items:
                start = time.perf_counter()
                found = method(text)
                times.setdefault(name, []).append(time.perf_counter() - start)
                ranks.append(rank_of(found, target))
            n = len(ranks)
            r1 = sum(1 for r in ranks if r == 1) / n
            r10 = sum(1 for r in ranks if r is not None and r <= 10) / n
            mrr = sum(1 / r for r in ranks if r is not None) / n
            out[lang][name] = (r1, r10, mrr)
    return out


def print_quality(
    title: str, table: dict[str, dict[str, tuple[float, float, float]]], n: dict[str, int]
) -> None:
    print(f"\n{title}")
    print(f"  {'language':<8} {'queries':>7}  {'method':<10} {'R@1':>6} {'R@10':>6} {'MRR':>6}")
    for lang, methods in table.items():
        for method, (r1, r10, mrr) in methods.items():
            print(f"  {lang:<8} {n[lang]:>7}  {method:<10} {r1:6.3f} {r10:6.3f} {mrr:6.3f}")


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def build(workdir: Path, name: str, docs: list[SearchDoc], reuse: bool) -> TantivyBackend:
    engine = TantivyBackend(workdir / f"{name}-tantivy")
    if not (reuse and engine.count() == len(docs)):
        start = time.perf_counter()
        engine.rebuild(docs)
        print(f"  {name}: {len(docs):,} records indexed in {time.perf_counter() - start:.1f} s")
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, help="where the index and vectors go")
    parser.add_argument("--reuse", action="store_true", help="reuse the index and vectors there")
    parser.add_argument("--no-xquad", action="store_true", help="only the CSL demands")
    args = parser.parse_args()
    if not (DATA / "csl" / "csl_records.jsonl").exists():
        print("skipped: ../shared/data/csl/ is absent (the benchmark needs the real records)")
        return
    model = embedding.E5Encoder()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kttc-xbench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        run(args, workdir, model)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, workdir: Path, model: embedding.Encoder) -> None:
    print(
        f"encoder: {model.name} ({model.dim} dimensions), "
        f"passages of {embedding.PASSAGE_CHARS} characters"
    )
    docs, keys = csl_corpus()
    engine = build(workdir, "csl", docs, args.reuse)
    store = VectorStore(workdir / f"csl-vectors-{model.name}.bin", model.dim)
    rate = embed(model, store, docs, "csl")
    if rate:
        print(
            f"  encoder throughput: {rate:.1f} records/s"
            f" -> 1,000,000 records in {1e6 / rate / 3600:.1f} h"
        )
    times: dict[str, list[float]] = {}
    queries = demand_queries(keys)
    table = evaluate(engine, model, store, queries, times)
    print_quality(
        f"CSL demands over {len(docs):,} records", table, {k: len(v) for k, v in queries.items()}
    )
    if HELD_OUT.exists():
        held = demand_queries(keys, HELD_OUT)
        table = evaluate(engine, model, store, held, {})
        print_quality(
            f"held-out CSL demands over {len(docs):,} records",
            table,
            {k: len(v) for k, v in held.items()},
        )
    if not args.no_xquad and (DATA / "xquad").exists():
        xdocs, xqueries = xquad()
        xengine = build(workdir, "xquad", xdocs, args.reuse)
        xstore = VectorStore(workdir / f"xquad-vectors-{model.name}.bin", model.dim)
        xrate = embed(model, xstore, xdocs, "xquad")
        if xrate:
            print(
                f"  encoder throughput: {xrate:.1f} records/s"
                f" -> 1,000,000 records in {1e6 / xrate / 3600:.1f} h"
            )
        xtable = evaluate(xengine, model, xstore, xqueries, {})
        print_quality(
            f"XQuAD questions over {len(xdocs):,} Chinese paragraphs",
            xtable,
            {k: len(v) for k, v in xqueries.items()},
        )
    print("\nlatency per search, CSL demands (one at a time, encoder included):")
    base = statistics.median(times["bm25"])
    for name, values in times.items():
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        print(
            f"  {name:<10} p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"
            f"  (p50 {p50 / base:4.1f}x bm25)"
        )


if __name__ == "__main__":
    main()
