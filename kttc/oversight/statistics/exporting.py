"""The xlsx of one figure's table (M13.3), each cell through the formula guard."""

from __future__ import annotations

import io

from django.utils.translation import gettext
from openpyxl import Workbook

from kttc.core.spreadsheets import xlsx_row
from kttc.oversight.statistics.measures import BREAKDOWNS, Measure
from kttc.oversight.statistics.selectors import Figure

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def figure_xlsx(measure: Measure, breakdown: str, found: list[Figure], as_of: str) -> bytes:
    """The measure's title with its clause and the refresh's date, then key, label, count and
    amount by ``breakdown``."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(measure.clause)
    sheet.append(xlsx_row(sheet, [f"{measure.title} ({measure.clause})", as_of]))
    headers = [gettext("Code"), str(BREAKDOWNS[breakdown]), gettext("Count")]
    if measure.amount:
        headers.append(gettext("Amount (yuan)"))
    sheet.append(xlsx_row(sheet, headers))
    for f in found:
        values: list[object] = [f.key, f.label, f.count]
        if measure.amount:
            values.append(f.amount)
        sheet.append(xlsx_row(sheet, values))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
