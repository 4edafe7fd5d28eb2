"""The meaning side of search: which public results are closest to a query in any language, and
keeping their embeddings in step, in the background.

``sync`` (the lexical index's keeper) hands every indexed id to :func:`queue` and every removed
one to :func:`forget`. Encoding costs tens of milliseconds a record, so it is never done in the
request that changed the record: the ids wait in ``embed.pending`` beside the index and a worker
encodes them in batches. ``settings.KTTC_EMBED_WORKER`` says which worker:

- ``"thread"`` (the default): a daemon thread of the process that queued them, started when
  needed and ended when the queue is empty; its engine uses one core, leaving the other to
  requests;
- ``"inline"``: at once, in the caller (tests, small imports from the command line);
- ``"external"``: nothing here; ``kttc search embed --follow`` runs as its own process;
- ``"queue"`` (the default with ``KTTC_BROKER_URL``): a worker of the task queue encodes each
  result once and stores its vector in the database, and every node copies it from there
  (:mod:`kttc.center.search.shared`).

Whatever the worker, ``kttc search embed`` encodes every public result that has no vector yet
(after a rebuild, or when the queue was lost), and reports its rate.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
from django.conf import settings

from kttc.center.search import embedding
from kttc.center.search.base import SearchDoc
from kttc.center.search.vectors import VectorStore

logger = logging.getLogger(__name__)

PENDING = "embed.pending"
BATCH = 32
#: How many neighbours a query considers, and how far below the best one they may fall (cosine):
#: beyond that a record shares the query's language or field, not its meaning.
CANDIDATES = 50
FLOOR = 0.1
#: How far above a text's median similarity to every record (what unrelated records score for
#: it: E5's cosines are compressed, 0.75-0.85 for most pairs) a record must be to be called
#: close on its own: a demand's "may meet" results and a result's similar ones.
STANDOUT = 0.04
#: A search asks less of its candidates, which only join the ranking: enough to keep a small
#: catalog from listing every record (XQuAD, Vietnamese questions, R@10: 0.87 at 0.02 as
#: without it, 0.64 at 0.04).
SEARCH_STANDOUT = 0.02
#: An English query is glossed with the first Chinese term of each of its phrases the
#: dictionary knows, up to ``GLOSS_TERMS``: more phrases rather than more senses of each, and
#: no more than that, as each term costs encoding time. English demands, R@10 of the platform
#: (``bench/crosslingual_bench.py``): held-out set 0.78 with three terms a phrase and twelve in
#: all, 0.85 with one a phrase and sixteen, as with twenty or more; XQuAD 0.90 and 0.91.
GLOSS_TERMS = 16

_lock = threading.Lock()
_stores: dict[tuple[int, Path], VectorStore] = {}
_worker: threading.Thread | None = None
#: Called with the ids of results just encoded (the matching of demands listens).
encoded_listeners: list[Callable[[list[int]], object]] = []


def _dir() -> Path:
    from kttc.center.search import search_dir

    return search_dir()


def store() -> VectorStore | None:
    """The vectors of this process's search directory, or None without an encoder."""
    model = embedding.encoder()
    if model is None:
        return None
    path = _dir() / f"vectors-{model.name}-p{embedding.PASSAGE_VERSION}.bin"
    key = (os.getpid(), path)
    with _lock:
        found = _stores.get(key)
        if found is None:
            _stores.clear()
            found = _stores[key] = VectorStore(path, model.dim)
        return found


def reset() -> None:
    with _lock:
        _stores.clear()


def candidates(text: str, k: int = CANDIDATES) -> tuple[tuple[int, float], ...]:
    """The public results whose meaning is closest to ``text``, best first, with their cosine."""
    model, vectors = embedding.encoder(), store()
    if model is None or vectors is None:
        return ()
    return nearest(model, vectors, text, k)


def nearest(
    model: embedding.Encoder, vectors: VectorStore, text: str, k: int = CANDIDATES
) -> tuple[tuple[int, float], ...]:
    """The ``k`` stored records closest to ``text``, keeping those within ``FLOOR`` of the best."""
    if not (text or "").strip():
        return ()
    found = vectors.nearest(query_vector(model, text), k, above_median=SEARCH_STANDOUT)
    if not found:
        return ()
    best = found[0][1]
    return tuple((pk, score) for pk, score in found if score >= best - FLOOR)


def query_text(text: str) -> str:
    """What the encoder reads for a query: the query, and after it the Chinese words it
    translates to when it is in Vietnamese (its Sino-Vietnamese words, ``sinoviet``) or in
    English (the dictionary's terms, ``translation``). The small encoder matches Chinese to
    Chinese far better than either language to Chinese: over 10,850 records, the demands found
    their record among the ten nearest for 0.68 (English) and 0.54 (Vietnamese) of them alone,
    0.93 and 0.71 glossed (``bench/crosslingual_bench.py``)."""
    from kttc.center.search import sinoviet, translation

    text = (text or "").strip()[: embedding.QUERY_CHARS]
    gloss = sinoviet.chinese_words(text) or translation.chinese_terms(
        text, GLOSS_TERMS, per_phrase=1
    )
    return f"{text} {' '.join(gloss)}" if gloss else text


def query_vector(model: embedding.Encoder, text: str) -> np.ndarray:
    """The query's vector (of ``query_text``), kept for the next page, sort or filter of the
    same search (the encoder costs tens of milliseconds; the cache about 1.5 kB a query). Only
    the process's own encoder's vectors are kept."""
    text = query_text(text)
    if model is not embedding.encoder():
        return model.query(text)
    return _cached_vector(model.name, text)


@functools.lru_cache(maxsize=1024)
def _cached_vector(name: str, text: str) -> np.ndarray:
    model = embedding.encoder()
    assert model is not None and model.name == name
    vector = model.query(text)
    vector.setflags(write=False)
    return vector


# --- keeping in step -------------------------------------------------------------------------


def mode() -> str:
    """Who encodes new results (``settings.KTTC_EMBED_WORKER``, see the module's note)."""
    return str(getattr(settings, "KTTC_EMBED_WORKER", "thread"))


def keep_in_step(docs: Sequence[SearchDoc], gone: Iterable[int], *, ask: bool = True) -> None:
    """After a sync of ``docs`` (public) and ``gone`` (not): the vectors follow. With the queue,
    this node copies the stored vectors and, with ``ask`` (where the results changed, not a
    node following the outbox), sends the task for the others (``shared.take``)."""
    forget(gone)
    if mode() != "queue":
        queue(d.id for d in docs)
    elif store() is not None:
        from kttc.center.search import shared

        shared.take(docs, gone, ask=ask)


def queue(ids: Iterable[int]) -> None:
    """Encode these results soon (see the module's note on workers)."""
    wanted = sorted({int(pk) for pk in ids})
    if not wanted or store() is None:
        return
    if mode() == "queue":
        from kttc.center.search import shared

        shared.take(shared.docs_of(wanted), (), ask=True)
        return
    queue_back(wanted)
    if mode() == "inline":
        drain()
    elif mode() == "thread":
        _start_thread()


def forget(ids: Iterable[int]) -> None:
    """These results are no longer public: their vectors go at once."""
    vectors = store()
    if vectors is not None:
        vectors.delete(ids)


def _start_thread() -> None:
    global _worker
    with _lock:
        if _worker is not None and _worker.is_alive():
            return
        _worker = threading.Thread(target=_run_thread, name="kttc-embed", daemon=True)
        _worker.start()


def _run_thread() -> None:
    try:
        while drain():
            pass
    except Exception:
        logger.exception("Embedding of new results failed; `kttc search embed` catches up.")
    finally:
        from django.db import connection

        connection.close()


def drain(limit: int = 2000) -> int:
    """Encode the queued results (at most ``limit``; the rest stay queued). Returns how many
    were encoded."""
    from kttc.center.search import _take_pending

    ids = sorted(_take_pending(PENDING))
    if not ids:
        return 0
    now, later = ids[:limit], ids[limit:]
    if later:
        queue_back(later)
    try:
        return encode(now)
    except BaseException:
        queue_back(now)
        raise


def queue_back(ids: Iterable[int]) -> None:
    from kttc.center.search import _keep_pending

    _keep_pending(ids, PENDING)


def encode(ids: Iterable[int], progress: Callable[[int], None] | None = None) -> int:
    """Encode these results now (the public ones; the others' vectors are removed). With the
    queue, the stored vectors are taken first and only the results without one are encoded
    (and stored for the other nodes: ``shared.fill``)."""
    from kttc.center.search import doc_for, indexable
    from kttc.registry.models import Achievement

    model, vectors = embedding.encoder(), store()
    if model is None or vectors is None:
        return 0
    if mode() == "queue":
        from kttc.center.search import shared

        return shared.fill(ids, progress)
    wanted = sorted({int(pk) for pk in ids})
    done = 0
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        docs = [doc_for(a) for a in indexable(Achievement.objects.filter(pk__in=chunk))]
        vectors.delete(set(chunk) - {d.id for d in docs})
        if docs:
            vectors.put(
                [d.id for d in docs], model.passages([embedding.passage_text(d) for d in docs])
            )
        done += len(docs)
        for listener in encoded_listeners:
            listener([d.id for d in docs])
        if progress is not None:
            progress(done)
    return done


def missing() -> list[int]:
    """Public results without a vector yet."""
    from kttc.center.search import indexable

    vectors = store()
    if vectors is None:
        return []
    have = vectors.ids()
    return [pk for pk in indexable().order_by("pk").values_list("pk", flat=True) if pk not in have]


def wait_idle(timeout: float = 30.0) -> bool:
    """Wait for the background thread to finish (tests, commands); True when it did."""
    deadline = time.monotonic() + timeout
    while _worker is not None and _worker.is_alive():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
