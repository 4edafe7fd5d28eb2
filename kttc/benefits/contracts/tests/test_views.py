"""The contract pages (M5) as a transfer office uses them: record, register, book income and
costs, see the net income; refusals beside their field; other people kept out."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.benefits.contracts.models import ContractIncome, DeductibleCost, TechnologyContract

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _new(client, unit, **changes):
    data = {
        "unit": unit.pk,
        "kind": "licence",
        "title": "专利实施许可合同",
        "counterparty": "云岭智造科技有限公司",
        "counterparty_country": "CN",
        "signed_on": "2026-03-01",
        "amount": "200000",
        **changes,
    }
    return client.post(reverse("contracts:new"), data)


def test_m5_the_office_records_a_contract_and_reaches_its_net_income(client, personas, unit):
    client.force_login(personas.transfer_office)
    empty = client.get(reverse("contracts:list")).content.decode()
    assert "No technology contract is recorded yet." in empty
    response = _new(client, unit)
    contract = TechnologyContract.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{contract.pk}/")
    page = reverse("contracts:detail", args=[contract.pk])
    early = client.post(
        page,
        {"action": "register", "reg-registration_number": "2026530100000001",
         "reg-registered_on": "2026-02-01", "reg-certified_amount": "200000"},
    )  # fmt: skip
    assert early.status_code == 200 and "M5.2" in early.content.decode()
    client.post(
        page,
        {"action": "register", "reg-registration_number": "2026530100000001",
         "reg-registered_on": "2026-03-15", "reg-certified_amount": "200000"},
    )  # fmt: skip
    client.post(
        page, {"action": "income", "income-amount": "120000", "income-received_on": "2026-04-01"}
    )
    client.post(
        page,
        {"action": "cost", "cost-amount": "2000.50", "cost-reason": "评估费",
         "cost-incurred_on": "2026-03-05"},
    )  # fmt: skip
    shown = client.get(page)
    assert shown.context["totals"].net == Decimal("117999.50")
    contract.refresh_from_db()
    assert contract.is_registered
    listing = client.get(reverse("contracts:list"), {"registered": "yes", "kind": "licence"})
    assert list(listing.context["page"].object_list) == [contract]
    none = client.get(reverse("contracts:list"), {"registered": "no"}).content.decode()
    assert "No contract matches these filters." in none


def test_m5_others_cannot_record_or_read_the_units_contracts(client, personas, unit):
    client.force_login(personas.transfer_office)
    _new(client, unit)
    contract = TechnologyContract.objects.get()
    client.force_login(personas.enterprise)
    assert client.get(reverse("contracts:new")).status_code == 403
    assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 404
    client.force_login(personas.researcher)
    response = client.post(
        reverse("contracts:detail", args=[contract.pk]),
        {"action": "income", "income-amount": "1", "income-received_on": "2026-04-01"},
    )
    assert response.status_code == 404
    assert not ContractIncome.objects.exists() and not DeductibleCost.objects.exists()
    client.force_login(personas.bureau)
    assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 200


def test_m5_2_the_office_distributes_through_the_page_and_reads_the_lines(client, personas, unit):
    client.force_login(personas.transfer_office)
    _new(client, unit)
    contract = TechnologyContract.objects.get()
    page = reverse("contracts:detail", args=[contract.pk])
    client.post(
        page,
        {"action": "register", "reg-registration_number": "R-9",
         "reg-registered_on": "2026-03-15", "reg-certified_amount": "200000"},
    )  # fmt: skip
    client.post(
        page, {"action": "income", "income-amount": "10000", "income-received_on": "2026-04-01"}
    )
    form = client.get(page).content.decode()
    assert "at least 70 % of the net income" in form
    data = {
        "action": "distribute",
        "dist-period_start": "2026-01-01",
        "dist-period_end": "2026-12-31",
        "dist-team_percent": "65",
        "dist-team_shares": "李明; 60\n赵华; 40",
        "dist-service_percent": "10",
        "dist-service_shares": "王芳; 100",
    }
    low = client.post(page, data)
    assert low.status_code == 200 and "M5.2" in low.content.decode()
    bad = client.post(page, {**data, "dist-team_percent": "70", "dist-team_shares": "李明 60"})
    assert "Line 1" in bad.content.decode()
    done = client.post(page, {**data, "dist-team_percent": "70"})
    distribution = contract.distributions.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("contracts:distribution", args=[distribution.pk])
    shown = client.get(done["Location"])
    html = shown.content.decode()
    assert "7,000.00" in html and "4,200.00" in html and "300.00" in html and "2,700.00" in html
    assert "70%" in html and "M5.1" in html
    client.force_login(personas.enterprise)
    assert client.get(done["Location"]).status_code == 404


def test_m5_1_statements_and_payroll_download_for_the_office_only(client, personas, unit):
    import io

    from openpyxl import load_workbook

    from kttc.benefits.contracts.tests.test_distribution import _contract, _decide

    distribution = _decide(personas, _contract(personas, unit))
    line = distribution.lines.get(name="李明")
    client.force_login(personas.transfer_office)
    page = client.get(reverse("contracts:distribution", args=[distribution.pk])).content.decode()
    xlsx = reverse("contracts:statement", args=[distribution.pk, line.pk, "xlsx"])
    assert xlsx in page
    response = client.get(xlsx)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert any(Decimal(str(c)) == line.amount for row in sheet.iter_rows(values_only=True)
               for c in row if isinstance(c, int | float))  # fmt: skip
    pdf = client.get(reverse("contracts:statement", args=[distribution.pk, line.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert reverse("payroll:export", args=[distribution.pk]) in page  # the payroll's own page
    csv = client.get(reverse("payroll:download", args=[distribution.pk, "csv"]))
    assert "李明" in csv.content.decode("utf-8-sig")
    unit_line = distribution.lines.get(beneficiary="unit")
    assert (
        client.get(
            reverse("contracts:statement", args=[distribution.pk, unit_line.pk, "pdf"])
        ).status_code
        == 404
    )
    assert (
        client.get(f"/office/payroll/distributions/{distribution.pk}/payroll.exe").status_code
        == 404
    )
    client.force_login(personas.enterprise)
    assert client.get(xlsx).status_code == 404


def test_m5_2_the_office_sets_its_units_rule_on_the_contracts_page(client, personas, unit):
    client.force_login(personas.transfer_office)
    page = client.get(reverse("contracts:list")).content.decode()
    assert "the policy's minimum of 70% applies" in page
    low = client.post(
        reverse("contracts:list"), {"rules-unit": unit.pk, "rules-team_min_percent": "60"}
    )
    assert low.status_code == 200 and "M5.2" in low.content.decode()
    done = client.post(
        reverse("contracts:list"), {"rules-unit": unit.pk, "rules-team_min_percent": "80"}
    )
    assert done.status_code == 302
    assert (
        "at least 80% of the net income" in client.get(reverse("contracts:list")).content.decode()
    )
    _new(client, unit)
    contract = TechnologyContract.objects.get()
    form = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "at least 80 % of the net income" in form


def test_m8_4_a_contract_with_a_buyer_abroad_is_recorded_with_its_country(client, personas, unit):
    client.force_login(personas.transfer_office)
    response = _new(
        client, unit, kind="transfer", counterparty="Lao Agro", counterparty_country="LA"
    )
    contract = TechnologyContract.objects.get(counterparty="Lao Agro")
    assert response.status_code == 302 and contract.counterparty_country == "LA"
    assert "Lao" in client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    refused = _new(client, unit, counterparty="Nowhere Ltd", counterparty_country="ZZ")
    assert refused.status_code == 200 and "counterparty_country" in refused.context["form"].errors
