"""Test helpers of the benefits part: rows made directly (factory-boy) where a test needs them
in a state, and the part's records made through its services where a test needs the decision
(its checks and its audit entry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import factory
import pytest

from kttc.benefits.contracts.choices import ContractKind
from kttc.benefits.contracts.models import TechnologyContract
from kttc.benefits.shareholding import services as shareholding
from kttc.benefits.shareholding.choices import HolderKind
from kttc.benefits.shareholding.models import CapTableHolder, EquityInvestment
from kttc.benefits.state_equity import services as state_equity
from kttc.core import services as core_services
from kttc.core.models import Organisation, User
from kttc.core.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from kttc.policy.equity import Holder
from kttc.policy.equity import HolderKind as Kind
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role
from kttc.registry import services as registry_services
from kttc.registry.models import Achievement
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement


def refused(stored: tuple[type[Any], ...], call: Callable[..., Any], **kwargs: Any) -> PolicyError:
    """The refusal of ``call(**kwargs)``, having checked it stored no row of ``stored``."""
    before = {m.__name__: m.objects.count() for m in stored}
    with pytest.raises(PolicyError) as info:
        call(**kwargs)
    assert {m.__name__: m.objects.count() for m in stored} == before
    return info.value


def api_auth(person: User) -> dict[str, str]:
    """The headers of an API call by ``person`` (a fresh token)."""
    _token, key = core_services.api_token_create(user=person, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def api_post(client: Any, url: str, auth: dict[str, str], body: Any) -> Any:
    return client.post(url, body, content_type="application/json", **auth)


def result_of(personas: Any, unit: Organisation) -> Achievement:
    """A result of ``unit``, registered by its transfer office."""
    data = validate_achievement(achievement_raw(), today=dt.date(2026, 11, 1))
    return registry_services.achievement_create(
        actor=personas.transfer_office, unit=unit, data=data
    )


class TechnologyContractFactory(factory.django.DjangoModelFactory):
    """A contract as stored (no decision, no audit entry); ``registered=True`` gives it its
    registration (认定登记)."""

    class Meta:
        model = TechnologyContract

    unit = factory.SubFactory(OrganisationFactory)
    kind = ContractKind.TRANSFER.value
    title = factory.Sequence(lambda n: f"技术转让合同{n}")
    counterparty = "云岭智造科技有限公司"
    signed_on = dt.date(2026, 1, 5)
    amount = Decimal("200000.00")
    created_by = factory.SubFactory(UserFactory)

    class Params:
        registered = factory.Trait(
            registration_number=factory.Sequence(lambda n: f"2026530100{n:06d}"),
            registered_on=dt.date(2026, 1, 20),
            certified_amount=Decimal("200000.00"),
        )


#: The cap table of ``holders()`` as the API takes it.
API_HOLDERS = [
    {"kind": "completer", "name": "李明", "shares": 4200},
    {"kind": "completer", "name": "赵华", "shares": 2800},
    {"kind": "unit", "name": "春城测试大学", "shares": 2000},
    {"kind": "municipal_soe", "name": "昆明科技投资集团", "shares": 1000},
]
INVESTED_ON = dt.date(2026, 3, 1)


def holders(completers: tuple[int, ...] = (4200, 2800), unit: int = 2000,
            soe: int = 1000) -> list[Holder]:  # fmt: skip
    """A cap table of 10,000 shares by default: two completers (70%), the unit, a municipal
    state-owned company."""
    rows = [
        Holder(name, Kind.COMPLETER, shares)
        for name, shares in zip(("李明", "赵华"), completers, strict=False)
    ]
    if unit:
        rows.append(Holder("春城测试大学", Kind.UNIT, unit))
    if soe:
        rows.append(Holder("昆明科技投资集团", Kind.MUNICIPAL_SOE, soe))
    return rows


def investment_recorded(personas: Any, unit: Organisation, **changes: Any) -> EquityInvestment:
    """M6.1: an investment of a result of ``unit`` recorded by its transfer office."""
    values: dict[str, Any] = dict(
        actor=personas.transfer_office,
        unit=unit,
        achievement=changes.pop("achievement", None) or result_of(personas, unit),
        company="云岭新材料科技有限公司",
        valuation=Decimal("5000000.00"),
        shares_issued=10000,
        invested_on=INVESTED_ON,
        holders=holders(),
    )
    values.update(changes)
    return shareholding.equity_investment_record(**values)


def matter_recorded(personas: Any, investment: EquityInvestment, **changes: Any) -> Any:
    """M2.1: a public market transfer of 500 of the unit's shares, recorded by its office."""
    values: dict[str, Any] = dict(
        actor=personas.transfer_office,
        investment=investment,
        kind="public_market_transfer",
        occurred_on=dt.date(2026, 6, 1),
        amount=Decimal("300000.00"),
        shares=500,
        description="在产权交易所公开挂牌转让",
    )
    values.update(changes)
    return state_equity.state_equity_matter_record(**values)


class EquityInvestmentFactory(factory.django.DjangoModelFactory):
    """An investment as stored (no decision): 10,000 shares, 7,000 the completers', 3,000 the
    unit's, with its cap table."""

    class Meta:
        model = EquityInvestment
        skip_postgeneration_save = True  # evidence is written once

    unit = factory.SubFactory(OrganisationFactory)
    achievement = factory.LazyAttribute(lambda o: _stored_result(o.unit))
    company = factory.Sequence(lambda n: f"测试科技有限公司{n}")
    valuation = Decimal("5000000.00")
    shares_issued = 10000
    invested_on = INVESTED_ON
    completer_shares = 7000
    unit_shares = 3000
    completer_ratio = Decimal("0.700000")
    policy_version = "2026.1"
    recorded_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def cap_table(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        CapTableHolder.objects.bulk_create(
            CapTableHolder(investment=self, kind=kind, name=name, shares=shares)
            for kind, name, shares in (
                (HolderKind.COMPLETER, "李明", 7000),
                (HolderKind.UNIT, self.unit.name, 3000),
            )
        )


def _stored_result(unit: Organisation) -> Achievement:
    """A result of ``unit``, registered by a transfer office made for it."""
    office = MembershipFactory(organisation=unit, role=Role.TRANSFER_OFFICE.value).user
    data = validate_achievement(achievement_raw(), today=dt.date(2026, 11, 1))
    return registry_services.achievement_create(actor=office, unit=unit, data=data)
