"""Writes of the registry: fiscal projects (M4.1–M4.3) and achievements with their submission
workflow (M8.6). Each decision is audited; followers learn of changes after commit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from kttc.core.models import Organisation, User
from kttc.core.selectors import parameters_in_force
from kttc.core.services import (
    Decision,
    audit_record,
    audit_record_many,
    model_snapshot,
    require_capability,
)
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


def _children(achievement: Achievement, data: AchievementData) -> Iterator[models.Model]:
    for i, u in enumerate(data.units, start=1):
        yield AchievementUnit(achievement=achievement, position=i, name=u.name, share=u.share)
    for i, p in enumerate(data.completers, start=1):
        yield Completer(
            achievement=achievement, position=i, name=p.name, unit_name=p.unit_name, share=p.share
        )
    for r in data.ip_rights:
        yield IPRight(
            achievement=achievement,
            kind=r.kind,
            number=r.number,
            title=r.title,
            status=r.status,
            grant_date=r.grant_date,
        )
    for t in data.translations:
        yield AchievementTranslation(
            achievement=achievement,
            language=t.language,
            name=t.name,
            abstract=t.abstract,
            keywords=t.keywords,
        )


CHILD_MODELS = (AchievementUnit, Completer, IPRight, AchievementTranslation)
EDITABLE = (Status.DRAFT, Status.RETURNED)


@dataclass(frozen=True)
class Change:
    """One result to store: new (``existing`` is None) or replacing the data of ``existing``."""

    data: AchievementData
    existing: int | None = None


class StoreRefused(Exception):
    """A change of :func:`achievements_store` was refused: ``index`` into the changes, and the
    reason. Nothing of the batch is stored (the caller's transaction rolls back)."""

    def __init__(self, index: int, error: PolicyError) -> None:
        super().__init__(str(error))
        self.index = index
        self.error = error


def _not_editable(status: str) -> PolicyError:
    return PolicyError(
        gettext_noop("Only drafts and returned results can be changed; this one is %(status)s."),
        code="achievement.not_editable",
        field="status",
        clauses=("M8.6",),
        params={"status": status},
    )


def achievements_store(
    *,
    actor: User,
    unit: Organisation,
    changes: Sequence[Change],
    imported: bool = False,
    batch_size: int = 500,
) -> list[Achievement]:
    """M8.6: create and change results of one unit, many at a time: the one store step of the
    form, the API and the bulk import. Each result gets its children, an event and an audit
    entry, and its followers are told after the commit. Runs inside the caller's transaction;
    raises :class:`StoreRefused` naming the first change that cannot be made (a project the unit
    does not have, a result no longer editable or not the unit's)."""
    if not connection.in_atomic_block:
        raise RuntimeError("achievements_store must run inside a transaction")
    require_capability(actor, Capability.MANAGE_ACHIEVEMENTS, unit)
    numbers = {c.data.project_number for c in changes if c.data.project_number}
    projects = {
        p.project_number: p
        for p in FiscalProject.objects.filter(undertaking_unit=unit, project_number__in=numbers)
    }
    targets = Achievement.objects.select_for_update().in_bulk(
        [c.existing for c in changes if c.existing is not None]
    )
    achievements: list[Achievement] = []
    befores: dict[int, dict[str, Any]] = {}
    for index, change in enumerate(changes):
        number = change.data.project_number
        if number and number not in projects:
            raise StoreRefused(index, _no_project(number))
        if change.existing is None:
            achievement = Achievement(unit=unit)
        else:
            achievement = targets.get(change.existing)  # type: ignore[assignment]
            if achievement is None or achievement.unit_id != unit.pk:
                raise StoreRefused(index, _gone())
            if achievement.status not in EDITABLE:
                raise StoreRefused(index, _not_editable(achievement.status))
            befores[achievement.pk] = model_snapshot(achievement, SNAPSHOT_FIELDS)
        _apply(achievement, change.data, projects.get(number) if number else None)
        achievements.append(achievement)
    now = timezone.now()
    new = [a for a in achievements if a.pk is None]
    changed = [a for a in achievements if a.pk is not None]
    Achievement.objects.bulk_create(new, batch_size=batch_size)
    if changed:
        for a in changed:
            a.updated_at = now
        fields = [*SCALAR_FIELDS, "keywords", "stage", "source_project", "submission_due",
                  "updated_at"]  # fmt: skip
        Achievement.objects.bulk_update(changed, fields, batch_size=batch_size)
        ids = [a.pk for a in changed]
        for model in CHILD_MODELS:
            model.objects.filter(achievement_id__in=ids).delete()
    children: dict[type[models.Model], list[models.Model]] = {m: [] for m in CHILD_MODELS}
    for achievement, change in zip(achievements, changes, strict=True):
        for child in _children(achievement, change.data):
            children[type(child)].append(child)
    for model, rows in children.items():
        model.objects.bulk_create(rows, batch_size=batch_size)  # type: ignore[attr-defined]
    kinds = {
        True: EventKind.IMPORTED if imported else EventKind.CREATED,
        False: EventKind.IMPORTED if imported else EventKind.UPDATED,
    }
    AchievementEvent.objects.bulk_create(
        [
            AchievementEvent(achievement=a, actor=actor, kind=kinds[a.pk not in befores], at=now)
            for a in achievements
        ],
        batch_size=batch_size,
    )
    audit_record_many(
        actor=actor,
        organisation=unit,
        decisions=[
            Decision(
                "achievement.update" if a.pk in befores else "achievement.create",
                a,
                befores.get(a.pk),
                model_snapshot(a, SNAPSHOT_FIELDS),
            )
            for a in achievements
        ],
        clauses=("M8.6",),
    )
    _notify([a.pk for a in achievements])
    return achievements


def _no_project(number: str) -> PolicyError:
    return PolicyError(
        gettext_noop("The unit has no fiscal project numbered %(number)s."),
        code="achievement.project",
        field="project_number",
        params={"number": number},
    )


def _gone() -> PolicyError:
    return PolicyError(
        gettext_noop(
            "Another change to the unit's results came in meanwhile; nothing was stored. "
            "Import the file again."
        ),
        code="import.conflict",
        field="external_ref",
    )


def _store_one(*, actor: User, unit: Organisation, change: Change, imported: bool) -> Achievement:
    try:
        (achievement,) = achievements_store(
            actor=actor, unit=unit, changes=[change], imported=imported
        )
    except StoreRefused as refused:
        raise refused.error from None
    return achievement


@transaction.atomic
def achievement_create(
    *, actor: User, unit: Organisation, data: AchievementData, imported: bool = False
) -> Achievement:
    """Enter a non-classified result as a draft of its unit, with its due date (M8.6)."""
    return _store_one(actor=actor, unit=unit, change=Change(data), imported=imported)


@transaction.atomic
def achievement_update(
    *, actor: User, achievement: Achievement, data: AchievementData, imported: bool = False
) -> Achievement:
    """Change a draft or a returned result; a submitted or published one is the center's."""
    unit = Organisation.objects.get(pk=achievement.unit_id)
    return _store_one(
        actor=actor, unit=unit, change=Change(data, achievement.pk), imported=imported
    )


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
