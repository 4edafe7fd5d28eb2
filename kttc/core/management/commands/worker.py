"""``kttc worker``: a worker of the task queue (Celery) for the platform.

It reads the broker from ``KTTC_BROKER_URL``, loads every task (the core's and each part's
``tasks.py``) and works both queues: ``kttc`` (e-mails, the sweep's parts) and ``kttc.long``
(imports, statistics). ``--beat`` also starts the schedule of the daily sweep (01:00
Asia/Shanghai); run it in one worker only.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kttc.core import tasks


class Command(BaseCommand):
    help = "Run a worker of the task queue (KTTC_BROKER_URL); --beat also schedules the sweep."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--concurrency",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="processes running tasks at once (default: 2, or 1 on one core)",
        )
        parser.add_argument(
            "--queues",
            default=",".join(tasks.QUEUES),
            help=f"queues to work, comma separated (default: {','.join(tasks.QUEUES)})",
        )
        parser.add_argument(
            "--beat", action="store_true", help="also schedule the daily sweep (01:00 Shanghai)"
        )
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument("--name", default="kttc@%h", help="the worker's node name")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.KTTC_BROKER_URL:
            raise CommandError(
                "KTTC_BROKER_URL is not set: without a broker tasks run in the web process and "
                "no worker is needed (README “Background work (task queue)”)."
            )
        if options["concurrency"] < 1:
            raise CommandError("--concurrency must be at least 1.")
        queues = [q.strip() for q in options["queues"].split(",") if q.strip()]
        unknown = sorted(set(queues) - set(tasks.QUEUES))
        if not queues or unknown:
            raise CommandError(f"--queues: unknown queue(s) {unknown}; known: {tasks.QUEUES}")
        app = tasks.configure()
        tasks.load_tasks()
        argv = [
            "worker",
            f"--loglevel={options['loglevel']}",
            f"--concurrency={options['concurrency']}",
            f"--queues={','.join(queues)}",
            f"--hostname={options['name']}",
            "--without-gossip",
            "--without-mingle",
        ]
        if options["beat"]:
            argv.append("--beat")
        app.worker_main(argv=argv)
