"""Every xlsx and csv the platform writes goes through one guard: a text that starts like a
formula comes out as text, never as a formula (CSV injection); characters XML cannot hold are
left out instead of failing the export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kttc.core.spreadsheets import FORMULA_START, csv_row, xlsx_row
from kttc.policy.roles import Role
from kttc.registry import importing
from kttc.registry.models import Achievement

TODAY = dt.date(2026, 11, 25)
FORMULA = '=HYPERLINK("http://evil.example","x")'
LEADS = {"eq": FORMULA, "plus": "+1+cmd|' /C calc'!A0", "minus": "-2+3", "at": "@SUM(A1:A2)",
         "tab": "\t=1+2", "cr": "\r=1+2"}  # fmt: skip


def _book(write_only: bool, values: list[object]) -> Workbook:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("x") if write_only else book.active
    sheet.append(xlsx_row(sheet, values))
    buffer = io.BytesIO()
    book.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("write_only", [True, False], ids=["write-only", "workbook"])
@pytest.mark.parametrize("text", LEADS.values(), ids=LEADS.keys())
def test_a_text_starting_like_a_formula_is_a_text_cell_marked_as_text(write_only, text):
    cell = _book(write_only, [text, 12, "石墨烯"]).worksheets[-1].cell(row=1, column=1)
    stored = text.replace("\r", "\n")  # XML reads a carriage return as a line feed
    assert (cell.value, cell.data_type, cell.quotePrefix) == (stored, "s", True)
    plain = _book(write_only, [text, 12, "石墨烯"]).worksheets[-1]
    assert (plain["B1"].value, plain["B1"].data_type) == (12, "n")
    assert (plain["C1"].value, plain["C1"].quotePrefix) == ("石墨烯", False)


@pytest.mark.parametrize("text", LEADS.values(), ids=LEADS.keys())
def test_a_text_starting_like_a_formula_is_prefixed_in_csv(text):
    assert text.startswith(FORMULA_START)
    buffer = io.StringIO()
    csv.writer(buffer).writerow(csv_row([text, 12, "石墨烯", None]))
    assert next(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == [
        "'" + text, "12", "石墨烯", ""
    ]  # fmt: skip


def test_characters_xml_cannot_hold_are_left_out():
    sheet = _book(True, ["高原\x1b植物\u202e", "一\n二"]).worksheets[-1]
    assert [c.value for c in sheet[1]] == ["高原植物", "一\n二"]
    assert csv_row(["\x00=1"]) == ["'=1"]


# --- each export -------------------------------------------------------------------------------


@pytest.fixture
def published(publish):
    return {
        key: publish(name=LEADS[key], external_ref=key, keywords=["@mention", "x"])
        for key in ("eq", "plus", "minus", "at")
    }


def test_the_public_catalogs_xlsx_and_csv_never_hold_a_live_formula(client, published):
    xlsx = client.get(reverse("catalog:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    assert set(names) == {LEADS[k] for k in published}
    assert all(c.data_type == "s" and c.quotePrefix for c in names.values())
    text = client.get(reverse("catalog:export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert {row[0] for row in rows[1:]} == {"'" + LEADS[k] for k in published}
    assert all(not cell.startswith(FORMULA_START) for row in rows for cell in row)


def test_a_result_stored_with_control_characters_never_breaks_the_catalogs_xlsx(client, published):
    """A text stored before control characters were refused: left out, not a 500."""
    Achievement.objects.filter(pk=published["eq"].pk).update(name="高原\x1b植物\u202e")
    xlsx = client.get(reverse("catalog:export", args=["xlsx"]))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert "高原植物" in {row[0].value for row in sheet.iter_rows(min_row=2)}


def test_the_import_report_echoes_no_formula(personas):
    row = {c.header: importing.example_value(c) for c in importing.COLUMNS}
    row.update({"成果名称": FORMULA, "成果类型": "=1+1", "项目编号": None})
    book = Workbook()
    sheet = book.active
    sheet.title = importing.DATA_SHEET
    sheet.append(list(row))
    sheet.append(xlsx_row(sheet, list(row.values())))
    buffer = io.BytesIO()
    book.save(buffer)
    table = importing.read_rows(buffer.getvalue(), "成果.xlsx")
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    check = importing.check_file(table, unit=unit, today=TODAY)
    assert [p.column for p in check.problems] == ["成果类型"]

    report = load_workbook(io.BytesIO(importing.report_xlsx(table, check.problems, "en")))
    copy = report[importing.DATA_SHEET]
    for cell in copy[2]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert copy.cell(row=2, column=2).value == FORMULA
    listing = report["Problems"]
    message = listing.cell(row=2, column=4)
    assert message.value.startswith("=1+1") and message.quotePrefix
    text = importing.report_csv(check.problems, "en").decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text[text.index("\n") + 1 :])))[3].startswith("'=1+1")
