"""Across the parts: the payments of a licence concluded on the platform (M3) become the income
of its technology contract (M5.2), each once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kttc.benefits.contracts import services as benefits
from kttc.benefits.models import ContractIncome
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role
from kttc.reform.licensing import services as licences
from kttc.reform.tests.factories import make_result, published_result

pytestmark = pytest.mark.django_db


def test_m5_2_licence_payments_become_the_contracts_income_once(personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    office = personas.transfer_office
    result = published_result(personas, unit)
    offer = licences.licence_offer(
        actor=office, unit=unit, achievement=result, term_years=5, payment_model="deferred"
    )
    licence = licences.licence_conclude(
        actor=office,
        offer=offer,
        licensee=personas.organisations[Role.ENTERPRISE],
        starts_on=dt.date(2026, 1, 1),
        total_fee=Decimal("90000"),
        first_due=dt.date(2026, 6, 1),
        instalments=3,
    )
    for amount, day in (
        (Decimal("30000"), dt.date(2026, 6, 1)),
        (Decimal("100.01"), dt.date(2026, 7, 1)),
    ):
        licences.payment_record(actor=office, licence=licence, amount=amount, paid_on=day)
    with pytest.raises(PolicyError) as info:
        benefits.contract_create(
            actor=office, unit=unit, kind="transfer", title="t", counterparty="c",
            signed_on=dt.date(2026, 1, 1), amount=Decimal("90000"), licence=licence,
        )  # fmt: skip
    assert info.value.field == "licence"
    contract = benefits.contract_create(
        actor=office,
        unit=unit,
        kind="licence",
        title="专利实施许可合同",
        counterparty="云岭智造科技有限公司",
        signed_on=dt.date(2026, 1, 1),
        amount=Decimal("90000"),
        licence=licence,
    )
    assert contract.achievement == result
    taken = benefits.income_from_licence(actor=office, contract=contract)
    assert [i.amount for i in taken] == [Decimal("30000.00"), Decimal("100.01")]
    assert benefits.income_from_licence(actor=office, contract=contract) == []
    assert ContractIncome.objects.filter(contract=contract).count() == 2


def test_m4_4_a_transfer_contract_takes_a_result_off_the_open_licensing_list(personas):
    from kttc.reform.transformation import selectors as selectors_open

    unit = personas.organisations[Role.TRANSFER_OFFICE]
    result = make_result(personas, unit)
    assert not selectors_open.is_transformed(result)
    benefits.contract_create(
        actor=personas.transfer_office,
        unit=unit,
        kind="consulting",
        title="技术咨询合同",
        counterparty="甲公司",
        signed_on=dt.date(2026, 1, 1),
        amount=Decimal("1000"),
        achievement=result,
    )
    assert not selectors_open.is_transformed(result)  # consulting does not transform it
    benefits.contract_create(
        actor=personas.transfer_office,
        unit=unit,
        kind="transfer",
        title="专利权转让合同",
        counterparty="甲公司",
        signed_on=dt.date(2026, 1, 1),
        amount=Decimal("1000"),
        achievement=result,
    )
    assert selectors_open.is_transformed(result)


def test_m8_5_a_transfer_contract_is_disclosed_with_the_terms_agreed(client, personas):
    from django.urls import reverse

    unit = personas.organisations[Role.TRANSFER_OFFICE]
    office = personas.transfer_office
    result = published_result(personas, unit)
    draft = make_result(personas, unit, name="未发布成果")
    for achievement, disclosed in ((result, ["amount"]), (draft, ["amount"])):
        benefits.contract_create(
            actor=office,
            unit=unit,
            kind="transfer",
            title="专利权转让合同",
            counterparty="甲公司",
            signed_on=dt.date(2026, 5, 1),
            amount=Decimal("456789.12"),
            achievement=achievement,
            disclosed=disclosed,
        )
    with pytest.raises(PolicyError) as info:
        benefits.contract_create(
            actor=office, unit=unit, kind="transfer", title="t", counterparty="c",
            signed_on=dt.date(2026, 5, 1), amount=Decimal("1"), disclosed=["bank"],
        )  # fmt: skip
    assert info.value.clauses == ("M8.5",)
    page = client.get(reverse("transactions:list"), HTTP_ACCEPT_LANGUAGE="en")
    rows = page.context["rows"]
    assert [r.kind for r in rows] == ["contract"]  # the unpublished result's stays out
    html = page.content.decode()
    english = result.translations.get(language="en").name  # the page names it in English
    assert english in html and "456,789.12" in html and "甲公司" not in html
    assert "未发布成果" not in html


def test_m8_5_the_public_api_lists_contracts_with_only_their_published_terms(client, personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    office = personas.transfer_office
    result = published_result(personas, unit)
    benefits.contract_create(
        actor=office,
        unit=unit,
        kind="transfer",
        title="专利权转让合同",
        counterparty="甲公司",
        signed_on=dt.date(2026, 5, 1),
        amount=Decimal("456789.12"),
        achievement=result,
        disclosed=["counterparty"],
    )
    body = client.get("/api/v1/transactions").json()
    assert body["count"] == 1
    (row,) = body["items"]
    assert (row["source"], row["kind"], row["concluded_on"]) == (
        "contract",
        "transfer",
        "2026-05-01",
    )
    assert row["counterparty"] == "甲公司" and row["amount"] is None
    assert client.get(f"/api/v1/transactions?unit={unit.pk + 1000}").json()["count"] == 0
