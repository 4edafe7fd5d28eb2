"""``kttc backup DEST``: the database (a consistent copy), the documents under MEDIA_ROOT and a
manifest of their hashes and of the audit chain's head and last checkpoint (M14.1)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kttc.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database, the documents and a manifest (hashes, the audit chain's head and "
        "last checkpoint, M14.1) into a new folder or a file ending in .tar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", help="a new (or empty) folder, or a file ending in .tar")

    def handle(self, *args: Any, **options: Any) -> None:
        def say(text: str) -> None:
            self.stdout.write(text)

        try:
            manifest = backup.backup(options["destination"], say=say)
        except backup.BackupError as exc:
            raise CommandError(f"backup: {exc}") from None
        head = manifest["audit"]["head"]
        checkpoint = manifest["audit"]["checkpoint"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {options['destination']}: {manifest['database']['vendor']} "
                f"database, {manifest['documents']:,} documents, audit chain up to entry "
                f"{head['seq'] if head else 0}"
                + (f", last checkpoint at entry {checkpoint['seq']}" if checkpoint else "")
            )
        )
