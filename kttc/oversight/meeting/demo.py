"""The joint meeting's demo (M13.1, M13.2): the demo university's transfer office
(``office@demo.kttc.example``) raised that approving researchers' leave to found a company
takes too long, the demo enterprise (``enterprise@demo…``) that pilot-scale facilities are
lacking. The bureau (``bureau@demo…``) convened a session two weeks before the day the demo is
loaded that discussed both and decided a task for 市人社局 on the first (closed with its
evidence and the difficulty concluded resolved, so it is on the public summary) and a task for
五华区 on the second, open and due in a few days."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kttc.core.models import Organisation, User
from kttc.core.services import Document
from kttc.oversight.meeting import services
from kttc.oversight.meeting.models import Difficulty
from kttc.policy import calendar
from kttc.policy import meeting as rules
from kttc.policy.roles import Capability

OFFICE = "office@demo.kttc.example"
ENTERPRISE = "enterprise@demo.kttc.example"
BUREAU = "bureau@demo.kttc.example"

LEAVE = (
    "科研人员离岗创业审批流程长",
    "本校科研人员申请离岗创业，须经学院、人事处、科技处、校党委及主管部门逐级审批，"
    "平均耗时四个月，错过成果转化的最佳时机。建议明确审批时限并推行并联审批。",
)
PILOT = (
    "中试熟化平台不足，成果难以放大生产",
    "企业承接高校的生物医药成果后，缺少符合GMP要求的中试车间，外送中试排期长、费用高。"
    "建议在五华区科技园统筹建设共享中试平台。",
)


def demo_loaded() -> bool:
    return Difficulty.objects.filter(title=LEAVE[0]).exists()


def _organisation(user: User) -> Organisation:
    from kttc.core.selectors import organisations_where

    return organisations_where(user, Capability.RAISE_DIFFICULTIES).get()


def _evidence(name: str, text: str) -> list[services.Attachment]:
    return [services.Attachment(name, Document(f"{name}.pdf", text.encode()))]


@transaction.atomic
def load_demo() -> None:
    today = calendar.today_in_shanghai()
    held_on = today - dt.timedelta(days=14)
    bureau = User.objects.get(email=BUREAU)
    office = User.objects.get(email=OFFICE)
    enterprise = User.objects.get(email=ENTERPRISE)
    leave = services.difficulty_raise(
        actor=office, organisation=_organisation(office), title=LEAVE[0], description=LEAVE[1],
        documents=_evidence("离岗创业审批流程图", "学院→人事处→科技处→校党委→主管部门"),
        category=rules.Category.TALENT, today=today - dt.timedelta(days=30),
    )  # fmt: skip
    pilot = services.difficulty_raise(
        actor=enterprise, organisation=_organisation(enterprise), title=PILOT[0],
        description=PILOT[1], category=rules.Category.FACILITIES,
        today=today - dt.timedelta(days=25),
    )  # fmt: skip
    session = services.session_convene(
        actor=bureau, held_on=held_on, title="昆明市重大科技成果转化联席会议第一次会议",
        attendees=["分管副市长", "市科技局", "市人社局", "市财政局", "五华区", "呈贡区"],
        agenda=[leave, pilot], today=held_on - dt.timedelta(days=7),
    )  # fmt: skip
    services.session_minutes(
        actor=bureau, session=session, today=held_on,
        minutes="会议听取了两项难点堵点的情况汇报。会议议定：科研人员离岗创业审批由市人社局牵头"
        "制定并联审批办法，审批时限不超过20个工作日；共享中试平台由五华区牵头选址建设。",
    )  # fmt: skip
    made = services.decision_record(
        actor=bureau, session=session, difficulty=leave,
        text="由市人社局牵头制定科研人员离岗创业并联审批办法，审批时限不超过20个工作日。",
        tasks=[services.TaskPlan("dept_hrss", "印发并联审批办法", held_on + dt.timedelta(days=10))],
        today=held_on,
    )  # fmt: skip
    services.decision_record(
        actor=bureau, session=session, difficulty=pilot,
        text="由五华区牵头在科技园选址建设共享中试平台，市科技局给予支持。",
        tasks=[services.TaskPlan("wuhua", "中试平台选址方案", today + dt.timedelta(days=5))],
        today=held_on,
    )  # fmt: skip
    services.task_close(
        actor=bureau, task=made.tasks.get(), today=held_on + dt.timedelta(days=9),
        evidence="市人社局已印发《科研人员离岗创业并联审批办法》，审批时限压缩至20个工作日。",
        documents=_evidence("并联审批办法", "科研人员离岗创业并联审批办法（试行）"),
    )  # fmt: skip
    services.difficulty_resolve(
        actor=bureau, difficulty=leave, today=held_on + dt.timedelta(days=10)
    )
