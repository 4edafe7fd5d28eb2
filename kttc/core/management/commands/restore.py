"""``kttc restore BACKUP``: check the backup's hashes, restore the database and the documents,
rebuild the search index, then verify the audit chain against the backup's last checkpoint
(M14.1); exit status 1 when it does not verify."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kttc.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup of `kttc backup` into the configured database and MEDIA_ROOT, rebuild "
        "the search index and verify the audit chain against the backup's checkpoint (M14.1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="the backup's folder or .tar file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def say(text: str) -> None:
            self.stdout.write(text)

        try:
            with backup.opened(options["backup"], say=say) as bundle:
                say(f"Backup checked: every file matches the manifest ({options['backup']})")
                report = backup.restore(bundle, force=options["force"], say=say)
        except backup.BackupError as exc:
            raise CommandError(f"restore: {exc}") from None
        if not report.intact:
            raise CommandError(report.text)
        self.stdout.write(self.style.SUCCESS(report.text))
