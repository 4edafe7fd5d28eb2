"""M8.5: which terms of a transaction are public is decided once, for the page and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.center.transactions import selectors as reads
from kttc.policy.roles import Role
from kttc.reform.licensing import services as licences
from kttc.reform.tests.factories import make_result
from kttc.registry import services as registry_services

pytestmark = pytest.mark.django_db


def test_m8_5_the_page_and_the_api_publish_the_same_terms(client, personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    result = make_result(personas, unit)
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    result = registry_services.achievement_publish(actor=personas.bureau, achievement=result)
    offer = licences.licence_offer(
        actor=personas.transfer_office,
        unit=unit,
        achievement=result,
        term_years=3,
        payment_model="deferred",
    )
    licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=personas.organisations[Role.ENTERPRISE],
        starts_on=dt.date(2026, 1, 1),
        total_fee=Decimal("123456.78"),
        first_due=dt.date(2026, 6, 1),
        disclosed=["term", "licensee"],
    )
    (row,) = reads.transactions_of(list(reads.transactions_rows()))
    terms = reads.published_terms(row)
    assert list(terms) == ["licensee", "term"]  # in the order of the disclosable terms
    assert terms["term"] == (dt.date(2026, 1, 1), dt.date(2029, 1, 1))
    page = client.get(reverse("transactions:list"))
    assert page.context["rows"][0].terms == terms
    (item,) = client.get("/api/v1/transactions").json()["items"]
    assert item["licensee_name"] == terms["licensee"].name
    assert (item["starts_on"], item["ends_on"]) == ("2026-01-01", "2029-01-01")
    assert item["total_fee"] is None and item["payment_model"] is None
