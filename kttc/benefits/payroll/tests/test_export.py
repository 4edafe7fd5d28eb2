"""M5.1: the payroll export follows the unit's layout (its columns, order and headers), carries
each person's payroll data whole (numbers as text, never rounded), leaves the cells of a person
without roster data empty, and keeps every amount exact to the fen."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from kttc.benefits.contracts import statements
from kttc.benefits.payroll import selectors, services
from kttc.benefits.payroll.tests.helpers import (
    LI_ACCOUNT,
    LI_ID,
    ZHAO_ACCOUNT,
    ZHAO_PASSPORT,
    distribution_of,
    li_and_zhao,
)

pytestmark = pytest.mark.django_db

OWN = [("staff_number", "工号"), ("name", "姓名"), ("id_type", "证件类型"),
       ("id_number", "证件号码"), ("bank_name", "开户行"), ("bank_account", "银行账号"),
       ("amount", "实发金额"), ("outside_cap", "不计入绩效工资总量")]  # fmt: skip


def _sheet(distribution, unit):
    layout = selectors.layout_of(unit)
    roster = selectors.export_roster(distribution)
    body = statements.payroll_xlsx([distribution], layout=layout, roster=roster)
    return load_workbook(io.BytesIO(body)).active


def _exact(value: object) -> Decimal:
    assert isinstance(value, int | float), value
    return Decimal(str(value))


@pytest.fixture
def paid(personas, unit):
    distribution = distribution_of(personas, unit)
    li_and_zhao(personas, unit)
    return distribution


def test_m5_1_the_default_layout_is_todays_columns_then_staff_number_id_bank_account(
    paid, unit
):
    with translation.override("en"):
        sheet = _sheet(paid, unit)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [
        "Distribution", "Contract", "Registration number (认定登记)", "Period", "Beneficiary",
        "Name", "Share", "Amount (yuan)", "Cash reward outside the performance-pay cap (M5.1)",
        "Staff number", "Identity document number", "Bank", "Bank account number",
    ]  # fmt: skip
    by_name = {r[5]: r for r in rows[1:]}
    li = by_name["李明"]
    assert li[9:] == ("KM0012", LI_ID, "中国工商银行昆明分行", LI_ACCOUNT)
    line = paid.lines.get(name="李明")
    assert _exact(li[7]) == line.amount and li[8] == "Yes"
    assert by_name["赵华"][10] == ZHAO_PASSPORT and by_name["赵华"][12] == ZHAO_ACCOUNT
    assert by_name["王芳"][9:] == (None, None, None, None)  # no roster entry: empty cells
    total = rows[-1]
    assert total[4] == "Total" and total[9:] == (None, None, None, None)
    assert _exact(total[7]) == sum(x.amount for x in paid.lines.exclude(beneficiary="unit"))


def test_m5_1_the_export_follows_the_units_own_columns_order_and_headers(personas, paid, unit):
    services.payroll_layout_set(actor=personas.transfer_office, unit=unit, columns=OWN)
    with translation.override("zh-hans"):
        sheet = _sheet(paid, unit)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [header for _column, header in OWN]
    li = next(r for r in rows if r[1] == "李明")
    assert li[:6] == ("KM0012", "李明", "居民身份证", LI_ID, "中国工商银行昆明分行", LI_ACCOUNT)
    assert _exact(li[6]) == paid.lines.get(name="李明").amount and li[7] == "是"
    # identity and account numbers are text cells: all their digits, whatever their length
    row = next(i for i, r in enumerate(rows, start=1) if r[1] == "李明")
    assert sheet.cell(row=row, column=4).data_type == "s"
    assert sheet.cell(row=row, column=6).data_type == "s"
    assert sheet.cell(row=row, column=7).number_format == "0.00"
    wang = next(r for r in rows if r[1] == "王芳")
    assert wang[0] is None and wang[2:6] == (None, None, None, None)


def test_m5_1_the_csv_has_the_same_columns_and_exact_amounts(personas, paid, unit):
    services.payroll_layout_set(actor=personas.transfer_office, unit=unit, columns=OWN)
    layout = selectors.layout_of(unit)
    text = statements.payroll_csv(
        [paid], layout=layout, roster=selectors.export_roster(paid)
    )
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text[1:])))
    assert table[0] == [header for _column, header in OWN]
    li = next(r for r in table if r[1] == "李明")
    assert li[3] == LI_ID and li[5] == LI_ACCOUNT  # whole, as text
    assert li[6] == format(paid.lines.get(name="李明").amount, ".2f")
    wang = next(r for r in table if r[1] == "王芳")
    assert wang[0] == "" and wang[2:6] == ["", "", "", ""]
    people = [Decimal(r[6]) for r in table[1:] if r[1]]
    total = [Decimal(r[6]) for r in table[1:] if not r[1]]
    assert total == [sum(people)]


def test_m5_1_names_and_payroll_data_stay_text_in_every_export(personas, unit):
    """A staff number or bank name typed like a formula is never one (CSV injection)."""
    distribution = distribution_of(personas, unit)
    formula = '=HYPERLINK("http://example.com","x")'
    services.payroll_roster_save(
        actor=personas.transfer_office,
        unit=unit,
        changes=[services.RosterChange("李明", staff_number="@SUM(A1)", bank_name=formula)],
    )
    sheet = _sheet(distribution, unit)
    row = next(r for r in sheet.iter_rows() if r[5].value == "李明")
    assert (row[9].value, row[9].quotePrefix) == ("@SUM(A1)", True)
    assert (row[11].value, row[11].data_type, row[11].quotePrefix) == (formula, "s", True)
    text = statements.payroll_csv(
        [distribution],
        layout=selectors.layout_of(unit),
        roster=selectors.export_roster(distribution),
    )
    li = next(r for r in csv.reader(io.StringIO(text[1:])) if r[5] == "李明")
    assert li[9] == "'@SUM(A1)" and li[11] == "'" + formula
