"""The demand hall's demo: demands of the demo enterprise in Chinese, English and Vietnamese,
published by the bureau, one answered by the broker, and one waiting for moderation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from kttc.center.demands import services
from kttc.center.demands.models import Demand
from kttc.core.models import Organisation, User
from kttc.policy import calendar

ENTERPRISE = "enterprise@demo.kttc.example"

DEMANDS = (
    dict(
        title="高原特色农产品低温干燥保鲜技术",
        description="我公司加工云南高原咖啡和菌类，需要能耗更低的低温干燥设备与工艺，"
        "保持风味物质，日处理量5吨以上。",
        modes=["licence", "joint_development"], industry="C13", trl=6,
        budget_min=Decimal("300000"), budget_max=Decimal("1500000"), country="CN",
        language="zh-hans",
    ),
    dict(
        title="锂离子电池低温电解液",
        description="寻求在零下20摄氏度仍保持80%容量的锂离子电池电解液配方，可技术转让或许可。",
        modes=["transfer", "licence"], industry="C38", discipline="530", trl=5,
        budget_min=Decimal("500000"), budget_max=None, country="CN", language="zh-hans",
    ),
    dict(
        title="Remote monitoring of rubber plantations",
        description="We look for a low-power sensor network and software to monitor soil "
        "moisture and tapping on rubber plantations in northern Laos.",
        modes=["joint_development", "consulting"], industry="A01", trl=7,
        budget_min=Decimal("100000"), budget_max=Decimal("400000"), country="LA", language="en",
    ),
    dict(
        title="Công nghệ xử lý nước thải chế biến cà phê",
        description="Doanh nghiệp cần công nghệ xử lý nước thải từ chế biến cà phê ướt, "
        "chi phí vận hành thấp, phù hợp quy mô 50 m³ mỗi ngày.",
        modes=["licence", "consulting"], industry="N77", trl=6,
        budget_min=None, budget_max=Decimal("800000"), country="VN", language="vi",
    ),
)  # fmt: skip
PENDING = dict(
    title="中药材有效成分快速检测方法",
    description="需要一种可在产地使用的三七皂苷快速检测方法，单次检测成本低于20元。",
    modes=["licence", "equity"], industry="C27", trl=4, country="CN", language="zh-hans",
)  # fmt: skip


def demo_loaded() -> bool:
    return Demand.objects.filter(author__email=ENTERPRISE).exists()


@transaction.atomic
def load_demo() -> None:
    author = User.objects.get(email=ENTERPRISE)
    bureau = User.objects.get(email="bureau@demo.kttc.example")
    broker = User.objects.get(email="broker@demo.kttc.example")
    enterprise = Organisation.objects.get(memberships__user=author, kind="enterprise")
    deadline = calendar.today_in_shanghai() + timedelta(days=90)
    for values in DEMANDS:
        demand = services.demand_post(
            actor=author,
            organisation=enterprise,
            data=services.DemandData(deadline=deadline, **values),  # type: ignore[arg-type]  # the rows above are DemandData's fields
        )
        services.demand_publish(actor=bureau, demand=demand)
    services.answer_create(
        actor=broker,
        demand=demand,
        organisation=Organisation.objects.get(memberships__user=broker),
        proposal="Chúng tôi có thể giới thiệu hai viện nghiên cứu ở Côn Minh có công nghệ "
        "xử lý nước thải kỵ khí phù hợp, và tổ chức khảo sát tại chỗ.",
    )
    services.demand_post(
        actor=author,
        organisation=enterprise,
        data=services.DemandData(deadline=deadline, **PENDING),  # type: ignore[arg-type]  # as above
    )
