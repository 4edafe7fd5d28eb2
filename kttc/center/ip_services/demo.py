"""The pre-examination demo (M11.1): the demo enterprise (``enterprise@demo.kttc.example``)
filed four requests for fast patent pre-examination: one passed the national pre-examination,
one is forwarded and waits for its outcome, one is in the center's queue due in a few working
days, and one has just arrived; the demo university's transfer office (``office@demo…``) has one
returned for correction. The bureau (``bureau@demo…``) keeps the queue. Dates are a few weeks
before the day the demo is loaded."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kttc.center.ip_services import services
from kttc.center.ip_services.models import PreExamination
from kttc.core.models import Organisation, User
from kttc.core.services import Document
from kttc.policy import calendar
from kttc.policy.roles import Capability

ENTERPRISE = "enterprise@demo.kttc.example"
OFFICE = "office@demo.kttc.example"
BUREAU = "bureau@demo.kttc.example"

#: (title, kind, industry code, days ago filed, how far it went)
REQUESTS = (
    ("一种重组人源化单克隆抗体的纯化工艺", "invention", "C2761", 30, "passed"),
    ("基于视觉引导的六轴工业机器人抓取装置", "utility_model", "C3491", 20, "forwarded"),
    ("一种金属粉末激光增材制造的铺粉机构", "invention", "C3493", 3, "accepted"),
    ("数控机床主轴热误差补偿控制器", "invention", "C4011", 0, "submitted"),
)
RETURNED = ("一种三七皂苷注射用冻干粉的制备方法", "invention", "C2762", 5)


def demo_loaded() -> bool:
    return PreExamination.objects.exists()


def _document(title: str) -> list[services.Attachment]:
    text = f"权利要求书\n发明名称：{title}\n1. 一种……，其特征在于……\n".encode()
    return [services.Attachment("权利要求书及说明书", Document("权利要求书.pdf", text))]


def _organisation(user: User) -> Organisation:
    from kttc.core.selectors import organisations_where

    return organisations_where(user, Capability.REQUEST_PRE_EXAMINATION).get()


@transaction.atomic
def load_demo() -> None:
    today = calendar.today_in_shanghai()
    bureau = User.objects.get(email=BUREAU)
    enterprise = User.objects.get(email=ENTERPRISE)
    applicant = _organisation(enterprise)
    for title, kind, code, ago, stage in REQUESTS:
        on = today - dt.timedelta(days=ago)
        found = services.pre_examination_file(
            actor=enterprise, applicant=applicant, filing=services.Filing(title, kind, code),
            documents=_document(title), today=on,
        )  # fmt: skip
        if stage == "submitted":
            continue
        found = services.pre_examination_accept(actor=bureau, request=found, today=on)
        if stage == "accepted":
            continue
        forwarded = on + dt.timedelta(days=2)
        found = services.pre_examination_forward(
            actor=bureau, request=found, reference=f"YS53{on:%Y%m%d}{found.pk:03d}",
            today=forwarded,
        )  # fmt: skip
        if stage == "passed":
            services.pre_examination_outcome(
                actor=bureau, request=found, passed=True,
                decided_on=forwarded + dt.timedelta(days=10), today=today,
            )  # fmt: skip
    office = User.objects.get(email=OFFICE)
    title, kind, code, ago = RETURNED
    on = today - dt.timedelta(days=ago)
    found = services.pre_examination_file(
        actor=office, applicant=_organisation(office), filing=services.Filing(title, kind, code),
        documents=_document(title), today=on,
    )  # fmt: skip
    services.pre_examination_return(
        actor=bureau, request=found, today=on + dt.timedelta(days=1),
        reason="请补充说明书附图及实施例的实验数据，并确认行业代码。",
    )  # fmt: skip
