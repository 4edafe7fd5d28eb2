"""M14.1: ``kttc evidence pack N -o pack.zip`` writes the evidence pack of the decision of audit
entry N (a checkpoint is recorded first where none covers it; the drawing is recorded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kttc.core.models import AuditEntry, User
from kttc.oversight.evidence import services


class Command(BaseCommand):
    help = "Write the evidence pack (M14.1) of the decision of an audit entry as a zip."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("seq", type=int, help="the decision's audit entry (its #)")
        parser.add_argument("-o", "--output", required=True, help="the zip file to write")
        parser.add_argument("--language", default="zh-hans", help="the PDF's language")
        parser.add_argument(
            "--actor", help="e-mail of the person drawing it (recorded; the system otherwise)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        entry = AuditEntry.objects.filter(seq=options["seq"]).first()
        if entry is None:
            raise CommandError(f"M14.1: seq: no audit entry {options['seq']}")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(email__iexact=options["actor"], is_active=True).first()
            if actor is None:
                raise CommandError(f"--actor: no active person has the e-mail {options['actor']}")
        drawn = services.pack_draw(actor=actor, entry=entry, language=options["language"])
        try:
            Path(options["output"]).write_bytes(drawn.zip)
        except OSError as exc:
            raise CommandError(f"--output: {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"M14.1: evidence pack of entry {entry.seq} written to {options['output']} "
                f"({len(drawn.zip)} bytes, SHA-256 {drawn.sha256})"
            )
        )
