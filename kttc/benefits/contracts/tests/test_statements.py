"""M5.1: a person's statement of a distribution (xlsx, PDF) gives the stored amounts exactly and
says that a cash reward is reported apart; the payroll export has one row per person (never the
unit's remainder) and a total per distribution that adds up to the fen; labels follow the
active language."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from conftest import (
    embedded_cjk_font_or_skip,
    pdf_font_names,
    pdf_text,
    script_font_or_skip,
    words_read_back,
)
from kttc.benefits.contracts import services, statements
from kttc.benefits.contracts.models import DistributionLine
from kttc.core import dates, fonts

pytestmark = pytest.mark.django_db
JAN, JUN, JUL, DEC = (dt.date(2026, 1, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 1),
                      dt.date(2026, 12, 31))  # fmt: skip
#: Three completers with uneven shares, so that the amounts have fen in them.
TEAM = {"李明": Decimal("33.34"), "赵华": Decimal("33.33"), "Chen Jie": Decimal("33.33")}
SERVICE = {"王芳": Decimal("0.6"), "周强": Decimal("0.4")}


def _contract(personas, unit, number="2026530100000123"):
    office = personas.transfer_office
    contract = services.contract_create(
        actor=office,
        unit=unit,
        kind="licence",
        title="专利实施许可合同",
        counterparty="云岭智造科技有限公司",
        signed_on=dt.date(2026, 1, 5),
        amount=Decimal("200000"),
    )
    services.contract_register(
        actor=office,
        contract=contract,
        registration_number=number,
        registered_on=dt.date(2026, 1, 20),
        certified_amount=Decimal("200000"),
    )
    for amount, received_on in (("100000.00", dt.date(2026, 3, 1)), ("33333.33", JUL)):
        services.income_record(
            actor=office, contract=contract, amount=Decimal(amount), received_on=received_on
        )
    services.cost_record(
        actor=office,
        contract=contract,
        amount=Decimal("1000.01"),
        reason="专利维持费",
        incurred_on=dt.date(2026, 2, 1),
    )
    return contract


def _decide(personas, contract, period_start=JAN, period_end=DEC):
    return services.distribution_decide(
        actor=personas.transfer_office,
        contract=contract,
        period_start=period_start,
        period_end=period_end,
        team_ratio=Decimal("0.70"),
        team_shares=TEAM,
        service_ratio=Decimal("0.10"),
        service_shares=SERVICE,
    )


@pytest.fixture
def distribution(personas, unit):
    return _decide(personas, _contract(personas, unit))


def _line(distribution, name) -> DistributionLine:
    return distribution.lines.get(name=name)


def _statement(body: bytes) -> dict[str, object]:
    """The statement's label → value cell (column B), and its other texts under ``None``."""
    sheet = load_workbook(io.BytesIO(body)).active
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=3) if row[0].value}
    return cells | {None: [row[0].value for row in sheet.iter_rows() if row[0].value]}


def _exact(value: object) -> Decimal:
    """A number read back from xlsx as the decimal it was written as."""
    assert isinstance(value, int | float), value
    return Decimal(str(value))


def test_m5_1_the_statement_xlsx_gives_the_stored_amounts_exactly_with_the_note(distribution):
    line = _line(distribution, "赵华")
    assert line.amount % 1 != 0, "an amount with fen in it"
    with translation.override("en"):
        cells = _statement(statements.statement_xlsx(distribution, line))
        note = statements.m5_1_note()
    amount = cells["Amount (yuan)"]
    assert _exact(amount.value) == line.amount and amount.number_format == "0.00"
    assert _exact(cells["Income"].value) == distribution.income == Decimal("133333.33")
    assert _exact(cells["Costs deducted"].value) == distribution.costs == Decimal("1000.01")
    assert _exact(cells["Net income"].value) == distribution.net_income
    assert _exact(cells["Team's share of the net income"].value) == Decimal("0.7")
    assert _exact(cells["Share"].value) == Decimal("0.3333")
    team = distribution.lines.filter(beneficiary="team").values_list("amount", flat=True)
    assert _exact(cells["Total of the group"].value) == sum(team)
    assert cells["Contract"].value == "专利实施许可合同"
    assert cells["Kind"].value == "Technology licence"
    assert cells["Registration number (认定登记)"].value == "2026530100000123"
    assert cells["Period"].value == "2026-01-01 – 2026-12-31"
    assert cells["Beneficiary"].value == "Completer (team)" and cells["Name"].value == "赵华"
    assert cells["Cash reward outside the performance-pay cap (M5.1)"].value == "Yes"
    assert note in cells[None] and "social insurance" in note and "M5.1" in note


def test_m5_3_a_service_staff_statement_gives_the_ratio_of_the_units_part(distribution):
    line = _line(distribution, "周强")
    with translation.override("en"):
        cells = _statement(statements.statement_xlsx(distribution, line))
    assert _exact(cells["Service staff's share of the unit's part"].value) == Decimal("0.1")
    assert _exact(cells["Amount (yuan)"].value) == line.amount
    assert cells["Beneficiary"].value == "Technology transfer service staff"
    service = distribution.lines.filter(beneficiary="service_staff")
    assert _exact(cells["Total of the group"].value) == sum(s.amount for s in service)


def test_m5_1_a_statement_is_of_a_persons_line_of_the_distribution(personas, unit, distribution):
    with pytest.raises(ValueError):
        statements.statement_xlsx(distribution, distribution.lines.get(beneficiary="unit"))
    other = _decide(personas, _contract(personas, unit, number="2026530100000999"))
    with pytest.raises(ValueError):
        statements.statement_pdf(distribution, _line(other, "李明"))


def test_m5_1_the_statement_follows_the_active_language(distribution):
    line = _line(distribution, "李明")
    with translation.override("zh-hans"):
        cells = _statement(statements.statement_xlsx(distribution, line))
        note = statements.m5_1_note()
    assert note in cells[None] and "社会保险" in note
    assert cells["认定登记编号"].value == "2026530100000123"
    assert cells["类型"].value == "技术许可"
    assert "完成人（团队）" in {cell.value for label, cell in cells.items() if label}
    assert _exact(cells["净收入"].value) == distribution.net_income


# --- the PDF ---------------------------------------------------------------------------------


#: A page's content stream as ReportLab writes it (ASCII85 around Flate).
STREAM = re.compile(
    rb"/Filter \[ /ASCII85Decode /FlateDecode \][^>]*>>\s*stream\r?\n(.*?)endstream", re.S
)
SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\) Tj", re.S)
ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)


def _unescape(literal: bytes) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        code = match[1]
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(code, code)

    return ESCAPE.sub(one, literal)


def _cid_text(body: bytes) -> str:
    """The text a PDF drawn with the UCS-2 CID font shows (strings of its pages' streams)."""
    shown = []
    for stream in STREAM.findall(body):
        content = zlib.decompress(base64.a85decode(stream.strip(), adobe=True))
        shown += [_unescape(s).decode("utf-16-be", "replace") for s in SHOWN.findall(content)]
    return "".join(shown)


def test_m5_1_the_statement_pdf_is_a4_with_an_embedded_cjk_font(distribution):
    embedded_cjk_font_or_skip(fonts.cjk_font())
    body = statements.statement_pdf(distribution, _line(distribution, "李明"))
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in body  # A4
    assert b"/FontFile2" in body and len(body) > 10_000
    assert b"/Subject (M5.1)" in body


@pytest.mark.parametrize(("language", "script"), sorted(fonts.LANGUAGE_SCRIPTS.items()))
def test_m5_1_the_statement_pdf_is_drawn_in_thai_lao_burmese_and_khmer(
    distribution, language, script
):
    """The statement in the reader's script, shaped, its note and amounts read back."""
    font = script_font_or_skip(script)
    line = _line(distribution, "李明")
    with translation.override(language):
        body = statements.statement_pdf(distribution, line)
        note = statements.m5_1_note()
    assert Path(font.source).stem in pdf_font_names(body)
    text = pdf_text(body)
    assert format(line.amount, ",.2f") in text and "李明" in text and "专利实施许可合同" in text
    words = words_read_back(language, note)
    assert len(words) >= 10 and [w for w in words if w not in text] == []
    assert "(M5.1)" in text


def test_m5_1_the_statement_pdf_shows_the_amount_name_and_note(distribution, monkeypatch, settings):
    """With the CID fallback font the shown text is UCS-2, so it can be read back here."""
    line = _line(distribution, "赵华")
    settings.KTTC_CJK_FONT = ""
    monkeypatch.setattr(fonts, "FONT_CANDIDATES", ("/nonexistent/font.ttc",))
    fonts._register.cache_clear()
    try:
        with translation.override("en"):
            body = statements.statement_pdf(distribution, line)
            note = statements.m5_1_note()
            start = dates.day(distribution.period_start)  # as English writes it, not ISO
    finally:
        fonts._register.cache_clear()
    assert b"STSong-Light" in body and b"font not embedded" in body
    text = _cid_text(body)
    assert format(line.amount, ",.2f") in text and "赵华" in text and "专利实施许可合同" in text
    assert format(distribution.net_income, ",.2f") in text and "70%" in text
    assert "2026530100000123" in text
    assert start in text and distribution.period_start.isoformat() not in text
    words = note.split()
    assert words[0] in text and "social" in text and "(M5.1)." in text


# --- the payroll -----------------------------------------------------------------------------


@pytest.fixture
def two(personas, unit):
    contract = _contract(personas, unit)
    return [_decide(personas, contract, JAN, JUN), _decide(personas, contract, JUL, DEC)]


KINDS = {"team": "Completer (team)", "service_staff": "Technology transfer service staff"}


def _person_lines(distribution):
    return list(distribution.lines.exclude(beneficiary="unit").order_by("-beneficiary", "id"))


def test_m5_1_the_payroll_xlsx_has_a_row_per_person_and_totals_to_the_fen(two):
    with translation.override("en"):
        sheet = load_workbook(io.BytesIO(statements.payroll_xlsx(two))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][8] == "Cash reward outside the performance-pay cap (M5.1)"
    assert rows[0][9:] == ("Staff number", "Identity document number", "Bank",
                           "Bank account number")  # fmt: skip
    body = rows[1:]
    assert len(body) == sum(len(_person_lines(d)) + 1 for d in two)
    for distribution in two:
        mine = [r for r in body if r[0] == distribution.pk]
        people, total = mine[:-1], mine[-1]
        lines = _person_lines(distribution)
        assert [(r[4], r[5], _exact(r[6]), _exact(r[7])) for r in people] == [
            (KINDS[line.beneficiary], line.name, line.share, line.amount) for line in lines
        ]
        assert all(r[8] == "Yes" for r in people)
        assert total[4] == "Total" and total[6] is None and total[8] is None
        unit_line = distribution.lines.get(beneficiary="unit")
        assert _exact(total[7]) == sum(line.amount for line in lines)
        assert _exact(total[7]) == distribution.net_income - unit_line.amount
        assert unit_line.name not in {r[5] for r in mine}
        assert {r[2] for r in mine} == {"2026530100000123"}
    assert sheet.cell(row=2, column=8).number_format == "0.00"


def test_m5_1_the_payroll_csv_has_the_same_rows_as_text_exactly(two):
    with translation.override("en"):
        text = statements.payroll_csv(two)
        rows = list(statements.payroll_rows(two))
        headers = statements.payroll_headers()
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text[1:])))
    assert table[0] == headers and headers[0] == "Distribution"
    assert len(table) == len(rows) + 1
    for row, cells in zip(rows, table[1:], strict=True):
        assert Decimal(cells[7]) == row.amount and cells[7] == format(row.amount, ".2f")
        assert cells[5] == row.name and cells[8] == ("" if row.is_total else "Yes")
    for distribution in two:
        people = [Decimal(c[7]) for c in table[1:] if c[0] == str(distribution.pk) and c[8]]
        total = [Decimal(c[7]) for c in table[1:] if c[0] == str(distribution.pk) and not c[8]]
        assert total == [sum(people)]
        assert sum(people) == sum(line.amount for line in _person_lines(distribution))


@pytest.mark.parametrize(
    ("language", "expected", "team"),
    [
        ("en", ["Registration number (认定登记)", "Period", "Name", "Amount (yuan)"],
         "Completer (team)"),
        ("zh-hans", ["认定登记编号", "期间", "姓名", "工号", "证件号码", "开户银行", "银行账号"],
         "完成人（团队）"),
    ],
)  # fmt: skip
def test_m5_1_payroll_headers_follow_the_active_language(two, language, expected, team):
    with translation.override(language):
        headers = statements.payroll_headers()
        sheet = load_workbook(io.BytesIO(statements.payroll_xlsx(two))).active
        text = statements.payroll_csv(two)
    assert [cell.value for cell in sheet[1]] == headers
    assert next(csv.reader(io.StringIO(text[1:]))) == headers
    assert set(expected) <= set(headers)
    assert sheet.cell(row=2, column=5).value == team


def test_names_typed_by_users_are_text_never_formulas(personas, unit):
    """A name that starts like a formula stays text in every export (CSV injection)."""
    formula = '=HYPERLINK("http://example.com","x")'
    distribution = services.distribution_decide(
        actor=personas.transfer_office,
        contract=_contract(personas, unit),
        period_start=JAN,
        period_end=DEC,
        team_ratio=Decimal("0.70"),
        team_shares={formula: Decimal("1")},
    )
    line = _line(distribution, formula)
    cell = _statement(statements.statement_xlsx(distribution, line))[gettext("Name")]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (formula, "s", True)
    sheet = load_workbook(io.BytesIO(statements.payroll_xlsx([distribution]))).active
    name = sheet.cell(row=2, column=6)
    assert (name.value, name.data_type, name.quotePrefix) == (formula, "s", True)
    rows = list(csv.reader(io.StringIO(statements.payroll_csv([distribution])[1:])))
    assert rows[1][5] == "'" + formula
