"""Checking the rows of an import file: every problem with its row, column and rule."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from openpyxl.utils import get_column_letter

from kttc.core.errors import translated_message
from kttc.core.models import Organisation
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.registry import services
from kttc.registry.importing.cells import Problems, _problem, _raw, _text
from kttc.registry.importing.columns import BY_KEY, COLUMNS, FIELD_COLUMN, column_for
from kttc.registry.importing.reading import Table
from kttc.registry.models import Achievement, FiscalProject
from kttc.registry.validation import AchievementData, Invalid, validate_achievement

#: Called with the phase ("check" or "store"), the rows done and the rows in all.
Progress = Callable[[str, int, int], None]
REF = "单位内部编号"


@dataclass(frozen=True)
class RowProblem:
    """One problem: the row and column (as written in the file) and the rule it breaks."""

    row: int
    column: str
    field: str | None
    code: str
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    clauses: tuple[str, ...] = ()

    @classmethod
    def of(cls, row: int, column: str, error: PolicyError) -> RowProblem:
        params = {k: v if isinstance(v, int | float) else str(v) for k, v in error.params.items()}
        return cls(row, column, error.field, error.code, error.template, params, error.clauses)

    @property
    def message(self) -> str:
        """The message in the active language, with its clauses."""
        error = PolicyError(self.template, code=self.code, clauses=self.clauses, params=self.params)
        return translated_message(error)

    @property
    def rule(self) -> str:
        return " ".join([self.code, *self.clauses])

    @property
    def column_label(self) -> str:
        """The column's label in the active language, for readers of another language than
        Chinese (empty in Chinese, and for a header the template does not know)."""
        column = column_for(self.column)
        if column is None or (translation.get_language() or "").startswith("zh"):
            return ""
        return gettext(column.label)

    @property
    def column_display(self) -> str:
        label = self.column_label
        return f"{self.column} ({label})" if label else self.column

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowProblem:
        return cls(**{**data, "clauses": tuple(data["clauses"])})


@dataclass(frozen=True)
class Planned:
    row: int
    data: AchievementData
    existing: int | None  # the pk of the result the row updates, or None to create one


@dataclass
class ImportCheck:
    total: int
    headers: dict[str, str] = field(default_factory=dict)  # column key -> header in the file
    planned: list[Planned] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def creates(self) -> int:
        return sum(1 for p in self.planned if p.existing is None)

    @property
    def updates(self) -> int:
        return sum(1 for p in self.planned if p.existing is not None)


def _at_header(column: str, code: str, template: str, **params: Any) -> RowProblem:
    return RowProblem(1, column, None, code, template, params)


def _header_problems(headers: list[str], table: Table) -> list[RowProblem]:
    problems, seen = [], set()
    for index, header in enumerate(headers):
        column, letter = column_for(header), get_column_letter(index + 1)
        if not header.strip():
            if any(r.values[index] not in (None, "") for r in table.rows):
                template = gettext_noop("Column %(letter)s has values but no header.")
                problems.append(_at_header(letter, "import.header_empty", template, letter=letter))
        elif column is None:
            template = gettext_noop("%(header)s is not a column of the template.")
            problems.append(_at_header(header, "import.header_unknown", template, header=header))
        elif column.key in seen:
            template = gettext_noop("The column %(header)s appears twice.")
            problems.append(_at_header(header, "import.header_twice", template, header=header))
        else:
            seen.add(column.key)
    for column in COLUMNS:
        if column.required and column.key not in seen:
            template = gettext_noop("The required column %(header)s is missing.")
            problems.append(
                _at_header(column.header, "import.header_missing", template, header=column.header)
            )
    return problems


class _Existing:
    """The unit's results and fiscal projects, read once for the whole file."""

    def __init__(self, unit: Organisation) -> None:
        self.by_ref: dict[str, tuple[int, str]] = {}
        self.by_name: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        rows = Achievement.objects.filter(unit=unit).values_list(
            "pk", "external_ref", "name", "status"
        )
        for pk, ref, name, status in rows.iterator(chunk_size=5000):
            if ref:
                self.by_ref[ref] = (pk, status)
            self.by_name[name].append((pk, status, ref))
        self.projects = set(
            FiscalProject.objects.filter(undertaking_unit=unit).values_list(
                "project_number", flat=True
            )
        )

    def match(self, data: AchievementData) -> tuple[int, str, str] | None:
        """(pk, status, ref) of the result the row updates: by reference, else by exact name
        among results without a reference of their own. Raises on an ambiguous name."""
        if data.external_ref in self.by_ref:
            pk, status = self.by_ref[data.external_ref]
            return pk, status, data.external_ref
        named = [m for m in self.by_name.get(data.name, []) if not (data.external_ref and m[2])]
        if len(named) > 1:
            raise PolicyError(
                gettext_noop(
                    "The unit has %(count)s results with this name; give the row its %(column)s."
                ),
                code="import.name_ambiguous",
                field="name",
                params={"count": len(named), "column": REF},
            )
        return named[0] if named else None


def check_file(
    table: Table, *, unit: Organisation, today: date, progress: Progress | None = None
) -> ImportCheck:
    """Check every row: parse its cells, validate it, resolve its project and the result it
    updates. Reads only; nothing is stored."""
    check = ImportCheck(total=len(table.rows))
    check.problems = _header_problems(table.headers, table)
    if check.problems:
        return check
    index = {column_for(h).key: i for i, h in enumerate(table.headers) if h.strip()}  # type: ignore[union-attr]
    existing = _Existing(unit)
    check.headers = header = {key: table.headers[i] for key, i in index.items()}
    seen = _Seen()
    tick = _ticker(progress, "check", check.total)
    for done, row in enumerate(table.rows, start=1):
        cells = {key: row.values[i] for key, i in index.items()}
        problems, planned = _check_row(row.number, cells, existing, today)
        if planned is not None and not problems:
            problems = seen.problems(planned)
        check.problems += [
            RowProblem.of(row.number, header.get(key, BY_KEY[key].header), e) for key, e in problems
        ]
        if planned is not None and not problems:
            check.planned.append(planned)
        tick(done)
    return check


def _check_row(
    number: int, cells: dict[str, Any], existing: _Existing, today: date
) -> tuple[Problems, Planned | None]:
    problems: Problems = []
    raw = _raw(cells, problems)
    try:
        data = validate_achievement(raw, today=today)
    except Invalid as exc:
        for error in exc.errors:
            problems.append((_column_of(error, cells), error))
        return problems, None
    if problems:
        return problems, None
    if data.project_number and data.project_number not in existing.projects:
        template = gettext_noop("The unit has no fiscal project numbered %(number)s.")
        problems.append(
            _problem("project_number", template, "achievement.project", number=data.project_number)
        )
    try:
        match = existing.match(data)
    except PolicyError as exc:
        return [*problems, ("name", exc)], None
    if match is None:
        return problems, Planned(number, data, None)
    pk, status, ref = match
    if status not in services.EDITABLE:
        key = "external_ref" if data.external_ref else "name"
        template = gettext_noop(
            "Only drafts and returned results can be changed; this one is %(status)s."
        )
        problems.append(
            _problem(key, template, "achievement.not_editable", ("M8.6",), status=status)
        )
    # A row matched by name keeps the result's reference, or gives it the row's.
    data = dataclasses.replace(data, external_ref=data.external_ref or ref)
    return problems, Planned(number, data, pk)


class _Seen:
    """Within one file each reference, and each result changed, appears on one row only; and
    two new rows without a reference may not share a name (a later import could not tell them
    apart, since such rows are matched by name)."""

    def __init__(self) -> None:
        self.refs: dict[str, int] = {}
        self.targets: dict[int, int] = {}
        self.new_names: dict[str, int] = {}

    def problems(self, planned: Planned) -> Problems:
        ref, name, target = planned.data.external_ref, planned.data.name, planned.existing
        if ref and ref in self.refs:
            template = gettext_noop(
                "The reference %(ref)s is also on row %(row)s; each result has its own."
            )
            return [_problem("external_ref", template, "import.ref_twice", ref=ref,
                             row=self.refs[ref])]  # fmt: skip
        if target is not None and target in self.targets:
            template = gettext_noop(
                "Row %(row)s already changes the same result; give each row its own %(column)s."
            )
            return [_problem("name", template, "import.same_result", row=self.targets[target],
                             column=REF)]  # fmt: skip
        if target is None and not ref and name in self.new_names:
            template = gettext_noop(
                "Row %(row)s has the same name and neither row has a %(column)s; give each its own."
            )
            return [_problem("name", template, "import.name_twice", row=self.new_names[name],
                             column=REF)]  # fmt: skip
        if ref:
            self.refs[ref] = planned.row
        if target is not None:
            self.targets[target] = planned.row
        elif not ref:
            self.new_names[name] = planned.row
        return []


def _column_of(error: PolicyError, cells: dict[str, Any]) -> str:
    key = FIELD_COLUMN.get(error.field or "", error.field or "name")
    if key == "translations":
        blank = [k for k in ("name_en", "abstract_en") if _text(cells.get(k)) == ""]
        return blank[0] if blank else "name_en"
    return key if key in BY_KEY else "name"


def _ticker(progress: Progress | None, phase: str, total: int) -> Callable[[int], None]:
    step = max(1, total // 100)

    def tick(done: int) -> None:
        if progress is not None and (done % step == 0 or done == total):
            progress(phase, done, total)

    if progress is not None:
        progress(phase, 0, total)
    return tick
