"""M14.1: ``kttc audit verify`` walks the audit chain and reports the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kttc.core.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Walk the hash-linked audit chain (M14.1) and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if report.intact:
            self.stdout.write(
                self.style.SUCCESS(
                    f"M14.1: audit chain intact: {report.checked} entries, "
                    f"last hash {report.last_hash}"
                )
            )
            return
        raise CommandError(
            f"M14.1: audit chain broken at entry {report.broken_at}: {report.reason} "
            f"({report.checked} entries before it are intact)"
        )
