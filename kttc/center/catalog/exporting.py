"""Export of the catalog's current results to xlsx or csv, with Chinese headers for a Chinese
reader and headers in the reader's language otherwise; each result's name, keywords and abstract
in the reader's language where its unit translated them. Only public achievements ever reach
this module; every cell goes through :mod:`kttc.core.spreadsheets`, so a title never comes out
as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kttc.core.spreadsheets import csv_row, xlsx_row
from kttc.policy.i18n import gettext_noop
from kttc.registry.models import Achievement

COLUMNS = (
    ("成果名称", gettext_noop("Name")),
    ("完成单位", gettext_noop("Unit")),
    ("关键词", gettext_noop("Keywords")),
    ("学科代码", gettext_noop("Discipline")),
    ("行业代码", gettext_noop("Industry")),
    ("技术就绪度", gettext_noop("TRL")),
    ("形成日期", gettext_noop("Formation date")),
    ("知识产权", gettext_noop("IP rights")),
    ("转化方式", gettext_noop("Transformation")),
    ("先使用后付费", gettext_noop("Use first, pay later")),
    ("成果简介", gettext_noop("Abstract")),
    ("链接", gettext_noop("Link")),
)


def _row(a: Achievement, base_url: str) -> list[object]:
    reading = getattr(a, "reading", None)
    shown = reading[0] if reading else a
    return [
        shown.name,
        a.unit.name,
        "、".join(shown.keywords),
        a.discipline_code,
        a.industry_code,
        a.trl,
        a.formation_date.isoformat(),
        "；".join(r.number for r in a.ip_rights.all()),
        "、".join(a.transformation_modes),
        _("Yes") if a.use_first_pay_later else _("No"),
        shown.abstract,
        f"{base_url}/achievements/{a.pk}/",
    ]


def _headers(language: str) -> list[str]:
    if language.lower().startswith("zh"):
        return [zh for zh, _en in COLUMNS]
    with translation.override(language):
        return [translation.gettext(en) for _zh, en in COLUMNS]


def to_xlsx(achievements: Iterable[Achievement], *, language: str, base_url: str) -> bytes:
    book = Workbook(write_only=True)
    with translation.override(language):
        title = translation.gettext("Achievements")
    sheet = book.create_sheet(title[:31])
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
