"""The innovation vouchers' demo (M12.2): the bureau (``bureau@demo.kttc.example``) opened a
programme a few weeks ago, still taking applications; the demo enterprise
(``enterprise@demo…``) holds a testing voucher redeemed at the demo broker's certified
institution 金马技术转移服务中心 (``broker@demo…``, see :mod:`kttc.center.institutions.demo`) and
an IP services voucher not yet used, and its application for an evaluation voucher waits for the
bureau. Loaded after the institutions' demo, so that the institution's certification is in
force; loading it twice adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from kttc.center.vouchers import services
from kttc.center.vouchers.models import Voucher, VoucherProgramme
from kttc.core.models import Organisation, User
from kttc.policy import calendar
from kttc.policy.roles import OrganisationKind

BUREAU = "bureau@demo.kttc.example"
ENTERPRISE = "enterprise@demo.kttc.example"
BROKER = "broker@demo.kttc.example"


def demo_loaded() -> bool:
    return VoucherProgramme.objects.exists()


def _organisation(email: str, kind: OrganisationKind) -> Organisation:
    return Organisation.objects.get(memberships__user__email=email, kind=kind)


@transaction.atomic
def load_demo() -> None:
    today = calendar.today_in_shanghai()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    bureau, company = User.objects.get(email=BUREAU), User.objects.get(email=ENTERPRISE)
    broker = User.objects.get(email=BROKER)
    enterprise = _organisation(ENTERPRISE, OrganisationKind.ENTERPRISE)
    institution = _organisation(BROKER, OrganisationKind.SERVICE_INSTITUTION)
    programme = services.programme_open(
        actor=bureau,
        terms=services.ProgrammeTerms(
            name=f"{today.year}年昆明市科技创新券", budget=Decimal("500000.00"),
            services=["evaluation", "ip_services", "finance_services", "testing"],
            value_mode="maximum", value=Decimal("20000.00"), opens_on=ago(20),
            closes_on=today + dt.timedelta(days=40), valid_until=today + dt.timedelta(days=180),
            local_only=True,
        ),
        today=ago(20),
    )  # fmt: skip

    def issue(service: str, amount: str, purpose: str, on: dt.date) -> Voucher:
        application = services.voucher_apply(
            actor=company, enterprise=enterprise, programme=programme, service=service,
            amount=amount, purpose=purpose, today=on,
        )  # fmt: skip
        return services.voucher_issue(
            actor=bureau, application=application, today=on + dt.timedelta(days=1)
        )

    used = issue("testing", "15000", "委托检测新型磷酸铁锂正极材料的循环寿命与热稳定性", ago(15))
    services.voucher_present(actor=company, voucher=used, institution=institution, today=ago(10))
    services.voucher_redeem(
        actor=broker, voucher=used, institution=institution,
        service=services.Service(
            "正极材料循环寿命（1000次）及热稳定性检测，出具检测报告", "53012400918", "12800.00"
        ),
        today=ago(5),
    )  # fmt: skip
    issue("ip_services", "8000", "两项发明专利申请的撰写与检索分析", ago(8))
    services.voucher_apply(
        actor=company, enterprise=enterprise, programme=programme, service="evaluation",
        amount="10000", purpose="固态电解质中试成果的第三方科技成果评价", today=ago(1),
    )  # fmt: skip
