"""``kttc statistics refresh``: rebuild the statistics' summary table now (M13.3); the daily
sweep does it too."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kttc.oversight.statistics import services
from kttc.policy import calendar


class Command(BaseCommand):
    help = "Rebuild the statistics' summary table (M13.3) from the source tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="as on this date (YYYY-MM-DD); default: today")

    def handle(self, *args: Any, **options: Any) -> None:
        today = calendar.today_in_shanghai()
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today: {exc}") from exc
        done = services.statistics_refresh(today=today)
        self.stdout.write(
            f"{done.rows} figures as of {done.as_of:%Y-%m-%d} in {done.seconds:.2f} s"
        )
