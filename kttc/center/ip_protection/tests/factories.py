"""IP protection cases for the tests, made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kttc.center.ip_protection import services
from kttc.center.ip_protection.models import IpCase
from kttc.core.services import Document
from kttc.policy.roles import Role

#: A Friday: intake is due five working days later, the next Friday.
DAY = dt.date(2026, 12, 4)
PATENT = "201710601862.3"
DECISION = (
    "经审理查明，被请求人制造、销售的产品落入专利号 201710601862.3 的保护范围。被请求人委托代理人"
    "赵敏（电话 13812345678，邮箱 zhao.min@law.example.cn，身份证号 530102199001011234）到庭；"
    "住所昆明市五华区人民中路12号3栋501室。责令被请求人立即停止侵权行为。"
)


def filing(personas: Any, **changes: Any) -> services.Filing:
    respondent = personas.organisations[Role.ENTERPRISE]
    values: dict[str, Any] = {
        "kind": "complaint", "respondent_name": respondent.name, "patent_number": PATENT,
        "facts": "被请求人未经许可制造、销售落入专利保护范围的产品。请求责令停止侵权。",
        "patent_title": "一种三七总皂苷的提取方法",
        "respondent_credit_code": respondent.credit_code, "persons": ["赵敏"],
        "respondent_address": "昆明市五华区人民中路12号3栋501室",
    }  # fmt: skip
    values.update(changes)
    return services.Filing(**values)


def evidence(content: bytes = b"%PDF-1.4 purchase receipt") -> services.Attachment:
    return services.Attachment("公证购买发票", Document("发票.pdf", content))


def filed(personas: Any, *, on: dt.date = DAY, **changes: Any) -> IpCase:
    return services.ip_case_file(
        actor=personas.transfer_office, complainant=personas.organisations[Role.TRANSFER_OFFICE],
        filing=filing(personas, **changes), evidence=[evidence()], today=on,
    )  # fmt: skip


def accepted(personas: Any, *, on: dt.date = DAY, **changes: Any) -> IpCase:
    return services.ip_case_accept(
        actor=personas.bureau, case=filed(personas, on=on, **changes), today=on
    )


def to_hearing(personas: Any, *, on: dt.date = DAY, **changes: Any) -> IpCase:
    case = accepted(personas, on=on, **changes)
    services.ip_case_mediate(
        actor=personas.bureau, case=case, held_on=on, outcome="failed", today=on
    )
    case.refresh_from_db()
    return case


def heard(personas: Any, *, on: dt.date = DAY, **changes: Any) -> IpCase:
    """A case heard on ``on`` + 7 days (scheduled on ``on``)."""
    case = to_hearing(personas, on=on, **changes)
    hearing = on + dt.timedelta(days=7)
    services.ip_case_schedule(
        actor=personas.bureau, case=case, hearing_on=hearing, place="中心第二会议室", today=on
    )
    return services.ip_case_hear(
        actor=personas.bureau, case=case, record="双方到庭陈述意见。", today=hearing
    )


def decided(
    personas: Any, *, on: dt.date = DAY, measures: str = "责令停止制造、销售侵权产品"
) -> IpCase:
    case = heard(personas, on=on)
    assert case.hearing_on is not None
    return services.ip_case_decide(
        actor=personas.bureau, case=case, decision_text=DECISION, outcome="infringement_found",
        decided_on=case.hearing_on, measures=measures, today=case.hearing_on,
    )  # fmt: skip
