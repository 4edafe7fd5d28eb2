"""Partners abroad for the tests: registered and referred through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from kttc.center.partners import services
from kttc.core.accounts import services as accounts
from kttc.core.models import Membership, Organisation, User
from kttc.core.services import organisation_verify
from kttc.core.tests.factories import UserFactory
from kttc.policy.roles import OrganisationKind, Role


@dataclass
class Partner:
    organisation: Organisation
    staff: User


def partner_abroad(
    personas: Any, *, country: str = "LA", number: str = "01-000123", name: str = "Vientiane TTC"
) -> Partner:
    """A verified partner abroad in an active partnership with the center, with one staff."""
    organisation = Organisation.objects.create(
        name=name, name_en=name, kind=OrganisationKind.PARTNER_ABROAD, country=country,
        registration_number=number, verified_at=timezone.now(),
    )  # fmt: skip
    staff = UserFactory(email=f"staff-{country.lower()}-{number}@partner.example")
    Membership.objects.create(user=staff, organisation=organisation, role=Role.PARTNER.value)
    services.partnership_record(
        actor=personas.bureau,
        partner=organisation,
        data=services.PartnershipData(
            partner_type="transfer_center", agreement_date=dt.date(2025, 3, 1), scope="M8.4"
        ),
    )
    return Partner(organisation, staff)


def referred(
    personas: Any, partner: Partner, *, number: str = "LA-555", verify: bool = True
) -> Organisation:
    """An enterprise of the partner's country that it referred (verified by the bureau)."""
    invitation = accounts.organisation_refer(
        actor=partner.staff,
        partner=partner.organisation,
        referral=accounts.Referral(
            name=f"ບໍລິສັດ {number}", name_en=f"Lao Agro {number}", registration_number=number,
            email=f"boss-{number.lower()}@lao.example",
        ),
    )  # fmt: skip
    enterprise = invitation.organisation
    if verify:
        enterprise = organisation_verify(actor=personas.bureau, organisation=enterprise)
    return enterprise
