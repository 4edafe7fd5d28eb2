"""M14.1: ``kttc audit verify`` walks the audit chain and reports the first broken link, then
checks it against the checkpoints of its head, then compares every evidence row with the hash
its entry recorded."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kttc.core import integrity
from kttc.core.selectors import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Walk the hash-linked audit chain (M14.1) and report the first broken link, then the "
        "first evidence row that differs from what its entry recorded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against",
            metavar="FILE",
            help="also check the chain against checkpoints kept elsewhere (the JSON export of "
            "/audit/checkpoints/)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kept: list[integrity.HeadClaim] = []
        if options["against"]:
            try:
                with open(options["against"], "rb") as file:
                    kept = integrity.heads_from_export(file.read())
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(
                    f"--against: {options['against']} is not a checkpoint export: {exc}"
                ) from None
        report = audit_chain_verify(kept)
        if report.intact:
            self.stdout.write(
                self.style.SUCCESS(
                    f"M14.1: audit chain intact: {report.checked} entries, "
                    f"last hash {report.last_hash}; every evidence row matches its entry"
                )
            )
            return
        if report.subject == "checkpoint":
            raise CommandError(
                f"M14.1: audit chain does not match its checkpoints at entry {report.broken_at}: "
                f"{report.reason}"
            )
        if report.subject == "evidence":
            raise CommandError(f"M14.1: evidence does not match the audit chain: {report.reason}")
        raise CommandError(
            f"M14.1: audit chain broken at entry {report.broken_at}: {report.reason} "
            f"({report.checked} entries before it are intact)"
        )
