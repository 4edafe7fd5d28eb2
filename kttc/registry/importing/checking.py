"""Checking the rows of an import file: every problem with its row, column and rule."""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any, Protocol

from django.utils import translation
from django.utils.translation import gettext
from openpyxl.utils import get_column_letter

from kttc.core.errors import translated_message
from kttc.core.models import Organisation
from kttc.core.selectors import policy_version_records
from kttc.policy import params as policy_params
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.registry.achievements import store
from kttc.registry.achievements.models import Achievement
from kttc.registry.achievements.validation import AchievementData, Invalid, validate_achievement
from kttc.registry.importing.cells import Problems, _problem, _raw, _text
from kttc.registry.importing.columns import BY_KEY, COLUMNS, FIELD_COLUMN, column_for
from kttc.registry.importing.reading import Row, _blank, _cell
from kttc.registry.projects.models import FiscalProject

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
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
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
    ref: str
    name: str
    existing: int | None  # the pk of the result the row updates, or None to create one
    data: AchievementData | None  # the row's data, or (checked in another process) only
    prepared: store.Prepared | None = None  # its rows, made ready for the database


@dataclass
class ImportCheck:
    total: int
    headers: dict[str, str] = field(default_factory=dict)  # column key -> header in the file
    problems: list[RowProblem] = field(default_factory=list)
    creates: int = 0
    updates: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _at_header(column: str, code: str, template: str, **params: Any) -> RowProblem:
    return RowProblem(1, column, None, code, template, params)


def _header_problems(headers: list[str]) -> list[RowProblem]:
    """Headers the template does not know, twice, or missing. (A column without a header is
    a problem only when one of its cells has a value: see :func:`_unheaded`.)"""
    problems, seen = [], set()
    for header in headers:
        column = column_for(header)
        if not header.strip():
            continue
        if column is None:
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


def _unheaded(columns: set[int]) -> list[RowProblem]:
    template = gettext_noop("Column %(letter)s has values but no header.")
    return [
        _at_header(letter, "import.header_empty", template, letter=letter)
        for letter in map(get_column_letter, sorted(i + 1 for i in columns))
    ]


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
        self.projects: dict[str, int] = dict(
            FiscalProject.objects.filter(undertaking_unit=unit).values_list("project_number", "pk")
        )

    def match(self, ref: str, name: str) -> tuple[int, str, str] | None:
        """(pk, status, ref) of the result the row updates: by reference, else by exact name
        among results without a reference of their own. Raises on an ambiguous name."""
        if ref in self.by_ref:
            pk, status = self.by_ref[ref]
            return pk, status, ref
        named = [m for m in self.by_name.get(name, []) if not (ref and m[2])]
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


#: Rows checked (and stored) at a time: enough for bulk inserts, few enough to keep memory flat.
CHUNK = 2000
MIN_CHUNK = 50
#: Called with the rows of a chunk that passed the check, in file order, while the file has
#: had no problem, and the headers of the file by column key; it stores them.
Store = Callable[[list[Planned], dict[str, str]], None]


class Source(Protocol):
    """Rows to import: a :class:`~kttc.registry.importing.reading.Table` read into memory, or a
    :class:`~kttc.registry.importing.reading.FileTable` read as it is checked."""

    headers: list[str]

    def __iter__(self) -> Iterator[Row]: ...

    def expected_rows(self, done: int = 0) -> int: ...


def check_file(
    table: Source,
    *,
    unit: Organisation,
    today: date,
    progress: Progress | None = None,
    store: Store | None = None,
    workers: int = 1,
) -> ImportCheck:
    """Check every row: parse its cells, validate it, resolve its project and the result it
    updates; every problem is named with its row and column. With ``store``, each chunk of
    rows is handed to it as soon as it is checked, until the first problem (the caller's
    transaction then undoes what was stored). ``workers`` > 1 validates in as many processes
    (for large files on the command line), in file order all the same."""
    check = ImportCheck(total=table.expected_rows())
    check.problems = _header_problems(table.headers)
    if check.problems:
        return check
    index = {column_for(h).key: i for i, h in enumerate(table.headers) if h.strip()}  # type: ignore[union-attr]
    check.headers = {key: table.headers[i] for key, i in index.items()}
    existing, seen = _Existing(unit), _Seen()
    # When storing, the rows are also made ready for the database (in the workers, if any).
    validator = _Validator(
        index, check.headers, today, existing.projects if store else None, policy_version_records()
    )
    blank = {i for i, h in enumerate(table.headers) if not h.strip()}
    width, filled = len(table.headers), set[int]()
    storing, done = store is not None, 0
    if progress is not None:
        progress("store" if storing else "check", 0, check.total)
    for rows, validated in _validated(table, validator, workers):
        for row in rows:
            extra = blank.union(range(width, len(row.values))) - filled
            filled.update(i for i in extra if not _blank(row.values[i]))
        planned: list[Planned] = []
        for number, problems, data, prepared in validated:
            if (data is not None or prepared is not None) and not problems:
                problems, plan = _resolve(number, data, prepared, existing, check.headers)
                if plan is not None and not problems:
                    problems = [
                        RowProblem.of(number, check.headers.get(k, BY_KEY[k].header), e)
                        for k, e in seen.problems(plan)
                    ]
                if plan is not None and not problems:
                    planned.append(plan)
            check.problems += problems
        check.creates += sum(1 for p in planned if p.existing is None)
        check.updates += sum(1 for p in planned if p.existing is not None)
        storing = storing and check.ok
        if storing:
            store(planned, check.headers)  # type: ignore[misc]
        done += len(rows)
        check.total = table.expected_rows(done)
        if progress is not None:
            progress("store" if storing else "check", done, check.total)
    check.problems += _unheaded(filled)
    if progress is not None and check.total != done:
        progress("store" if storing and check.ok else "check", done, done)
    check.total = done
    return check


#: A validated row: its number, its problems, its data when it has none, and the data's rows
#: for the database when asked for.
Validated = tuple[int, list["RowProblem"], AchievementData | None, "store.Prepared | None"]


@dataclass(frozen=True)
class _Validator:
    """Parses and validates rows: pure, so that it can run in another process."""

    index: dict[str, int]
    headers: dict[str, str]
    today: date
    projects: dict[str, int] | None  # to prepare the rows of valid data: the unit's projects
    versions: list[policy_params.PolicyVersion]

    def __call__(self, rows: Sequence[Row]) -> list[Validated]:
        return [self.row(row) for row in rows]

    def row(self, row: Row) -> Validated:
        values, width = row.values, len(row.values)
        cells = {key: _cell(values[i]) if i < width else None for key, i in self.index.items()}
        problems: Problems = []
        raw = _raw(cells, problems)
        try:
            data = validate_achievement(raw, today=self.today)
        except Invalid as exc:
            problems += [(_column_of(error, cells), error) for error in exc.errors]
            data = None
        found = [
            RowProblem.of(row.number, self.headers.get(k, BY_KEY[k].header), e) for k, e in problems
        ]
        if found or data is None:
            return row.number, found, None, None
        if self.projects is None:
            return row.number, found, data, None
        # Prepared rows carry what the rest of the check needs: the data stays here.
        project = self.projects.get(data.project_number)
        return row.number, found, None, store.prepare(data, project, self.versions)


def _chunks(rows: Iterable[Row], expected: int) -> Iterator[list[Row]]:
    """Chunks of CHUNK rows; smaller for a small file, so that its progress moves too."""
    size = min(CHUNK, max(MIN_CHUNK, expected // 20))
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _validated(
    table: Source, validator: _Validator, workers: int
) -> Iterator[tuple[list[Row], list[Validated]]]:
    if workers <= 1:
        for rows in _chunks(table, table.expected_rows()):
            yield rows, validator(rows)
        return
    # Forked workers inherit the validator; they never touch the database.
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_take_validator, initargs=(validator,)) as pool:
        pending: deque[tuple[list[Row], Any]] = deque()
        for rows in _chunks(table, table.expected_rows()):
            pending.append((rows, pool.apply_async(_validate_in_worker, (rows,))))
            if len(pending) > 2 * workers:
                first, result = pending.popleft()
                yield first, result.get()
        while pending:
            first, result = pending.popleft()
            yield first, result.get()


_worker_validator: _Validator | None = None


def _take_validator(validator: _Validator) -> None:
    global _worker_validator
    _worker_validator = validator


def _validate_in_worker(rows: list[Row]) -> list[Validated]:
    assert _worker_validator is not None
    return _worker_validator(rows)


def _resolve(
    number: int,
    data: AchievementData | None,
    prepared: store.Prepared | None,
    existing: _Existing,
    headers: dict[str, str],
) -> tuple[list[RowProblem], Planned | None]:
    """The project and the result a valid row refers to."""
    key = prepared if prepared is not None else data
    assert key is not None
    ref, name, project_number = key.external_ref, key.name, key.project_number
    problems: Problems = []
    if project_number and project_number not in existing.projects:
        template = gettext_noop("The unit has no fiscal project numbered %(number)s.")
        problems.append(
            _problem("project_number", template, "achievement.project", number=project_number)
        )
    plan: Planned | None
    try:
        match = existing.match(ref, name)
    except PolicyError as exc:
        problems.append(("name", exc))
        plan = None
    else:
        if match is None:
            plan = Planned(number, ref, name, None, data, prepared)
        else:
            pk, status, found = match
            if status not in store.EDITABLE:
                key_column = "external_ref" if ref else "name"
                template = gettext_noop(
                    "Only drafts and returned results can be changed; this one is %(status)s."
                )
                problems.append(
                    _problem(key_column, template, "achievement.not_editable", ("M8.6",),
                             status=status)
                )  # fmt: skip
            # A row matched by name keeps the result's reference, or gives it the row's.
            if found and found != ref:
                ref = found
                data = dataclasses.replace(data, external_ref=ref) if data else None
                prepared = prepared.with_ref(ref) if prepared else None
            plan = Planned(number, ref, name, pk, data, prepared)
    return [RowProblem.of(number, headers.get(k, BY_KEY[k].header), e) for k, e in problems], plan


class _Seen:
    """Within one file each reference, and each result changed, appears on one row only; and
    two new rows without a reference may not share a name (a later import could not tell them
    apart, since such rows are matched by name)."""

    def __init__(self) -> None:
        self.refs: dict[str, int] = {}
        self.targets: dict[int, int] = {}
        self.new_names: dict[str, int] = {}

    def problems(self, planned: Planned) -> Problems:
        ref, name, target = planned.ref, planned.name, planned.existing
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
