"""``kttc search rebuild``: the search index again from every public achievement (M8.2).

Readers keep the old index until the new one is committed at the end. Needed after a change of
the domain dictionary or the schema, or to catch up after the index was lost. The node's outbox
cursor is set to where the database stood when the rebuild began (``search.follow``), so the node
follows on from there. Then the results
without an embedding are encoded (``kttc search embed``; ``--no-embed`` leaves that for later).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kttc.center import search
from kttc.center.search import embedding, follow
from kttc.center.search.base import SearchDoc


class Command(BaseCommand):
    help = "Rebuild the search index from every published, public achievement."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="achievements read at once")
        parser.add_argument(
            "--no-embed",
            action="store_true",
            help="leave the embeddings of results that have none to `kttc search embed`",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        engine: Any = search.backend()
        position = follow.replay_from()  # before the achievements are read
        start = time.monotonic()
        counted = [0]

        def docs() -> Iterator[SearchDoc]:
            for batch in search.batches(options["batch"]):
                yield from batch
                counted[0] += len(batch)
                rate = counted[0] / max(time.monotonic() - start, 1e-6)
                self.stdout.write(f"\r  {counted[0]:,} achievements ({rate:,.0f}/s)", ending="")
                self.stdout.flush()

        if hasattr(engine, "rebuild"):
            total = engine.rebuild(docs())
        else:
            engine.clear()
            total = 0
            for batch in search.batches(options["batch"]):
                engine.index(batch)
                total += len(batch)
        search.sync(())  # changes made while the index was locked by the rebuild
        follow.write_cursor(follow.Cursor(position, [], time.time()))
        seconds = time.monotonic() - start
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt: {total:,} achievements in {seconds:.1f} s "
                f"({engine.count():,} in the index)."
            )
        )
        if not options["no_embed"] and embedding.encoder() is not None:
            call_command("search_embed", stdout=self.stdout._out)
