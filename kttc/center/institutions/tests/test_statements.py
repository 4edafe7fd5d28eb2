"""M9.2: each broker's statement of a reward from the subsidy, as PDF and xlsx (like M5's
statements): the subsidy, the minimum share in force, the brokers' total, the broker's share
and amount to the fen; for the broker, the institution's staff and the bureau only."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from kttc.center.institutions import services
from kttc.center.institutions.tests.factories import institution, subsidised

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(personas):
    found = institution(personas, brokers=2)
    subsidy = subsidised(personas, found)
    shares = {found.brokers[0].pk: Decimal("70"), found.brokers[1].pk: Decimal("30")}
    reward = services.reward_decide(
        actor=found.staff, subsidy=subsidy, reward=services.Reward(Decimal("10000.01"), shares),
        today=subsidy.disbursed_on,
    )  # fmt: skip
    return {line.broker.person: line for line in reward.lines.select_related("broker__person")}


def _url(line, fmt):
    return reverse("institutions:reward_statement", args=[line.pk, fmt])


def test_m9_2_a_broker_downloads_their_statement_as_xlsx_to_the_fen(client, personas, lines):
    person, line = next((p, ln) for p, ln in lines.items() if p != personas.service_broker)
    client.force_login(person)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    answer = client.get(_url(line, "xlsx"))
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert Decimal(str(values["Subsidy (yuan)"])) == Decimal("100000.00")
    assert Decimal(str(values["Brokers' total (yuan)"])) == Decimal("10000.01")
    assert Decimal(str(values["Amount (yuan)"])) == line.amount == Decimal("3000.00")
    assert values["Share"] == pytest.approx(0.30)
    assert values["Broker"] == person.full_name
    assert values["Certificate number"] == line.broker.certificate_number


def test_m9_2_the_pdf_statement_reads_in_chinese_with_the_amount(client, personas, lines):
    person, line = next((p, ln) for p, ln in lines.items() if p == personas.service_broker)
    client.force_login(person)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    answer = client.get(_url(line, "pdf"))
    assert answer["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert "7,000.01" in text and line.broker.certificate_number in text
    assert "M9.2" in text


def test_m9_2_a_statement_is_read_by_its_broker_the_institution_and_the_bureau(
    client, personas, lines
):
    other_person, other_line = next(
        (p, ln) for p, ln in lines.items() if p != personas.service_broker
    )
    client.force_login(other_person)
    assert client.get(_url(other_line, "csv")).status_code == 404
    for reader in (personas.service_broker, personas.bureau):
        client.force_login(reader)
        assert client.get(_url(other_line, "xlsx")).status_code == 200
    for outsider in (personas.enterprise, personas.researcher, personas.transfer_office):
        client.force_login(outsider)
        assert client.get(_url(other_line, "xlsx")).status_code == 404
    client.force_login(other_person)
    page = client.get(reverse("institutions:my_rewards")).content.decode()
    assert _url(other_line, "pdf") in page
