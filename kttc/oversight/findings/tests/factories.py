"""Builders of the findings' tests (M14.2): a second supervising department with its auditor,
and a record of the university's licence income distribution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kttc.core.models import Membership, Organisation, User
from kttc.core.services import Document
from kttc.core.tests.factories import OrganisationFactory, UserFactory
from kttc.oversight.findings import services
from kttc.oversight.findings.models import Inspection
from kttc.policy.roles import OrganisationKind, Role

DAY = dt.date(2026, 11, 2)


@dataclass
class Departments:
    """The personas' audit department (A, its auditor the persona) and a finance bureau (B)."""

    a: Organisation
    auditor_a: User
    b: Organisation
    auditor_b: User


def departments(personas: Any) -> Departments:
    finance = OrganisationFactory(
        kind=OrganisationKind.GOVERNMENT_DEPARTMENT.value, name="测试财政局", name_en="Finance"
    )
    person = UserFactory(email="finance@test.kttc.example", full_name="finance auditor")
    Membership.objects.create(user=person, organisation=finance, role=Role.AUDITOR.value)
    return Departments(personas.organisations[Role.AUDITOR], personas.auditor, finance, person)


def scope(unit: Organisation, *, clauses: tuple[str, ...] = ("M5.2", "M5.3"), **changes: Any):
    values: dict[str, Any] = {
        "subjects": [unit],
        "period_start": dt.date(2025, 1, 1),
        "period_end": dt.date(2025, 12, 31),
        "clauses": list(clauses),
        "scope": "许可收入分配（M5.2、M5.3）的执行情况",
        "fieldwork_start": DAY - dt.timedelta(days=20),
        "fieldwork_end": DAY - dt.timedelta(days=10),
    }
    values.update(changes)
    return services.Scope(**values)


def plan(unit: Organisation, **changes: Any) -> services.FindingPlan:
    values: dict[str, Any] = {
        "subject": unit,
        "clause": "M5.2",
        "severity": "significant",
        "description": "两项许可的净收入中奖励完成人的比例低于70%。",
        "links": ["/office/contracts/1/"],
        "rectification_required": True,
        "deadline": DAY + dt.timedelta(days=30),
    }
    values.update(changes)
    return services.FindingPlan(**values)


REFERENCE = "昆审〔2026〕12号"


def recorded(
    auditor: User,
    department: Organisation,
    unit: Organisation,
    *,
    reference: str = REFERENCE,
    **changes: Any,
) -> Inspection:
    values: dict[str, Any] = {
        "kind": "audit",
        "title": "春城大学科技成果转化收入分配专项审计",
        "scope": scope(unit),
        "findings": [plan(unit)],
        "documents": [services.Attachment("审计报告", Document("报告.pdf", b"%PDF audit"))],
        "today": DAY,
    }
    values.update(changes)
    return services.inspection_record(
        actor=auditor, department=department, reference=reference, **values
    )


def issued(auditor: User, department: Organisation, unit: Organisation, **changes: Any):
    found = recorded(auditor, department, unit, **changes)
    return services.inspection_issue(actor=auditor, inspection=found, today=DAY)
