"""Voucher programmes, applications and vouchers for the tests, made through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kttc.center.institutions.models import CertificationApplication
from kttc.center.institutions.tests.factories import certified
from kttc.center.vouchers import services
from kttc.center.vouchers.models import Voucher, VoucherApplication, VoucherProgramme
from kttc.core.models import Organisation
from kttc.policy.roles import Role

DAY = dt.date(2026, 12, 1)


def terms(**changes: Any) -> services.ProgrammeTerms:
    values: dict[str, Any] = {
        "name": "2026年昆明市科技创新券", "budget": Decimal("100000.00"),
        "services": ["testing", "ip_services", "evaluation"], "value_mode": "maximum",
        "value": Decimal("20000.00"), "opens_on": DAY, "closes_on": DAY + dt.timedelta(days=30),
        "valid_until": DAY + dt.timedelta(days=90), "local_only": True,
    }  # fmt: skip
    values.update(changes)
    return services.ProgrammeTerms(**values)


def programme(personas: Any, **changes: Any) -> VoucherProgramme:
    return services.programme_open(actor=personas.bureau, terms=terms(**changes), today=DAY)


def enterprise(personas: Any) -> Organisation:
    return personas.organisations[Role.ENTERPRISE]


def applied(
    personas: Any, found: VoucherProgramme | None = None, *, amount: str = "15000", **kw: Any
) -> VoucherApplication:
    return services.voucher_apply(
        actor=personas.enterprise, enterprise=enterprise(personas),
        programme=found or programme(personas), service=kw.pop("service", "testing"),
        amount=amount, purpose="委托第三方检测新型电池隔膜的热稳定性", today=kw.pop("today", DAY),
        **kw,
    )  # fmt: skip


def issued(personas: Any, found: VoucherProgramme | None = None, **kw: Any) -> Voucher:
    value = kw.pop("value", None)
    return services.voucher_issue(
        actor=personas.bureau, application=applied(personas, found, **kw), value=value, today=DAY
    )


def institution(personas: Any) -> Organisation:
    """The personas' service institution, certified (M9.1) from 2026-03-02 for three years."""
    found = personas.organisations[Role.SERVICE_BROKER]
    if not CertificationApplication.objects.filter(institution=found).exists():
        certified(personas)
    return found


def presented(personas: Any, voucher: Voucher | None = None) -> Voucher:
    found = voucher or issued(personas)
    return services.voucher_present(
        actor=personas.enterprise, voucher=found, institution=institution(personas), today=DAY
    )


def service(**changes: Any) -> services.Service:
    values: dict[str, Any] = {"description": "电池隔膜热稳定性检测（GB/T 36363）"}
    values.update({"invoice_number": "53001234", "amount": "12000.00"}, **changes)
    return services.Service(**values)
