"""``kttc sweep``: each part's deadline sweep, then the e-mail of what they noticed, then each
person's daily digest (the notices of the kinds they take in one e-mail a day).

Each part that has deadlines offers ``kttc.<part>.sweep.run(today) -> dict[str, int]``: it claims
the rows that became due or overdue with a conditional UPDATE and notifies once (DESIGN rule 5),
so running the sweep twice, or two sweeps at once, notifies nothing twice. The sweep also records
one checkpoint of the audit chain's head a day (M14.1, ``kttc audit checkpoint``). Run it daily
(cron or a systemd timer, or ``kttc worker --beat``); it works in short transactions, so people
can work meanwhile.

With a broker (``KTTC_BROKER_URL``) the parts and the mail after them are queued as tasks, one
after the other (:mod:`kttc.core.tasks.builtin`), and the command returns at once; the audit
checkpoint and the removal of old jobs are still done here. ``--here`` runs everything in this
process all the same.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kttc.core import integrity, jobs, tasks
from kttc.core.notifications.digest import notifications_digest
from kttc.core.notifications.services import Delivery, notifications_email
from kttc.core.observability import metrics
from kttc.core.parts import part_modules
from kttc.policy import calendar

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run each part's deadline sweep (reminders and overdue notices, each sent once), then "
        "e-mail the notifications not yet e-mailed, then each person's daily digest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            help="sweep as on this date (YYYY-MM-DD, Asia/Shanghai); default: today",
        )
        parser.add_argument(
            "--no-mail", action="store_true", help="write the notifications, e-mail nothing"
        )
        parser.add_argument(
            "--here",
            action="store_true",
            help="run every part in this process even with a broker (KTTC_BROKER_URL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = self._today(options["today"])
        self.stdout.write(f"Sweep as on {today.isoformat()}")
        started = time.perf_counter()
        if tasks.broker_configured() and not options["here"]:
            self._queue(today, mail=not options["no_mail"])
            self.stdout.write(f"Done in {time.perf_counter() - started:.2f} s")
            return
        failed = []
        for label, module in part_modules("sweep"):
            start = time.perf_counter()
            try:
                counts = module.run(today)
            except Exception:
                # One part's failure must not keep the others' deadlines from being swept: it
                # is logged with its trace, the rest runs, and the command fails at the end.
                logger.exception("the sweep of %s failed", label)
                failed.append(label)
                self.stderr.write(f"  {label}: failed; see the log")
                continue
            self._report(label, counts, time.perf_counter() - start)
        self._housekeeping(today)
        if not options["no_mail"]:
            start = time.perf_counter()
            self._report("mail", self._counts(notifications_email()), time.perf_counter() - start)
            start = time.perf_counter()
            digests = notifications_digest()
            self._report("daily digests", self._counts(digests), time.perf_counter() - start)
        self.stdout.write(f"Done in {time.perf_counter() - started:.2f} s")
        metrics.observe_sweep_run(ok=not failed)
        if failed:
            raise CommandError(f"The sweep of {', '.join(failed)} failed; the others ran.")

    def _queue(self, today: date, *, mail: bool) -> None:
        """Queue each part, then the mail, for the workers; do the day's checkpoint here."""
        from kttc.core.tasks import builtin

        labels = [label for label, _ in part_modules("sweep")]
        steps = [builtin.sweep_part.si(label, today.isoformat()) for label in labels]
        tasks.enqueue_chain(*steps, builtin.sweep_finish.si(mail))
        for label in labels:
            self.stdout.write(f"  {label}: queued")
        if mail:
            self.stdout.write("  mail and daily digests: queued after the parts")
        self._housekeeping(today)

    def _housekeeping(self, today: date) -> None:
        """The day's checkpoint of the audit chain (M14.1) and the removal of week-old jobs: here,
        whether the parts run in this process or on the workers."""
        checkpoint = integrity.checkpoint_record(today=today, once_a_day=True)
        self._report(
            "audit checkpoint (M14.1)",
            {"recorded at entry": checkpoint.seq} if checkpoint else {},
            0.0,
        )
        self._report("jobs older than a week removed", {"removed": jobs.sweep()}, 0.0)

    def _today(self, text: str | None) -> date:
        if not text:
            return calendar.today_in_shanghai()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CommandError(
                f"--today must be a date such as 2026-05-01; it is {text!r}"
            ) from None

    def _counts(self, delivery: Delivery) -> dict[str, int]:
        counts = {"e-mails sent": delivery.emails, "notifications e-mailed": delivery.notices}
        if delivery.failed:
            counts["e-mails failed (retried next time)"] = delivery.failed
        return counts

    def _report(self, label: str, counts: dict[str, int], seconds: float) -> None:
        metrics.observe_sweep_part(label, counts)
        done = ", ".join(f"{what} {n:,}" for what, n in counts.items()) or "nothing to do"
        self.stdout.write(f"  {label}: {done} ({seconds:.2f} s)")
