"""M14.1: ``kttc audit checkpoint`` records the chain's head, signed with the platform's key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kttc.core import integrity


class Command(BaseCommand):
    help = (
        "Record a checkpoint of the audit chain's head (M14.1), signed with the platform's key "
        "and listed publicly at /audit/checkpoints/."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = integrity.checkpoint_record()
        if checkpoint is None:
            self.stdout.write(
                "M14.1: nothing to record: the chain is empty or its head is the last checkpoint's"
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"M14.1: checkpoint recorded: entry {checkpoint.seq}, hash {checkpoint.hash}, "
                f"signature {checkpoint.signature}"
            )
        )
