"""A unit's report (M13.3) as files people use: an xlsx workbook and an A4 PDF with, for each
field, the platform's figure, the figure filed and the reason side by side; and the bureau's
summary of a period (every unit, one row each) as xlsx. Labels follow the active language
(``translation.override`` around a call chooses it); figures are the stored exact decimals,
never floats. PDFs are drawn in the platform's fonts (:mod:`kttc.core.fonts`)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from kttc.core import fonts
from kttc.core.spreadsheets import xlsx_row
from kttc.core.statements import AMOUNT_FORMAT, saved, sheet_of
from kttc.oversight.reports.choices import Filing, ReportStatus
from kttc.oversight.reports.models import ReportPeriod, UnitReport
from kttc.oversight.reports.selectors import OverviewRow
from kttc.policy import unit_reports as rules


def _figure(field: rules.Field, value: str | None) -> Decimal | int | str:
    """A stored figure as a spreadsheet holds it: an exact number, or a dash for a blank."""
    if value is None:
        return "—"
    return Decimal(value) if field.kind is rules.Kind.AMOUNT else int(value)


def shown(field: rules.Field, value: str | None) -> str:
    """A stored figure as a page or a PDF shows it."""
    if value is None:
        return "—"
    return format(Decimal(value), ",.2f") if field.kind is rules.Kind.AMOUNT else value


def source_of(field: rules.Field) -> str:
    return gettext(rules.SOURCE_LABELS[field.source])


def _heading(report: UnitReport) -> list[tuple[str, str]]:
    period = report.period
    return [
        (gettext("Unit"), report.unit.name),
        (gettext("Unified social credit code"), report.unit.identifier),
        (gettext("Period"), f"{period.starts_on.isoformat()} – {period.ends_on.isoformat()}"),
        (gettext("Due on"), period.due_on.isoformat()),
        (gettext("Status"), str(ReportStatus(report.status).label)),
        (gettext("Submitted on"), report.submitted_on.isoformat() if report.submitted_on else "—"),
        (gettext("Accepted on"), report.accepted_on.isoformat() if report.accepted_on else "—"),
    ]


def title_of(report: UnitReport) -> str:
    return gettext("Report on the transformation of results, %(year)s: %(unit)s") % {
        "year": report.period.year,
        "unit": report.unit.name,
    }


def note() -> str:
    return gettext(
        "Municipal universities, research institutes and medical institutions report their "
        "transformation of results to the municipal S&T bureau each period (M13.3), following "
        "the national annual report (科技成果转化年度报告). The platform's figure is what the "
        "platform records; a figure filed otherwise carries the unit's reason."
    )


def columns() -> list[str]:
    return [
        gettext("Group"),
        gettext("Field"),
        gettext("Item of the national report"),
        gettext("Clauses"),
        gettext("Source"),
        gettext("Platform's figure"),
        gettext("Figure filed"),
        gettext("Reason"),
    ]


def report_xlsx(report: UnitReport) -> bytes:
    """The report as a workbook: its heading, then one row per field with the platform's figure,
    the figure filed and the reason side by side."""
    book = Workbook()
    sheet = sheet_of(book)
    sheet.title = str(report.period.year)
    sheet.append(xlsx_row(sheet, [title_of(report)]))
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in _heading(report):
        sheet.append(xlsx_row(sheet, [label, value]))
    sheet.append([])
    sheet.append(xlsx_row(sheet, columns()))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for field in rules.FIELDS:
        sheet.append(
            xlsx_row(
                sheet,
                [
                    gettext(rules.GROUP_LABELS[field.group]),
                    gettext(field.label),
                    field.item,
                    ", ".join(field.clauses),
                    source_of(field),
                    _figure(field, report.platform.get(field.code)),
                    _figure(field, report.figures.get(field.code)),
                    report.reasons.get(field.code, ""),
                ],
            )
        )
        if field.kind is rules.Kind.AMOUNT:
            for column in (6, 7):
                sheet.cell(row=sheet.max_row, column=column).number_format = AMOUNT_FORMAT
    sheet.append([])
    sheet.append(xlsx_row(sheet, [note()]))
    sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True)
    for letter, width in zip("ABCDEFGH", (16, 34, 26, 14, 34, 18, 18, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    return saved(book)


def _table(rows: Sequence[Sequence[str]], widths: Sequence[float], base: ParagraphStyle) -> Table:
    right = ParagraphStyle("kttc-num", parent=base, alignment=2)
    cells = [
        [fonts.paragraph(text, right if 2 <= i <= 3 and r else base) for i, text in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "#9aa5b1"),
                ("BACKGROUND", (0, 0), (-1, 0), "#eef1f4"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def report_pdf(report: UnitReport) -> bytes:
    """The report on A4 (landscape): its heading, then for each field the platform's figure,
    the figure filed and the reason side by side, the source under the field's name."""
    font = fonts.cjk_font()
    base = ParagraphStyle("kttc", fontName=font.name, fontSize=9, leading=13, wordWrap="CJK")
    heading = ParagraphStyle("kttc-title", parent=base, fontSize=14, leading=20, alignment=1)
    small = ParagraphStyle(
        "kttc-small", parent=base, fontSize=8, leading=11, textColor=HexColor("#4f5f6f")
    )
    head = [
        gettext("Field"),
        gettext("Source"),
        gettext("Platform's figure"),
        gettext("Figure filed"),
        gettext("Reason"),
    ]
    rows = [head] + [
        [
            f"{gettext(field.label)} ({field.item})",
            source_of(field),
            shown(field, report.platform.get(field.code)),
            shown(field, report.figures.get(field.code)),
            report.reasons.get(field.code, ""),
        ]
        for field in rules.FIELDS
    ]
    story = [
        fonts.paragraph(title_of(report), heading),
        Spacer(1, 4 * mm),
        *[fonts.paragraph(f"{label}: {value}", base) for label, value in _heading(report)],
        Spacer(1, 4 * mm),
        _table(rows, (70 * mm, 60 * mm, 32 * mm, 32 * mm, 66 * mm), base),
        Spacer(1, 4 * mm),
        fonts.paragraph(note(), small),
    ]
    if report.return_reason and report.status != rules.Status.ACCEPTED:
        story.insert(-1, fonts.paragraph(f"{gettext('Returned')}: {report.return_reason}", base))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title_of(report),
        subject="M13.3",
        author=report.unit.name,
        keywords=[fonts.not_embedded_note(font)],
        invariant=True,
    ).build(story)
    return buffer.getvalue()


def period_xlsx(period: ReportPeriod, rows: Sequence[OverviewRow]) -> bytes:
    """The bureau's summary of a period: every unit, one row each, with where it stands and the
    figures it filed (blank where it has not filed)."""
    book = Workbook()
    sheet = sheet_of(book)
    sheet.title = str(period.year)
    sheet.append(
        xlsx_row(
            sheet,
            [
                gettext("Reports on the transformation of results, %(year)s (M13.3)")
                % {"year": period.year}
            ],
        )
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(xlsx_row(sheet, [gettext("Due on"), period.due_on.isoformat()]))
    sheet.append([])
    header = [
        gettext("Unit"),
        gettext("Unified social credit code"),
        gettext("Filing"),
        gettext("Status"),
        gettext("Submitted on"),
        *[gettext(f.label) for f in rules.FIELDS],
    ]
    sheet.append(xlsx_row(sheet, header))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        report = row.report
        filed = report is not None and report.status in (
            rules.Status.SUBMITTED,
            rules.Status.ACCEPTED,
        )
        figures = [
            _figure(f, report.figures.get(f.code)) if filed and report is not None else ""
            for f in rules.FIELDS
        ]
        sheet.append(
            xlsx_row(
                sheet,
                [
                    row.unit.name,
                    row.unit.identifier,
                    str(Filing(row.filing.value).label),
                    str(ReportStatus(report.status).label) if report is not None else "—",
                    report.submitted_on.isoformat() if report and report.submitted_on else "",
                    *figures,
                ],
            )
        )
        for offset, field in enumerate(rules.FIELDS, start=6):
            if field.kind is rules.Kind.AMOUNT:
                sheet.cell(row=sheet.max_row, column=offset).number_format = AMOUNT_FORMAT
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 22
    return saved(book)
