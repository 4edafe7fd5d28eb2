"""The embedded engine: a tantivy index on disk, kept in step with the database.

Text is segmented in Python (``segment``) and indexed pre-cut, joined by spaces, under the
whitespace tokenizer: tantivy's default tokenizer would cut Chinese into single characters.
Translations are indexed per language: English with a stemming analyzer, the others folded to
ASCII and lowercased. Facets are raw terms for filtering and fast fields for counting (``facets``).
The stored part of a document is a small JSON blob with the originals, for snippets.

User text never reaches tantivy's query parser: ``query.compile_text`` builds term queries itself,
so quotes, operators and any other characters are just text.

A search runs the ranked top-N on the calling thread and the facet aggregations on a small
thread pool (tantivy releases the GIL), so their costs overlap; the total number of matches comes
from the aggregation when it has counted every match, which lets the top-N skip counting.

One writer at a time: tantivy locks the index directory, across processes. A write opens a
writer, adds and deletes, commits, waits for merges and lets the lock go; a process that finds the
lock taken retries with backoff and gives up with :class:`IndexBusy` after ``lock_timeout``.
Readers reload after their own commits and whenever ``meta.json`` changed (another process
committed), so a web server sees a CLI's rebuild at its next search.

Facet counts of recent searches are kept (``FacetCache``) for the current index version, so the
next page or another sort of the same results does not count again.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tantivy

from kttc.center.search import facets, highlight, languages, segment, sinoviet
from kttc.center.search.base import FACETS, Hit, SearchDoc, SearchQuery, SearchResult
from kttc.center.search.query import (
    REPEAT,
    Analyzers,
    CompiledText,
    compile_text,
    translated_query,
)

logger = logging.getLogger(__name__)

#: Bump when the schema or the analysis changes: a new version opens a new, empty directory,
#: which ``kttc search rebuild`` fills.
SCHEMA_VERSION = 5

WHITESPACE = "whitespace"
ENGLISH = "kttc_en"
FOLDED = "kttc_fold"
SORT_FIELDS = {"newest": "published", "trl": "trl_key"}
#: The most hits one search returns, and the most that get snippets (an export asks for
#: thousands of hits and shows no snippets).
MAX_LIMIT = 10_000
SNIPPET_LIMIT = 100

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_pools: dict[int, ThreadPoolExecutor] = {}


def _pool() -> ThreadPoolExecutor:
    """The facet counters' threads, one pool per process (a pool does not survive a fork)."""
    pid = os.getpid()
    pool = _pools.get(pid)
    if pool is None:
        _pools.clear()
        pool = _pools[pid] = ThreadPoolExecutor(
            max_workers=max(2, os.cpu_count() or 2), thread_name_prefix="kttc-search"
        )
    return pool


def _microseconds(moment: datetime) -> int:
    delta = moment.astimezone(UTC) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


#: Reciprocal rank fusion: a result's score is the sum over the rankings it is in of
#: weight / (RRF_K + rank). The lexical ranking counts less when no result has every word of the
#: query (``relaxed``): then its first results share a few words, not the need.
RRF_K = 20
RELAXED_WEIGHT = 0.5
#: ... and less still for a query not in Chinese: a few of its words shared with a record (a
#: number, a Latin name, a common syllable) say little beside its meaning (XQuAD, Vietnamese
#: questions over Chinese paragraphs: R@10 0.64 at 0.5).
FOREIGN_RELAXED_WEIGHT = 0.2
#: How many lexical results beyond the page are fused with the results close in meaning.
FUSE_DEPTH = 100
#: The weight of the ranking by the dictionary translation of an English query
#: (``translation``; twice the encoder's, whose English is weaker on technical terms), and how
#: many of its first results join the matches.
TRANSLATED_WEIGHT = 2.0
TRANSLATED_DEPTH = 50
#: The weight of meaning for a query in Chinese over records in Chinese: the words themselves
#: are the stronger signal there, and meaning mostly adds the records that share none of them;
#: heavier, it reorders records the words rank almost alike (bench/crosslingual_bench.py,
#: Chinese demands, R@1: 0.93 at 1.0, 0.96 at 0.5, 1.00 at 0.1 and below; the held-out set,
#: 0.90 at 0.1, 0.95 at 0.02 as at 0).
CHINESE_MEANING_WEIGHT = 0.02
#: The weight of the ranking by the Sino-Vietnamese readings of a Vietnamese query's syllables
#: (``sinoviet``), and how many of its first results join the matches. Its results share a few
#: words read alike, not always the need: above the meaning's weight they crowd it out
#: (Vietnamese demands over 10,850 records, R@10: 0.64 at 0.75 and 1.0, 0.57 at 1.25, 0.32 at 1.5).
SINOVIET_WEIGHT = 0.75
SINOVIET_DEPTH = 50


def fuse(
    lexical: Sequence[int],
    meaning: Sequence[int],
    *,
    lexical_weight: float = 1.0,
    meaning_weight: float = 1.0,
    translated: Sequence[int] = (),
    translated_weight: float = TRANSLATED_WEIGHT,
    sinoviet: Sequence[int] = (),
    sinoviet_weight: float = SINOVIET_WEIGHT,
) -> list[int]:
    """One ranking of up to four (ids, best first) by weighted reciprocal rank fusion: the
    lexical matches, the results close in meaning, for an English query the Chinese records of
    its dictionary translation (``translated``) and for a Vietnamese one the records whose words
    read as its syllables (``sinoviet``); ties keep the lexical order, then meaning's, then the
    translation's, then the readings'."""
    scores: dict[int, float] = {}
    for ranking, weight in (
        (lexical, lexical_weight),
        (meaning, meaning_weight),
        (translated, translated_weight),
        (sinoviet, sinoviet_weight),
    ):
        for rank, pk in enumerate(ranking):
            scores[pk] = scores.get(pk, 0.0) + weight / (RRF_K + rank + 1)
    first: dict[int, int] = {}
    for n, pk in enumerate([*lexical, *meaning, *translated, *sinoviet]):
        first.setdefault(pk, n)
    return sorted(scores, key=lambda pk: (-scores[pk], first[pk]))


def _either(first: Any, second: Any) -> Any:
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, first), (tantivy.Occur.Should, second)]
    )


class FacetCache:
    """Facet counts and totals of recent searches, by index version, text and filters: the next
    page, another sort or a return to the same results does not count again. Entries of an older
    index version are never read (the version is in the key) and age out."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Any, tuple[int, dict[str, dict[str, int]]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> tuple[int, dict[str, dict[str, int]]] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Any, value: tuple[int, dict[str, dict[str, int]]]) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


class IndexBusy(RuntimeError):
    """Another writer held the index for longer than the lock timeout."""


def analyzers() -> Analyzers:
    english = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(segment.MAX_TOKEN_CHARS))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )
    folded = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
        .filter(tantivy.Filter.remove_long(segment.MAX_TOKEN_CHARS))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )
    return Analyzers(english=english, folded=folded)


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    # Every text of a document in one field per language (``query.REPEAT`` times each).
    builder.add_text_field("all", tokenizer_name=WHITESPACE, index_option="freq")
    builder.add_text_field("en_all", tokenizer_name=ENGLISH, index_option="freq")
    builder.add_text_field("other", tokenizer_name=FOLDED, index_option="freq")
    # The Sino-Vietnamese readings of the Chinese words, folded and joined ("hap_phu").
    builder.add_text_field("hanviet", tokenizer_name=WHITESPACE, index_option="freq")
    for facet in FACETS:
        builder.add_text_field(
            facets.FILTER_FIELDS[facet], tokenizer_name="raw", index_option="basic"
        )
    for group in facets.GROUPS:
        builder.add_unsigned_field(group, fast=True)
    builder.add_unsigned_field("published", fast=True)  # microseconds: dates keep only seconds
    builder.add_unsigned_field("trl_key", fast=True)
    builder.add_boolean_field("promoted", indexed=True, fast=True)
    builder.add_boolean_field("major", indexed=True, fast=True)
    builder.add_boolean_field("open_offer", indexed=True, fast=True)
    builder.add_bytes_field("stored", stored=True)
    return builder.build()


class TantivyBackend:
    """``base.SearchBackend`` over a tantivy index in ``path``."""

    def __init__(
        self, path: Path | str, *, lock_timeout: float = 10.0, facet_cache: int = 256
    ) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.lock_timeout = lock_timeout
        self.schema = build_schema()
        self.analyzers = analyzers()
        self._index = self._open()
        self._index.register_tokenizer(ENGLISH, self.analyzers.english)
        self._index.register_tokenizer(FOLDED, self.analyzers.folded)
        # Reloaded by hand: after our own commits, and when meta.json shows another process's.
        self._index.config_reader(reload_policy="manual")
        self._write_lock = threading.Lock()
        self._generations = itertools.count(1)
        self._generation = 0
        self._seen = self._meta_stamp()
        self._cache = FacetCache(facet_cache)

    def _open(self) -> Any:
        """The index in ``path``; one of another schema (an older version of this code) is
        derived data: it is removed, and the empty index waits for ``kttc search rebuild``."""
        try:
            return tantivy.Index(self.schema, path=str(self.path), reuse=True)
        except ValueError as exc:
            if "schema does not match" not in str(exc):
                raise
        logger.warning(
            "The search index at %s had another schema; run `kttc search rebuild`.", self.path
        )
        for child in self.path.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        return tantivy.Index(self.schema, path=str(self.path), reuse=True)

    # --- writing ---------------------------------------------------------------------------

    def index(self, docs: Iterable[SearchDoc]) -> None:
        """Add or replace documents, committed together."""
        self.update(docs, ())

    def delete(self, ids: Iterable[int]) -> None:
        self.update((), ids)

    def clear(self) -> None:
        with self.writer() as writer:
            writer.delete_all_documents()

    def update(self, docs: Iterable[SearchDoc], delete_ids: Iterable[int]) -> int:
        """Replace ``docs`` and delete ``delete_ids`` in one commit; returns how many were
        added."""
        written, _gone = self.apply(lambda: (list(docs), {int(pk) for pk in delete_ids}))
        return len(written)

    def apply(
        self, load: Callable[[], tuple[list[SearchDoc], set[int]]]
    ) -> tuple[list[SearchDoc], set[int]]:
        """Call ``load`` with the writer held and write what it returns (documents to replace,
        ids to delete), so that what is read and written is ordered by the index's lock."""
        with self.writer() as writer:
            docs, gone = load()
            replaced = sorted({int(pk) for pk in gone} | {doc.id for doc in docs})
            if replaced:
                # By query: tantivy-py's delete by term does not match u64 terms.
                ids = tantivy.Query.term_set_query(self.schema, "id", replaced)
                writer.delete_documents_by_query(ids)
            for doc in docs:
                writer.add_document(self.document(doc))
        return docs, gone

    def rebuild(self, docs: Iterable[SearchDoc], *, heap_size: int = 400_000_000) -> int:
        """Empty the index and add ``docs``; readers see the old index until the one commit."""
        added = 0
        with self.writer(heap_size=heap_size, num_threads=0) as writer:
            writer.delete_all_documents()
            for doc in docs:
                writer.add_document(self.document(doc))
                added += 1
        return added

    @contextmanager
    def writer(self, *, heap_size: int = 50_000_000, num_threads: int = 1) -> Iterator[Any]:
        """The index's writer, waited for; committed on success, rolled back on error; the lock
        is let go (after merges finish) either way."""
        with self._write_lock:
            writer = self._acquire(heap_size, num_threads)
            try:
                yield writer
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()  # finishes merges and drops the lock
            self._reloaded(self._meta_stamp())

    def _acquire(self, heap_size: int, num_threads: int) -> Any:
        deadline = time.monotonic() + self.lock_timeout
        pause = 0.02
        while True:
            try:
                return self._index.writer(heap_size=heap_size, num_threads=num_threads)
            except ValueError as exc:
                if "LockBusy" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexBusy(f"The search index at {self.path} is locked.") from exc
            time.sleep(pause)
            pause = min(pause * 2, 0.5)

    def document(self, doc: SearchDoc) -> tantivy.Document:
        out = tantivy.Document()
        out.add_unsigned("id", doc.id)
        texts = {
            "name": doc.name,
            "keywords": " ".join(doc.keywords),
            "abstract": doc.abstract,
            "unit": doc.unit_name,
        }
        for part, text in texts.items():
            segmented = segment.index_text(text)
            for _ in range(REPEAT[part]):
                out.add_text("all", segmented)
            if part != "unit":
                read = " ".join(sinoviet.readings(text))
                if read:
                    out.add_text("hanviet", read)
        en = doc.translations.get("en")
        english = {"name": en[0], "keywords": " ; ".join(en[2]), "abstract": en[1]} if en else {}
        english["unit"] = doc.unit_name_en
        for part, text in english.items():
            for _ in range(REPEAT[part]):
                out.add_text("en_all", text)
        others = [
            languages.index_text(" ; ".join((t_name, t_abstract, *t_keywords)))
            for language, (t_name, t_abstract, t_keywords) in sorted(doc.translations.items())
            if language != "en"
        ]
        if others:
            out.add_text("other", " \n ".join(others))
        doc_values = facets.values(doc)
        for facet, chosen in doc_values.items():
            for value in chosen:
                out.add_text(facets.FILTER_FIELDS[facet], value)
        for group, bits in facets.group_values(doc_values).items():
            out.add_unsigned(group, bits)
        published = max(0, _microseconds(doc.published_at))
        out.add_unsigned("published", published)
        # Readiness first, the newest first within a level (microseconds stay below 10**16
        # until the year 2286).
        out.add_unsigned("trl_key", doc.trl * 10**16 + published)
        out.add_boolean("promoted", doc.promoted)
        out.add_boolean("major", doc.major)
        out.add_boolean("open_offer", doc.open_offer)
        stored = {
            "name": doc.name,
            "abstract": doc.abstract,
            "tr": {lang: [t[0], t[1]] for lang, t in doc.translations.items()},
        }
        out.add_bytes("stored", json.dumps(stored, ensure_ascii=False).encode())
        return out

    # --- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._searcher()[1].num_docs)

    def _meta_stamp(self) -> tuple[int, int, int]:
        """meta.json's inode, time and size: tantivy replaces the file at each commit."""
        try:
            stat = (self.path / "meta.json").stat()
        except FileNotFoundError:
            return (0, 0, 0)
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def _searcher(self) -> tuple[int, Any]:
        """A searcher over the last commit, whoever made it (a stat call per search). File times
        are coarse (a few ms), so within two seconds of a commit the reader reloads every time."""
        stamp = self._meta_stamp()
        recent = time.time_ns() - stamp[1] < 2_000_000_000
        if stamp != self._seen or recent:
            self._reloaded(stamp)
        return self._generation, self._index.searcher()

    def _reloaded(self, stamp: tuple[int, int, int]) -> None:
        self._index.reload()
        self._seen = stamp
        self._generation = next(self._generations)  # older facet counts are never read again

    def search(self, query: SearchQuery) -> SearchResult:
        generation, searcher = self._searcher()
        compiled = compile_text(query.text, self.schema, self.analyzers)
        filters = facets.clean_filters(query.filters)
        gate = self._gate(query)
        key = (
            generation,
            compiled.key,
            tuple((f, tuple(v)) for f, v in filters.items()),
            query.open_offer,
        )
        # An English query's dictionary translation joins when its words themselves find no
        # record with every one of them (a Chinese record has none of them).
        translated = translated_query(query.text, self.schema) if compiled.query else None
        if translated is not None:
            strict = self._combined(compiled.query, filters, gate=gate)
            if searcher.search(strict, limit=1, count=True).count:
                translated = None
        # A Vietnamese query's syllables read as Chinese words join always.
        by_reading = self._sinoviet_query(searcher, query.text) if compiled.query else None
        if query.semantic or translated is not None or by_reading is not None:
            return self._hybrid(
                searcher, compiled, filters, query, key, gate, translated, by_reading
            )
        result = self._search(searcher, compiled, compiled.query, filters, query, key, gate)
        if result.total == 0 and compiled.relaxed is not None:
            # Nothing has every word: let a third of them do, still ranked by BM25.
            relaxed = (*key, "relaxed")
            result = self._search(
                searcher, compiled, compiled.relaxed, filters, query, relaxed, gate
            )
            result = replace(result, relaxed=True)
        return result

    def _search(
        self,
        searcher: Any,
        compiled: CompiledText,
        text_query: Any,
        filters: dict[str, list[str]],
        query: SearchQuery,
        key: tuple[Any, ...],
        gate: list[Any],
    ) -> SearchResult:
        combined = self._combined(text_query, filters, gate=gate)
        relevance = query.sort not in SORT_FIELDS and text_query is not None
        cached = self._cache.get(key) if query.with_facets else None
        jobs = []
        if query.with_facets and cached is None:
            jobs = self._facet_jobs(searcher, text_query, filters, gate)
        # The facets' aggregation over every match (or an earlier one) gives the total, so the
        # top-N need not count.
        counted_elsewhere = cached is not None or any(main for _f, _n, main in jobs)
        found = searcher.search(
            combined, count=not counted_elsewhere, **self._order(query, text_query)
        )
        with_snippets = query.limit <= SNIPPET_LIMIT
        hits = [
            self._hit(searcher, address, score if relevance else 0.0, compiled, query)
            if with_snippets
            else self._bare_hit(searcher, address, score if relevance else 0.0)
            for score, address in found.hits[: max(0, query.limit)]
        ]
        if cached is not None:
            total, counts = cached
        else:
            total, counts = int(found.count or 0), {}
            for future, names, main in jobs:
                result = future.result()
                counts |= facets.counts(result, names)
                if main:
                    total = facets.total(result) or 0
            if query.with_facets:
                self._count_selected(searcher, text_query, filters, counts, gate)
                self._cache.put(key, (total, counts))
        return SearchResult(
            total=total,
            hits=hits,
            facets={f: facets.ordered(f, counts.get(f, {})) for f in FACETS}
            if query.with_facets
            else {},
        )

    def _sinoviet_query(self, searcher: Any, text: str) -> Any | None:
        """Records with a word read as two to four adjacent syllables of a Vietnamese query
        (``sinoviet``), scored by the sum of the inverse document frequencies of the distinct
        words they share with it (BM25's length and frequency terms favour records with a title
        alone: R@10 0.25 against 0.32); None for a query in another language or with no such
        word in the index."""
        total = max(1, int(searcher.num_docs))
        clauses = []
        for term in sinoviet.query_terms(text):
            found = int(searcher.doc_freq("hanviet", term))
            if found:
                word = tantivy.Query.term_query(self.schema, "hanviet", term)
                score = math.log(1 + total / found)
                clauses.append((tantivy.Occur.Should, tantivy.Query.const_score_query(word, score)))
        return tantivy.Query.boolean_query(clauses) if clauses else None

    def _hybrid(
        self,
        searcher: Any,
        compiled: CompiledText,
        filters: dict[str, list[str]],
        query: SearchQuery,
        key: tuple[Any, ...],
        gate: list[Any],
        translated: Any = None,
        by_reading: Any = None,
    ) -> SearchResult:
        """Lexical matches, results close in meaning, the first results of the dictionary
        translation of an English query (``translated``) and those of the Sino-Vietnamese
        readings of a Vietnamese one (``by_reading``), together: all match (and are counted in
        the total and the facets); ranked by relevance, the rankings are fused (``fuse``); other
        sorts order them all by their field."""
        lexical, weight = compiled.query, 1.0
        if lexical is not None and compiled.relaxed is not None:
            strict = self._combined(lexical, filters, gate=gate)
            if not searcher.search(strict, limit=1, count=True).count:
                lexical, weight = compiled.relaxed, RELAXED_WEIGHT
                if languages.HAN.search(query.text) is None:
                    weight = FOREIGN_RELAXED_WEIGHT
        ids = [pk for pk, _score in query.semantic]
        # The translation's first results that pass the filters, best first.
        by_translation = (
            self._ranked_ids(
                searcher, self._combined(translated, filters, gate=gate), TRANSLATED_DEPTH
            )
            if translated is not None
            else []
        )
        by_sinoviet = (
            self._ranked_ids(
                searcher, self._combined(by_reading, filters, gate=gate), SINOVIET_DEPTH
            )
            if by_reading is not None
            else []
        )
        extra = list(dict.fromkeys([*ids, *by_translation, *by_sinoviet]))
        near = (
            tantivy.Query.const_score_query(
                tantivy.Query.term_set_query(self.schema, "id", extra), 0.0
            )
            if extra
            else None
        )
        clauses = [q for q in (lexical, near) if q is not None]
        either = _either(*clauses) if len(clauses) == 2 else next(iter(clauses), None)
        key = (
            *key,
            "semantic",
            tuple(ids),
            weight,
            "translated",
            tuple(by_translation),
            "sinoviet",
            tuple(by_sinoviet),
        )
        relaxed = lexical is not None and lexical is compiled.relaxed
        if query.sort in SORT_FIELDS:
            found = self._search(searcher, compiled, either, filters, query, key, gate)
            return replace(found, relaxed=relaxed)
        depth = min(query.offset + query.limit + FUSE_DEPTH, MAX_LIMIT)
        counted = self._search(
            searcher, compiled, either, filters, replace(query, offset=0, limit=depth), key, gate
        )
        # Which of the close results pass the filters: they are ranked by meaning.
        meaning: list[int] = []
        if ids:
            close = tantivy.Query.const_score_query(
                tantivy.Query.term_set_query(self.schema, "id", ids), 0.0
            )
            passing = self._ids_of(searcher, self._combined(close, filters, gate=gate), len(ids))
            meaning = [pk for pk in ids if pk in passing]
        words = [h.id for h in counted.hits if h.score > 0.0]
        chinese = languages.HAN.search(query.text) is not None
        order = fuse(
            words,
            meaning,
            lexical_weight=weight,
            meaning_weight=CHINESE_MEANING_WEIGHT if chinese else 1.0,
            translated=by_translation,
            sinoviet=by_sinoviet,
            sinoviet_weight=SINOVIET_WEIGHT,
        )
        page = order[query.offset : query.offset + query.limit]
        return SearchResult(
            total=counted.total,
            hits=self._hits_by_id(searcher, page, compiled, query),
            facets=counted.facets,
            relaxed=relaxed,
        )

    def _ranked_ids(self, searcher: Any, found_by: Any, limit: int) -> list[int]:
        """The ids of the first ``limit`` matches of ``found_by``, best first."""
        found = searcher.search(found_by, limit=limit)
        addresses = [address for _score, address in found.hits]
        if not addresses:
            return []
        return [int(pk) for pk in searcher.fast_field_values("id", addresses)]

    def _ids_of(self, searcher: Any, found_by: Any, limit: int) -> set[int]:
        if limit <= 0:
            return set()
        found = searcher.search(found_by, limit=limit)
        addresses = [address for _score, address in found.hits]
        return (
            {int(pk) for pk in searcher.fast_field_values("id", addresses)} if addresses else set()
        )

    def _hits_by_id(
        self, searcher: Any, ids: Sequence[int], compiled: CompiledText, query: SearchQuery
    ) -> list[Hit]:
        if not ids:
            return []
        found = searcher.search(
            tantivy.Query.term_set_query(self.schema, "id", list(ids)), limit=len(ids)
        )
        addresses = {
            int(pk): address
            for (_score, address), pk in zip(
                found.hits,
                searcher.fast_field_values("id", [a for _s, a in found.hits]),
                strict=True,
            )
        }
        rank = len(ids)
        hits = []
        for n, pk in enumerate(ids):
            address = addresses.get(pk)
            if address is None:
                continue
            score = float(rank - n)
            if query.limit <= SNIPPET_LIMIT:
                hits.append(self._hit(searcher, address, score, compiled, query))
            else:
                hits.append(Hit(id=pk, score=score, snippets={}))
        return hits

    def _order(self, query: SearchQuery, text_query: Any) -> dict[str, Any]:
        """Page and order: relevance (BM25), newest first, or readiness (then newest)."""
        limit = max(1, min(query.limit, MAX_LIMIT))
        order: dict[str, Any] = {"limit": limit, "offset": max(0, query.offset)}
        sort = query.sort if query.sort in SORT_FIELDS else "relevance"
        if sort == "relevance" and text_query is None:
            sort = "newest"  # nothing to rank by: the newest first
        if sort != "relevance":
            order |= {"order_by_field": SORT_FIELDS[sort], "order": tantivy.Order.Desc}
        return order

    def _gate(self, query: SearchQuery) -> list[Any]:
        """Required, unscored clauses beyond the facets: "has an open licence offer"."""
        if not query.open_offer:
            return []
        offer = tantivy.Query.term_query(self.schema, "open_offer", True)
        return [(tantivy.Occur.Must, tantivy.Query.const_score_query(offer, 0.0))]

    def _facet_jobs(
        self, searcher: Any, text_query: Any, filters: dict[str, list[str]], gate: list[Any]
    ) -> list[tuple[Future[Any], list[str], bool]]:
        """Drill-down counts: a facet's values are counted over the matches of the text and of
        the *other* facets' filters, so choosing a value never hides its siblings. Facets without
        a filter share the main aggregation (over every match, which also gives the total); each
        filtered facet has its own. They run on the pool while the caller ranks."""
        jobs = []
        unfiltered = [f for f in FACETS if f not in filters]
        if unfiltered:
            query = self._combined(text_query, filters, gate=gate)
            future = _pool().submit(searcher.aggregate, query, facets.request(unfiltered))
            jobs.append((future, unfiltered, True))
        for facet in filters:
            query = self._combined(text_query, filters, skip=facet, gate=gate)
            future = _pool().submit(searcher.aggregate, query, facets.request([facet]))
            jobs.append((future, [facet], False))
        return jobs

    def _count_selected(
        self,
        searcher: Any,
        text_query: Any,
        filters: dict[str, list[str]],
        counts: dict[str, dict[str, int]],
        gate: list[Any],
    ) -> None:
        """A selected value beyond the counted ones is counted on its own, so it always shows."""
        for facet, chosen in filters.items():
            found = counts.setdefault(facet, {})
            for value in chosen:
                if value not in found:
                    narrowed = dict(filters) | {facet: [value]}
                    query = self._combined(text_query, narrowed, gate=gate)
                    found[value] = int(searcher.search(query, limit=1, count=True).count or 0)

    def _filter_clauses(self, filters: dict[str, list[str]], skip: str | None) -> list[Any]:
        """One required, unscored clause per facet, its values OR-ed (term queries: faster
        here than a term-set query)."""
        clauses = []
        for facet, chosen in filters.items():
            if facet == skip:
                continue
            terms = [
                tantivy.Query.term_query(
                    self.schema, facets.FILTER_FIELDS[facet], value, index_option="basic"
                )
                for value in chosen
            ]
            either = (
                terms[0]
                if len(terms) == 1
                else tantivy.Query.boolean_query([(tantivy.Occur.Should, t) for t in terms])
            )
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(either, 0.0)))
        return clauses

    def _combined(
        self,
        text_query: Any,
        filters: dict[str, list[str]],
        skip: str | None = None,
        gate: Sequence[Any] = (),
    ) -> Any:
        clauses = [*self._filter_clauses(filters, skip), *gate]
        if text_query is None:
            return tantivy.Query.boolean_query(clauses) if clauses else tantivy.Query.all_query()
        if not clauses:
            return text_query
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, text_query), *clauses])

    def _hit(
        self, searcher: Any, address: Any, score: Any, compiled: CompiledText, query: SearchQuery
    ) -> Hit:
        doc = searcher.doc(address)
        stored = json.loads(bytes(doc.get_first("stored")))
        return Hit(
            id=int(doc.get_first("id")),
            score=float(score),
            snippets=self._snippets(stored, compiled, query.language),
        )

    def _bare_hit(self, searcher: Any, address: Any, score: Any) -> Hit:
        (pk,) = searcher.fast_field_values("id", [address])
        return Hit(id=int(pk), score=float(score), snippets={})

    def _snippets(
        self, stored: dict[str, Any], compiled: CompiledText, language: str
    ) -> dict[str, str]:
        """Name and abstract in the reader's language when there is a translation in it, else
        in the original, with the query's words marked."""
        name, abstract = stored["name"], stored["abstract"]
        reading = None if language.startswith("zh") else stored["tr"].get(language)
        if reading:
            name, abstract = reading
            english = language == "en"
            terms = compiled.english if english else compiled.folded
            analyse = (self.analyzers.english if english else self.analyzers.folded).analyze
            name_spans = highlight.analysed_spans(name, terms, analyse)
            abstract_spans = highlight.analysed_spans(abstract, terms, analyse)
            return {
                "name": highlight.mark(name, name_spans),
                "abstract": highlight.window(abstract, abstract_spans),
            }
        return {
            "name": highlight.mark(name, highlight.chinese_spans(name, compiled.patterns)),
            "abstract": highlight.chinese_snippet(abstract, compiled.patterns),
        }
