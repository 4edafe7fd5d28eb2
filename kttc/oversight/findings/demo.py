"""The findings' demo (M14.2): two more supervising departments, the finance bureau
(``finance@demo.kttc.example``) and the state assets commission (``sasac@demo…``), each with
its auditor, beside the audit bureau of the core demo (``auditor@demo…``). The audit bureau
audited the demo university's licence income distribution (M5.2, M5.3) and issued it a month
before the day the demo is loaded; the university's transfer office (``office@demo…``) recorded
the rectification of its finding on M5.2, waiting for the audit bureau's review, while the
finding on M5.3 is still owed. The finance bureau's supervision of the same university's
fiscally funded projects (M4.1, M4.3) is a draft, which only the finance bureau reads."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

from kttc.core import services as core_services
from kttc.core.demo import DEMO_PASSWORD, DemoOrganisation, demo_credit_code
from kttc.core.models import Organisation, User
from kttc.core.services import Document
from kttc.oversight.findings import services
from kttc.oversight.findings.models import Inspection
from kttc.policy import calendar
from kttc.policy.roles import Capability, OrganisationKind, Role

AUDITOR = "auditor@demo.kttc.example"
FINANCE = "finance@demo.kttc.example"
SASAC = "sasac@demo.kttc.example"
OFFICE = "office@demo.kttc.example"
BUREAU = "bureau@demo.kttc.example"
REFERENCE = "昆审投报〔2026〕8号"

DEPARTMENTS = (
    (
        DemoOrganisation(
            "finance", "昆明市财政局（演示）", "Kunming Municipal Finance Bureau (demo)",
            OrganisationKind.GOVERNMENT_DEPARTMENT, True, "1", "1", "0103",
        ),
        FINANCE, "孙丽",
    ),
    (
        DemoOrganisation(
            "sasac", "昆明市国资委（演示）",
            "Kunming Municipal State-owned Assets Supervision and Administration Commission (demo)",
            OrganisationKind.GOVERNMENT_DEPARTMENT, True, "1", "1", "0104",
        ),
        SASAC, "钱涛",
    ),
)  # fmt: skip


def demo_loaded() -> bool:
    return Inspection.objects.filter(reference=REFERENCE).exists()


def _department(bureau: User, org: DemoOrganisation, email: str, name: str) -> Organisation:
    department = core_services.organisation_register(
        actor=bureau, name=org.name, name_en=org.name_en, kind=org.kind.value,
        credit_code=demo_credit_code(org), is_municipal=True, region="云南省昆明市",
    )  # fmt: skip
    core_services.organisation_verify(actor=bureau, organisation=department)
    person = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
    core_services.membership_grant(
        actor=bureau, organisation=department, user=person, role=Role.AUDITOR.value
    )
    return department


def _own(user: User, capability: Capability) -> Organisation:
    from kttc.core.selectors import organisations_where

    return organisations_where(user, capability).order_by("pk").first()  # type: ignore[return-value]


def _contract_links(university: Organisation) -> list[str]:
    from kttc.benefits.contracts.models import TechnologyContract

    return [
        reverse("contracts:detail", args=[pk])
        for pk in TechnologyContract.objects.filter(unit=university)
        .order_by("pk")
        .values_list("pk", flat=True)[:2]
    ]


@transaction.atomic
def load_demo() -> None:
    today = calendar.today_in_shanghai()
    issued_on = today - dt.timedelta(days=30)
    bureau = User.objects.get(email=BUREAU)
    finance = _department(bureau, *DEPARTMENTS[0])
    _department(bureau, *DEPARTMENTS[1])
    auditor = User.objects.get(email=AUDITOR)
    audit_bureau = _own(auditor, Capability.RECORD_FINDINGS)
    office = User.objects.get(email=OFFICE)
    university = _own(office, Capability.RECTIFY_FINDINGS)
    year = issued_on.year - 1
    audit = services.inspection_record(
        actor=auditor, department=audit_bureau, kind="audit", reference=REFERENCE,
        title=f"{university.name}科技成果转化收入分配专项审计",
        scope=services.Scope(
            subjects=[university], period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31), clauses=["M5.2", "M5.3"],
            scope="抽查技术转让、许可合同的净收入计算及对完成人、转化服务人员的奖励发放。",
            fieldwork_start=issued_on - dt.timedelta(days=25),
            fieldwork_end=issued_on - dt.timedelta(days=11),
        ),
        findings=[
            services.FindingPlan(
                subject=university, clause="M5.2", severity="significant",
                description="一项许可合同的净收入扣除了未经认定的管理费，奖励完成人的比例"
                "实际为65%，低于70%。",
                links=_contract_links(university), deadline=issued_on + dt.timedelta(days=60),
            ),
            services.FindingPlan(
                subject=university, clause="M5.3", severity="minor",
                description="学校留存部分未按不低于10%的比例提取转化服务人员奖励。",
                deadline=today + dt.timedelta(days=5),
            ),
        ],
        documents=[
            services.Attachment(
                "审计报告", Document("审计报告.pdf", "收入分配专项审计报告（演示）".encode())
            )
        ],
        today=issued_on,
    )  # fmt: skip
    services.inspection_issue(actor=auditor, inspection=audit, today=issued_on)
    first = audit.findings.order_by("id").first()
    assert first is not None
    services.rectification_submit(
        actor=office, finding=first,
        text="已按70%比例重新计算并向完成人补发奖励，管理费不再扣除。",
        documents=[
            services.Attachment(
                "补发奖励凭证", Document("补发凭证.pdf", "补发奖励银行回单".encode())
            )
        ],
        today=today - dt.timedelta(days=3),
    )  # fmt: skip
    finance_auditor = User.objects.get(email=FINANCE)
    services.inspection_record(
        actor=finance_auditor, department=finance, kind="supervision",
        reference="昆财监〔2026〕5号",
        title=f"{university.name}财政科技项目成果转化义务落实情况监督检查",
        scope=services.Scope(
            subjects=[university], period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31), clauses=["M4.1", "M4.3"],
            scope="市级财政科技项目立项时约定的转化义务、期限及验收内容。",
            fieldwork_start=today - dt.timedelta(days=6),
            fieldwork_end=today - dt.timedelta(days=2),
        ),
        findings=[
            services.FindingPlan(
                subject=university, clause="M4.3", severity="minor",
                description="两个项目的验收材料未包含知识产权及转化情况。",
                deadline=today + dt.timedelta(days=90),
            )
        ],
        today=today,
    )  # fmt: skip
