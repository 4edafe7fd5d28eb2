"""The technology finance demo (M12.1, M12.3): the demo bank (``bank@demo.kttc.example``)
publishes an IP pledge loan, a credit loan and an IP insurance; the demo enterprise
(``enterprise@demo.kttc.example``) has a result of its own in the registry with two granted
invention patents, evaluated and signed by the demo service institution (M10.1, where its
certification is loaded); it pledged the first for a loan the bank approved some weeks ago, the
evaluation attached (the pledge registered, the schedule kept, the first instalment repaid), and
it applied for a credit loan that waits for the bank, so the bank has work. Dates are relative
to the day the demo is loaded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from kttc.center.evaluation import services as evaluation_services
from kttc.center.finance import services
from kttc.center.finance.models import FinanceProduct
from kttc.center.institutions.selectors import certification_in_force
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where
from kttc.policy import calendar
from kttc.policy.identifiers import complete_patent_application_number
from kttc.policy.roles import Capability, OrganisationKind
from kttc.registry import services as registry_services
from kttc.registry.models import Achievement
from kttc.registry.validation import validate_achievement

BANK = "bank@demo.kttc.example"
ENTERPRISE = "enterprise@demo.kttc.example"
OPERATOR = "admin@demo.kttc.example"
INSTITUTION = "broker@demo.kttc.example"
EVALUATOR = "broker2@demo.kttc.example"
PATENTS = (
    complete_patent_application_number("202210458731"),
    complete_patent_application_number("202310219046"),
)

PRODUCTS = (
    services.ProductData(
        "pledge_loan", "科创知识产权质押贷", "Sci-tech IP pledge loan",
        "以企业自有发明专利、实用新型专利质押，最高可贷评估价值的50%，随借随还。",
        "Pledge your own invention or utility model patents; up to 50% of their evaluated "
        "value, repay at any time.",
        Decimal("500000"), Decimal("10000000"), 6, 36, Decimal("3.450"),
        "生物医药、新材料、高端装备；有效期内的发明专利", (),
    ),
    services.ProductData(
        "credit_loan", "科技型企业信用贷", "Technology enterprise credit loan",
        "面向科技型中小企业的纯信用贷款，无需抵押。",
        "An unsecured loan for technology-based small and medium enterprises.",
        Decimal("100000"), Decimal("3000000"), 3, 24, Decimal("3.950"),
        "科技型中小企业、高新技术企业", (),
    ),
    services.ProductData(
        "insurance", "知识产权侵权损失保险", "IP infringement loss insurance",
        "承保被侵权造成的直接损失及维权费用。",
        "Covers direct losses from infringement and the cost of enforcing the rights.",
        Decimal("100000"), Decimal("5000000"), 12, 36, Decimal("1.200"), "", ("ip",),
    ),
)  # fmt: skip


def demo_loaded() -> bool:
    return FinanceProduct.objects.exists()


def _result(operator: User, enterprise: Organisation, today: dt.date) -> Achievement:
    """The enterprise's own result with its granted patents, entered and submitted by the
    platform's operator."""
    raw = {
        "name": "高原微藻虾青素绿色提取工艺",
        "achievement_type": "applied", "attribute": "original",
        "keywords": ["微藻", "虾青素", "超临界萃取"],
        "abstract": "以超临界二氧化碳萃取雨生红球藻虾青素，纯度达96%，无有机溶剂残留。",
        "discipline_code": "41630", "industry_code": "C2710", "trl": 7,
        "evaluation_level": "domestic_leading",
        "formation_date": (today - dt.timedelta(days=400)).isoformat(),
        "confidentiality": "public", "transformation_modes": ["licence"],
        "units": [{"name": enterprise.name, "share": "100"}],
        "completers": [{"name": "张伟", "unit_name": enterprise.name, "share": "100"}],
        "ip_rights": [
            {"kind": "invention", "number": f"ZL{n}", "status": "granted",
             "grant_date": "2024-03-15", "title": "一种虾青素的提取方法"}
            for n in PATENTS
        ],
        "external_ref": "DEMO-FIN-1",
    }  # fmt: skip
    data = validate_achievement(raw, today=today)
    result = registry_services.achievement_create(actor=operator, unit=enterprise, data=data)
    # Submitted to the platform (M8.6), not a draft: the unit's drafts are the university's.
    return registry_services.achievement_submit(actor=operator, achievement=result)


def _evaluated(result: Achievement, person: User, enterprise: Organisation, on: dt.date) -> None:
    """M10.1: the demo institution evaluates and signs the enterprise's result on ``on``."""
    staff = User.objects.get(email=INSTITUTION)
    evaluator = User.objects.get(email=EVALUATOR)
    institution = Organisation.objects.get(
        memberships__user=staff, kind=OrganisationKind.SERVICE_INSTITUTION
    )
    evaluation = evaluation_services.evaluation_request(
        actor=person, requester=enterprise, result=result, institution=institution,
        purpose="知识产权质押贷款申请前的成果价值评价。", today=on,
    )  # fmt: skip
    evaluation_services.evaluation_accept(
        actor=staff, evaluation=evaluation, evaluator=evaluator, today=on
    )
    evaluation_services.evaluation_declare(actor=evaluator, evaluation=evaluation, interest="")
    dimensions = ("readiness", "advancement", "ip", "market", "team", "risk")
    evaluation_services.evaluation_score(
        actor=evaluator, evaluation=evaluation, today=on,
        data=evaluation_services.Scores(
            trl=7, scores={"advancement": 80, "ip": 76, "market": 70, "team": 64, "risk": 60},
            evidence={d: "现场核查及检测报告。" for d in dimensions}, ip_claims=12, ip_family=2,
            ip_remaining_years=17, ip_legal_status="有效", market_size="约12亿元/年",
            market_competitors="国内三家企业", market_route="自行量产",
            summary="工艺成熟，专利稳定，具备质押融资条件。",
        ),
    )  # fmt: skip
    evaluation_services.evaluation_sign(actor=evaluator, evaluation=evaluation, today=on)


def _certified_since(today: dt.date) -> dt.date | None:
    """The first day of the demo institution's certification in force, if it is loaded."""
    staff = User.objects.filter(email=INSTITUTION).first()
    if staff is None:
        return None
    institution = Organisation.objects.filter(
        memberships__user=staff, kind=OrganisationKind.SERVICE_INSTITUTION
    ).first()
    certification = certification_in_force(institution, today) if institution else None
    return certification.term_start if certification else None


@transaction.atomic
def load_demo() -> None:
    today = calendar.today_in_shanghai()
    bank_person = User.objects.get(email=BANK)
    enterprise_person = User.objects.get(email=ENTERPRISE)
    bank = organisations_where(bank_person, Capability.MANAGE_FINANCE).get()
    enterprise = organisations_where(enterprise_person, Capability.APPLY_FINANCE).get()
    pledge, credit, _insurance = (
        services.product_publish(actor=bank_person, bank=bank, data=data) for data in PRODUCTS
    )
    result = _result(User.objects.get(email=OPERATOR), enterprise, today)
    applied_on = today - dt.timedelta(days=60)
    certified = _certified_since(today)
    if certified is not None:
        # The evaluation is signed before the application that attaches it (M10.1).
        evaluated_on = max(certified, today - dt.timedelta(days=28))
        _evaluated(result, enterprise_person, enterprise, evaluated_on)
        applied_on = min(evaluated_on + dt.timedelta(days=1), today)
    loan = services.application_file(
        actor=enterprise_person, applicant=enterprise, product=pledge, today=applied_on,
        request=services.Request(
            Decimal("1200000"), 24, "虾青素中试生产线设备购置与流动资金", (PATENTS[0],)
        ),
    )  # fmt: skip
    approved_on = min(applied_on + dt.timedelta(days=10), today)
    loan = services.application_approve(
        actor=bank_person, application=loan, today=approved_on,
        grant=services.LoanDecision(
            Decimal("1000000"), Decimal("3.450"), 24, "equal_instalments",
            f"KM-ZY-{approved_on:%Y}-0037", approved_on - dt.timedelta(days=2),
        ),
    )  # fmt: skip
    first = loan.instalments.order_by("number").first()
    assert first is not None
    paid_on = min(first.due_on, today)  # paid when due, or early when not yet due
    services.repayment_record(
        actor=bank_person, application=loan, amount=first.amount, paid_on=paid_on, today=paid_on
    )
    services.application_file(
        actor=enterprise_person, applicant=enterprise, product=credit,
        today=today - dt.timedelta(days=2),
        request=services.Request(Decimal("500000"), 12, "新产品市场推广及原料采购"),
    )  # fmt: skip
