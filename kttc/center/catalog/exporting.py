"""Export of the catalog's current results to xlsx or csv, with Chinese headers (and English
ones for English readers). Only public achievements ever reach this module; every cell goes
through :mod:`kttc.core.spreadsheets`, so a title never comes out as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from kttc.core.spreadsheets import csv_row, xlsx_row
from kttc.registry.models import Achievement

COLUMNS = (
    ("成果名称", "Name"),
    ("完成单位", "Unit"),
    ("关键词", "Keywords"),
    ("学科代码", "Discipline"),
    ("行业代码", "Industry"),
    ("技术就绪度", "TRL"),
    ("形成日期", "Formation date"),
    ("知识产权", "IP rights"),
    ("转化方式", "Transformation"),
    ("先使用后付费", "Use first, pay later"),
    ("成果简介", "Abstract"),
    ("链接", "Link"),
)


def _row(a: Achievement, base_url: str) -> list[object]:
    reading = getattr(a, "reading", None)
    name = reading[0].name if reading else a.name
    return [
        name,
        a.unit.name,
        "、".join(a.keywords),
        a.discipline_code,
        a.industry_code,
        a.trl,
        a.formation_date.isoformat(),
        "；".join(r.number for r in a.ip_rights.all()),
        "、".join(a.transformation_modes),
        _("Yes") if a.use_first_pay_later else _("No"),
        a.abstract,
        f"{base_url}/achievements/{a.pk}/",
    ]


def _headers(language: str) -> list[str]:
    return [en if language == "en" else zh for zh, en in COLUMNS]


def to_xlsx(achievements: Iterable[Achievement], *, language: str, base_url: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("成果" if language != "en" else "Achievements")
    sheet.freeze_panes = "A2"
    sheet.append(xlsx_row(sheet, _headers(language)))
    for a in achievements:
        sheet.append(xlsx_row(sheet, _row(a, base_url)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(achievements: Iterable[Achievement], *, language: str, base_url: str) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(csv_row(_headers(language)))
    for a in achievements:
        writer.writerow(csv_row(_row(a, base_url)))
    return ("\ufeff" + text.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


__all__ = ["COLUMNS", "to_csv", "to_xlsx"]
