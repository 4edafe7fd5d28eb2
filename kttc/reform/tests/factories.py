"""Results, rules and applications of the empowerment reform, made through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kttc.core.services import Document
from kttc.reform.empowerment import grants, services
from kttc.registry import services as registry_services
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement

APPLIED = dt.date(2026, 11, 20)
PUBLISHED = dt.date(2026, 11, 25)  # a 15-day notice ends 2026-12-10; grant from 2026-12-11
PLAN = Document("成果转化实施方案.pdf", "实施方案：与本地企业合作中试。".encode())
CONSENT = Document("团队成员知情同意书.pdf", b"consent of every completer")


def make_result(personas: Any, unit: Any, **changes: Any) -> Any:
    """A result of ``unit`` whose first completer is the researcher persona."""
    raw = achievement_raw(
        completers=[
            {"name": personas.researcher.full_name, "unit_name": unit.name, "share": "60"},
            {"name": "王强", "unit_name": unit.name, "share": "40"},
        ],
        **changes,
    )
    data = validate_achievement(raw, today=dt.date(2026, 11, 1))
    return registry_services.achievement_create(
        actor=personas.transfer_office, unit=unit, data=data
    )


def published_result(personas: Any, unit: Any, **changes: Any) -> Any:
    """A result of ``unit`` submitted by its office and published by the bureau (M8.6)."""
    result = make_result(personas, unit, **changes)
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    return registry_services.achievement_publish(actor=personas.bureau, achievement=result)


def set_rules(office: Any, unit: Any, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "grants_ownership": True,
        "grants_long_term_use": True,
        "max_term_years": 10,
        "required_documents": ["团队成员知情同意书"],
        "regulations": "春城测试大学职务科技成果赋权管理办法（试行）",
    }
    values.update(changes)
    return services.rules_set(actor=office, unit=unit, **values)


def apply(personas: Any, result: Any, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "right": "long_term_use",
        "term_years": 10,
        "summary": "与云岭智造共同开展中试，三年内实现产业化。",
        "plan": PLAN,
        "partners": ["云岭智造科技有限公司"],
        "attachments": [("团队成员知情同意书", CONSENT)],
        "today": APPLIED,
    }
    values.update(changes)
    return services.empowerment_apply(actor=personas.researcher, achievement=result, **values)


def to_notice(personas: Any, result: Any, **changes: Any) -> Any:
    """An application approved and in notice from PUBLISHED, with its agreement signed."""
    application = apply(personas, result, **changes)
    office = personas.transfer_office
    services.empowerment_approve(actor=office, application=application, today=APPLIED)
    notice = services.notice_publish(actor=office, application=application, today=PUBLISHED)
    agreement = grants.agreement_draw_up(
        actor=office,
        application=application,
        team_share=Decimal("0.70"),
        terms="成果转化收益按年度结算；团队每年报告转化进展。",
        today=PUBLISHED,
    )
    grants.agreement_sign(actor=office, agreement=agreement, side="unit", today=PUBLISHED)
    grants.agreement_sign(
        actor=personas.researcher, agreement=agreement, side="team", today=PUBLISHED
    )
    return notice
