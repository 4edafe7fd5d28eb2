"""M5.1: what a distribution of net income gives each person, as files people use.

* a person's **statement** (xlsx or PDF): the contract, the period, the income, the costs
  deducted, the net income, the ratio applied to the person's group, the person's share and
  amount, and the M5.1 note;
* the **payroll export** (xlsx or csv) of one or more distributions: one row per person (the
  completers and the service staff; the unit's remainder is no one's pay) with her payroll data
  (staff number, identity document, bank account: the unit's roster) and a total row per
  distribution, in the columns, order and headers of the unit's payroll layout.

M5.1: a cash reward counts in the unit's total performance pay but is not capped by it, is not a
base for next year's total and is not a social insurance base, so payroll must carry it as a line
of its own: every person row says so in a column of its own.

Amounts are the stored ``Decimal`` values, written as they are (never through a float) with two
decimals. Labels follow the active language (``translation.override`` around a call chooses it).

PDFs use the platform's fonts (``kttc.core.fonts``): the CJK font, embedded when one is
installed, else ReportLab's built-in CID font, which the PDF's metadata then names; Thai, Lao,
Burmese and Khmer text in runs of its script's font, shaped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kttc.benefits.contracts.choices import Beneficiary
from kttc.benefits.contracts.models import Distribution, DistributionLine, TechnologyContract
from kttc.core import dates
from kttc.core import statements as statement_files
from kttc.core.spreadsheets import csv_row, xlsx_row
from kttc.core.statements import AMOUNT_FORMAT, RATIO_FORMAT, Row, Statement
from kttc.policy.payroll import DEFAULT_COLUMNS, ROSTER_COLUMNS, Column

#: The lines that are a person's pay (M5.1), in the order they are listed: completers first.
PEOPLE = (Beneficiary.TEAM, Beneficiary.SERVICE_STAFF)


def m5_1_note() -> str:
    """M5.1: how a person's cash reward is reported, in the active language."""
    return gettext(
        "Cash rewards to people are reported as their own line: they count in the unit's total "
        "performance pay but are not capped by it, are not the base for next year's total and "
        "are not a social insurance base (M5.1)."
    )


# --- the lines and rows both formats share ---------------------------------------------------


def person_lines(distribution: Distribution) -> list[DistributionLine]:
    """M5.1: the distribution's lines that are a person's pay, completers first, each group in
    the order it was stored (largest share first)."""
    lines = [line for line in distribution.lines.all() if line.beneficiary in PEOPLE]
    return sorted(lines, key=lambda line: (PEOPLE.index(line.beneficiary), line.pk))


def _people_total(distribution: Distribution) -> Decimal:
    """The team's total plus the service staff's reward: the person rows' sum. A distribution
    whose lines do not add up to its net income is never exported."""
    lines = list(distribution.lines.all())
    people = sum((line.amount for line in lines if line.beneficiary in PEOPLE), Decimal("0.00"))
    unit = sum((line.amount for line in lines if line.beneficiary not in PEOPLE), Decimal("0"))
    if people + unit != distribution.net_income:
        raise ValueError(f"the lines of distribution {distribution.pk} do not add up")
    return people


def _period(distribution: Distribution, *, as_read: bool = False) -> str:
    """The period, ISO in files people compute with, as the reader writes dates in a PDF."""
    if as_read:
        return f"{dates.day(distribution.period_start)} – {dates.day(distribution.period_end)}"
    return f"{distribution.period_start.isoformat()} – {distribution.period_end.isoformat()}"


def _outside_cap_label() -> str:
    return gettext("Cash reward outside the performance-pay cap (M5.1)")


def _registration_label() -> str:
    return str(capfirst(TechnologyContract._meta.get_field("registration_number").verbose_name))


def _group_rows(distribution: Distribution, line: DistributionLine) -> list[Row]:
    """The ratio applied to the person's group (M5.2 for the team, M5.3 for the service staff)
    and the group's total."""
    group = [
        other.amount for other in distribution.lines.all() if other.beneficiary == line.beneficiary
    ]
    if line.beneficiary == Beneficiary.TEAM:
        ratio = Row(
            gettext("Team's share of the net income"), distribution.team_ratio, RATIO_FORMAT
        )
    else:
        ratio = Row(
            gettext("Service staff's share of the unit's part"),
            distribution.service_ratio or Decimal("0"),
            RATIO_FORMAT,
        )
    total = Row(gettext("Total of the group"), sum(group, Decimal("0.00")), AMOUNT_FORMAT)
    return [ratio, total]


def statement_rows(
    distribution: Distribution, line: DistributionLine, *, dates_as_read: bool = False
) -> list[Row]:
    """M5.1: the rows of one person's statement, labelled in the active language; its dates
    ISO (a workbook), or as the reader's language writes them (a PDF)."""
    if line.distribution_id != distribution.pk or line.beneficiary not in PEOPLE:
        raise ValueError("a statement is of a person's line of this distribution")
    contract = distribution.contract
    return [
        Row(gettext("Unit"), contract.unit.name),
        Row(gettext("Contract"), contract.title),
        Row(gettext("Kind"), str(contract.get_kind_display())),
        Row(_registration_label(), contract.registration_number or "—"),
        Row(gettext("Period"), _period(distribution, as_read=dates_as_read)),
        Row(gettext("Income"), distribution.income, AMOUNT_FORMAT),
        Row(gettext("Costs deducted"), distribution.costs, AMOUNT_FORMAT),
        Row(gettext("Net income"), distribution.net_income, AMOUNT_FORMAT),
        Row(gettext("Beneficiary"), str(line.get_beneficiary_display())),
        Row(gettext("Name"), line.name),
        *_group_rows(distribution, line),
        Row(gettext("Share"), line.share or Decimal("0"), RATIO_FORMAT),
        Row(gettext("Amount (yuan)"), line.amount, AMOUNT_FORMAT),
        Row(_outside_cap_label(), gettext("Yes")),
        Row(gettext("Policy version"), distribution.policy_version),
    ]


def _title(line: DistributionLine) -> str:
    return gettext("Income distribution statement: %(name)s") % {"name": line.name}


def _footer(distribution: Distribution, *, as_read: bool = False) -> str:
    decided = timezone.localdate(distribution.decided_at)
    return gettext("Distribution %(id)s, decided on %(date)s.") % {
        "id": distribution.pk,
        "date": dates.day(decided) if as_read else decided.isoformat(),
    }


# --- a person's statement ----------------------------------------------------------------------


def _statement(distribution: Distribution, line: DistributionLine, *, as_read: bool) -> Statement:
    return Statement(
        title=_title(line),
        rows=statement_rows(distribution, line, dates_as_read=as_read),
        note=m5_1_note(),
        footer=_footer(distribution, as_read=as_read),
        subject="M5.1",
        author=distribution.contract.unit.name,
        sheet_name=gettext("Statement"),
    )


def statement_xlsx(distribution: Distribution, line: DistributionLine) -> bytes:
    """M5.1: one person's statement of a distribution as an xlsx workbook: a label and a value
    per row, amounts as exact numbers with two decimals, ratios as percentages, the M5.1 note."""
    return statement_files.xlsx(_statement(distribution, line, as_read=False))


def statement_pdf(distribution: Distribution, line: DistributionLine) -> bytes:
    """M5.1: one person's statement of a distribution on A4, the same rows and note as
    :func:`statement_xlsx`."""
    return statement_files.pdf(_statement(distribution, line, as_read=True))


# --- the payroll export ------------------------------------------------------------------------

#: A unit's payroll layout: ``(column, header)`` in the file's order.
Layout = Sequence[tuple[Column, str]]
#: The people's payroll data as the export writes it: name → column → text (the identity
#: document by its name in the active language); a person without any has no key.
Roster = Mapping[str, Mapping[Column, str]]
_WIDTHS = {
    Column.DISTRIBUTION: 12, Column.CONTRACT: 36, Column.REGISTRATION_NUMBER: 18,
    Column.PERIOD: 26, Column.BENEFICIARY: 22, Column.NAME: 16, Column.SHARE: 12,
    Column.AMOUNT: 16, Column.OUTSIDE_CAP: 24, Column.STAFF_NUMBER: 14, Column.ID_TYPE: 18,
    Column.ID_NUMBER: 22, Column.BANK_NAME: 28, Column.BANK_ACCOUNT: 26,
}  # fmt: skip


def column_label(column: Column) -> str:
    """The default header of a payroll column, in the active language."""
    if column is Column.REGISTRATION_NUMBER:
        return _registration_label()
    if column is Column.OUTSIDE_CAP:
        return _outside_cap_label()
    labels = {
        Column.DISTRIBUTION: gettext("Distribution"),
        Column.CONTRACT: gettext("Contract"),
        Column.PERIOD: gettext("Period"),
        Column.BENEFICIARY: gettext("Beneficiary"),
        Column.NAME: pgettext("person", "Name"),
        Column.SHARE: gettext("Share"),
        Column.AMOUNT: gettext("Amount (yuan)"),
        Column.STAFF_NUMBER: gettext("Staff number"),
        Column.ID_TYPE: gettext("Identity document"),
        Column.ID_NUMBER: gettext("Identity document number"),
        Column.BANK_NAME: gettext("Bank"),
        Column.BANK_ACCOUNT: gettext("Bank account number"),
    }
    return labels[column]


def default_layout() -> list[tuple[Column, str]]:
    """M5.1: the layout of a unit that has not chosen its own, headers in the active language."""
    return [(column, column_label(column)) for column in DEFAULT_COLUMNS]


def payroll_headers(layout: Layout | None = None) -> list[str]:
    """The payroll's headers: the unit's, or the default ones in the active language."""
    return [header for _column, header in (layout or default_layout())]


@dataclass(frozen=True)
class PayrollRow:
    """One row of the payroll: a person's line (``share`` set) or a distribution's total, with
    the person's payroll data (``roster``, empty when the unit has none for her)."""

    distribution: int
    contract: str
    registration_number: str
    period: str
    beneficiary: str
    name: str
    share: Decimal | None
    amount: Decimal
    outside_cap: str
    roster: Mapping[Column, str] = field(default_factory=dict)

    @property
    def is_total(self) -> bool:
        return self.share is None

    def value(self, column: Column) -> object:
        """The row's value in ``column``: an amount or a ratio as the exact Decimal, a text
        otherwise ("" for payroll data the unit does not have)."""
        if column in ROSTER_COLUMNS:
            return self.roster.get(column, "")
        return getattr(self, column.value)

    def cells(self, layout: Layout | None = None) -> list[object]:
        """The row's values in the order of the layout's columns (the default's when none)."""
        return [self.value(column) for column, _header in (layout or default_layout())]


def payroll_rows(
    distributions: Iterable[Distribution], roster: Roster | None = None
) -> Iterator[PayrollRow]:
    """M5.1: a row per person's line of each distribution, with her payroll data from
    ``roster`` (matched by the name the line gives), then the distribution's total (the team's
    total plus the service staff's reward, exactly). The unit's line is no one's pay."""
    items = list(distributions)
    prefetch_related_objects(items, "lines", "contract")
    people = roster or {}
    yes = gettext("Yes")
    for distribution in items:
        contract = distribution.contract
        common = (distribution.pk, contract.title, contract.registration_number,
                  _period(distribution))  # fmt: skip
        for line in person_lines(distribution):
            kind = str(line.get_beneficiary_display())
            share = line.share or Decimal("0")
            data = people.get(line.name, {})
            yield PayrollRow(*common, kind, line.name, share, line.amount, yes, data)
        yield PayrollRow(*common, gettext("Total"), "", None, _people_total(distribution), "")


def payroll_xlsx(
    distributions: Iterable[Distribution],
    *,
    layout: Layout | None = None,
    roster: Roster | None = None,
) -> bytes:
    """M5.1: the payroll export of the distributions as an xlsx workbook, in the unit's layout
    (see :func:`payroll_rows`); amounts are exact numbers with two decimals, numbers of
    documents and accounts text (never rounded as a number would be), totals in bold."""
    columns = list(layout or default_layout())
    book = Workbook()
    sheet = statement_files.sheet_of(book)
    sheet.title = gettext("Payroll")[:31]
    sheet.append(xlsx_row(sheet, payroll_headers(columns)))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    formats = {Column.SHARE: RATIO_FORMAT, Column.AMOUNT: AMOUNT_FORMAT}
    for row in payroll_rows(distributions, roster):
        sheet.append(xlsx_row(sheet, row.cells(columns)))
        for index, (column, _header) in enumerate(columns, start=1):
            if column in formats:
                sheet.cell(row=sheet.max_row, column=index).number_format = formats[column]
        if row.is_total:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
    for index, (column, _header) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[column]
    return statement_files.saved(book)


def _csv_text(column: Column, value: object) -> object:
    if column is Column.SHARE:
        return "" if value is None else format(value, "f")
    if column is Column.AMOUNT and isinstance(value, Decimal):
        return format(value, ".2f")  # exact: the amount is whole fen
    return value


def payroll_csv(
    distributions: Iterable[Distribution],
    *,
    layout: Layout | None = None,
    roster: Roster | None = None,
) -> str:
    """M5.1: the same rows as :func:`payroll_xlsx` as csv text, in the unit's layout. It starts
    with a byte order mark, so that Excel reads the file, encoded as UTF-8, as UTF-8."""
    columns = list(layout or default_layout())
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(csv_row(payroll_headers(columns)))
    for row in payroll_rows(distributions, roster):
        values = [_csv_text(column, row.value(column)) for column, _header in columns]
        writer.writerow(csv_row(values))
    return "\ufeff" + text.getvalue()


__all__ = [
    "column_label",
    "default_layout",
    "payroll_csv",
    "payroll_headers",
    "payroll_rows",
    "payroll_xlsx",
    "statement_pdf",
    "statement_rows",
    "statement_xlsx",
]
