"""M14.1: ``kttc audit baseline`` seals the evidence rows that no audit entry records yet."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kttc.core import services


class Command(BaseCommand):
    help = (
        "Record one audit entry holding the hash of every evidence row no entry records yet "
        "(rows stored before entries recorded content hashes), so that verify holds them to "
        "it (M14.1). Run once after upgrading an installation; the entry stays in the chain."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = services.evidence_baseline_record()
        if not sealed:
            self.stdout.write("M14.1: every evidence row is recorded by an audit entry already")
            return
        self.stdout.write(self.style.SUCCESS(f"M14.1: {sealed} evidence rows sealed in one entry"))
