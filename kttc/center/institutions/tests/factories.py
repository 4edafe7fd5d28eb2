"""Service institutions and brokers for the tests, made through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kttc.center.institutions import services
from kttc.center.institutions.models import BrokerProfile, CertificationApplication, Subsidy
from kttc.core.models import Membership, Organisation, User
from kttc.core.services import Document
from kttc.core.tests.factories import UserFactory
from kttc.policy.roles import Role

DAY = dt.date(2026, 3, 2)


@dataclass
class Institution:
    organisation: Organisation
    staff: User
    brokers: list[BrokerProfile]


def broker_data(number: str = "KM-2025-0001", **changes: Any) -> services.BrokerData:
    values: dict[str, Any] = {
        "certificate_number": number, "certificate_level": "intermediate",
        "fields": ["新材料", "生物医药"], "languages": ["zh-hans", "en"],
    }  # fmt: skip
    values.update(changes)
    return services.BrokerData(**values)


def member(organisation: Organisation, n: int) -> User:
    person = UserFactory(email=f"broker{n}@institution.example", full_name=f"经纪人{n}")
    Membership.objects.create(user=person, organisation=organisation, role=Role.SERVICE_BROKER)
    return person


def institution(personas: Any, *, brokers: int = 2) -> Institution:
    """The personas' service institution with its staff (the broker persona, a broker too) and
    ``brokers`` registered brokers."""
    organisation = personas.organisations[Role.SERVICE_BROKER]
    staff = personas.service_broker
    people = [staff] + [member(organisation, n) for n in range(1, brokers)]
    profiles = [
        services.broker_register(
            actor=staff,
            institution=organisation,
            person=person,
            data=broker_data(f"KM-2025-{n:04d}"),
        )
        for n, person in enumerate(people[:brokers], start=1)
    ]
    return Institution(organisation, staff, profiles)


def existing(personas: Any) -> Institution:
    """The personas' institution, its brokers registered already."""
    organisation = personas.organisations[Role.SERVICE_BROKER]
    brokers = BrokerProfile.objects.filter(institution=organisation, withdrawn_at__isnull=True)
    return Institution(organisation, personas.service_broker, list(brokers.order_by("pk")))


def material(
    name: str = "申请表.pdf", content: bytes = b"%PDF-1.4 application"
) -> services.Material:
    return services.Material("申请表", Document(name, content))


def applied(
    personas: Any, found: Institution | None = None, *, on: dt.date = DAY
) -> CertificationApplication:
    found = found or institution(personas)
    return services.certification_apply(
        actor=found.staff, institution=found.organisation,
        statement="示范机构认定申请", materials=[material()], today=on,
    )  # fmt: skip


def certified(
    personas: Any, found: Institution | None = None, *, on: dt.date = DAY
) -> CertificationApplication:
    application = applied(personas, found, on=on)
    return services.certification_certify(
        actor=personas.bureau, application=application, term_start=on,
        term_end=dt.date(on.year + 3, on.month, on.day - 1), today=on,
    )  # fmt: skip


def subsidised(personas: Any, found: Institution | None = None, *, on: dt.date = DAY) -> Subsidy:
    certification = certified(personas, found, on=on)
    return services.subsidy_record(
        actor=personas.bureau, certification=certification, disbursed_on=on, today=on
    )
