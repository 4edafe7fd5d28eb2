"""M5.1: the roster from a file (xlsx or csv): a template with the unit's people, and the import
of a filled one, all or nothing, every problem named by its row and column."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kttc.benefits.payroll.models import RosterEntry
from kttc.benefits.payroll.tests.helpers import LI_ACCOUNT, LI_ID, distribution_of, li_and_zhao
from kttc.core.models import AuditEntry
from kttc.policy.identifiers import make_resident_id

pytestmark = pytest.mark.django_db
HEADERS = ["姓名", "工号", "证件类型", "证件号码", "开户银行", "银行账号"]
WANG_ID = make_resident_id("53011119900215002")


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _xlsx(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, unit, content: bytes, name="roster.xlsx"):
    url = reverse("payroll:roster", args=[unit.pk])
    return client.post(url, {"action": "import", "file": SimpleUploadedFile(name, content)})


def test_m5_1_the_template_lists_the_units_people_and_keeps_numbers_as_text(
    client, personas, unit
):
    distribution_of(personas, unit)
    client.force_login(personas.transfer_office)
    response = client.get(reverse("payroll:roster_template", args=[unit.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["姓名", "工号", "证件类型", "证件号码", "开户银行", "银行账号"]
    assert [r[0] for r in rows[1:4]] == ["李明", "王芳", "赵华"]
    assert all(r[1:] == (None,) * 5 for r in rows[1:4])  # names only: no personal data
    assert sheet["D2"].number_format == "@" and sheet["F2"].number_format == "@"


def test_m5_1_a_filled_roster_file_is_stored_whole(client, personas, unit):
    distribution_of(personas, unit)
    li_and_zhao(personas, unit)
    client.force_login(personas.transfer_office)
    content = _xlsx(
        [
            ["王芳", "KM0056", "居民身份证", WANG_ID, "富滇银行", "6214830012345678"],
            ["李明", "KM0013", None, None, None, None],  # empty cells keep what is stored
        ]
    )
    response = _upload(client, unit, content)
    assert response.status_code == 302
    wang = RosterEntry.objects.get(unit=unit, name="王芳")
    assert (wang.id_type, wang.id_number, wang.bank_account) == (
        "resident_id", WANG_ID, "6214830012345678",
    )  # fmt: skip
    li = RosterEntry.objects.get(unit=unit, name="李明")
    assert (li.staff_number, li.id_number, li.bank_account) == ("KM0013", LI_ID, LI_ACCOUNT)
    assert AuditEntry.objects.filter(action="payroll.roster_set").count() == 2 + 2


def test_m5_1_a_file_with_problems_stores_nothing_and_names_each_row_and_column(
    client, personas, unit
):
    client.force_login(personas.transfer_office)
    wrong = WANG_ID[:-1] + ("1" if WANG_ID[-1] != "1" else "2")
    content = _xlsx(
        [
            ["王芳", "KM0056", "居民身份证", wrong, "富滇银行", "6214830012345678"],
            ["孙伟", "KM0013", "驾驶证", "123", None, None],
            ["赵华", None, None, None, None, 6214830012345678123],  # typed as a number
            [None, "KM0099", None, None, None, "12345678"],
            ["周强", None, None, None, None, "12-34"],
            ["吴敏", "KM0100", None, None, None, None],  # a good row: not stored either
            ["吴敏", "KM0101", None, None, None, None],
        ]
    )
    response = _upload(client, unit, content)
    assert response.status_code == 200
    problems = [str(p) for p in response.context["problems"]]
    assert len(problems) == 6
    assert problems[0].startswith("Row 2, Identity document number: ")
    assert "GB 11643-1999" in problems[0]
    assert problems[1].startswith("Row 3, Identity document: “驾驶证” is not an identity document")
    assert problems[2].startswith("Row 4, Bank account number: the cell holds a number")
    assert problems[3].startswith("Row 5, Name: ")
    assert problems[4].startswith("Row 6, Bank account number: ")
    assert problems[5] == "Row 8, Name: 吴敏 is on row 7 already."
    html = response.content.decode()
    assert "Nothing is stored" in html and "Row 2, Identity document number" in html
    assert not RosterEntry.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="payroll.").exists()


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"not a workbook", "roster.xlsx", "is not an xlsx or csv file"),
        (b"PK\x03\x04broken", "roster.xlsx", "cannot be read as an xlsx workbook"),
        (b"\xff\xfe\x00garbage", "roster.pdf", "is not an xlsx or csv file"),
        ("工资,姓名\n1,李明\n".encode(), "roster.csv", "“工资” is not a column of the roster"),
        ("工号\nKM1\n".encode(), "roster.csv", "The file has no column “姓名”"),
        ("姓名,Name\n李明,李明\n".encode(), "roster.csv", "Row 1, B: this column is in column A"),
        ("姓名\n".encode(), "roster.csv", "headers but no rows"),
    ],
)
def test_a_file_that_is_not_a_roster_is_refused_clearly(client, personas, unit, content, name,
                                                          expected):  # fmt: skip
    client.force_login(personas.transfer_office)
    response = _upload(client, unit, content, name)
    assert response.status_code == 200
    assert expected in " ".join(str(p) for p in response.context["problems"])
    assert not RosterEntry.objects.exists()


def test_a_csv_roster_in_english_headers_is_read(client, personas, unit):
    client.force_login(personas.transfer_office)
    text = "Name,Staff number,Identity document,Identity document number,Bank account number\n"
    text += f"王芳,KM0056,Resident identity card,{WANG_ID},6214 8300 1234 5678\n"
    assert _upload(client, unit, text.encode("utf-8-sig"), "roster.csv").status_code == 302
    wang = RosterEntry.objects.get(name="王芳")
    assert (wang.id_number, wang.bank_account) == (WANG_ID, "6214830012345678")
