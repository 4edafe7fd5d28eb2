"""``kttc empowerment_expire [--today YYYY-MM-DD]``: record the long-term use rights past their
last day as expired (M1.2), each once, with its audit entry. Safe to run repeatedly (a cron job)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kttc.reform.empowerment.grants import rights_expire


class Command(BaseCommand):
    help = "Record long-term use rights past their last day as expired (M1.2)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="the legal date to sweep for (Asia/Shanghai; default: today)",
        )

    def handle(self, *args: Any, today: dt.date | None = None, **options: Any) -> None:
        expired = rights_expire(today=today)
        self.stdout.write(f"{len(expired)} right(s) recorded as expired.")
