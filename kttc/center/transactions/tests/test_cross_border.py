"""M8.4, M8.5: transfers and licences to parties abroad are recorded as such and counted by the
licensee's or buyer's country on the transaction page and in its API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.benefits.contracts import services as contracts
from kttc.center.transactions import selectors as reads
from kttc.core.tests.factories import OrganisationFactory
from kttc.policy.errors import PolicyError
from kttc.policy.roles import OrganisationKind, Role
from kttc.reform.licensing import services as licences
from kttc.reform.tests.factories import make_result
from kttc.registry import services as registry_services

pytestmark = pytest.mark.django_db


def _published_result(personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    result = make_result(personas, unit)
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    return registry_services.achievement_publish(actor=personas.bureau, achievement=result)


def _licence(personas, result, licensee, fee, disclosed):
    offer = licences.licence_offer(
        actor=personas.transfer_office,
        unit=result.unit,
        achievement=result,
        term_years=3,
        payment_model="deferred",
    )
    return licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=licensee,
        starts_on=dt.date(2026, 1, 1),
        total_fee=Decimal(fee),
        first_due=dt.date(2026, 6, 1),
        disclosed=disclosed,
    )


def _abroad(country: str, number: str):
    return OrganisationFactory(
        kind=OrganisationKind.ENTERPRISE.value,
        is_municipal=False,
        country=country,
        credit_code="",
        registration_number=number,
    )


def _contract(personas, result, country, amount, disclosed=("amount",)):
    return contracts.contract_create(
        actor=personas.transfer_office,
        unit=result.unit,
        kind="transfer",
        title="转让合同",
        counterparty="Vientiane Agro Co.",
        counterparty_country=country,
        signed_on=dt.date(2026, 3, 1),
        amount=Decimal(amount),
        achievement=result,
        disclosed=disclosed,
    )


@pytest.fixture
def market(personas):
    result = _published_result(personas)
    lao = _abroad("LA", "LA-0101")
    _licence(personas, result, lao, "50000.00", ["total_fee"])
    _licence(personas, result, _abroad("LA", "LA-0102"), "70000.00", [])  # fee not published
    _licence(personas, result, personas.organisations[Role.ENTERPRISE], "90000.00", ["total_fee"])
    _contract(personas, result, "VN", "120000.00")
    _contract(personas, result, "VN", "30000.00", disclosed=())
    return result


def test_m8_4_cross_border_figures_by_country_sum_only_published_amounts(market):
    figures = {f.country: f for f in reads.cross_border_by_country()}
    assert set(figures) == {"LA", "VN"}  # the licence at home is not cross-border
    assert (figures["LA"].licences, figures["LA"].contracts) == (2, 0)
    assert figures["LA"].published_amount == Decimal("50000.00")
    assert (figures["VN"].licences, figures["VN"].contracts) == (0, 2)
    assert figures["VN"].published_amount == Decimal("120000.00")
    assert [f.country for f in reads.cross_border_by_country()] == ["LA", "VN"]


def test_m8_4_the_transaction_page_counts_and_filters_by_country(client, market):
    page = client.get(reverse("transactions:list"))
    assert [f.country for f in page.context["abroad"]] == ["LA", "VN"]
    body = page.content.decode()
    assert 'id="abroad"' in body and "?country=LA" in body
    laos = client.get(reverse("transactions:list"), {"country": "la"})
    assert {row.country for row in laos.context["rows"]} == {"LA"}
    assert len(laos.context["rows"]) == 2
    abroad = client.get(reverse("transactions:list"), {"country": "abroad"})
    assert {row.country for row in abroad.context["rows"]} == {"LA", "VN"}
    assert len(abroad.context["rows"]) == 4
    # An unknown country filters nothing rather than failing.
    assert len(client.get(reverse("transactions:list"), {"country": "ZZ"}).context["rows"]) == 5


def test_m8_4_the_api_gives_each_row_its_country_and_the_figures(client, market):
    items = client.get("/api/v1/transactions", {"country": "VN"}).json()["items"]
    assert [i["country"] for i in items] == ["VN", "VN"]
    figures = client.get("/api/v1/transactions/abroad").json()
    assert [(f["country"], f["licences"], f["contracts"]) for f in figures] == [
        ("LA", 2, 0),
        ("VN", 0, 2),
    ]
    assert client.get("/api/v1/transactions", {"country": "x" * 9}).status_code == 422


def test_m8_4_a_contract_of_a_licence_takes_the_licensee_s_country(personas):
    result = _published_result(personas)
    licence = _licence(personas, result, _abroad("TH", "TH-77"), "10000.00", [])
    contract = contracts.contract_create(
        actor=personas.transfer_office,
        unit=result.unit,
        kind="licence",
        title="许可合同",
        counterparty="Bangkok Biotech",
        signed_on=dt.date(2026, 2, 1),
        amount=Decimal("10000.00"),
        licence=licence,
    )
    assert contract.counterparty_country == "TH"


def test_m8_4_an_unknown_country_is_refused_naming_the_field(personas):
    result = _published_result(personas)
    with pytest.raises(PolicyError) as refused:
        _contract(personas, result, "ZZ", "1.00")
    assert refused.value.field == "counterparty_country"
    assert "M8.4" in refused.value.clauses
