"""Writes of the registry: fiscal projects (M4.1–M4.3) and achievements with their submission
workflow (M8.6). Each decision is audited; followers learn of changes after commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from django.db import models, transaction
from django.utils import timezone

from kttc.core import bulk
from kttc.core.models import Organisation, User
from kttc.core.selectors import parameters_in_force, policy_version_records
from kttc.core.services import (
    Decision,
    audit_record,
    audit_record_many,
    decision,
    model_snapshot,
    require_capability,
)
from kttc.policy import params as policy_params
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


def due_date(
    formation: date,
    project: FiscalProject | None,
    versions: Sequence[policy_params.PolicyVersion] | None = None,
) -> date | None:
    """M8.6: the due date of a fiscally funded result, by the parameters in force when it was
    formed (a result formed before the measures took effect, by the first version; none after
    the last one lapsed). ``versions``: the stored policy versions, when the caller has read
    them already."""
    if project is None:
        return None
    try:
        version = policy_params.version_in_force(
            policy_version_records() if versions is None else versions, formation
        )
    except PolicyError:
        return None
    return rules.submission_due(formation, version.parameters.submission_due_months)


class Prepared(NamedTuple):
    """A result's columns and children as the database driver takes them, and its audit
    snapshot: all that its data decides, ready before the store (in another process, for a
    large import: a named tuple travels between processes cheaply). The store adds its id,
    unit, status and times."""

    values: tuple[Any, ...]  # PREPARED_FIELDS
    children: tuple[tuple[tuple[Any, ...], ...], ...]  # per CHILD_MODELS, without the achievement
    after: dict[str, Any]  # the audit snapshot, but for the status
    external_ref: str
    name: str
    project_number: str

    def with_ref(self, ref: str) -> Prepared:
        """The same rows with another unit's reference (a plain text column)."""
        values = list(self.values)
        values[PREPARED_FIELDS.index("external_ref")] = ref
        return self._replace(values=tuple(values), external_ref=ref)


def prepare(
    data: AchievementData, project: int | None, versions: Sequence[policy_params.PolicyVersion]
) -> Prepared:
    """The rows of ``data`` for the database, with ``project`` (the id of its fiscal project)."""
    convert = _converters()
    due = due_date(data.formation_date, project, versions)  # type: ignore[arg-type]
    raw = (*(getattr(data, name) for name in DATA_FIELDS), project, due)
    values = tuple(c(v) for c, v in zip(convert[Achievement], raw, strict=True))
    children = tuple(
        tuple(tuple(c(v) for c, v in zip(convert[model], row, strict=True)) for row in rows)
        for model, rows in zip(CHILD_MODELS, _child_rows(data), strict=True)
    )
    after = {
        "name": data.name,
        "confidentiality": data.confidentiality,
        "trl": data.trl,
        "discipline_code": data.discipline_code,
        "industry_code": data.industry_code,
        "formation_date": data.formation_date.isoformat(),
        "submission_due": due.isoformat() if due else None,
        "source_project": project,
    }
    return Prepared(values, children, after, data.external_ref, data.name, data.project_number)


def _child_rows(data: AchievementData) -> tuple[list[tuple[Any, ...]], ...]:
    """The rows of each child model (in the order of CHILD_MODELS), without the achievement."""
    return (
        [(i, u.name, u.share) for i, u in enumerate(data.units, start=1)],
        [(i, p.name, p.unit_name, p.share) for i, p in enumerate(data.completers, start=1)],
        [(r.kind, r.number, r.title, r.status, r.grant_date) for r in data.ip_rights],
        [(t.language, t.name, t.abstract, t.keywords) for t in data.translations],
    )


@cache
def _converters() -> dict[type[models.Model], list[Any]]:
    return {
        Achievement: [bulk.converter(Achievement, name) for name in PREPARED_FIELDS],
        **{m: [bulk.converter(m, name) for name in CHILD_FIELDS[m][1:]] for m in CHILD_MODELS},
    }


CHILD_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    AchievementUnit: ("achievement_id", "position", "name", "share"),
    Completer: ("achievement_id", "position", "name", "unit_name", "share"),
    IPRight: ("achievement_id", "kind", "number", "title", "status", "grant_date"),
    AchievementTranslation: ("achievement_id", "language", "name", "abstract", "keywords"),
}
#: The achievement's own fields that its data sets.
DATA_FIELDS = (*SCALAR_FIELDS, "keywords", "stage")
#: The columns that a result's data decides (see :class:`Prepared`).
PREPARED_FIELDS = (*DATA_FIELDS, "source_project_id", "submission_due")
#: The columns a store writes when it changes a result (the workflow's are left as they are).
STORED_FIELDS = (*PREPARED_FIELDS, "updated_at")
CHILD_MODELS = (AchievementUnit, Completer, IPRight, AchievementTranslation)
EDITABLE = (Status.DRAFT, Status.RETURNED)


@dataclass(frozen=True)
class Change:
    """One result to store: new (``existing`` is None) or replacing the data of ``existing``;
    given as its data, or as its rows prepared already (see :class:`Prepared`), or both."""

    data: AchievementData | None
    existing: int | None = None
    prepared: Prepared | None = None

    @property
    def project_number(self) -> str:
        return self.prepared.project_number if self.prepared else self.data.project_number  # type: ignore[union-attr]


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


@decision
def achievements_store(
    *,
    actor: User,
    unit: Organisation,
    changes: Sequence[Change],
    imported: bool = False,
    batch_size: int = 2000,
) -> list[int]:
    """M8.6: create and change results of one unit, many at a time: the one store step of the
    form, the API and the bulk import. Each result gets its children, an event and an audit
    entry, and its followers are told after the commit. Runs inside the caller's transaction
    (a savepoint of it) where there is one;
    raises :class:`StoreRefused` naming the first change that cannot be made (a project the unit
    does not have, a result no longer editable or not the unit's). Returns the results' ids,
    in the order of the changes."""
    require_capability(actor, Capability.MANAGE_ACHIEVEMENTS, unit)
    numbers = {c.project_number for c in changes if c.project_number}
    projects = {
        p.project_number: p
        for p in FiscalProject.objects.filter(undertaking_unit=unit, project_number__in=numbers)
    }
    targets = Achievement.objects.select_for_update().in_bulk(
        [c.existing for c in changes if c.existing is not None]
    )
    now = timezone.now()
    stamp = bulk.converter(Achievement, "updated_at")(now)
    versions = policy_version_records()
    others = [
        f for f in Achievement._meta.concrete_fields if f.attname not in (*STORED_FIELDS, "id")
    ]
    defaults = {f.attname: bulk.converter(Achievement, f.attname)(f.get_default()) for f in others}
    defaults.update(unit_id=unit.pk, created_at=stamp)
    prepared: list[Prepared] = []
    ids: list[int | None] = []
    statuses: list[str] = []
    befores: dict[int, dict[str, Any]] = {}
    for index, change in enumerate(changes):
        number = change.project_number
        if number and number not in projects:
            raise StoreRefused(index, _no_project(number))
        project = projects[number].pk if number else None
        ready = change.prepared
        if ready is None or ready.after["source_project"] != project:
            if change.data is None:  # prepared for a project that changed meanwhile
                raise StoreRefused(index, _gone())
            ready = prepare(change.data, project, versions)
        prepared.append(ready)
        if change.existing is None:
            ids.append(None)
            statuses.append(defaults["status"])
            continue
        target = targets.get(change.existing)
        if target is None or target.unit_id != unit.pk:
            raise StoreRefused(index, _gone())
        if target.status not in EDITABLE:
            raise StoreRefused(index, _not_editable(target.status))
        befores[target.pk] = model_snapshot(target, SNAPSHOT_FIELDS)
        ids.append(target.pk)
        statuses.append(target.status)
    fresh = iter(bulk.allocate_ids(Achievement, ids.count(None)))
    ids = [next(fresh) if pk is None else pk for pk in ids]
    names = ["id", *defaults, *PREPARED_FIELDS, "updated_at"]
    common = tuple(defaults.values())
    bulk.insert_rows(
        Achievement,
        names,
        (
            (pk, *common, *p.values, stamp)
            for pk, p in zip(ids, prepared, strict=True)
            if pk not in befores
        ),
        batch_size=batch_size,
        converted=True,
    )
    if befores:
        bulk.update_rows(
            Achievement,
            STORED_FIELDS,
            ((pk, *p.values, stamp) for pk, p in zip(ids, prepared, strict=True) if pk in befores),
            batch_size=batch_size,
            converted=True,
        )
        for model in CHILD_MODELS:
            model.objects.filter(achievement_id__in=list(befores)).delete()
    for position, model in enumerate(CHILD_MODELS):
        bulk.insert_rows(
            model,
            CHILD_FIELDS[model],
            (
                (pk, *row)
                for pk, p in zip(ids, prepared, strict=True)
                for row in p.children[position]
            ),
            batch_size=batch_size,
            converted=True,
        )
    kinds = {
        True: EventKind.IMPORTED if imported else EventKind.CREATED,
        False: EventKind.IMPORTED if imported else EventKind.UPDATED,
    }
    bulk.insert_rows(
        AchievementEvent,
        ("achievement_id", "actor_id", "kind", "reason", "at"),
        ((pk, actor.pk, kinds[pk not in befores], "", now) for pk in ids),
        batch_size=batch_size,
    )
    label = Achievement._meta.label_lower
    audit_record_many(
        actor=actor,
        organisation=unit,
        decisions=[
            Decision(
                "achievement.update" if pk in befores else "achievement.create",
                label,
                str(pk),
                p.name[:300],
                befores.get(pk),
                {**p.after, "status": status},
            )
            for pk, p, status, change in zip(ids, prepared, statuses, changes, strict=True)
        ],
        clauses=("M8.6",),
    )
    _notify(ids)  # type: ignore[arg-type]
    return ids  # type: ignore[return-value]


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
        (pk,) = achievements_store(actor=actor, unit=unit, changes=[change], imported=imported)
    except StoreRefused as refused:
        raise refused.error from None
    return Achievement.objects.get(pk=pk)


@decision
def achievement_create(
    *, actor: User, unit: Organisation, data: AchievementData, imported: bool = False
) -> Achievement:
    """Enter a non-classified result as a draft of its unit, with its due date (M8.6)."""
    return _store_one(actor=actor, unit=unit, change=Change(data), imported=imported)


@decision
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


@decision
def achievement_submit(*, actor: User, achievement: Achievement) -> Achievement:
    """M8.6: the unit submits the result to the center for review."""
    return _transition(
        actor=actor, achievement=achievement, target=Status.SUBMITTED, who=rules.Actor.UNIT
    )


@decision
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


@decision
def achievement_return(*, actor: User, achievement: Achievement, reason: str) -> Achievement:
    """M8.6: the center sends a submission back to its unit, with the reason."""
    return _transition(
        actor=actor,
        achievement=achievement,
        target=Status.RETURNED,
        who=rules.Actor.CENTER,
        reason=_reason_required(reason),
    )


@decision
def achievement_withdraw(*, actor: User, achievement: Achievement, reason: str) -> Achievement:
    """The center takes a published result off the catalog, with the reason."""
    return _transition(
        actor=actor,
        achievement=achievement,
        target=Status.WITHDRAWN,
        who=rules.Actor.CENTER,
        reason=_reason_required(reason),
    )
