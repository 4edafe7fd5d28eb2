"""The IP protection demo (M11.2): the demo university's transfer office
(``office@demo.kttc.example``) has a complaint against the demo enterprise in mediation (the
enterprise, ``enterprise@demo…``, sees it among the cases against it) and a request for
adjudication against an enterprise off the platform decided, enforced and published without
personal data; the demo enterprise has just filed a complaint waiting for intake. The bureau
(``bureau@demo…``) handles them. Dates are a few weeks before the day the demo is loaded."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kttc.center.ip_protection import services
from kttc.center.ip_protection.models import IpCase
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where
from kttc.core.services import Document
from kttc.policy import calendar
from kttc.policy.roles import Capability

ENTERPRISE = "enterprise@demo.kttc.example"
OFFICE = "office@demo.kttc.example"
BUREAU = "bureau@demo.kttc.example"
DECISION = (
    "请求人{university}诉被请求人昆明某生物器械有限公司专利侵权纠纷一案，本中心依法立案，经调解未能"
    "达成协议，于{hearing}公开进行口头审理。请求人委托代理人李文华（电话 13987654321，"
    "邮箱 li.wenhua@example.cn）到庭。经审理查明，被请求人制造、销售的“三七总皂苷提取装置”"
    "落入专利号 ZL201710601862.3 权利要求1至3的保护范围，构成侵权。依照《中华人民共和国专利法》"
    "第六十五条，决定如下：责令被请求人立即停止制造、销售侵权产品，销毁库存侵权产品。"
)


def demo_loaded() -> bool:
    return IpCase.objects.exists()


def _party(user: User) -> Organisation:
    return organisations_where(user, Capability.FILE_IP_CASES).get()


def _evidence(title: str) -> list[services.Attachment]:
    text = f"证据：{title}\n公证购买发票及实物照片\n".encode()
    return [services.Attachment("公证书及购买发票", Document("公证书.pdf", text))]


@transaction.atomic
def load_demo() -> None:
    today = calendar.today_in_shanghai()
    bureau = User.objects.get(email=BUREAU)
    office, enterprise = User.objects.get(email=OFFICE), User.objects.get(email=ENTERPRISE)
    university, company = _party(office), _party(enterprise)

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    # A request for adjudication decided, enforced and published (the decision's personal data
    # left out).
    case = services.ip_case_file(
        actor=office, complainant=university, today=ago(70),
        filing=services.Filing(
            kind="adjudication", respondent_name="昆明某生物器械有限公司",
            patent_number="ZL 201710601862.3", patent_title="一种三七总皂苷的提取方法",
            facts="被请求人未经许可制造、销售落入本专利保护范围的提取装置，请求责令停止侵权。",
            persons=["李文华"], respondent_address="昆明市官渡区春城路88号2栋",
        ),
        evidence=_evidence("三七总皂苷提取装置"),
    )  # fmt: skip
    case = services.ip_case_accept(actor=bureau, case=case, today=ago(68))
    services.ip_case_mediate(
        actor=bureau, case=case, held_on=ago(60), outcome="failed",
        notes="双方对赔偿数额分歧较大。", today=ago(60),
    )  # fmt: skip
    services.ip_case_schedule(
        actor=bureau, case=case, hearing_on=ago(45), place="中心知识产权调解室", today=ago(55)
    )
    case = services.ip_case_hear(
        actor=bureau, case=case, record="双方到庭，围绕技术特征比对陈述意见。", today=ago(45)
    )
    text = DECISION.format(university=university.name, hearing=ago(45).isoformat())
    case = services.ip_case_decide(
        actor=bureau, case=case, decision_text=text,
        outcome="for_complainant", decided_on=ago(40),
        measures="责令停止制造、销售侵权产品，销毁库存侵权产品。", today=ago(40),
    )  # fmt: skip
    case = services.ip_case_enforce(
        actor=bureau, case=case, record="现场检查确认已停产，库存产品已销毁。",
        enforced_on=ago(20), today=ago(20),
    )  # fmt: skip
    services.ip_case_publish(actor=bureau, case=case, today=ago(15))

    # A complaint against the demo enterprise, in mediation (a session adjourned).
    case = services.ip_case_file(
        actor=office, complainant=university, today=ago(12),
        filing=services.Filing(
            kind="complaint", respondent_name=company.name,
            respondent_credit_code=company.credit_code, patent_number="201710601862.3",
            patent_title="一种三七总皂苷的提取方法",
            facts="被请求人在展会上许诺销售的产品使用了本专利方法，请求责令停止许诺销售。",
        ),
        evidence=_evidence("展会宣传册"),
    )  # fmt: skip
    case = services.ip_case_accept(actor=bureau, case=case, today=ago(10))
    services.ip_case_mediate(
        actor=bureau, case=case, held_on=ago(3), outcome="adjourned",
        notes="被请求人请求提交技术比对说明，另行安排调解。", today=ago(3),
    )  # fmt: skip

    # A complaint just filed, waiting for intake.
    services.ip_case_file(
        actor=enterprise, complainant=company, today=today,
        filing=services.Filing(
            kind="complaint", respondent_name="云南某医药贸易有限公司",
            patent_number="201710601862.3", patent_title="一种三七总皂苷的提取方法",
            facts="被请求人在电商平台销售仿冒产品，请求责令下架并停止销售。",
        ),
        evidence=_evidence("电商平台页面公证"),
    )  # fmt: skip
