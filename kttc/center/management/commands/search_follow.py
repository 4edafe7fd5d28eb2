"""``kttc search follow``: this node's search index follows the outbox of changes, as a process
of its own (README "Search on every node"). A web process does the same in a thread unless
``KTTC_SEARCH_FOLLOW_SECONDS`` is 0; whichever holds the node's lock follows, the other waits.
``--once``: catch up and stop (a node coming back, or a cron job).
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kttc.center.search import follow


class Command(BaseCommand):
    help = "Keep this node's search index in step with the outbox of changes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="catch up, then stop")
        parser.add_argument(
            "--seconds",
            type=float,
            default=None,
            help="seconds between polls (KTTC_SEARCH_FOLLOW_SECONDS, else 0.5)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            lock = follow.try_lock()
            if lock is None:
                raise CommandError("Another process follows this node's index; it is caught up.")
            try:
                applied = follow.catch_up()
            finally:
                lock.close()
            self.stdout.write(f"{applied} outbox rows applied; {follow.lag()} behind.")
            return
        seconds = options["seconds"] or getattr(settings, "KTTC_SEARCH_FOLLOW_SECONDS", 0) or 0.5
        if seconds <= 0:
            raise CommandError("--seconds must be above 0.")
        told = [False]

        def on_poll(applied: int | None) -> None:
            if applied is None and not told[0]:
                self.stdout.write("Another process follows this node's index; waiting for it.")
                told[0] = True
            elif applied:
                self.stdout.write(f"{applied} outbox rows applied.")

        self.stdout.write(f"Following the outbox every {seconds:g} s (Ctrl-C to stop).")
        try:
            follow.follow(seconds, stop=threading.Event(), on_poll=on_poll)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
