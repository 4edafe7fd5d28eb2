"""A voucher programme's report (M12.2) as rows for its page and as an xlsx: the budget, the
vouchers issued, still outstanding, redeemed and expired, and the remaining budget, in total, by
service kind and by institution. ``budget = outstanding + redeemed + remaining`` to the fen
(:func:`kttc.policy.vouchers.report`). Every cell goes through the one guard against formulas
(DESIGN rule 10, :mod:`kttc.core.spreadsheets`): an institution's name is typed by people."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext
from openpyxl import Workbook

from kttc.center.vouchers import selectors
from kttc.center.vouchers.choices import ServiceKind
from kttc.center.vouchers.models import VoucherProgramme
from kttc.core.spreadsheets import xlsx_row
from kttc.policy import vouchers as rules

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ReportRow:
    label: str
    count: int
    issued: Decimal
    outstanding: Decimal
    redeemed: Decimal
    expired: Decimal


@dataclass(frozen=True)
class ReportView:
    """The report as its page and its xlsx show it."""

    budget: Decimal
    committed: Decimal
    remaining: Decimal
    total: ReportRow
    by_service: list[ReportRow]
    by_institution: list[ReportRow]


def _row(label: str, figures: rules.Figures) -> ReportRow:
    return ReportRow(
        label, figures.count, figures.issued, figures.outstanding, figures.redeemed,
        figures.expired,
    )  # fmt: skip


def report_rows(programme: VoucherProgramme) -> ReportView:
    found = selectors.report(programme)
    names = dict(ServiceKind.choices)
    return ReportView(
        budget=found.budget,
        committed=found.total.committed,
        remaining=found.remaining,
        total=_row(gettext("Total"), found.total),
        by_service=[
            _row(str(names.get(kind, kind)), figures)
            for kind, figures in found.by_service.items()
            if kind in programme.services or figures.count
        ],
        by_institution=[
            _row(name, figures) for name, figures in sorted(found.by_institution.items())
        ],
    )


def _headers(first: str) -> list[str]:
    return [
        first, gettext("Vouchers"), gettext("Issued (yuan)"), gettext("Not yet used (yuan)"),
        gettext("Redeemed (yuan)"), gettext("Expired (yuan)"),
    ]  # fmt: skip


def _values(row: ReportRow) -> list[object]:
    return [row.label, row.count, row.issued, row.outstanding, row.redeemed, row.expired]


def report_xlsx(programme: VoucherProgramme) -> bytes:
    """M12.2: the report's xlsx: the summary, then by service kind and by institution."""
    view = report_rows(programme)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(gettext("Report")[:31])
    sheet.append(xlsx_row(sheet, [gettext("Programme"), programme.name]))
    for label, amount in (
        (gettext("Budget (yuan)"), view.budget),
        (gettext("Not yet used (yuan)"), view.total.outstanding),
        (gettext("Redeemed (yuan)"), view.total.redeemed),
        (gettext("Remaining (yuan)"), view.remaining),
        (gettext("Expired, returned to the budget (yuan)"), view.total.expired),
    ):
        sheet.append(xlsx_row(sheet, [label, amount]))
    sheet.append([])
    sheet.append(xlsx_row(sheet, _headers(gettext("Service"))))
    for row in [*view.by_service, view.total]:
        sheet.append(xlsx_row(sheet, _values(row)))
    sheet.append([])
    sheet.append(xlsx_row(sheet, _headers(gettext("Service institution"))))
    for row in view.by_institution:
        sheet.append(xlsx_row(sheet, _values(row)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
