"""Technology contracts (M5): recorded by the unit's office, registered once with a unique
number, income and deductible costs as evidence; every refusal names its field, cites M5.2
and stores nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest

from kttc.benefits.contracts import services
from kttc.benefits.contracts.models import ContractIncome, DeductibleCost, TechnologyContract
from kttc.benefits.tests.factories import refused as refused_storing
from kttc.benefits.tests.factories import result_of
from kttc.core.models import AuditEntry
from kttc.core.tests.factories import MembershipFactory, OrganisationFactory
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db
STORED = (TechnologyContract, ContractIncome, DeductibleCost, AuditEntry)


refused = partial(refused_storing, STORED)


def _contract(personas, unit, **changes):
    values = dict(
        actor=personas.transfer_office,
        unit=unit,
        kind="transfer",
        title="高原特色植物提取物制备方法专利权转让合同",
        counterparty="云岭智造科技有限公司",
        signed_on=dt.date(2026, 3, 1),
        amount=Decimal("300000"),
    )
    values.update(changes)
    return services.contract_create(**values)


def test_m5_the_office_records_registers_and_books_income_and_costs(personas, unit):
    contract = _contract(personas, unit)
    assert not contract.is_registered
    services.contract_register(
        actor=personas.transfer_office,
        contract=contract,
        registration_number="2026530100000123",
        registered_on=dt.date(2026, 3, 20),
        certified_amount=Decimal("300000.00"),
    )
    contract.refresh_from_db()
    assert contract.is_registered and contract.certified_amount == Decimal("300000.00")
    services.income_record(
        actor=personas.transfer_office,
        contract=contract,
        amount=Decimal("100000"),
        received_on=dt.date(2026, 4, 1),
    )
    services.cost_record(
        actor=personas.transfer_office,
        contract=contract,
        amount=Decimal("4500.50"),
        reason="专利评估费",
        incurred_on=dt.date(2026, 3, 10),
    )
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-4:] == ["contract.create", "contract.register", "contract.income",
                            "contract.cost"]  # fmt: skip


def test_m5_2_refusals_name_their_field_and_store_nothing(personas, unit):
    office = personas.transfer_office
    base = dict(actor=office, unit=unit, title="t", counterparty="c", signed_on=dt.date(2026, 1, 1))
    error = refused(services.contract_create, kind="gift", amount=Decimal("1"), **base)
    assert (error.field, error.clauses) == ("kind", ("M5.2",))
    error = refused(services.contract_create, kind="service", amount=Decimal("-1"), **base)
    assert error.field == "amount"
    error = refused(
        services.contract_create, kind="service", amount=Decimal("1"), **{**base, "title": " "}
    )
    assert error.field == "title"
    error = refused(
        services.contract_create, kind="service", amount=Decimal("1"),
        **{**base, "actor": personas.enterprise},
    )  # fmt: skip
    assert error.code == "access.denied"
    contract = _contract(personas, unit)
    register = dict(actor=office, contract=contract, certified_amount=Decimal("1"))
    error = refused(
        services.contract_register,
        registration_number="X1",
        registered_on=dt.date(2026, 2, 1),
        **register,
    )
    assert error.field == "registered_on"
    services.contract_register(
        registration_number="X1", registered_on=dt.date(2026, 3, 2), **register
    )
    other = _contract(personas, unit, title="另一合同")
    error = refused(
        services.contract_register,
        actor=office,
        contract=other,
        registration_number="X1",
        registered_on=dt.date(2026, 3, 2),
        certified_amount=Decimal("1"),
    )
    assert error.code == "contract.registration_taken"
    error = refused(
        services.income_record,
        actor=office,
        contract=contract,
        amount=Decimal("0"),
        received_on=dt.date(2026, 4, 1),
    )
    assert error.field == "amount"
    error = refused(
        services.cost_record,
        actor=office,
        contract=contract,
        amount=Decimal("10"),
        reason="",
        incurred_on=dt.date(2026, 4, 1),
    )
    assert error.field == "reason"


def test_m5_a_contract_is_about_a_result_of_its_own_unit(personas, unit):
    other = OrganisationFactory(kind="university")
    MembershipFactory(user=personas.transfer_office, organisation=other, role=Role.TRANSFER_OFFICE)
    result = result_of(personas, other)
    error = refused(
        services.contract_create,
        actor=personas.transfer_office,
        unit=unit,
        kind="transfer",
        title="t",
        counterparty="c",
        signed_on=dt.date(2026, 1, 1),
        amount=Decimal("1"),
        achievement=result,
    )
    assert error.field == "achievement"


def test_income_and_cost_rows_are_evidence(personas, unit):
    contract = _contract(personas, unit)
    income = services.income_record(
        actor=personas.transfer_office,
        contract=contract,
        amount=Decimal("1"),
        received_on=dt.date(2026, 4, 1),
    )
    with pytest.raises(TypeError):
        income.save()
    with pytest.raises(TypeError):
        income.delete()
