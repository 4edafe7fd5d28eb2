"""The embeddings of public results, on disk beside the lexical index, and their nearest
neighbours by brute force.

One append-only file of fixed-size records (an id and a vector in half precision); a negative
id removes the record of its absolute value. Writers append under an exclusive ``flock``, so the
web server and the embedding worker may both write; readers read only the bytes appended since
they last looked (a ``stat`` per search), and start over when the file was compacted (another
inode). Like the lexical index, the file is derived data: ``kttc search rebuild`` makes it again.

In memory the vectors are a float32 matrix (1.5 kB a record: 300,000 results take 460 MB), and
a search is one matrix-vector product: about 2 ms for 10,000 records, 40 ms for 300,000 on one
core (``bench/crosslingual_bench.py`` measures it).

From ``GRAPH_FROM`` records a search walks a graph of the vectors instead (HNSW, by ``usearch``,
in half precision: about 1 ms at 300,000 records, against 40 ms for the product; some 1.3 kB a
record more in memory). Each process builds its graph in the background the first time it
searches that many records (about a minute and a half for 300,000 on one core), answering by the
product meanwhile; records stored or removed afterwards go into the graph as they are read. The
median similarity is then taken over an even sample of ``MEDIAN_SAMPLE`` records.

The product runs on one BLAS thread. A web process serves requests side by side, and a BLAS
pool's threads keep spinning after the product, on the cores the query encoder needs next:
with two threads on two cores, encoding a query took 31 ms at the median and 106 ms at p95,
against 15 and 20 ms with one (``bench/crosslingual_bench.py``).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

#: The median of fewer records says nothing of what "unrelated" scores.
MEDIAN_FROM = 10
#: From this many records a search walks a graph instead of reading every vector.
GRAPH_FROM = 50_000
#: The records the median is taken over when searching a graph.
MEDIAN_SAMPLE = 4_096
#: The graph's links per node, and the candidates it weighs when linking and when searching
#: (recall of the 50 nearest by the product on the benchmark's demands: 0.96).
GRAPH_LINKS = 16
GRAPH_EXPANSION_ADD = 128
GRAPH_EXPANSION_SEARCH = 128

_threadpools: ThreadpoolController | None = None


def _one_blas_thread() -> AbstractContextManager[object]:
    """A context in which numpy's BLAS uses one thread (see the module's note)."""
    global _threadpools
    if _threadpools is None:
        _threadpools = ThreadpoolController()
    limiter: AbstractContextManager[object] = _threadpools.limit(limits=1, user_api="blas")
    return limiter


class VectorStore:
    def __init__(self, path: Path | str, dim: int, *, graph_from: int | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch(exist_ok=True)
        self.dim = dim
        self.graph_from = GRAPH_FROM if graph_from is None else graph_from
        self.record = np.dtype([("id", "<i8"), ("v", "<f2", (dim,))])
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._graph: Any = None
        self._building: object | None = None  # the token of the build under way
        self._changed: set[int] = set()  # ids stored or removed while it runs
        self._inode = 0
        self._offset = 0
        self._rows: dict[int, int] = {}
        self._free: list[int] = []
        self._ids = np.full(1024, -1, dtype=np.int64)
        self._matrix = np.zeros((1024, self.dim), dtype=np.float32)
        self._used = 0

    # --- writing ---------------------------------------------------------------------------

    def put(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        """Store (or replace) the vectors of ``ids``."""
        if not len(ids):
            return
        rows = np.zeros(len(ids), dtype=self.record)
        rows["id"] = np.asarray(ids, dtype=np.int64)
        rows["v"] = np.asarray(vectors, dtype=np.float32).reshape(len(ids), self.dim)
        self._append(rows.tobytes())

    def delete(self, ids: Iterable[int]) -> None:
        gone = sorted({int(pk) for pk in ids})
        if not gone:
            return
        rows = np.zeros(len(gone), dtype=self.record)
        rows["id"] = -np.asarray(gone, dtype=np.int64)
        self._append(rows.tobytes())

    def _append(self, data: bytes) -> None:
        with self.path.open("ab") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def clear(self) -> None:
        self._rewrite(b"")

    def compact(self) -> int:
        """Rewrite the file with one record per live id; returns how many."""
        self.refresh()
        with self._lock:
            live = sorted(self._rows.items())
            rows = np.zeros(len(live), dtype=self.record)
            for n, (pk, row) in enumerate(live):
                rows[n]["id"] = pk
                rows[n]["v"] = self._matrix[row]
        self._rewrite(rows.tobytes())
        return len(live)

    def _rewrite(self, data: bytes) -> None:
        fresh = self.path.with_name(f"{self.path.name}.{os.getpid()}.new")
        fresh.write_bytes(data)
        with self.path.open("ab") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                os.replace(fresh, self.path)
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # --- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read what was appended since the last look (everything after a compaction)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            with self._lock:
                self._reset()
            return
        with self._lock:
            if stat.st_ino != self._inode or stat.st_size < self._offset:
                self._reset()
                self._inode = stat.st_ino
            end = stat.st_size - (stat.st_size - self._offset) % self.record.itemsize
            if end <= self._offset:
                return
            with self.path.open("rb") as handle:
                handle.seek(self._offset)
                data = handle.read(end - self._offset)
            rows = np.frombuffer(data, dtype=self.record)
            self._offset += len(rows) * self.record.itemsize
            self._apply(rows)

    def _apply(self, rows: np.ndarray) -> None:
        touched: set[int] = set()
        for pk, vector in zip(rows["id"].tolist(), rows["v"], strict=True):
            touched.add(abs(pk))
            if pk < 0:
                row = self._rows.pop(-pk, None)
                if row is not None:
                    self._ids[row] = -1
                    self._matrix[row] = 0.0
                    self._free.append(row)
                continue
            row = self._rows.get(pk)
            if row is None:
                row = self._free.pop() if self._free else self._grow()
                self._rows[pk] = row
                self._ids[row] = pk
            self._matrix[row] = vector
        if self._building is not None:
            self._changed |= touched
        if self._graph is not None:
            self._update_graph(touched)

    def _update_graph(self, ids: set[int]) -> None:
        """Bring the graph's nodes of ``ids`` in line with the matrix (under the lock)."""
        for pk in ids:
            if self._graph.contains(pk):
                self._graph.remove(pk)
        live = [pk for pk in sorted(ids) if pk in self._rows]
        if live:
            vectors = self._matrix[[self._rows[pk] for pk in live]]
            self._graph.add(np.asarray(live, dtype=np.uint64), vectors, threads=1)

    # --- the graph -------------------------------------------------------------------------

    def build_graph(self) -> None:
        """Build the graph of the records stored now, then add what changed meanwhile."""
        from usearch.index import Index

        token = object()
        with self._lock:
            if self._building is not None:
                return
            self._building = token
            self._changed = set()
            live = self._ids[: self._used] >= 0
            ids = self._ids[: self._used][live].astype(np.uint64)
            vectors = self._matrix[: self._used][live].copy()
        graph = Index(
            ndim=self.dim,
            metric="ip",
            dtype="f16",
            connectivity=GRAPH_LINKS,
            expansion_add=GRAPH_EXPANSION_ADD,
            expansion_search=GRAPH_EXPANSION_SEARCH,
        )
        try:
            if len(ids):
                graph.add(ids, vectors, threads=1)
        finally:
            with self._lock:
                if self._building is token:  # not reset meanwhile
                    self._graph = graph
                    self._update_graph(self._changed)
                    self._building = None
                    self._changed = set()

    def _want_graph(self) -> None:
        """Start building the graph in the background once the records are many (under the lock)."""
        if self._graph is None and self._building is None and len(self._rows) >= self.graph_from:
            threading.Thread(target=self.build_graph, name="kttc-vector-graph", daemon=True).start()

    def _grow(self) -> int:
        if self._used == len(self._ids):
            size = len(self._ids) * 2
            ids = np.full(size, -1, dtype=np.int64)
            ids[: self._used] = self._ids
            matrix = np.zeros((size, self.dim), dtype=np.float32)
            matrix[: self._used] = self._matrix
            self._ids, self._matrix = ids, matrix
        self._used += 1
        return self._used - 1

    def __len__(self) -> int:
        self.refresh()
        return len(self._rows)

    def ids(self) -> set[int]:
        self.refresh()
        with self._lock:
            return set(self._rows)

    def vectors_of(self, ids: Iterable[int]) -> list[tuple[int, np.ndarray]]:
        """The stored vectors of those of ``ids`` that have one."""
        self.refresh()
        with self._lock:
            return [(pk, self._matrix[self._rows[pk]].copy()) for pk in ids if pk in self._rows]

    def nearest(
        self, query: np.ndarray, k: int, *, above_median: float | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` stored ids most similar to ``query`` (cosine), best first; with
        ``above_median``, only those that stand out from the whole collection by that much
        (the median similarity to every record is what "unrelated" scores for this query)."""
        self.refresh()
        with self._lock:
            if not self._rows or k <= 0:
                return []
            self._want_graph()
            if self._graph is not None:
                return self._walk(np.asarray(query, dtype=np.float32), k, above_median)
            with _one_blas_thread():
                scores = self._matrix[: self._used] @ np.asarray(query, dtype=np.float32)
            ids = self._ids[: self._used]
            live = ids >= 0
            floor = -np.inf
            if above_median is not None and len(self._rows) >= MEDIAN_FROM:
                floor = float(np.median(scores[live])) + above_median
            scores = np.where(live, scores, -np.inf)
            k = min(k, len(self._rows))
            top = np.argpartition(-scores, k - 1)[:k]
            top = top[np.argsort(-scores[top], kind="stable")]
            return [(int(ids[i]), float(scores[i])) for i in top if scores[i] >= floor]

    def _walk(
        self, query: np.ndarray, k: int, above_median: float | None
    ) -> list[tuple[int, float]]:
        """``nearest`` by the graph (under the lock), the median over an even sample."""
        floor = -np.inf
        if above_median is not None and len(self._rows) >= MEDIAN_FROM:
            step = max(1, self._used // MEDIAN_SAMPLE)
            sample = self._ids[: self._used : step] >= 0
            with _one_blas_thread():
                scores = self._matrix[: self._used : step][sample] @ query
            floor = float(np.median(scores)) + above_median
        found = self._graph.search(query, min(k, len(self._rows)))
        out = []
        for pk, distance in zip(found.keys.tolist(), found.distances.tolist(), strict=True):
            score = 1.0 - float(distance)  # the inner product's distance is 1 - product
            if score >= floor and int(pk) in self._rows:
                out.append((int(pk), score))
        return out
