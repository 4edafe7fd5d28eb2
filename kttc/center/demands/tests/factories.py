"""Demands for the tests: posted through the services, as an enterprise would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kttc.center.demands import services
from kttc.center.demands.models import Demand
from kttc.policy import calendar
from kttc.policy.roles import Role


def in_days(days: int) -> dt.date:
    return calendar.today_in_shanghai() + dt.timedelta(days=days)


def demand_data(**changes: Any) -> services.DemandData:
    values: dict[str, Any] = {
        "title": "锂电池低温性能提升技术",
        "description": "寻求在零下20摄氏度保持80%容量的锂离子电池电解液配方。",
        "deadline": in_days(60),
        "modes": ["licence", "joint_development"],
        "industry": "C38",
        "discipline": "530",
        "trl": 6,
        "budget_min": Decimal("100000"),
        "budget_max": Decimal("500000"),
        "country": "CN",
        "language": "zh-hans",
    }
    values.update(changes)
    return services.DemandData(**values)


def posted(personas: Any, **changes: Any) -> Demand:
    """A demand of the enterprise persona, waiting for moderation."""
    return services.demand_post(
        actor=personas.enterprise,
        organisation=personas.organisations[Role.ENTERPRISE],
        data=demand_data(**changes),
    )


def published(personas: Any, **changes: Any) -> Demand:
    """A demand of the enterprise persona, published by the bureau."""
    return services.demand_publish(actor=personas.bureau, demand=posted(personas, **changes))
