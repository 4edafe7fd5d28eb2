"""M14.1: ``kttc evidence verify pack.zip`` runs the pack's own check (the rules its verify.py
carries) and, on the platform, compares its checkpoints with the platform's signed ones."""

from __future__ import annotations

import hmac
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kttc.core import integrity
from kttc.core.models import AuditCheckpoint
from kttc.oversight.evidence.selectors import checkpoint_row
from kttc.policy import evidence_pack as rules


class Command(BaseCommand):
    help = "Verify an evidence pack (M14.1): files, entries and links, checkpoints, documents."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pack", help="the pack's zip, or the directory it was unzipped into")
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="compare with checkpoints kept elsewhere (the JSON export of "
            "/audit/checkpoints/) instead of the platform's own",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["checkpoints"]:
                report = rules.verify_path(options["pack"], options["checkpoints"])
            else:
                report = self._against_platform(options["pack"])
        except rules.PackFailure as failure:
            raise CommandError(f"M14.1: the evidence pack does not verify: {failure}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"VERIFIED: decision entry {report.decision_seq}; {report.entries} entries, "
                f"{report.links} links up to checkpoint entry {report.checkpoint_seq}; "
                f"{report.documents} documents and {report.evidence_rows} evidence rows (M14.1)"
            )
        )
        for note in report.notes:
            self.stdout.write(note)

    def _against_platform(self, path: str) -> rules.PackReport:
        """The pack checked against the platform's checkpoints, each signature recomputed with
        the platform's key."""
        kept = []
        for checkpoint in AuditCheckpoint.objects.order_by("seq"):
            expected = integrity.checkpoint_signature(
                checkpoint.seq, checkpoint.hash, checkpoint.created_at
            )
            if hmac.compare_digest(expected, checkpoint.signature):
                kept.append(checkpoint_row(checkpoint))
        if os.path.isdir(path):
            report = rules.verify_files(rules.read_directory(path), kept=kept, strict=False)
        else:
            report = rules.verify_files(rules.read_zip(_read(path)), kept=kept)
        report.notes[:] = ["The checkpoints match the platform's, signature included."]
        return report


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise rules.PackFailure(f"{path} cannot be read ({exc})") from None
