"""Technology finance for the tests, made through the services: a bank's products, an
enterprise's own result with a granted patent, applications and their decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kttc.center.finance import services
from kttc.center.finance.models import FinanceApplication, FinanceProduct
from kttc.core.models import Organisation, User
from kttc.policy.identifiers import complete_patent_application_number
from kttc.policy.roles import Role
from kttc.registry import services as registry_services
from kttc.registry.models import Achievement
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement

DAY = dt.date(2026, 12, 4)
PATENT = "201710601862.3"


def patent(serial: int) -> str:
    return complete_patent_application_number(f"20211{serial:07d}")


def product_data(kind: str = "pledge_loan", **changes: Any) -> services.ProductData:
    values: dict[str, Any] = {
        "kind": kind,
        "name": "知识产权质押贷",
        "name_en": "IP pledge loan",
        "description": "以发明专利质押，最高500万元。",
        "description_en": "Pledge invention patents, up to 5 million yuan.",
        "amount_min": Decimal("100000"),
        "amount_max": Decimal("5000000"),
        "term_min": 6,
        "term_max": 36,
        "rate": Decimal("3.85"),
        "eligible": "生物医药、新材料；发明专利",
        "purposes": ("ip",) if kind in ("guarantee", "insurance") else (),
    }
    values.update(changes)
    return services.ProductData(**values)


def product(personas: Any, kind: str = "pledge_loan", **changes: Any) -> FinanceProduct:
    return services.product_publish(
        actor=personas.financial_institution,
        bank=personas.organisations[Role.FINANCIAL_INSTITUTION],
        data=product_data(kind, **changes),
    )


def enterprise_result(
    personas: Any, numbers: tuple[str, ...] = (PATENT,), name: str = "企业自有成果"
) -> Achievement:
    """A result of the enterprise in the registry, with granted invention patents (entered by
    the platform's operator, as results of enterprises are loaded)."""
    operator = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "operator@test.kttc.example", "x", full_name="operator"
    )
    enterprise: Organisation = personas.organisations[Role.ENTERPRISE]
    raw = achievement_raw(
        name=name,
        units=[{"name": enterprise.name, "share": "100"}],
        completers=[{"name": "张伟", "unit_name": enterprise.name, "share": "100"}],
        ip_rights=[
            {
                "kind": "invention",
                "number": f"ZL{n}",
                "status": "granted",
                "grant_date": "2020-01-01",
            }
            for n in numbers
        ],
    )
    data = validate_achievement(raw, today=DAY)
    return registry_services.achievement_create(actor=operator, unit=enterprise, data=data)


def request(
    amount: str = "800000", term: int = 24, patents: tuple[str, ...] = (PATENT,), **changes: Any
) -> services.Request:
    values: dict[str, Any] = {
        "amount": Decimal(amount), "term": term, "purpose": "中试线建设", "patents": patents,
    }  # fmt: skip
    values.update(changes)
    return services.Request(**values)


def applied(
    personas: Any, found: FinanceProduct, req: services.Request | None = None
) -> FinanceApplication:
    return services.application_file(
        actor=personas.enterprise, applicant=personas.organisations[Role.ENTERPRISE],
        product=found, request=req or request(), today=DAY,
    )  # fmt: skip


def grant(**changes: Any) -> services.LoanDecision:
    values: dict[str, Any] = {
        "amount": Decimal("800000"), "rate": Decimal("3.85"), "term": 24,
        "method": "equal_instalments", "registration_number": "KM-ZY-2026-001",
        "registered_on": DAY,
    }  # fmt: skip
    values.update(changes)
    return services.LoanDecision(**values)


def approved(personas: Any, application: FinanceApplication, **changes: Any) -> FinanceApplication:
    return services.application_approve(
        actor=personas.financial_institution, application=application, grant=grant(**changes),
        today=DAY,
    )  # fmt: skip
