"""A small fixture of every source the statistics count (M13.3), written straight to the tables:
what each measure must count, and what the public page must not (a restricted result, a draft,
a contract whose amount its parties did not publish, a demand waiting for moderation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kttc.benefits.models import TechnologyContract
from kttc.center.models import Demand, DemandMatch
from kttc.core.models import Organisation
from kttc.policy.roles import Role
from kttc.reform.models import Licence, LicenceOffer, OpenLicensingEntry
from kttc.registry.models import Achievement

TODAY = dt.date(2026, 11, 20)


def moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def result(unit: Organisation, name: str, **changes: Any) -> Achievement:
    fields: dict[str, Any] = {
        "unit": unit, "name": name, "achievement_type": "applied", "attribute": "original",
        "abstract": "摘要", "discipline_code": "41630", "industry_code": "C2710", "trl": 6,
        "stage": "middle", "formation_date": dt.date(2026, 1, 5), "confidentiality": "public",
        "status": "published", "submitted_at": moment(dt.date(2026, 3, 1)),
        "published_at": moment(dt.date(2026, 3, 2)),
    }  # fmt: skip
    fields.update(changes)
    return Achievement.objects.create(**fields)


@dataclass
class World:
    unit: Organisation
    other: Organisation
    public: Achievement
    restricted: Achievement
    draft: Achievement
    late: Achievement
    licence: Licence
    transfer_published: TechnologyContract
    transfer_secret: TechnologyContract
    demand: Demand
    pending_demand: Demand


def world(personas: Any) -> World:
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    enterprise = personas.organisations[Role.ENTERPRISE]
    other = personas.organisations[Role.SERVICE_BROKER]
    public = result(unit, "公开成果", submission_due=dt.date(2026, 4, 1))
    restricted = result(
        other, "受限成果", confidentiality="restricted", industry_code="A0111",
        discipline_code="21010", published_at=moment(dt.date(2026, 5, 3)),
    )  # fmt: skip
    draft = result(unit, "草稿成果", status="draft", submitted_at=None, published_at=None)
    late = result(
        unit, "逾期成果", status="draft", submitted_at=None, published_at=None,
        submission_due=dt.date(2026, 10, 1),
    )  # fmt: skip
    actor = personas.transfer_office
    offer = LicenceOffer.objects.create(
        achievement=public, unit=unit, term_years=5, payment_model="deferred", created_by=actor
    )
    licence = Licence.objects.create(
        offer=offer, achievement=public, unit=unit, licensee=enterprise, exclusive=False,
        starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2031, 6, 1), payment_model="deferred",
        total_fee=Decimal("30000.00"), concluded_by=actor, disclosed=["total_fee"],
    )  # fmt: skip
    contract = {"unit": unit, "kind": "transfer", "created_by": actor, "counterparty": "老挝公司"}
    transfer_published = TechnologyContract.objects.create(
        **contract, title="公开转让", achievement=public, signed_on=dt.date(2026, 7, 1),
        amount=Decimal("500000.00"), counterparty_country="LA", disclosed=["amount"],
    )  # fmt: skip
    transfer_secret = TechnologyContract.objects.create(
        **contract, title="不公开金额的转让", achievement=public, signed_on=dt.date(2026, 7, 9),
        amount=Decimal("880000.00"), counterparty_country="CN", disclosed=[],
    )  # fmt: skip
    OpenLicensingEntry.objects.create(
        achievement=restricted, unit=other, ip_obtained_on=dt.date(2019, 1, 1),
        listed_on=dt.date(2026, 8, 1),
    )  # fmt: skip
    demand_fields = {
        "organisation": enterprise, "author": personas.enterprise, "description": "需求",
        "industry": "C27", "discipline": "416", "deadline": dt.date(2027, 1, 1),
    }  # fmt: skip
    demand = Demand.objects.create(
        **demand_fields, title="寻找提取技术", status="published", country="VN",
        published_at=moment(dt.date(2026, 9, 1)),
    )  # fmt: skip
    pending_demand = Demand.objects.create(**demand_fields, title="待审核需求", status="pending")
    DemandMatch.objects.create(demand=demand, achievement=public, rank=1)
    DemandMatch.objects.create(demand=demand, achievement=restricted, rank=2)
    return World(unit, other, public, restricted, draft, late, licence, transfer_published,
                 transfer_secret, demand, pending_demand)  # fmt: skip
