"""Fiscal projects (M4.1-M4.3) through their services: the deadline fixed at approval within the
parameter's years, acceptance with its outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kttc.core.models import AuditEntry
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role
from kttc.registry.projects import services
from kttc.registry.projects.models import FiscalProject
from kttc.registry.tests.factories import fiscal_project


@pytest.fixture
def unit(personas):
    return personas.organisations[Role.TRANSFER_OFFICE]


@pytest.fixture
def project(personas, unit):
    return fiscal_project(personas, unit)


def test_m4_2_a_deadline_beyond_five_years_is_refused_and_nothing_stored(personas, unit):
    with pytest.raises(PolicyError) as info:
        services.fiscal_project_create(
            actor=personas.bureau,
            undertaking_unit=unit,
            competent_department="局",
            programme="计划",
            project_number="X-1",
            title="t",
            approval_date=dt.date(2026, 3, 1),
            budget=Decimal(1),
            transformation_obligation="转化",
            transformation_deadline=dt.date(2031, 3, 2),
        )
    assert info.value.clauses == ("M4.2",) and "2031-03-01" in info.value.message
    assert not FiscalProject.objects.exists()


def test_m4_3_acceptance_without_outcomes_is_refused(personas, project):
    with pytest.raises(PolicyError) as info:
        services.fiscal_project_accept(
            actor=personas.bureau,
            project=project,
            acceptance_date=dt.date(2027, 3, 1),
            transformation_outcome="",
            ip_outcome="专利1件",
        )
    assert info.value.clauses == ("M4.3",)
    project.refresh_from_db()
    assert project.status == "approved"
    accepted = services.fiscal_project_accept(
        actor=personas.bureau,
        project=project,
        acceptance_date=dt.date(2027, 3, 1),
        transformation_outcome="许可一家企业",
        ip_outcome="授权发明专利1件",
    )
    assert accepted.status == "accepted"
    assert AuditEntry.objects.filter(action="project.accept").exists()
