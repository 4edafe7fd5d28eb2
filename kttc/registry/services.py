"""Writes of the registry: fiscal projects (M4.1–M4.3) and achievements with their submission
workflow (M8.6). Each decision is audited; followers learn of changes after commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from kttc.core.models import Organisation, User
from kttc.core.selectors import parameters_in_force
from kttc.core.services import audit_record, model_snapshot, require_capability
from kttc.policy import registry as rules
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.registry import signals
from kttc.registry.choices import EventKind, ProjectStatus, Status
from kttc.registry.models import (
    Achievement,
    AchievementEvent,
    AchievementTranslation,
    AchievementUnit,
    Completer,
    FiscalProject,
    IPRight,
)
from kttc.registry.validation import SCALAR_FIELDS, AchievementData

SNAPSHOT_FIELDS = (
    "name",
    "status",
    "confidentiality",
    "trl",
    "discipline_code",
    "industry_code",
    "formation_date",
    "submission_due",
    "source_project",
)


def _notify(achievement_ids: list[int]) -> None:
    transaction.on_commit(
        lambda: signals.achievements_changed.send(
            sender=Achievement, achievement_ids=achievement_ids
        )
    )


# --- fiscal projects -----------------------------------------------------------------------


@transaction.atomic
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
    rules.check_transformation_deadline(
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


@transaction.atomic
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
    rules.check_acceptance(transformation_outcome, ip_outcome)
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


# --- achievements --------------------------------------------------------------------------


def _source_project(unit: Organisation, number: str) -> FiscalProject | None:
    if not number:
        return None
    project = FiscalProject.objects.filter(undertaking_unit=unit, project_number=number).first()
    if project is None:
        raise PolicyError(
            gettext_noop("The unit has no fiscal project numbered %(number)s."),
            code="achievement.project",
            field="project_number",
            params={"number": number},
        )
    return project


def due_date(formation: date, project: FiscalProject | None) -> date | None:
    """M8.6: the due date of a fiscally funded result, by the parameters in force when it was
    formed; a result formed before the measures took effect has none."""
    if project is None:
        return None
    try:
        months = parameters_in_force(formation).submission_due_months
    except PolicyError:
        return None
    return rules.submission_due(formation, months)


def _apply(achievement: Achievement, data: AchievementData, project: FiscalProject | None) -> None:
    for name in (*SCALAR_FIELDS, "keywords", "stage"):
        setattr(achievement, name, getattr(data, name))
    achievement.source_project = project
    achievement.submission_due = due_date(data.formation_date, project)


def _replace_children(achievement: Achievement, data: AchievementData) -> None:
    for model in (AchievementUnit, Completer, IPRight, AchievementTranslation):
        model.objects.filter(achievement=achievement).delete()
    AchievementUnit.objects.bulk_create(
        AchievementUnit(achievement=achievement, position=i, name=u.name, share=u.share)
        for i, u in enumerate(data.units, start=1)
    )
    Completer.objects.bulk_create(
        Completer(
            achievement=achievement, position=i, name=p.name, unit_name=p.unit_name, share=p.share
        )
        for i, p in enumerate(data.completers, start=1)
    )
    IPRight.objects.bulk_create(
        IPRight(
            achievement=achievement,
            kind=r.kind,
            number=r.number,
            title=r.title,
            status=r.status,
            grant_date=r.grant_date,
        )
        for r in data.ip_rights
    )
    AchievementTranslation.objects.bulk_create(
        AchievementTranslation(
            achievement=achievement,
            language=t.language,
            name=t.name,
            abstract=t.abstract,
            keywords=t.keywords,
        )
        for t in data.translations
    )


def _store(
    achievement: Achievement,
    data: AchievementData,
    project: FiscalProject | None,
    *,
    actor: User,
    kind: str,
) -> None:
    _apply(achievement, data, project)
    achievement.save()
    _replace_children(achievement, data)
    AchievementEvent.objects.create(achievement=achievement, actor=actor, kind=kind)


@transaction.atomic
def achievement_create(
    *, actor: User, unit: Organisation, data: AchievementData, imported: bool = False
) -> Achievement:
    """Enter a non-classified result as a draft of its unit, with its due date (M8.6)."""
    require_capability(actor, Capability.MANAGE_ACHIEVEMENTS, unit)
    project = _source_project(unit, data.project_number)
    achievement = Achievement(unit=unit)
    _store(
        achievement,
        data,
        project,
        actor=actor,
        kind=EventKind.IMPORTED if imported else EventKind.CREATED,
    )
    audit_record(
        actor=actor,
        organisation=unit,
        action="achievement.create",
        obj=achievement,
        after=model_snapshot(achievement, SNAPSHOT_FIELDS),
        clauses=("M8.6",),
    )
    _notify([achievement.pk])
    return achievement


EDITABLE = (Status.DRAFT, Status.RETURNED)


@transaction.atomic
def achievement_update(
    *, actor: User, achievement: Achievement, data: AchievementData, imported: bool = False
) -> Achievement:
    """Change a draft or a returned result; a submitted or published one is the center's."""
    achievement = Achievement.objects.select_for_update().get(pk=achievement.pk)
    require_capability(actor, Capability.MANAGE_ACHIEVEMENTS, achievement.unit)
    if achievement.status not in EDITABLE:
        raise PolicyError(
            gettext_noop(
                "Only drafts and returned results can be changed; this one is %(status)s."
            ),
            code="achievement.not_editable",
            field="status",
            clauses=("M8.6",),
            params={"status": achievement.status},
        )
    before = model_snapshot(achievement, SNAPSHOT_FIELDS)
    _store(
        achievement,
        data,
        _source_project(achievement.unit, data.project_number),
        actor=actor,
        kind=EventKind.IMPORTED if imported else EventKind.UPDATED,
    )
    audit_record(
        actor=actor,
        organisation=achievement.unit,
        action="achievement.update",
        obj=achievement,
        before=before,
        after=model_snapshot(achievement, SNAPSHOT_FIELDS),
        clauses=("M8.6",),
    )
    _notify([achievement.pk])
    return achievement


def _transition(
    *, actor: User, achievement: Achievement, target: Status, who: rules.Actor, reason: str = ""
) -> Achievement:
    achievement = Achievement.objects.select_for_update().get(pk=achievement.pk)
    if who is rules.Actor.UNIT:
        require_capability(actor, Capability.MANAGE_ACHIEVEMENTS, achievement.unit)
    else:
        require_capability(actor, Capability.REVIEW_ACHIEVEMENTS_ALL)
    rules.check_transition(rules.Status(achievement.status), rules.Status(target), who)
    before = model_snapshot(achievement, ("status",))
    now = timezone.now()
    achievement.status = target
    if target == Status.SUBMITTED:
        achievement.submitted_at, achievement.return_reason = now, ""
    elif target == Status.PUBLISHED:
        achievement.published_at = now
    elif target in (Status.RETURNED, Status.WITHDRAWN):
        achievement.return_reason = reason
    achievement.save()
    AchievementEvent.objects.create(
        achievement=achievement, actor=actor, kind=target.value, reason=reason
    )
    audit_record(
        actor=actor,
        organisation=achievement.unit,
        action=f"achievement.{target.value}",
        obj=achievement,
        before=before,
        after={"status": target.value, "reason": reason},
        clauses=("M8.6",),
    )
    _notify([achievement.pk])
    return achievement


@transaction.atomic
def achievement_submit(*, actor: User, achievement: Achievement) -> Achievement:
    """M8.6: the unit submits the result to the center for review."""
    return _transition(
        actor=actor, achievement=achievement, target=Status.SUBMITTED, who=rules.Actor.UNIT
    )


@transaction.atomic
def achievement_publish(*, actor: User, achievement: Achievement) -> Achievement:
    """M8.2, M8.6: the center publishes a submitted result (a restricted one stays inside)."""
    return _transition(
        actor=actor, achievement=achievement, target=Status.PUBLISHED, who=rules.Actor.CENTER
    )


def _reason_required(reason: str) -> str:
    if not reason.strip():
        raise PolicyError(
            gettext_noop("Say why, so the unit knows what to change."),
            code="required",
            field="reason",
            clauses=("M8.6",),
        )
    return reason.strip()


@transaction.atomic
def achievement_return(*, actor: User, achievement: Achievement, reason: str) -> Achievement:
    """M8.6: the center sends a submission back to its unit, with the reason."""
    return _transition(
        actor=actor,
        achievement=achievement,
        target=Status.RETURNED,
        who=rules.Actor.CENTER,
        reason=_reason_required(reason),
    )


@transaction.atomic
def achievement_withdraw(*, actor: User, achievement: Achievement, reason: str) -> Achievement:
    """The center takes a published result off the catalog, with the reason."""
    return _transition(
        actor=actor,
        achievement=achievement,
        target=Status.WITHDRAWN,
        who=rules.Actor.CENTER,
        reason=_reason_required(reason),
    )
