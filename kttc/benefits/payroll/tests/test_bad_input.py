"""Bad input to the payroll pages (DESIGN rule 10) is answered with a clear refusal beside its
field, or a 404 for an id no row can have, never a server error, and changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kttc.benefits.payroll.models import PayrollLayout, RosterEntry
from kttc.benefits.payroll.tests.helpers import distribution_of
from kttc.core.models import AuditEntry

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def office(client, personas, unit):
    client.raise_request_exception = False
    client.force_login(personas.transfer_office)
    return client


def _nothing_stored() -> None:
    assert not RosterEntry.objects.exists() and not PayrollLayout.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="payroll.").exists()


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"r0-staff_number": "KM\x00001"}, "invisible control character"),
        ({"r0-bank_name": "银行\u202e"}, "invisible control character"),
        ({"r0-id_type": "visa", "r0-id_number": "1"}, "Select a valid choice"),
        ({"r0-id_type": "resident_id", "r0-id_number": "1" * 41}, "at most 40 characters"),
        ({"r0-id_type": "resident_id", "r0-id_number": "53010219800101001"}, "18 characters"),
        ({"r0-id_type": "resident_id", "r0-id_number": "53010219801301001X"}, "date of birth"),
        ({"r0-id_number": "E1234567"}, "Say which identity document"),
        ({"r0-bank_account": "６２２２ abc"}, "digits only"),
        ({"r0-bank_account": "1" * 31}, "8 to 30 digits"),
        ({"r0-name": "", "r0-new": "1", "r0-staff_number": "1"}, "Give the person"),
    ],
)
def test_bad_roster_cells_are_refused_beside_their_cell(office, unit, cells, expected):
    data = {"action": "save", "lines": "1", "r0-name": "李明", **cells}
    response = office.post(reverse("payroll:roster", args=[unit.pk]), data)
    assert response.status_code == 200
    assert expected in response.content.decode()
    _nothing_stored()


@pytest.mark.parametrize("lines", ["AAA", "²", HUGE, "-1", "0", ""])
def test_a_malformed_line_count_is_read_as_no_line(office, unit, lines):
    response = office.post(
        reverse("payroll:roster", args=[unit.pk]),
        {"action": "save", "lines": lines, "r0-name": "李明", "r0-bank_account": "12345678"},
    )
    assert response.status_code in (200, 302)
    _nothing_stored()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"columns-count": HUGE, "columns-0-column": "name", "columns-0-header": "x"},
         "add amount, outside_cap"),
        ({"columns-count": "1", "columns-0-column": "²", "columns-0-header": "x"},
         "is not a column the payroll can carry"),
        ({"columns-count": "1", "columns-0-column": "name", "columns-0-header": "姓\x00名"},
         "invisible control character"),
        ({"columns": "\n".join(f"name; h{i}" for i in range(40))}, "At most"),
        ({"columns-count": "1", "columns-0-column": "", "columns-0-header": "x"}, "Column"),
    ],
)  # fmt: skip
def test_a_bad_layout_is_refused_clearly(office, unit, data, expected):
    response = office.post(reverse("payroll:layout", args=[unit.pk]), {"action": "save", **data})
    assert response.status_code == 200
    assert expected in response.content.decode()
    _nothing_stored()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "roster.xlsx"),
        (b"PK\x03\x04" + b"\x00" * 100, "roster.xlsx"),
        (b"\x00\x01\x02", "roster.csv"),
        ("姓名\n" + "李明\n" * 3, "roster"),
        ("姓名,证件类型,证件号码\n李明,居民身份证,=cmd|calc\n", "roster.csv"),
    ],
)
def test_a_bad_roster_file_is_refused_clearly(office, unit, content, name):
    body = content.encode() if isinstance(content, str) else content
    upload = SimpleUploadedFile(name, body)
    response = office.post(
        reverse("payroll:roster", args=[unit.pk]), {"action": "import", "file": upload}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errors"' in html or 'class="error"' in html
    _nothing_stored()


def test_malformed_ids_in_payroll_addresses_are_404(office, personas, unit):
    distribution = distribution_of(personas, unit)
    for url in (
        f"/office/payroll/units/{HUGE}/roster/",
        "/office/payroll/units/0/layout/",
        f"/office/payroll/units/{HUGE}/roster/template.xlsx",
        f"/office/payroll/distributions/{HUGE}/",
        "/office/payroll/distributions/0/payroll.xlsx",
        f"/office/payroll/distributions/{distribution.pk}/payroll.AAA",
        "/office/payroll/units/AAA/roster/",
    ):
        assert office.get(url).status_code == 404, url
