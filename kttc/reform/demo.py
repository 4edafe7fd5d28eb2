"""Demo data of the empowerment reform (M1): 春城大学's rules; one application taken through
approval, a 15-day notice, the signed agreement and the grant of a long-term use right; and one
in its notice period, with an objection waiting for the unit's answer; three results whose IP
is old (M4.4), two of them on the open licensing list, one with a justification waiting for the
bureau. Made through the services with past legal dates, so every step is a real entry of the
audit chain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from kttc.core import services as core_services
from kttc.core.demo import DEMO_PASSWORD
from kttc.core.models import Organisation, User
from kttc.core.selectors import parameters_in_force
from kttc.core.services import Document
from kttc.policy.calendar import add_years
from kttc.policy.identifiers import complete_patent_application_number
from kttc.policy.licensing import Stage
from kttc.policy.roles import Role
from kttc.reform.empowerment import grants, selectors, services
from kttc.reform.licensing import services as licensing
from kttc.reform.models import EmpowermentApplication, EmpowermentRules
from kttc.reform.transformation import services as transformation
from kttc.registry import services as registry_services
from kttc.registry.models import Achievement
from kttc.registry.validation import validate_achievement

MEMBER_EMAIL = "member@demo.kttc.example"
CONSENT = "团队成员知情同意书"


def demo_loaded() -> bool:
    return EmpowermentRules.objects.filter(unit__name="春城大学").exists()


def _plan(name: str) -> Document:
    text = (
        f"《{name}》成果转化实施方案\n"
        "一、转化方式：由完成人团队实施，许可本地企业使用。\n"
        "二、进度安排：第一年完成中试，第二年实现小批量生产。\n"
        "三、收益分配：按单位与团队签署的书面协议执行。\n"
    )
    return Document("成果转化实施方案.txt", text.encode("utf-8"))


def _apply(
    researcher: User, result: Achievement, day: date, *, partners: Sequence[str] = ()
) -> EmpowermentApplication:
    return services.empowerment_apply(
        actor=researcher,
        achievement=result,
        right="long_term_use",
        term_years=10,
        summary="由完成人团队与合作企业共同实施，三年内实现产业化。",
        plan=_plan(result.name),
        attachments=[(CONSENT, Document("知情同意书.txt", "全体完成人同意申请。".encode()))],
        today=day,
        partners=partners,
    )


@transaction.atomic
def load_demo() -> None:
    office = User.objects.get(email="office@demo.kttc.example")
    researcher = User.objects.get(email="researcher@demo.kttc.example")
    university = Organisation.objects.get(name="春城大学")
    member = User.objects.create_user(MEMBER_EMAIL, DEMO_PASSWORD, full_name="孙丽")
    core_services.membership_grant(
        actor=office, organisation=university, user=member, role=Role.RESEARCHER.value
    )
    services.rules_set(
        actor=office,
        unit=university,
        grants_ownership=True,
        grants_long_term_use=True,
        max_term_years=10,
        required_documents=[CONSENT],
        regulations="春城大学职务科技成果赋权管理办法（试行）",
    )
    results = list(
        Achievement.objects.filter(
            unit=university, status="published", external_ref__startswith="DEMO-"
        ).order_by("external_ref")[:2]
    )
    today = selectors.today()
    days = parameters_in_force(today).empowerment_notice_min_days

    # 1. Applied, approved, noticed, signed and granted, all in the past.
    start = today - timedelta(days=days + 12)
    first = _apply(researcher, results[0], start, partners=["云岭智造科技有限公司"])
    services.empowerment_approve(actor=office, application=first, today=start + timedelta(days=1))
    notice = services.notice_publish(
        actor=office, application=first, today=start + timedelta(days=2)
    )
    agreement = grants.agreement_draw_up(
        actor=office,
        application=first,
        team_share=Decimal("0.75"),
        terms="团队每年向单位报告转化进展与收益；单位提供中试场地支持。",
        today=start + timedelta(days=3),
    )
    grants.agreement_sign(
        actor=office, agreement=agreement, side="unit", today=start + timedelta(days=3)
    )
    grants.agreement_sign(
        actor=researcher, agreement=agreement, side="team", today=start + timedelta(days=4)
    )
    grants.right_grant(actor=office, application=first, today=notice.grant_from)

    # 2. In its notice period, with an objection the unit has still to answer.
    second = _apply(researcher, results[1], today - timedelta(days=4))
    services.empowerment_approve(actor=office, application=second, today=today - timedelta(days=3))
    running = services.notice_publish(
        actor=office, application=second, today=today - timedelta(days=2)
    )
    services.objection_raise(
        actor=member,
        notice=running,
        text="本人参与了该成果的关键实验，完成人名单中未列入，请核实。",
        today=today - timedelta(days=1),
    )

    _open_licensing(office, university, today)
    _licences(office, university, today)


# --- time-limited transformation (M4.4) ----------------------------------------------------------

#: Results whose IP was granted long ago: (name, keywords, years and days since the grant).
OLD_IP_RESULTS = (
    ("滇南小粒咖啡低温发酵工艺", "咖啡,发酵,风味", 6, 0),
    ("高原湖泊蓝藻水华预警方法", "蓝藻,水华,预警", 5, 60),
    ("野生菌保鲜冷链包装技术", "野生菌,保鲜,冷链", 4, 200),
)


def _old_ip_result(office: User, university: Organisation, index: int, today: date) -> Achievement:
    name, keywords, years, days = OLD_IP_RESULTS[index]
    granted = add_years(today, -years) - timedelta(days=days)
    number = complete_patent_application_number(f"{granted.year - 2}1{index + 1:07d}")
    raw = {
        "name": name,
        "keywords": keywords,
        "abstract": f"{name}：工艺成熟，已完成中试，适合许可给本地企业。",
        "discipline_code": "4135020",
        "industry_code": "C1530",
        "trl": 7,
        "formation_date": (granted - timedelta(days=400)).isoformat(),
        "achievement_type": "applied",
        "attribute": "original",
        "use_first_pay_later": True,
        "units": [{"name": university.name, "share": "100"}],
        "completers": [{"name": "周敏", "unit_name": university.name, "share": "100"}],
        "ip_rights": [
            {
                "kind": "invention",
                "number": number,
                "status": "granted",
                "grant_date": granted.isoformat(),
            }
        ],
        "external_ref": f"DEMO-M44-{index + 1}",
    }
    data = validate_achievement(raw, today=today)
    return registry_services.achievement_create(actor=office, unit=university, data=data)


def _open_licensing(office: User, university: Organisation, today: date) -> None:
    """M4.4: three results whose IP is old: two put on the open licensing list by the sweep's
    refresh (one with a justification waiting for the bureau), one due within the year."""
    bureau = User.objects.get(email="bureau@demo.kttc.example")
    results = [_old_ip_result(office, university, i, today) for i in range(len(OLD_IP_RESULTS))]
    for result in results:
        registry_services.achievement_submit(actor=office, achievement=result)
        registry_services.achievement_publish(actor=bureau, achievement=result)
    transformation.justification_file(
        actor=office,
        achievement=results[1],
        reason="该方法依赖的监测站网络尚在建设，预计明年建成后由合作企业实施转化。",
        today=today,
    )
    transformation.open_listing_refresh(today=today)


# --- "use first, pay later" licences (M3) and the transaction page (M8.5) ----------------------


def _licences(office: User, university: Organisation, today: date) -> None:
    """M3: a licence in force with a stage paid, a royalty reported and overdue, and a milestone
    to come (published on the transaction page with some terms); an open offer with an
    enterprise's application waiting for the unit."""
    firm_person = User.objects.get(email="enterprise@demo.kttc.example")
    firm = firm_person.memberships.get(role=Role.ENTERPRISE.value).organisation
    public = Achievement.objects.filter(
        unit=university,
        status="published",
        confidentiality="public",
        external_ref__startswith="DEMO-",
    ).order_by("external_ref")
    licensed, offered = public[2], public[3]
    offer = licensing.licence_offer(
        actor=office,
        unit=university,
        achievement=licensed,
        term_years=5,
        payment_model="staged_royalty",
        territory="云南省及南亚东南亚",
        field_of_use="食品与保健品",
    )
    application = licensing.licence_apply(
        actor=firm_person,
        offer=offer,
        applicant=firm,
        plan="在呈贡建设中试线，一年内投产，面向云南及南亚市场。",
        proposed_terms="零门槛费，分两期支付，销售收入提成 3%。",
    )
    start = today - timedelta(days=150)
    licence = licensing.licence_conclude(
        actor=office,
        offer=offer,
        licensee=firm,
        application=application,
        starts_on=start,
        stages=[
            Stage(Decimal("50000.00"), due=start + timedelta(days=60)),
            Stage(Decimal("80000.00"), milestone="中试线通过验收"),
        ],
        royalty_rate=Decimal("0.03"),
        royalty_due_days=30,  # each royalty paid within 30 days of its period (M3.3)
        disclosed=["licensee", "term", "payment_model", "royalty_rate"],
    )
    licensing.payment_record(
        actor=office,
        licence=licence,
        amount=Decimal("50000.00"),
        paid_on=start + timedelta(days=58),
    )
    licensing.revenue_report(
        actor=firm_person,
        licence=licence,
        period_start=start,
        period_end=start + timedelta(days=90),
        revenue=Decimal("420000.00"),
    )
    second = licensing.licence_offer(
        actor=office,
        unit=university,
        achievement=offered,
        term_years=3,
        payment_model="after_first_revenue",
    )
    licensing.licence_apply(
        actor=firm_person,
        offer=second,
        applicant=firm,
        plan="用于现有生产线的工艺升级。",
    )
