"""The contract list's filters are one selector: the contracts page and the API list the same
contracts for the same kind and registration (M5.2), each only to those who see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.benefits.contracts import selectors
from kttc.benefits.tests.factories import TechnologyContractFactory, api_auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def contracts(unit):
    return {
        "transfer, registered": TechnologyContractFactory(unit=unit, registered=True),
        "transfer": TechnologyContractFactory(unit=unit),
        "licence, registered": TechnologyContractFactory(
            unit=unit, kind="licence", registered=True
        ),
        "another unit's": TechnologyContractFactory(registered=True),
    }


def _named(contracts, rows):
    names = {c.pk: name for name, c in contracts.items()}
    return {names[pk] for pk in rows}


@pytest.mark.parametrize(
    ("kind", "registered", "listed"),
    [
        ("", None, {"transfer, registered", "transfer", "licence, registered"}),
        ("transfer", None, {"transfer, registered", "transfer"}),
        ("", True, {"transfer, registered", "licence, registered"}),
        ("", False, {"transfer"}),
        ("licence", False, set()),
    ],
)
def test_m5_2_the_page_and_the_api_filter_contracts_alike(
    client, personas, contracts, kind, registered, listed
):
    office = personas.transfer_office
    found = selectors.contracts_listed(office, kind=kind, registered=registered)
    assert _named(contracts, found.values_list("pk", flat=True)) == listed
    query = {"kind": kind} if kind else {}
    api = client.get(
        "/api/v1/contracts",
        {**query, **({} if registered is None else {"registered": str(registered).lower()})},
        **api_auth(office),
    )
    assert _named(contracts, [row["id"] for row in api.json()["items"]]) == listed
    client.force_login(office)
    page = client.get(
        reverse("contracts:list"),
        {**query, **({} if registered is None else {"registered": "yes" if registered else "no"})},
    )
    shown = {pk for pk in found.values_list("pk", flat=True)}
    body = page.content.decode()
    for contract in contracts.values():
        href = reverse("contracts:detail", args=[contract.pk])
        assert (href in body) == (contract.pk in shown)


def test_m5_2_the_page_ignores_an_unknown_kind_and_the_api_lists_nothing_of_it(
    client, personas, contracts
):
    office = personas.transfer_office
    client.force_login(office)
    page = client.get(reverse("contracts:list"), {"kind": "gift"}).content.decode()
    assert all(
        reverse("contracts:detail", args=[c.pk]) in page
        for name, c in contracts.items()
        if name != "another unit's"
    )
    api = client.get("/api/v1/contracts", {"kind": "gift"}, **api_auth(office)).json()
    assert api["items"] == []
