"""The service institutions' demo (M9.1, M9.2): the demo service institution 金马技术转移服务中心
(``broker@demo.kttc.example``, a broker and its staff) registers two technology brokers, applies
for certification with its materials, is certified by the bureau for three years, its subsidy is
recorded at the parameter in force and it rewards its two brokers from it, split by their agreed
shares. The demo university names the senior broker on a licence, a transfer contract and the
listing it awarded, and the demo enterprise on one of its demands (the broker's public record).
Dates are a few weeks before the day the demo is loaded (never before the measures'
first policy version), so the certification is in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from kttc.benefits.contracts.models import TechnologyContract
from kttc.center.demands.models import Demand
from kttc.center.institutions import facilitations, services
from kttc.center.institutions.models import BrokerProfile
from kttc.center.listings.models import Listing
from kttc.core.demo import DEMO_PASSWORD
from kttc.core.models import Organisation, User
from kttc.core.selectors import policy_version_records
from kttc.core.services import Document, membership_grant
from kttc.policy import calendar
from kttc.policy.calendar import add_years
from kttc.policy.roles import OrganisationKind, Role
from kttc.reform.licensing.models import Licence

BROKER = "broker@demo.kttc.example"
BUREAU = "bureau@demo.kttc.example"
OFFICE = "office@demo.kttc.example"
ENTERPRISE = "enterprise@demo.kttc.example"
#: The institution's second broker (signs in with the demo password too).
COLLEAGUE = ("broker2@demo.kttc.example", "孙丽")

STATEMENT = (
    "金马技术转移服务中心成立于2019年，专注新材料、生物医药和智能制造领域的技术转移服务，"
    "拥有中高级技术经纪人，面向南亚东南亚开展跨境技术对接。申请认定为重点示范服务机构。"
)
MATERIAL = (
    "昆明市重点示范服务机构认定申请表\n机构：金马技术转移服务中心\n"
    "服务领域：新材料、生物医药、智能制造\n技术经纪人：2名\n"
)


def demo_loaded() -> bool:
    return BrokerProfile.objects.exists()


def _day(days_ago: int) -> dt.date:
    """``days_ago`` days before today, but never before the first policy version."""
    first = min(v.effective_from for v in policy_version_records())
    return max(calendar.today_in_shanghai() - dt.timedelta(days=days_ago), first)


@transaction.atomic
def load_demo() -> None:
    bureau = User.objects.get(email=BUREAU)
    staff = User.objects.get(email=BROKER)
    institution = Organisation.objects.get(
        memberships__user=staff, kind=OrganisationKind.SERVICE_INSTITUTION
    )
    colleague = User.objects.filter(email=COLLEAGUE[0]).first() or User.objects.create_user(
        COLLEAGUE[0], DEMO_PASSWORD, full_name=COLLEAGUE[1]
    )
    membership_grant(
        actor=staff, organisation=institution, user=colleague, role=Role.SERVICE_BROKER.value
    )
    first = services.broker_register(
        actor=staff,
        institution=institution,
        person=staff,
        data=services.BrokerData(
            "KM-JJR-2021-0318", "senior", ["新材料", "智能制造", "跨境技术转移"],
            ["zh-hans", "en", "lo"],
            "十年技术转移经验，促成多项专利许可，熟悉老挝、越南市场。",
        ),
    )  # fmt: skip
    second = services.broker_register(
        actor=staff,
        institution=institution,
        person=colleague,
        data=services.BrokerData(
            "KM-JJR-2023-0761", "intermediate", ["生物医药", "中医药"], ["zh-hans", "th"],
            "专注生物医药成果的评价与对接。",
        ),
    )  # fmt: skip
    applied_on, certified_on, disbursed_on, rewarded_on = (_day(d) for d in (40, 30, 15, 7))
    application = services.certification_apply(
        actor=staff,
        institution=institution,
        statement=STATEMENT,
        materials=[
            services.Material("申请表", Document("认定申请表.txt", MATERIAL.encode("utf-8"))),
            services.Material(
                "服务业绩及案例",
                Document("服务业绩.txt", "2025年促成技术合同12项，成交额1860万元。\n".encode()),
            ),
        ],
        today=applied_on,
    )
    certification = services.certification_certify(
        actor=bureau,
        application=application,
        term_start=certified_on,
        term_end=add_years(certified_on, 3) - dt.timedelta(days=1),
        today=certified_on,
    )
    subsidy = services.subsidy_record(
        actor=bureau, certification=certification, disbursed_on=disbursed_on, today=disbursed_on
    )
    services.reward_decide(
        actor=staff,
        subsidy=subsidy,
        reward=services.Reward(
            Decimal("20000.00"), {first.pk: Decimal("60"), second.pk: Decimal("40")}
        ),
        today=rewarded_on,
    )
    _facilitated(first, second)


def _facilitated(first: BrokerProfile, second: BrokerProfile) -> None:
    """The parties name the brokers on some of the demo's deals (M9.1, M9.2)."""
    office = User.objects.get(email=OFFICE)
    enterprise = User.objects.get(email=ENTERPRISE)
    of_office = {"unit__memberships__user": office}
    deals = (
        (office, first, "licence", Licence.objects.filter(**of_office).order_by("pk").first()),
        (office, first, "contract", TechnologyContract.objects.filter(
            kind__in=("transfer", "licence"), **of_office).order_by("pk").first()),
        (office, first, "listing", Listing.objects.filter(
            status="awarded", **of_office).order_by("pk").first()),
        (enterprise, second, "demand", Demand.objects.filter(
            organisation__memberships__user=enterprise, status="published").order_by("pk").first()),
    )  # fmt: skip
    for actor, broker, kind, deal in deals:
        if deal is not None:
            facilitations.facilitation_record(
                actor=actor, broker=broker, kind=kind, deal_id=deal.pk
            )
