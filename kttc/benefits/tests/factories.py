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
from kttc.core import services as core_services
from kttc.core.models import Organisation, User
from kttc.core.tests.factories import OrganisationFactory, UserFactory
from kttc.policy.errors import PolicyError
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
