"""The center's tasks (found by this name when a worker starts, see ``kttc.core.tasks``): the
embeddings of new and changed results, encoded once for every web node on the long queue
(:mod:`kttc.center.search.shared`)."""

from __future__ import annotations

from kttc.center.search import shared
from kttc.core import tasks


@tasks.task("kttc.center.embed", queue=tasks.LONG_QUEUE)
def embed_results(ids: list[int]) -> int:
    """Encode these results (at most ``shared.BATCH`` are sent at once) and store their vectors
    for every node; run twice, it encodes nothing twice."""
    return shared.encode_batch(ids)
