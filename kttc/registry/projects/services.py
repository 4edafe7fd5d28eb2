"""Writes of fiscal projects (M4.1-M4.3): the bureau records a project with its transformation
deadline and accepts it with its outcomes. Each decision is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from kttc.core.models import Organisation, User
from kttc.core.selectors import parameters_in_force
from kttc.core.services import audit_record, decision, model_snapshot, require_capability
from kttc.policy import registry as registry_rules
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.registry.choices import ProjectStatus
from kttc.registry.projects.models import FiscalProject


@decision
def fiscal_project_create(
    *,
    actor: User,
    undertaking_unit: Organisation,
    competent_department: str,
    programme: str,
    project_number: str,
    title: str,
    approval_date: date,
    budget: Any,
    transformation_obligation: str,
    transformation_deadline: date,
    is_municipal: bool = True,
) -> FiscalProject:
    """M4.1, M4.2: a project carries its transformation obligation and a deadline at most the
    parameter's number of years after approval."""
    require_capability(actor, Capability.MANAGE_PROJECTS_ALL)
    params = parameters_in_force(approval_date)
    registry_rules.check_transformation_deadline(
        approval_date, transformation_deadline, params.transformation_deadline_max_years
    )
    if not transformation_obligation.strip():
        raise PolicyError(
            gettext_noop("The transformation obligation is required."),
            code="required",
            field="transformation_obligation",
            clauses=("M4.1",),
        )
    project = FiscalProject.objects.create(
        undertaking_unit=undertaking_unit,
        competent_department=competent_department,
        programme=programme,
        project_number=project_number,
        title=title,
        approval_date=approval_date,
        budget=budget,
        transformation_obligation=transformation_obligation,
        transformation_deadline=transformation_deadline,
        is_municipal=is_municipal,
    )
    audit_record(
        actor=actor,
        organisation=undertaking_unit,
        action="project.create",
        obj=project,
        after=model_snapshot(
            project, ("project_number", "approval_date", "budget", "transformation_deadline")
        ),
        clauses=("M4.1", "M4.2"),
    )
    return project


@decision
def fiscal_project_accept(
    *,
    actor: User,
    project: FiscalProject,
    acceptance_date: date,
    transformation_outcome: str,
    ip_outcome: str,
) -> FiscalProject:
    """M4.3: acceptance records what was transformed and which IP was created or used."""
    require_capability(actor, Capability.MANAGE_PROJECTS_ALL)
    registry_rules.check_acceptance(transformation_outcome, ip_outcome)
    project = FiscalProject.objects.select_for_update().get(pk=project.pk)
    if acceptance_date < project.approval_date:
        raise PolicyError(
            gettext_noop("Acceptance cannot precede approval."),
            code="project.acceptance_date",
            field="acceptance_date",
        )
    project.status = ProjectStatus.ACCEPTED
    project.acceptance_date = acceptance_date
    project.transformation_outcome = transformation_outcome.strip()
    project.ip_outcome = ip_outcome.strip()
    project.save()
    audit_record(
        actor=actor,
        organisation=project.undertaking_unit,
        action="project.accept",
        obj=project,
        after=model_snapshot(project, ("acceptance_date", "transformation_outcome", "ip_outcome")),
        clauses=("M4.3",),
    )
    return project
