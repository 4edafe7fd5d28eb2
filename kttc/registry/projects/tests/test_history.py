"""History is data too (V.1, DESIGN rule 11): projects approved and results formed before the
measures took effect are recorded and judged by the first policy version."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kttc.core.models import AuditEntry
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role
from kttc.registry import selectors, services, sweep
from kttc.registry.models import FiscalProject
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement


@pytest.fixture
def unit(personas):
    return personas.organisations[Role.TRANSFER_OFFICE]


def _project(personas, unit, deadline, number="KM2021-007"):
    return services.fiscal_project_create(
        actor=personas.bureau,
        undertaking_unit=unit,
        competent_department="昆明市科学技术局",
        programme="重点研发计划",
        project_number=number,
        title="高原植物开发（2021年立项）",
        approval_date=dt.date(2021, 6, 1),
        budget=Decimal("500000.00"),
        transformation_obligation="许可或转让给本地企业",
        transformation_deadline=deadline,
    )


def test_m4_2_a_project_approved_in_2021_is_held_to_five_years_of_the_first_version(personas, unit):
    project = _project(personas, unit, dt.date(2026, 6, 1))
    assert project.approval_date == dt.date(2021, 6, 1)
    entry = AuditEntry.objects.get(action="project.create", object_id=str(project.pk))
    assert entry.after["transformation_deadline"] == "2026-06-01"
    with pytest.raises(PolicyError) as info:
        _project(personas, unit, dt.date(2026, 6, 2), number="KM2021-008")
    assert info.value.clauses == ("M4.2",) and info.value.field == "transformation_deadline"
    assert "2026-06-01" in info.value.message
    assert FiscalProject.objects.count() == 1


def test_m8_6_a_result_formed_before_the_measures_is_due_three_months_later(personas, unit):
    _project(personas, unit, dt.date(2026, 6, 1))
    data = validate_achievement(
        achievement_raw(project_number="KM2021-007", formation_date="2025-11-30"),
        today=dt.date(2026, 1, 10),
    )
    result = services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)
    assert result.submission_due == dt.date(2026, 2, 28)  # 3 months, clamped to the month's end
    due = list(selectors.submissions_due(personas.bureau, on=dt.date(2026, 2, 1)))
    assert [(a.pk, a.overdue) for a in due] == [(result.pk, False)]
    late = list(selectors.submissions_due(personas.transfer_office, on=dt.date(2026, 3, 1)))
    assert [(a.pk, a.overdue) for a in late] == [(result.pk, True)]
    counts = sweep.run(dt.date(2026, 3, 1))
    assert counts["became overdue"] == 1
