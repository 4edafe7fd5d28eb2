"""The contracts API (M5): the same use cases as the pages, one operation each; money travels
as decimal strings; failures answer the one error shape, citing the clause. The operation ids
stay those the operations had before the part's packages, for the clients generated from them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from kttc.benefits.contracts import selectors, services
from kttc.benefits.contracts.models import (
    ContractIncome,
    DeductibleCost,
    Distribution,
    DistributionLine,
    TechnologyContract,
)
from kttc.core.api import AUTH
from kttc.core.models import Organisation
from kttc.core.parsing import ApiId, Pages
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.reform.models import Licence
from kttc.registry.models import Achievement

router = Router(tags=["contracts"])


class ContractIn(Schema):
    unit_id: ApiId
    kind: Text  # development | transfer | licence | consulting | service
    title: Text
    counterparty: Text
    #: ISO 3166-1 alpha-2 of the counterparty; "CN" unless it is abroad (M8.4).
    counterparty_country: Text = "CN"
    signed_on: date
    amount: Decimal
    achievement_id: ApiId | None = None
    licence_id: ApiId | None = None


class ContractOut(Schema):
    id: int
    unit_id: int
    kind: str
    title: str
    counterparty: str
    counterparty_country: str
    signed_on: date
    amount: Decimal
    achievement_id: int | None
    licence_id: int | None
    registration_number: str
    registered_on: date | None
    certified_amount: Decimal | None
    created_at: datetime


class ContractDetailOut(ContractOut):
    income: Decimal
    costs: Decimal
    net_income: Decimal


class RegistrationIn(Schema):
    registration_number: Text
    registered_on: date
    certified_amount: Decimal


class IncomeIn(Schema):
    amount: Decimal
    received_on: date
    note: LongText = ""


class IncomeOut(Schema):
    id: int
    contract_id: int
    amount: Decimal
    received_on: date
    note: str
    licence_payment_id: int | None


class CostIn(Schema):
    amount: Decimal
    reason: LongText
    incurred_on: date


class CostOut(Schema):
    id: int
    contract_id: int
    amount: Decimal
    reason: str
    incurred_on: date


class DistributionIn(Schema):
    period_start: date
    period_end: date
    team_ratio: Decimal  # a ratio of the net income (0.5 is half); its minimum is the policy's
    team_shares: dict[Text, Decimal]  # name -> ratio (adding up to 1) or percent (to 100)
    service_ratio: Decimal | None = None
    service_shares: dict[Text, Decimal] = {}


class LineOut(Schema):
    id: int
    beneficiary: str
    name: str
    share: Decimal | None
    amount: Decimal


class DistributionOut(Schema):
    id: int
    contract_id: int
    period_start: date
    period_end: date
    income: Decimal
    costs: Decimal
    net_income: Decimal
    team_ratio: Decimal
    service_ratio: Decimal | None
    policy_version: str
    decided_at: datetime
    lines: list[LineOut]

    @staticmethod
    def resolve_lines(obj: Distribution) -> list[DistributionLine]:
        return list(obj.lines.order_by("id"))


def _contract(request: HttpRequest, pk: int) -> TechnologyContract:
    return get_object_or_404(selectors.contracts_visible_to(acting_user(request)), pk=pk)


def _detail(contract: TechnologyContract) -> dict[str, Any]:
    totals = selectors.totals_of(contract)
    fields = {f: getattr(contract, f) for f in ContractOut.model_fields}
    return {**fields, "income": totals.income, "costs": totals.costs, "net_income": totals.net}


@router.get(
    "/contracts", response=list[ContractOut], auth=AUTH, operation_id="kttc_benefits_api_contracts"
)
@paginate(Pages)
def contracts(
    request: HttpRequest, kind: str = "", registered: bool | None = None
) -> QuerySet[TechnologyContract]:
    """The contracts of the caller's units (every unit's for the bureau)."""
    return selectors.contracts_listed(acting_user(request), kind=kind, registered=registered)


@router.post(
    "/contracts",
    response={201: ContractDetailOut},
    auth=AUTH,
    operation_id="kttc_benefits_api_contract_create",
)
def contract_create(request: HttpRequest, payload: ContractIn) -> Status[dict[str, Any]]:
    """M5: the unit's transfer office records a technology contract."""
    unit = get_object_or_404(Organisation, pk=payload.unit_id)
    achievement = (
        get_object_or_404(Achievement, pk=payload.achievement_id)
        if payload.achievement_id
        else None
    )
    licence = get_object_or_404(Licence, pk=payload.licence_id) if payload.licence_id else None
    values = payload.dict(exclude={"unit_id", "achievement_id", "licence_id"})
    contract = services.contract_create(
        actor=acting_user(request), unit=unit, achievement=achievement, licence=licence, **values
    )
    return Status(201, _detail(contract))


@router.get(
    "/contracts/{pk}",
    response=ContractDetailOut,
    auth=AUTH,
    operation_id="kttc_benefits_api_contract",
)
def contract(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(_contract(request, pk))


@router.post(
    "/contracts/{pk}/registration",
    response=ContractDetailOut,
    auth=AUTH,
    operation_id="kttc_benefits_api_register",
)
def register(request: HttpRequest, pk: int, payload: RegistrationIn) -> dict[str, Any]:
    """M5.2: the contract's registration (认定登记)."""
    found = services.contract_register(
        actor=acting_user(request), contract=_contract(request, pk), **payload.dict()
    )
    return _detail(found)


@router.post(
    "/contracts/{pk}/incomes",
    response={201: IncomeOut},
    auth=AUTH,
    operation_id="kttc_benefits_api_income",
)
def income(request: HttpRequest, pk: int, payload: IncomeIn) -> Status[ContractIncome]:
    row = services.income_record(
        actor=acting_user(request), contract=_contract(request, pk), **payload.dict()
    )
    return Status(201, row)


@router.get(
    "/contracts/{pk}/incomes",
    response=list[IncomeOut],
    auth=AUTH,
    operation_id="kttc_benefits_api_incomes",
)
def incomes(request: HttpRequest, pk: int) -> list[ContractIncome]:
    return list(_contract(request, pk).incomes.all())


@router.post(
    "/contracts/{pk}/licence-income",
    response=list[IncomeOut],
    auth=AUTH,
    operation_id="kttc_benefits_api_licence_income",
)
def licence_income(request: HttpRequest, pk: int) -> list[ContractIncome]:
    """M3, M5.2: the licence's payments not yet taken over become the contract's income."""
    return services.income_from_licence(actor=acting_user(request), contract=_contract(request, pk))


@router.post(
    "/contracts/{pk}/costs",
    response={201: CostOut},
    auth=AUTH,
    operation_id="kttc_benefits_api_cost",
)
def cost(request: HttpRequest, pk: int, payload: CostIn) -> Status[DeductibleCost]:
    row = services.cost_record(
        actor=acting_user(request), contract=_contract(request, pk), **payload.dict()
    )
    return Status(201, row)


@router.get(
    "/contracts/{pk}/costs",
    response=list[CostOut],
    auth=AUTH,
    operation_id="kttc_benefits_api_costs",
)
def costs(request: HttpRequest, pk: int) -> list[DeductibleCost]:
    return list(_contract(request, pk).costs.all())


@router.post(
    "/contracts/{pk}/distributions",
    response={201: DistributionOut},
    auth=AUTH,
    operation_id="kttc_benefits_api_distribute",
)
def distribute(request: HttpRequest, pk: int, payload: DistributionIn) -> Status[Distribution]:
    """M5.1-M5.3: distribute the net income the contract received in a period."""
    found = services.distribution_decide(
        actor=acting_user(request), contract=_contract(request, pk), **payload.dict()
    )
    return Status(201, found)


@router.get(
    "/contracts/{pk}/distributions",
    response=list[DistributionOut],
    auth=AUTH,
    operation_id="kttc_benefits_api_distributions",
)
def distributions(request: HttpRequest, pk: int) -> list[Distribution]:
    return list(_contract(request, pk).distributions.all())
