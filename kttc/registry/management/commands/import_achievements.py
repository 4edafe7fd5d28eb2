"""M8.6: ``kttc import achievements FILE --unit CREDIT_CODE --as EMAIL`` imports an xlsx or csv
file of achievements for a unit: every row is checked, and the whole file is stored or nothing.

The file is read as it is checked and stored, a chunk of rows at a time, so a file of a million
rows needs little memory; it has no size or row limit here (the web page has). Rows are
validated in ``--workers`` processes (all cores for a large file).

Progress goes to stderr as one line rewritten in place; the summary, or the problems (row, column,
message), go to stdout. With problems the command stores nothing and exits with status 1;
``--report out.xlsx`` (or ``.csv``) writes the report with the bad cells marked.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext, ngettext

from kttc.core.errors import translated_message
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where
from kttc.policy import calendar
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability
from kttc.registry import importing

BAR_WIDTH = 30
#: Above this size a file is validated in one process per core.
LARGE_FILE = 10 * 2**20


class Command(BaseCommand):
    help = (
        "Import achievements from an xlsx or csv file with the template's Chinese headers; "
        "the whole file is stored or nothing (M8.6)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument(
            "--unit",
            help="the unit's unified social credit code (may be left out when the person "
            "manages results for one unit only)",
        )
        parser.add_argument(
            "--as", dest="actor", required=True, help="e-mail of the person who imports"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and store nothing"
        )
        parser.add_argument("--report", help="write the problems to this .xlsx (or .csv) file")
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="processes that validate rows (default: one per core for a file over 10 MB)",
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the messages and the report",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        actor = User.objects.filter(email__iexact=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(gettext("No active person has the e-mail %(email)s.")
                               % {"email": options["actor"]})  # fmt: skip
        unit = self._unit(actor, options["unit"])
        try:
            table = importing.FileTable(path)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except PolicyError as exc:
            raise CommandError(translated_message(exc)) from exc
        today = calendar.today_in_shanghai()
        workers = options["workers"] or ((os.cpu_count() or 1) if table.size > LARGE_FILE else 1)
        try:
            if options["dry_run"]:
                check = importing.check_file(
                    table, unit=unit, today=today, progress=self._bar, workers=workers
                )
                result = importing.ImportResult(check=check)
            else:
                result = importing.run_import(
                    actor=actor,
                    unit=unit,
                    table=table,
                    today=today,
                    progress=self._bar,
                    workers=workers,
                )
        except PolicyError as exc:  # access denied, or a file that cannot be read
            raise CommandError(translated_message(exc)) from exc
        if result.ok:
            self._summary(result, dry_run=options["dry_run"])
            return
        self._problems(table, result.check.problems, options)

    def _unit(self, actor: User, credit_code: str | None) -> Organisation:
        units = organisations_where(actor, Capability.MANAGE_ACHIEVEMENTS)
        if credit_code:
            unit = units.filter(credit_code=credit_code.strip().upper()).first()
            if unit is None:
                raise CommandError(
                    gettext("%(email)s manages no results for the unit %(code)s.")
                    % {"email": actor.email, "code": credit_code}
                )
            return unit
        if units.count() != 1:
            raise CommandError(gettext("Name the unit with --unit CREDIT_CODE."))
        return units.get()

    def _bar(self, phase: str, done: int, total: int) -> None:
        label = gettext("Checking") if phase == "check" else gettext("Importing")
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        percent = 100 * done // total if total else 100
        line = (
            f"\r{label} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {percent:3d}% {done}/{total}"
        )
        self.stderr.write(line, style_func=lambda text: text, ending="\n" if done == total else "")
        self.stderr.flush()

    def _summary(self, result: importing.ImportResult, *, dry_run: bool) -> None:
        check = result.check
        if dry_run:
            message = gettext(
                "The file is valid: %(creates)s results would be created and %(updates)s "
                "updated. Nothing was stored (dry run)."
            ) % {"creates": check.creates, "updates": check.updates}
        else:
            message = gettext(
                "Imported %(count)s results: %(created)s created, %(updated)s updated."
            ) % {
                "count": len(result.created) + len(result.updated),
                "created": len(result.created),
                "updated": len(result.updated),
            }
        self.stdout.write(self.style.SUCCESS(message))

    def _problems(
        self,
        table: importing.FileTable,
        problems: list[importing.RowProblem],
        options: dict[str, Any],
    ) -> None:
        for p in problems:
            self.stdout.write(
                gettext("Row %(row)s, column %(column)s: %(message)s")
                % {"row": p.row, "column": p.column_display, "message": p.message}
            )
        if options["report"]:
            report = Path(options["report"])
            language = options["language"]
            content = (
                importing.report_csv(problems, language)
                if report.suffix.lower() == ".csv"
                else importing.report_xlsx(table, problems, language)
            )
            report.write_bytes(content)
            self.stdout.write(gettext("The report is in %(path)s.") % {"path": report})
        raise CommandError(
            ngettext(
                "Nothing was stored: the file has %(count)s problem.",
                "Nothing was stored: the file has %(count)s problems.",
                len(problems),
            )
            % {"count": len(problems)}
        )
