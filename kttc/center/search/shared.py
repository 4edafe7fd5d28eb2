"""The embeddings of results encoded once for every web node (``KTTC_EMBED_WORKER=queue``, the
default with a broker): README "Search by meaning" and "Background work (task queue)".

The process where a result changed asks for its vector (:func:`take` with ``ask``): when the
database holds none for the result's passage as it is now (``ResultVector``: one row per result,
encoder and passage version, with the digest of the text encoded), it sends the task
``kttc.center.embed`` (``kttc.center.tasks``) on the long queue, after the commit, in batches of
``BATCH`` ids chained ``CHAIN`` at a time. A worker encodes the batch (:func:`encode_batch`),
writes the rows and, in the same transaction, one outbox row per result written
(``kttc.registry.outbox.IndexOutbox``): every node's follower, which reads those rows after its
cursor, syncs the result again and copies its vector from the table into the node's vector file
(:func:`take` without ``ask``) instead of encoding it. A node that was down does the same when it
catches up; ``kttc search embed`` (and ``rebuild``) takes the stored vectors of the results it
lacks and encodes, and stores, only those the table lacks too (:func:`fill`).

Running a task twice writes the same rows: a result whose stored digest is its passage's is not
encoded again, and the rows of a result no longer public are removed. The task locks nothing but
its own rows (no foreign key to the result: DESIGN rule 9).

Without a broker the task runs in the process that asked for it, after the commit, and that
process's vector file takes the vectors at once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from kttc.center.search import embedding
from kttc.center.search.base import SearchDoc

if TYPE_CHECKING:
    from kttc.center.search.vectors import VectorStore

logger = logging.getLogger(__name__)

#: Results encoded by one task (tens of milliseconds each: a few seconds a task).
BATCH = 128
#: Stored vectors read by one query.
READ = 1000
#: Tasks sent as one chain (each runs after the one before, each retried on its own; the next
#: chain waits behind the rest of the long queue).
CHAIN = 16


def digest(text: str) -> str:
    """The digest of a passage: a row whose digest is the result's passage's is current."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as the vector file keeps it (little-endian float16)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(data: bytes | memoryview, dim: int) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f2").astype(np.float32).reshape(dim)


def _rows(model: embedding.Encoder, ids: Iterable[int]) -> dict[int, tuple[str, bytes]]:
    """The stored (digest, vector bytes) of those of ``ids`` that have a row for ``model``."""
    from kttc.center.search.models import ResultVector

    wanted = sorted({int(pk) for pk in ids})
    found: dict[int, tuple[str, bytes]] = {}
    for start in range(0, len(wanted), READ):  # a bulk import's sync: a bounded query each
        rows = ResultVector.objects.filter(
            achievement_id__in=wanted[start : start + READ],
            model=model.name,
            passage_version=embedding.PASSAGE_VERSION,
        ).values_list("achievement_id", "digest", "vector")
        found.update((int(pk), (dg, bytes(vector))) for pk, dg, vector in rows)
    return found


def docs_of(ids: Iterable[int]) -> list[SearchDoc]:
    """The search documents of those of ``ids`` that are public."""
    from kttc.center.search import doc_for, indexable
    from kttc.registry.models import Achievement

    wanted = sorted({int(pk) for pk in ids})
    return [doc_for(a) for a in indexable(Achievement.objects.filter(pk__in=wanted))]


def _tell(ids: list[int]) -> None:
    from kttc.center.search import semantic

    for listener in semantic.encoded_listeners:
        listener(ids)


def load(docs: Sequence[SearchDoc], vectors: VectorStore | None = None) -> list[int]:
    """Copy the stored vectors of ``docs`` whose passage they encode into this node's vector
    file (those it has already, the same, are left). Returns the ids of the docs with no such
    row."""
    from kttc.center.search import semantic

    model = embedding.encoder()
    if vectors is None:  # (an empty store is falsy: not ``or``)
        vectors = semantic.store()
    if model is None or vectors is None or not docs:
        return [d.id for d in docs]
    texts = {d.id: embedding.passage_text(d) for d in docs}
    rows = _rows(model, texts)
    current = {
        pk: from_bytes(rows[pk][1], model.dim)
        for pk in sorted(texts)
        if pk in rows and rows[pk][0] == digest(texts[pk])
    }
    local = dict(vectors.vectors_of(current))
    changed = [
        pk for pk, v in current.items() if pk not in local or not np.array_equal(local[pk], v)
    ]
    if changed:
        vectors.put(changed, np.stack([current[pk] for pk in changed]))
        _tell(changed)
    return [pk for pk in sorted(texts) if pk not in current]


def take(docs: Sequence[SearchDoc], gone: Iterable[int], *, ask: bool) -> None:
    """After a sync of ``docs`` (public) and ``gone`` (no longer public) on this node: copy the
    stored vectors; with ``ask`` (the process where they changed), send the task for the docs
    without a current row and for the gone ones that still have one."""
    lacking = load(docs)
    if not ask:
        return
    model = embedding.encoder()
    gone = sorted({int(pk) for pk in gone})
    stale = sorted(_rows(model, gone)) if model is not None and gone else []
    request([*lacking, *stale])


def request(ids: Iterable[int]) -> int:
    """Send ``kttc.center.embed`` for these results after the commit: ``BATCH`` ids a task,
    ``CHAIN`` tasks a chain. Returns how many tasks."""
    from kttc.center.tasks import embed_results
    from kttc.core import tasks

    wanted = sorted({int(pk) for pk in ids})
    batches = [wanted[i : i + BATCH] for i in range(0, len(wanted), BATCH)]
    for start in range(0, len(batches), CHAIN):
        tasks.enqueue_chain(*(embed_results.si(b) for b in batches[start : start + CHAIN]))
    return len(batches)


def _write(
    model: embedding.Encoder, texts: dict[int, str], vectors: np.ndarray, *, tell_nodes: bool
) -> list[int]:
    """Store the vectors of ``texts`` (id: passage encoded), with ``tell_nodes`` in one
    transaction with their outbox rows, but of the results whose passage changed since (the task
    their change sent writes theirs) or that are no longer public. Returns the ids written."""
    from django.db import transaction
    from django.utils import timezone

    from kttc.center.search.models import ResultVector
    from kttc.registry.outbox import IndexOutbox

    now = timezone.now()
    with transaction.atomic():
        still = {d.id: embedding.passage_text(d) for d in docs_of(texts)}
        keep = [(n, pk) for n, pk in enumerate(texts) if still.get(pk) == texts[pk]]
        ResultVector.objects.bulk_create(
            [
                ResultVector(
                    achievement_id=pk,
                    model=model.name,
                    passage_version=embedding.PASSAGE_VERSION,
                    digest=digest(texts[pk]),
                    vector=to_bytes(vectors[n]),
                    updated_at=now,
                )
                for n, pk in keep
            ],
            update_conflicts=True,
            unique_fields=["achievement_id", "model", "passage_version"],
            update_fields=["digest", "vector", "updated_at"],
        )
        # The rows every node's follower reads (written here, not by ``outbox.record``, whose
        # signal would sync the index of the process that runs the task: a worker's has no use).
        if tell_nodes:
            IndexOutbox.objects.bulk_create(
                [IndexOutbox(achievement_id=pk, created_at=now) for _n, pk in keep]
            )
    return [pk for _n, pk in keep]


def encode_batch(ids: Iterable[int]) -> int:
    """The task's work: encode those of ``ids`` that are public and have no current row, store
    them, and remove the rows of the others. Returns how many were encoded."""
    from kttc.center.search.models import ResultVector
    from kttc.core import tasks

    model = embedding.encoder()
    if model is None:
        logger.warning("Embeddings are off on this worker: results are not encoded here.")
        return 0
    wanted = sorted({int(pk) for pk in ids})
    done = 0
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        docs = docs_of(chunk)
        texts = {d.id: embedding.passage_text(d) for d in docs}
        stored = _rows(model, chunk)
        ResultVector.objects.filter(
            achievement_id__in=sorted(set(stored) - set(texts)), model=model.name
        ).delete()
        todo = {pk: t for pk, t in texts.items() if stored.get(pk, ("",))[0] != digest(t)}
        if not todo:
            continue
        written = _write(model, todo, model.passages(list(todo.values())), tell_nodes=True)
        done += len(written)
        if not tasks.broker_configured():  # in the process that asked: its file at once
            load([d for d in docs if d.id in set(written)])
    return done


def fill(ids: Iterable[int], progress: Callable[[int], None] | None = None) -> int:
    """``kttc search embed`` on this node: the stored vectors of these results, and for those
    without one, encoded here and stored for the other nodes. Returns how many were taken."""
    from kttc.center.search import semantic

    model, vectors = embedding.encoder(), semantic.store()
    if model is None or vectors is None:
        return 0
    wanted = sorted({int(pk) for pk in ids})
    done = 0
    for start in range(0, len(wanted), BATCH):
        docs = docs_of(wanted[start : start + BATCH])
        lacking = set(load(docs, vectors))
        if lacking:
            texts = {d.id: embedding.passage_text(d) for d in docs if d.id in lacking}
            encoded = model.passages(list(texts.values()))
            vectors.put(list(texts), encoded)
            # No outbox rows: each node's own ``kttc search embed`` takes them from the table.
            _write(model, texts, encoded, tell_nodes=False)
            _tell(list(texts))
        done += len(docs)
        if progress is not None:
            progress(done)
    return done


#: How many stored vectors one statement of :func:`prune` removes.
PRUNE_BATCH = 5_000


def prune() -> int:
    """Remove the stored vectors of another encoder or passage version than this platform's
    (left by an upgrade: nothing reads them again), in bounded statements; returns how many.
    A process with embeddings off removes nothing: it cannot tell which vectors are current."""
    from kttc.center.search.models import ResultVector

    model = embedding.encoder()
    if model is None:
        return 0
    stale = ResultVector.objects.exclude(
        model=model.name, passage_version=embedding.PASSAGE_VERSION
    )
    removed = 0
    while batch := list(stale.values_list("pk", flat=True)[:PRUNE_BATCH]):
        removed += ResultVector.objects.filter(pk__in=batch).delete()[0]
    return removed
