"""Files people download: the template and the report with the bad cells marked. Every cell
goes through :mod:`kttc.core.spreadsheets`: a value that starts like a formula stays text."""

from __future__ import annotations

import codecs
import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any, cast

from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kttc.core.spreadsheets import csv_row, xlsx_cell, xlsx_row
from kttc.registry.importing.cells import _text
from kttc.registry.importing.checking import RowProblem, Source
from kttc.registry.importing.columns import (
    BY_KEY,
    COLUMNS,
    DATA_SHEET,
    EXAMPLE_SHEET,
    HELP_SHEET,
    SECRECY,
    TEMPLATE_TEXT_ROWS,
    Column,
    column_for,
    column_help,
)
from kttc.registry.importing.reading import MAX_ROWS, Row, Table

RED = PatternFill("solid", fgColor="FFC7CE")
REQUIRED_FILL = PatternFill("solid", fgColor="E3F4EC")
BOLD = Font(bold=True)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header_row(sheet: Any, columns: Sequence[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = BOLD
        if column.required:
            cell.fill = REQUIRED_FILL
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"


def template_xlsx() -> bytes:
    """The template: the sheet 科技成果 with the headers (required ones shaded), drop-down lists
    for the columns with fixed values, the sheet 填写说明 explaining each column in the active
    language, and the sheet 示例 with an example row (only 科技成果 is imported)."""
    book = Workbook()
    data = cast(Worksheet, book.active)  # a new workbook has its one sheet active
    data.title = DATA_SHEET
    _header_row(data, COLUMNS)
    _template_cells(data)
    _template_help(book.create_sheet(HELP_SHEET))
    example = book.create_sheet(EXAMPLE_SHEET)
    _header_row(example, COLUMNS)
    example.append(xlsx_row(example, [example_value(c) for c in COLUMNS]))
    return _save(book)


def _template_cells(sheet: Any) -> None:
    """Codes are text cells (keeping leading zeros); fixed values come from a drop-down list."""
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if column.key in ("discipline_code", "project_number", "external_ref"):
            for row in range(2, TEMPLATE_TEXT_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.choices is None or column.key == "transformation_modes":
            continue  # several values in one cell cannot come from a list
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(column.choices.offered()) + '"',
            allow_blank=True,
            showErrorMessage=True,
        )
        rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(rule)


def _template_help(sheet: Any) -> None:
    sheet.append(
        xlsx_row(sheet, [gettext("Column"), gettext("In English"), gettext("Required"),
                         gettext("How to fill it in"), gettext("Values"), gettext("Example")])
    )  # fmt: skip
    for cell in sheet[1]:
        cell.font = BOLD
    for column in COLUMNS:
        values = "、".join(column.choices.offered()) if column.choices else ""
        required = gettext("Yes") if column.required else ""
        sheet.append(
            xlsx_row(sheet, [column.header, gettext(column.label), required,
                             column_help(column), values, column.example])
        )  # fmt: skip
    for letter, width in zip("ABCDEF", (26, 36, 8, 70, 30, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def example_value(column: Column) -> Any:
    if column.key == "formation_date":
        return date.fromisoformat(column.example)
    return int(column.example) if column.key == "trl" else column.example


def template_csv() -> bytes:
    """The header row as CSV, UTF-8 with a BOM so that Excel opens it in the right encoding."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(csv_row(c.header for c in COLUMNS))
    return codecs.BOM_UTF8 + buffer.getvalue().encode()


def redacted(table: Table) -> Table:
    """The table without the content of classified rows: only their 密级 cell is kept, so that
    nothing of a classified result is kept on the platform or shown back (M8.6)."""
    return Table(table.headers, list(_redacted_rows(table.headers, table)))


def _redacted_rows(headers: list[str], rows: Iterable[Row]) -> Iterator[Row]:
    secrecy = [i for i, h in enumerate(headers) if column_for(h) is BY_KEY["confidentiality"]]
    for row in rows:
        cell = row.values[secrecy[0]] if secrecy and len(row.values) > secrecy[0] else None
        if SECRECY.code(_text(cell)) == "classified":
            values = tuple(v if i in secrecy else None for i, v in enumerate(row.values))
            row = Row(row.number, values)
        yield row


def report_xlsx(table: Source, problems: Sequence[RowProblem], language: str) -> bytes:
    """A copy of the rows, each at its original row number, with every bad cell filled red and
    commented with its problems in ``language``; then the sheet of all problems. Once corrected,
    the copy can be imported again."""
    with translation.override(language):
        marks: dict[tuple[int, int], list[str]] = defaultdict(list)
        position = {h: i for i, h in enumerate(table.headers)}
        for problem in problems:
            if problem.column in position:
                marks[(problem.row, position[problem.column])].append(problem.message)
        book = Workbook(write_only=True)
        sheet = book.create_sheet(DATA_SHEET)
        sheet.freeze_panes = "A2"
        sheet.append(_marked(sheet, 1, table.headers, marks, bold=True))
        number = 1
        for row in _redacted_rows(table.headers, table):
            for _ in range(row.number - number - 1):
                sheet.append([])
            sheet.append(_marked(sheet, row.number, row.values, marks))
            number = row.number
        listing = book.create_sheet(gettext("Problems"))
        listing.freeze_panes = "A2"
        listing.append(xlsx_row(listing, _problem_titles()))
        for problem in problems:
            listing.append(xlsx_row(listing, _problem_line(problem)))
        return _save(book)


def _marked(
    sheet: Any,
    number: int,
    values: Sequence[Any],
    marks: dict[tuple[int, int], list[str]],
    bold: bool = False,
) -> list[Cell]:
    cells = []
    for index, value in enumerate(values):
        cell = xlsx_cell(sheet, value)
        if bold:
            cell.font = BOLD
        messages = marks.get((number, index))
        if messages:
            cell.fill = RED
            cell.comment = Comment("\n".join(messages), "KTTC", width=320, height=120)
        cells.append(cell)
    return cells


def _problem_titles() -> list[str]:
    return [gettext("Row"), gettext("Column"), gettext("Rule"), gettext("Message")]


def _problem_line(problem: RowProblem) -> list[Any]:
    return [problem.row or "", problem.column_display, problem.rule, problem.message]


def report_csv(problems: Sequence[RowProblem], language: str) -> bytes:
    """The list of problems as CSV (UTF-8 with a BOM, for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with translation.override(language):
        writer.writerow(csv_row(_problem_titles()))
        writer.writerows(csv_row(_problem_line(p)) for p in problems)
    return codecs.BOM_UTF8 + buffer.getvalue().encode()
