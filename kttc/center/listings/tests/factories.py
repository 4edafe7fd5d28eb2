"""A published result listed for bidding, and verified enterprises with a bidder each."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kttc.center.listings import services
from kttc.core.models import Membership
from kttc.core.tests.factories import OrganisationFactory, UserFactory
from kttc.policy import listings as rules
from kttc.policy.roles import OrganisationKind, Role
from kttc.reform.tests.factories import make_result
from kttc.registry import services as registry_services


def published_result(personas: Any) -> Any:
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    result = make_result(personas, unit)
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    return registry_services.achievement_publish(actor=personas.bureau, achievement=result)


def terms(**changes: Any) -> rules.Terms:
    now = timezone.now()
    values = {
        "method": rules.Method.ASCENDING,
        "reserve": Decimal("100000.00"),
        "step": Decimal("5000.00"),
        "deposit": Decimal("0"),
        "opens_at": now - timedelta(minutes=1),
        "closes_at": now + timedelta(days=2),
        "extension_minutes": 5,
        **changes,
    }
    return rules.Terms(**values)


def listed(personas: Any, result: Any = None, **changes: Any) -> Any:
    return services.listing_publish(
        actor=personas.transfer_office,
        achievement=result or published_result(personas),
        mode="transfer",
        terms=terms(**changes),
        notice="公开挂牌转让公告：本成果以底价公开竞价转让。",
        conditions="竞买人须为依法设立并经平台认证的企业。",
    )


def bidder(country: str = "CN", n: int = 0) -> Any:
    """A person of a verified enterprise (abroad when ``country`` is not CN)."""
    if country == "CN":
        organisation = OrganisationFactory(
            kind=OrganisationKind.ENTERPRISE.value, is_municipal=False
        )
    else:
        organisation = OrganisationFactory(
            kind=OrganisationKind.ENTERPRISE.value,
            is_municipal=False,
            country=country,
            credit_code="",
            registration_number=f"{country}-{n:04d}",
            name=f"{country} Enterprise {n}",
        )
    user = UserFactory()
    Membership.objects.create(user=user, organisation=organisation, role=Role.ENTERPRISE.value)
    return user, organisation
