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

import numpy as np
from threadpoolctl import ThreadpoolController

#: The median of fewer records says nothing of what "unrelated" scores.
MEDIAN_FROM = 10

_threadpools: ThreadpoolController | None = None


def _one_blas_thread() -> AbstractContextManager[object]:
    """A context in which numpy's BLAS uses one thread (see the module's note)."""
    global _threadpools
    if _threadpools is None:
        _threadpools = ThreadpoolController()
    limiter: AbstractContextManager[object] = _threadpools.limit(limits=1, user_api="blas")
    return limiter


class VectorStore:
    def __init__(self, path: Path | str, dim: int) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch(exist_ok=True)
        self.dim = dim
        self.record = np.dtype([("id", "<i8"), ("v", "<f2", (dim,))])
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
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
        for pk, vector in zip(rows["id"].tolist(), rows["v"], strict=True):
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
