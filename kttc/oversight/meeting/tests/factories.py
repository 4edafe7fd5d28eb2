"""Builders of the joint meeting's tests (M13.1, M13.2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kttc.core.services import Document
from kttc.oversight.meeting import services
from kttc.oversight.meeting.models import Difficulty, MeetingDecision, MeetingSession
from kttc.policy.roles import Role

DAY = dt.date(2026, 11, 2)


def attachment(content: bytes = b"%PDF-1.4 approval flow") -> services.Attachment:
    return services.Attachment("审批流程说明", Document("审批流程.pdf", content))


def raised(personas: Any, *, role: Role = Role.TRANSFER_OFFICE, **changes: Any) -> Difficulty:
    values: dict[str, Any] = {
        "title": "科研人员离岗创业审批流程长",
        "description": "离岗创业须经五个部门审批，平均耗时四个月。",
        "documents": [attachment()],
        "today": DAY,
    }
    values.update(changes)
    return services.difficulty_raise(
        actor=personas.by_role[role], organisation=personas.organisations[role], **values
    )


def convened(personas: Any, *difficulties: Difficulty, held_on: dt.date = DAY) -> MeetingSession:
    return services.session_convene(
        actor=personas.bureau, held_on=held_on, title="重大成果转化联席会议第一次会议",
        attendees=["市科技局", "市人社局", "五华区"], agenda=list(difficulties), today=DAY,
    )  # fmt: skip


def decided(
    personas: Any, session: MeetingSession, difficulty: Difficulty, *, owners: tuple[str, ...]
) -> MeetingDecision:
    return services.decision_record(
        actor=personas.bureau, session=session, difficulty=difficulty,
        text="精简离岗创业审批，由市人社局牵头出台办法。",
        tasks=[
            services.TaskPlan(owner, "出台办法", session.held_on + dt.timedelta(days=30))
            for owner in owners
        ],
        today=session.held_on,
    )  # fmt: skip
