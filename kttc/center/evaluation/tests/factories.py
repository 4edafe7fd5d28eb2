"""Evaluations for the tests, made through the services: a certified institution (M9.1), a
public result, a request, its acceptance, declaration, scores and signature."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kttc.center.evaluation import services
from kttc.center.evaluation.models import Evaluation
from kttc.center.institutions.tests.factories import certified, institution
from kttc.core.models import Organisation, User
from kttc.policy.roles import Role
from kttc.registry.models import Achievement

#: The day of the steps: within the institution's certification (from 2026-03-02, 3 years).
ON = dt.date(2026, 11, 25)
SCORES = {"advancement": 80, "ip": 70, "market": 65, "team": 55, "risk": 60}
EVIDENCE = {
    "readiness": "中试样机现场测试报告", "advancement": "查新报告：国内领先",
    "ip": "发明专利2件已授权", "market": "市场规模约20亿元", "team": "团队10人，合作企业1家",
    "risk": "主要风险为原料价格波动",
}  # fmt: skip


@dataclass
class Setting:
    institution: Organisation
    staff: User
    evaluator: User
    result: Achievement


def setting(personas: Any, publish: Any, *, certify: bool = True) -> Setting:
    """A certified institution with two brokers (the staff and one more) and a public result of
    the personas' university."""
    found = institution(personas)
    if certify:
        certified(personas, found)
    result = publish()
    result.refresh_from_db()
    return Setting(found.organisation, found.staff, found.brokers[1].person, result)


def scores(**changes: Any) -> services.Scores:
    values: dict[str, Any] = {
        "trl": 6, "scores": dict(SCORES), "evidence": dict(EVIDENCE), "ip_claims": 12,
        "ip_family": 3, "ip_remaining_years": 15, "ip_legal_status": "有效",
        "market_size": "20亿元", "market_competitors": "两家国外企业", "market_route": "许可",
        "summary": "具备转化条件",
    }  # fmt: skip
    values.update(changes)
    return services.Scores(**values)


def requested(
    personas: Any, s: Setting, *, role: Role = Role.FINANCIAL_INSTITUTION, on: dt.date = ON
) -> Evaluation:
    actor = getattr(personas, role.value)
    requester = personas.organisations[role]
    return services.evaluation_request(
        actor=actor, requester=requester, result=s.result, institution=s.institution,
        purpose="知识产权质押贷款", today=on,
    )  # fmt: skip


def accepted(personas: Any, s: Setting, **kwargs: Any) -> Evaluation:
    evaluation = requested(personas, s, **kwargs)
    return services.evaluation_accept(
        actor=s.staff, evaluation=evaluation, evaluator=s.evaluator, today=ON
    )


def scored(personas: Any, s: Setting, interest: str = "", **kwargs: Any) -> Evaluation:
    evaluation = accepted(personas, s, **kwargs)
    services.evaluation_declare(actor=s.evaluator, evaluation=evaluation, interest=interest)
    return services.evaluation_score(
        actor=s.evaluator, evaluation=evaluation, data=scores(), today=ON
    )


def signed(personas: Any, s: Setting, **kwargs: Any) -> Evaluation:
    evaluation = scored(personas, s, **kwargs)
    services.evaluation_sign(actor=s.evaluator, evaluation=evaluation, today=ON)
    evaluation.refresh_from_db()
    return evaluation
