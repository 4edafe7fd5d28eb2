"""Reading an import file (xlsx or csv) into its headers and rows."""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import load_workbook

from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.registry.importing.columns import DATA_SHEET

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 64


# --- reading a file --------------------------------------------------------------------------


class ImportFileError(PolicyError):
    """The file itself cannot be read: its type, size or shape."""

    def __init__(self, template: str, *, code: str, **params: object) -> None:
        super().__init__(template, code=code, field="file", params=params)


class Row(NamedTuple):
    """A row of the file (a named tuple: rows travel to the validating processes)."""

    number: int  # as in the spreadsheet, the header being row 1
    values: tuple[Any, ...]


@dataclass
class Table:
    """The cells of a file: the headers as written, and the non-empty rows below them."""

    headers: list[str]
    rows: list[Row]

    def to_json(self) -> bytes:
        rows = [[r.number, list(r.values)] for r in self.rows]
        return json.dumps({"headers": self.headers, "rows": rows}, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Table:
        loaded = json.loads(data)
        return cls(loaded["headers"], [Row(n, tuple(v)) for n, v in loaded["rows"]])

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def expected_rows(self, done: int = 0) -> int:
        return len(self.rows)


def _cell(value: Any) -> Any:
    """A cell as plain JSON data: dates as ISO text, whole floats as int, text stripped."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)  # a time or a duration: kept as text


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise ImportFileError(
            gettext_noop("The file has %(size)s MB; at most %(max)s MB can be imported."),
            code="import.file_size",
            size=round(size / 2**20, 1),
            max=MAX_BYTES // 2**20,
        )


def read_rows(content: bytes, filename: str) -> Table:
    """Read an .xlsx (the sheet 科技成果, else the first) or a .csv (UTF-8 with or without BOM,
    or GB18030 as Chinese Excel writes it); raise :class:`ImportFileError` otherwise."""
    check_size(len(content))
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xlsx" and content.startswith(b"PK"):
        lines: Iterable[Sequence[Any]] = _xlsx_lines(content)
    elif suffix in ("csv", "txt"):
        lines = _csv_lines(content)
    else:
        raise ImportFileError(
            gettext_noop(
                "%(name)s is not an xlsx or csv file. Save it from Excel as an “Excel workbook "
                "(.xlsx)” or as “CSV UTF-8”."
            ),
            code="import.file_type",
            name=filename,
        )
    try:
        return _table(lines)
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl and csv raise many kinds of error on a damaged file
        template = (
            gettext_noop("The file cannot be read as an xlsx workbook.")
            if suffix == "xlsx"
            else gettext_noop("The file cannot be read as a CSV table.")
        )
        raise ImportFileError(template, code="import.file_read") from exc


def _xlsx_lines(content: bytes) -> Iterator[Sequence[Any]]:
    # A small workbook can unpack to gigabytes (a "zip bomb"); openpyxl would hold its strings.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                gettext_noop("The workbook unpacks to more than %(max)s MB; split it."),
                code="import.file_size",
                max=MAX_UNPACKED_BYTES // 2**20,
            )
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    finally:
        book.close()


def _csv_lines(content: bytes) -> Iterator[Sequence[Any]]:
    text = None
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
        (b"", "utf-8"),
        (b"", "gb18030"),
    ):
        if content.startswith(bom):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise ImportFileError(
            gettext_noop("The CSV file is neither UTF-8 nor GB18030 text."),
            code="import.file_encoding",
        )
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    for line in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield line[:MAX_COLUMNS]


def _width(values: Sequence[Any]) -> int:
    return max((i + 1 for i, v in enumerate(values) if v not in (None, "")), default=0)


def _table(lines: Iterable[Sequence[Any]]) -> Table:
    headers: list[str] | None = None
    rows: list[Row] = []
    for number, line in enumerate(lines, start=1):
        values = [_cell(v) for v in line]
        if headers is None:
            headers = ["" if v is None else str(v) for v in values]
            continue
        if all(v in (None, "") for v in values):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                gettext_noop("The file has more than %(max)s rows; split it into several files."),
                code="import.file_rows",
                max=MAX_ROWS,
            )
        rows.append(Row(number, tuple(values)))
    if headers is None or not any(headers):
        raise ImportFileError(gettext_noop("The file is empty."), code="import.file_empty")
    # As wide as the last column with a header or a value (a sheet may report more).
    width = max([_width(headers), *(_width(r.values) for r in rows)])
    headers = (headers + [""] * width)[:width]
    rows = [Row(r.number, (r.values + (None,) * width)[:width]) for r in rows]
    if not rows:
        raise ImportFileError(
            gettext_noop("The file has headers but no rows below them."), code="import.file_empty"
        )
    return Table(headers, rows)


# --- a file read as it is checked --------------------------------------------------------------


class FileTable:
    """The rows of a file on disk, read while they are checked: a large import from the command
    line, with no limit on size or rows and memory that stays flat. Iterating reads the file
    again from its start; ``expected_rows`` estimates the rows from the bytes read so far."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self.suffix = path.suffix.lower().lstrip(".")
        if not (self.suffix == "xlsx" or self.suffix in ("csv", "txt")):
            raise ImportFileError(
                gettext_noop(
                    "%(name)s is not an xlsx or csv file. Save it from Excel as an “Excel "
                    "workbook (.xlsx)” or as “CSV UTF-8”."
                ),
                code="import.file_type",
                name=path.name,
            )
        self._position: Callable[[], int] = lambda: 0
        self._sheet_rows = 0
        lines = self._lines()
        try:
            first = next(lines, None)
        finally:
            lines.close()
        headers = ["" if v is None else str(v) for v in map(_cell, first or ())]
        if not any(headers):
            raise ImportFileError(gettext_noop("The file is empty."), code="import.file_empty")
        self.headers = headers[: _width(headers)]

    def __iter__(self) -> Iterator[Row]:
        lines = self._lines()
        try:
            next(lines, None)  # the headers
            found = False
            # Cells as read (the check normalises them, in its own processes when there are).
            for number, line in enumerate(lines, start=2):
                values = tuple(line)
                if not all(map(_blank, values)):
                    found = True
                    yield Row(number, values)
            if not found:
                raise ImportFileError(
                    gettext_noop("The file has headers but no rows below them."),
                    code="import.file_empty",
                )
        finally:
            lines.close()

    def expected_rows(self, done: int = 0) -> int:
        if self._sheet_rows:
            return max(done, self._sheet_rows - 1)
        read = self._position()
        if done == 0 or read == 0:
            return max(done, self.size // 1000)  # a guess until the first rows are read
        return max(done, round(done * self.size / read))

    def _lines(self) -> Generator[Sequence[Any], None, None]:
        try:
            if self.suffix == "xlsx":
                yield from self._xlsx()
            else:
                yield from self._csv()
        except ImportFileError:
            raise
        except Exception as exc:  # openpyxl and csv raise many kinds of error on a damaged file
            template = (
                gettext_noop("The file cannot be read as an xlsx workbook.")
                if self.suffix == "xlsx"
                else gettext_noop("The file cannot be read as a CSV table.")
            )
            raise ImportFileError(template, code="import.file_read") from exc

    def _xlsx(self) -> Iterator[Sequence[Any]]:
        book = load_workbook(self.path, read_only=True, data_only=True)
        try:
            sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
            self._sheet_rows = sheet.max_row or 0
            yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        finally:
            book.close()

    def _csv(self) -> Iterator[Sequence[Any]]:
        with self.path.open("rb") as raw:
            encoding = _csv_encoding(raw.read(1 << 20))
            raw.seek(0)
            self._position = raw.tell
            try:
                text = io.TextIOWrapper(raw, encoding=encoding, newline="")
                first = text.readline()
                delimiter = "\t" if "\t" in first and "," not in first else ","
                yield from (line[:MAX_COLUMNS] for line in csv.reader([first], delimiter=delimiter))
                for line in csv.reader(text, delimiter=delimiter):
                    yield line[:MAX_COLUMNS]
            except UnicodeDecodeError as exc:
                raise _not_text() from exc
            finally:
                self._position = lambda: 0


def _csv_encoding(start: bytes) -> str:
    """The encoding of a CSV file, judged by its first bytes."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if start.startswith(bom):
            return encoding
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(start, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    raise _not_text()


def _not_text() -> ImportFileError:
    return ImportFileError(
        gettext_noop("The CSV file is neither UTF-8 nor GB18030 text."),
        code="import.file_encoding",
    )
