"""``kttc policy clauses``: every obligation id with the code and the tests that carry it."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from kttc.core.citations import Citation, ClauseCarriers, scan
from kttc.policy.clauses import CLAUSES


def _fmt(citations: list[Citation], limit: int) -> str:
    shown = [f"{c.path}:{c.line} {c.where}" for c in citations[:limit]]
    if len(citations) > limit:
        shown.append(f"… {len(citations) - limit} more")
    return "; ".join(shown)


class Command(BaseCommand):
    help = "List every obligation id of the measures with the code and tests that cite it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--missing", action="store_true", help="only the obligations nothing carries yet"
        )
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument("--limit", type=int, default=4, help="citations shown per line")

    def handle(self, *args: Any, **options: Any) -> None:
        carriers = scan(settings.BASE_DIR)
        empty = ClauseCarriers()
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        clause: {
                            "title": title,
                            "code": [c.__dict__ for c in carriers.get(clause, empty).code],
                            "tests": [c.__dict__ for c in carriers.get(clause, empty).tests],
                        }
                        for clause, title in CLAUSES.items()
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        carried = tested = 0
        missing = []
        for clause, title in CLAUSES.items():
            found = carriers.get(clause, empty)
            carried += bool(found.code)
            tested += bool(found.tests)
            if not found.code:
                missing.append(clause)
            if options["missing"] and found.code:
                continue
            self.stdout.write(f"{clause:<6} {title}")
            self.stdout.write(
                f"       code:  {_fmt(found.code, options['limit']) or '(nothing carries it yet)'}"
            )
            self.stdout.write(
                f"       tests: {_fmt(found.tests, options['limit']) or '(no test yet)'}"
            )
        self.stdout.write("")
        self.stdout.write(
            f"{len(CLAUSES)} obligations: {carried} carried by code, {tested} cited by tests."
        )
        self.stdout.write("Not carried yet: " + (", ".join(missing) or "none"))
