"""A statement as files people use: a title, rows of a label and a value, a note and a footer,
as an xlsx workbook or an A4 PDF. Each mechanism that pays people (a distribution of income,
M5.1; a broker's reward, M9.2) words its rows and note; the two formats are drawn here once.

Amounts are the stored ``Decimal`` values, written as they are (never through a float) with two
decimals; ratios as percentages. PDFs use the platform's fonts (``kttc.core.fonts``): the CJK
font, embedded when one is installed, else ReportLab's built-in CID font, which the PDF's
metadata then names; Thai, Lao, Burmese and Khmer text in runs of its script's font, shaped.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from kttc.core import fonts
from kttc.core.spreadsheets import xlsx_row
from kttc.policy.money import percent

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AMOUNT_FORMAT = "0.00"
#: A ratio as a percentage with at least two decimals (a third shows as 33.3333%).
RATIO_FORMAT = "0.00##%"


@dataclass(frozen=True)
class Row:
    """A label and its value; ``number_format`` marks an amount or a ratio."""

    label: str
    value: str | Decimal
    number_format: str | None = None


@dataclass(frozen=True)
class Statement:
    """What a statement says: its title, rows, note (the clause people must know), footer
    (which decision it is of), and for the PDF's metadata its subject and author."""

    title: str
    rows: Sequence[Row]
    note: str
    footer: str
    subject: str
    author: str
    sheet_name: str = "Statement"


def sheet_of(book: Workbook) -> Worksheet:
    """The one sheet a new workbook has, a worksheet."""
    return cast(Worksheet, book.active)


def saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx(statement: Statement) -> bytes:
    """The statement as a workbook: a label and a value per row, amounts as exact numbers with
    two decimals, ratios as percentages, the note across both columns, the footer."""
    book = Workbook()
    sheet = sheet_of(book)
    sheet.title = statement.sheet_name[:31]
    sheet.append(xlsx_row(sheet, [statement.title]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    for row in statement.rows:
        sheet.append(xlsx_row(sheet, [row.label, row.value]))
        if row.number_format:
            sheet.cell(row=sheet.max_row, column=2).number_format = row.number_format
    sheet.append([])
    sheet.append(xlsx_row(sheet, [statement.note]))
    note = sheet.max_row
    sheet.merge_cells(start_row=note, start_column=1, end_row=note, end_column=2)
    sheet.cell(row=note, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[note].height = 60
    sheet.append(xlsx_row(sheet, [statement.footer]))
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 48
    return saved(book)


def _pdf_value(row: Row) -> str:
    if row.number_format == AMOUNT_FORMAT:
        return format(row.value, ",.2f")
    if row.number_format == RATIO_FORMAT:
        return percent(Decimal(row.value))
    return str(row.value)


def _pdf_table(rows: Sequence[Row], base: ParagraphStyle) -> Table:
    right = ParagraphStyle("kttc-num", parent=base, alignment=2)
    cells = [
        [fonts.paragraph(row.label, base),
         fonts.paragraph(_pdf_value(row), right if row.number_format else base)]
        for row in rows
    ]  # fmt: skip
    table = Table(cells, colWidths=(60 * mm, 110 * mm))
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "#9aa5b1"),
                ("BACKGROUND", (0, 0), (0, -1), "#eef1f4"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def pdf(statement: Statement) -> bytes:
    """The statement on A4: the same rows and note as :func:`xlsx`."""
    font = fonts.cjk_font()
    base = ParagraphStyle("kttc", fontName=font.name, fontSize=10, leading=15, wordWrap="CJK")
    heading = ParagraphStyle("kttc-title", parent=base, fontSize=15, leading=22, alignment=1)
    small = ParagraphStyle(
        "kttc-small", parent=base, fontSize=8, leading=11, textColor=HexColor("#4f5f6f")
    )
    story = [
        fonts.paragraph(statement.title, heading),
        Spacer(1, 6 * mm),
        _pdf_table(statement.rows, base),
        Spacer(1, 6 * mm),
        fonts.paragraph(statement.note, base),
        Spacer(1, 8 * mm),
        fonts.paragraph(statement.footer, small),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=statement.title,
        subject=statement.subject,
        author=statement.author,
        keywords=[fonts.not_embedded_note(font)],
        invariant=True,
    ).build(story)
    return buffer.getvalue()
