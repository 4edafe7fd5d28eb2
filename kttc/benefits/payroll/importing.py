"""The payroll roster as a file (M5.1): a template with the unit's people, and the import of a
filled one (xlsx or csv, read by :func:`kttc.registry.importing.reading.read_rows` with its
limits), all or nothing: every problem named by its row and column, and nothing stored while
there is one.

A cell left empty keeps what the roster holds. Numbers of documents and accounts are text:
Excel keeps 15 significant digits of a number, so an account typed as a number is refused
(its last digits are already lost), never stored rounded."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kttc.benefits.contracts import statements
from kttc.benefits.payroll import services
from kttc.benefits.payroll.choices import IdDocument
from kttc.benefits.payroll.models import RosterEntry
from kttc.core.errors import translated_message
from kttc.core.spreadsheets import xlsx_row
from kttc.policy import payroll as rules
from kttc.policy.errors import PolicyError
from kttc.policy.payroll import Column
from kttc.registry.importing.reading import MAX_BYTES, read_rows

#: The roster file's columns, in the template's order.
FIELDS = ("name", "staff_number", "id_type", "id_number", "bank_name", "bank_account")
TEXT_CELLS = ("id_number", "bank_account", "staff_number")
#: The digits Excel keeps of a number: a longer one in a cell was rounded when typed.
EXCEL_DIGITS = 15
TEMPLATE_ROWS = 500
#: The most of an upload read: past it, the reader refuses the file by its size.
READ_BYTES = MAX_BYTES + 1


def column_of(field: str | None) -> str:
    """The header of the roster column a rule's field names, in the active language."""
    return statements.column_label(Column(field if field in FIELDS else "name"))


def _normal(text: Any) -> str:
    return re.sub(r"[\s*＊]", "", str(text or "")).casefold()


def _labels(field: str) -> list[str]:
    """The headers of a column in Chinese and English (the template's are Chinese)."""
    found = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            found.append(statements.column_label(Column(field)))
    return found


def _header_keys() -> dict[str, str]:
    keys = {_normal(label): field for field in FIELDS for label in _labels(field)}
    keys.update({_normal(f): f for f in FIELDS})
    keys.update({_normal(a): "name" for a in ("姓名", "名称", "Name")})
    keys.update({_normal(a): "id_number" for a in ("身份证号码", "身份证号", "证件号码")})
    keys.update({_normal(a): "bank_account" for a in ("银行账号", "银行卡号", "账号")})
    keys.update({_normal(a): "staff_number" for a in ("工号", "职工号")})
    return keys


def _document_codes() -> dict[str, str]:
    codes = {_normal(value): value for value in IdDocument.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            codes.update({_normal(str(label)): value for value, label in IdDocument.choices})
    codes[_normal("身份证")] = IdDocument.RESIDENT_ID.value
    return codes


@dataclass(frozen=True)
class Problem:
    """What is wrong with the file: at a row (1 is the header) and a column, or with the file."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return gettext("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class Read:
    """The changes the file asks for, by the row each comes from; or its problems."""

    changes: list[services.RosterChange]
    rows: list[int]
    problems: list[Problem]


def _columns(headers: Sequence[str]) -> tuple[dict[str, int], list[Problem]]:
    keys = _header_keys()
    found: dict[str, int] = {}
    problems = []
    for index, header in enumerate(headers):
        if not str(header or "").strip():
            continue
        letter = get_column_letter(index + 1)
        field = keys.get(_normal(header))
        if field is None:
            message = gettext(
                "“%(header)s” is not a column of the roster; the columns are %(names)s."
            )
            names = "、".join(_labels(f)[0] for f in FIELDS)
            problems.append(Problem(1, letter, message % {"header": header, "names": names}))
        elif field in found:
            first = get_column_letter(found[field] + 1)
            message = gettext("this column is in column %(first)s already.") % {"first": first}
            problems.append(Problem(1, letter, message))
        else:
            found[field] = index
    if "name" not in found:
        message = gettext("The file has no column “%(header)s”: who each row is.")
        problems.append(Problem(None, "", message % {"header": _labels("name")[0]}))
    return found, problems


def _text(field: str, value: Any) -> str:
    """A cell as text; a number where a document or account number belongs only if Excel kept
    all its digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueError(gettext("this is not text."))
    number = isinstance(value, int | float) and field in TEXT_CELLS
    if number and (isinstance(value, float) or len(str(abs(value))) > EXCEL_DIGITS):
        raise ValueError(
            gettext(
                "the cell holds a number, which Excel rounds beyond 15 digits; format the "
                "column as text and type the number again."
            )
        )
    return str(value).strip()


def _change(
    cells: dict[str, str], codes: dict[str, str]
) -> tuple[services.RosterChange | None, str, str]:
    """The change a row asks for, or (None, field, message) of its first problem before the
    rules (a document the roster does not know)."""
    kind = cells.get("id_type")
    if kind:
        code = codes.get(_normal(kind))
        if code is None:
            names = "、".join(str(label) for label in IdDocument.labels)
            message = gettext("“%(kind)s” is not an identity document; write one of %(names)s.")
            return None, "id_type", message % {"kind": kind, "names": names}
        kind = code
    change = services.RosterChange(
        name=cells.get("name", ""),
        staff_number=cells.get("staff_number") or None,
        id_type=kind or None,
        id_number=cells.get("id_number") or None,
        bank_name=cells.get("bank_name") or None,
        bank_account=cells.get("bank_account") or None,
    )
    return change, "", ""


def read_roster(content: bytes, filename: str, entries: dict[str, RosterEntry]) -> Read:
    """The roster file checked row by row against the rules (as the roster page checks its
    lines): every problem, or the changes to store."""
    try:
        table = read_rows(content, filename)
    except PolicyError as error:
        return Read([], [], [Problem(None, "", translated_message(error))])
    columns, problems = _columns(table.headers)
    if problems:
        return Read([], [], problems)
    codes = _document_codes()
    label = {f: statements.column_label(Column(f)) for f in FIELDS}
    changes: list[services.RosterChange] = []
    rows: list[int] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        cells: dict[str, str] = {}
        for field, index in columns.items():
            try:
                cells[field] = _text(field, row.values[index])
            except ValueError as exc:
                problems.append(Problem(row.number, label[field], str(exc)))
        change, field, message = _change(cells, codes)
        if change is None:
            problems.append(Problem(row.number, label[field], message))
            continue
        try:
            name = rules.check_name(change.name)
            services.check_change(change, entries.get(name))
        except PolicyError as error:
            problems.append(Problem(row.number, column_of(error.field), translated_message(error)))
            continue
        if name in seen:
            message = gettext("%(name)s is on row %(first)s already.")
            values = {"name": name, "first": seen[name]}
            problems.append(Problem(row.number, label["name"], message % values))
            continue
        seen[name] = row.number
        changes.append(change)
        rows.append(row.number)
    return Read(changes, rows, problems)


def template_xlsx(names: Sequence[str]) -> bytes:
    """The roster file to fill in: the headers in Chinese, a row per person of the unit's teams
    with only the name filled, the number columns formatted as text (so that Excel keeps every
    digit)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    with translation.override("zh-hans"):
        sheet.title = gettext("Payroll roster")[:31]
        headers = [statements.column_label(Column(f)) for f in FIELDS]
        choices = [str(label) for label in IdDocument.labels]
    sheet.append(xlsx_row(sheet, headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for name in names:
        sheet.append(xlsx_row(sheet, [name]))
    for index, field in enumerate(FIELDS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 24
        if field in TEXT_CELLS:
            for row in range(2, max(len(names) + 2, TEMPLATE_ROWS)):
                sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("说明")
    notes.append(xlsx_row(notes, [statements.column_label(Column.ID_TYPE)]))
    for choice in choices:
        notes.append(xlsx_row(notes, [choice]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
