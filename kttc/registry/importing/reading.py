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
from itertools import chain
from pathlib import Path
from typing import IO, Any, NamedTuple
from xml.parsers import expat

from openpyxl import load_workbook

from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.registry.importing.columns import DATA_SHEET

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
#: A file given to the command may be far larger than an upload; still not without end.
COMMAND_MAX_UNPACKED_BYTES = 4 * 1024 * 1024 * 1024
#: Excel's own limit for the text of one cell.
MAX_CELL_CHARS = 32_767
MAX_ROWS = 50_000
MAX_COLUMNS = 64


@dataclass(frozen=True)
class Limits:
    """How much a file may unpack to and how long one cell may be. They are checked on the
    zip's metadata and on the streamed XML before openpyxl reads the workbook: a small
    workbook can unpack to gigabytes, and openpyxl holds each cell's text whole."""

    unpacked_bytes: int = MAX_UNPACKED_BYTES
    cell_chars: int = MAX_CELL_CHARS


UPLOAD_LIMITS = Limits()
COMMAND_LIMITS = Limits(unpacked_bytes=COMMAND_MAX_UNPACKED_BYTES)


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


def _unpacked_error(limits: Limits) -> ImportFileError:
    return ImportFileError(
        gettext_noop("The workbook unpacks to more than %(max)s MB; split it."),
        code="import.file_size",
        max=limits.unpacked_bytes // 2**20,
    )


def _cell_error(limits: Limits, cell: str = "") -> ImportFileError:
    if cell:
        return ImportFileError(
            gettext_noop("Cell %(cell)s holds more than %(max)s characters, the most a cell may."),
            code="import.cell_size",
            cell=cell,
            max=limits.cell_chars,
        )
    return ImportFileError(
        gettext_noop("A cell holds more than %(max)s characters, the most a cell may."),
        code="import.cell_size",
        max=limits.cell_chars,
    )


class _CellTooLong(Exception):
    def __init__(self, cell: str) -> None:
        self.cell = cell


class _CellScanner:
    """Reads an XML part as it streams and stops at the first cell (``c``) or shared string
    (``si``) whose text is longer than the limit, without keeping any of it. The text of a
    cell is counted from its start to the next element that is not part of a cell's text."""

    #: Elements inside a cell that carry or format its text: the count goes on through them.
    IN_CELL = frozenset(
        ("is", "t", "r", "v", "f", "rPr", "rPh", "phoneticPr", "b", "i", "u", "strike",
         "condense", "extend", "outline", "shadow", "vertAlign", "sz", "color", "rFont",
         "family", "charset", "scheme")
    )  # fmt: skip

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.cell = ""
        self.length = 0
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.buffer_size = 1 << 16
        self.parser.StartElementHandler = self._start
        self.parser.CharacterDataHandler = self._text

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        if name in self.IN_CELL:
            return  # most elements: the quick way
        local = name.rpartition(":")[2]
        if local not in self.IN_CELL:
            self.cell, self.length = attributes.get("r", "") if local == "c" else "", 0

    def _text(self, data: str) -> None:
        self.length += len(data)
        if self.length > self.max_chars:
            raise _CellTooLong(self.cell)

    def feed(self, chunk: bytes, final: bool = False) -> None:
        self.parser.Parse(chunk, final)


def check_workbook(source: IO[bytes] | Path, limits: Limits) -> None:
    """Refuse a workbook that unpacks to more than ``limits.unpacked_bytes`` (its members'
    declared sizes, then the bytes actually unpacked) or has a cell longer than
    ``limits.cell_chars``, reading its XML as it streams: before openpyxl holds any of it."""
    with zipfile.ZipFile(source) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if sum(info.file_size for info in members) > limits.unpacked_bytes:
            raise _unpacked_error(limits)
        unpacked = 0
        for info in members:
            if not info.filename.endswith((".xml", ".rels")):
                continue  # pictures and the like: their declared size is what zipfile unpacks
            scanner = _CellScanner(limits.cell_chars)
            with archive.open(info) as member:
                try:
                    while chunk := member.read(1 << 20):
                        unpacked += len(chunk)
                        if unpacked > limits.unpacked_bytes:
                            raise _unpacked_error(limits)
                        scanner.feed(chunk)
                    scanner.feed(b"", final=True)
                except _CellTooLong as long:
                    raise _cell_error(limits, long.cell) from None


def _check_cells(values: Iterable[Any], limits: Limits) -> None:
    if any(isinstance(v, str) and len(v) > limits.cell_chars for v in values):
        raise _cell_error(limits)


def read_rows(content: bytes, filename: str, *, limits: Limits | None = None) -> Table:
    """Read an .xlsx (the sheet 科技成果, else the first) or a .csv (UTF-8 with or without BOM,
    or GB18030 as Chinese Excel writes it); raise :class:`ImportFileError` otherwise, or when
    the file is beyond ``limits`` (those of an upload unless told)."""
    limits = limits or UPLOAD_LIMITS
    check_size(len(content))
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xlsx" and content.startswith(b"PK"):
        lines: Iterable[Sequence[Any]] = _xlsx_lines(content, limits)
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
        return _table(lines, limits)
    except ImportFileError:
        raise
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _cell_error(limits) from exc
        raise ImportFileError(
            gettext_noop("The file cannot be read as a CSV table."), code="import.file_read"
        ) from exc
    except Exception as exc:  # openpyxl and csv raise many kinds of error on a damaged file
        template = (
            gettext_noop("The file cannot be read as an xlsx workbook.")
            if suffix == "xlsx"
            else gettext_noop("The file cannot be read as a CSV table.")
        )
        raise ImportFileError(template, code="import.file_read") from exc


def _xlsx_lines(content: bytes, limits: Limits) -> Iterator[Sequence[Any]]:
    # A small workbook can unpack to gigabytes (a "zip bomb"); openpyxl would hold its strings.
    check_workbook(io.BytesIO(content), limits)
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


def _table(lines: Iterable[Sequence[Any]], limits: Limits) -> Table:
    headers: list[str] | None = None
    rows: list[Row] = []
    for number, line in enumerate(lines, start=1):
        values = [_cell(v) for v in line]
        _check_cells(values, limits)  # a CSV file's cells: a workbook's are checked before
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
    line, with no limit on rows and memory that stays flat: its size and cells are bounded by
    ``limits`` (those of the command unless told). Iterating reads the file again from its
    start; ``expected_rows`` estimates the rows from the bytes read so far."""

    def __init__(self, path: Path, *, limits: Limits | None = None) -> None:
        self.path = path
        self.limits = limits or COMMAND_LIMITS
        self._checked = False
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
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _cell_error(self.limits) from exc
            raise ImportFileError(
                gettext_noop("The file cannot be read as a CSV table."), code="import.file_read"
            ) from exc
        except Exception as exc:  # openpyxl and csv raise many kinds of error on a damaged file
            template = (
                gettext_noop("The file cannot be read as an xlsx workbook.")
                if self.suffix == "xlsx"
                else gettext_noop("The file cannot be read as a CSV table.")
            )
            raise ImportFileError(template, code="import.file_read") from exc

    def _xlsx(self) -> Iterator[Sequence[Any]]:
        if not self._checked:  # once: the file does not change between readings
            check_workbook(self.path, self.limits)
            self._checked = True
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
                most = MAX_COLUMNS * (self.limits.cell_chars + 3)
                first = text.readline(most)  # never a whole file without a line break
                if len(first) == most:
                    raise _cell_error(self.limits)
                delimiter = "\t" if "\t" in first and "," not in first else ","
                for line in chain(csv.reader([first], delimiter=delimiter),
                                  csv.reader(text, delimiter=delimiter)):  # fmt: skip
                    _check_cells(line, self.limits)
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
