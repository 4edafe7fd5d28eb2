"""M8.6: the one store step of the form, the API and the bulk import: results of one unit
created or changed many at a time, each with its children, an event and an audit entry, its
followers told after the commit.

A result's rows are prepared from its data first (:func:`prepare`, in another process for a large
import), then :func:`achievements_store` plans the batch (which results are new, which replace a
draft or a returned result), writes the results and their children set-based
(:mod:`kttc.core.bulk`), and records the events and audit entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

from django.db import models
from django.utils import timezone

from kttc.core import bulk
from kttc.core.models import Organisation, User
from kttc.core.selectors import policy_version_records
from kttc.core.services import (
    Decision,
    audit_record_many,
    decision,
    model_snapshot,
    require_capability,
)
from kttc.policy import params as policy_params
from kttc.policy import registry as registry_rules
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.registry import outbox
from kttc.registry.achievements.models import (
    Achievement,
    AchievementEvent,
    AchievementTranslation,
    AchievementUnit,
    Completer,
    IPRight,
)
from kttc.registry.achievements.validation import SCALAR_FIELDS, AchievementData
from kttc.registry.choices import EventKind, Status
from kttc.registry.projects.models import FiscalProject

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


def notify_followers(achievement_ids: list[int]) -> None:
    """Tell the followers of achievements (the catalog's index on every node): outbox rows in
    this transaction, this node's index after the commit (:func:`kttc.registry.outbox.record`)."""
    outbox.record(achievement_ids)


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
    return registry_rules.submission_due(formation, version.parameters.submission_due_months)


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
        [
            (t.language, t.name, t.abstract, t.keywords, t.advantage, t.target_market,
             t.route_to_market)
            for t in data.translations
        ],
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
    AchievementTranslation: ("achievement_id", "language", "name", "abstract", "keywords",
                             "advantage", "target_market", "route_to_market"),
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


@dataclass
class _Plan:
    """What a store writes, per change in order: the result's id (None for a new one), its rows,
    its status; and the snapshots of the results it replaces, by id."""

    ids: list[int | None] = field(default_factory=list)
    prepared: list[Prepared] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    befores: dict[int, dict[str, Any]] = field(default_factory=dict)


def _projects_of(unit: Organisation, changes: Sequence[Change]) -> dict[str, FiscalProject]:
    """The unit's fiscal projects the changes name, by number."""
    numbers = {c.project_number for c in changes if c.project_number}
    found = FiscalProject.objects.filter(undertaking_unit=unit, project_number__in=numbers)
    return {p.project_number: p for p in found}


def _defaults(unit: Organisation, stamp: Any) -> dict[str, Any]:
    """The columns of a new result that its data does not set, converted for the driver."""
    others = [
        f for f in Achievement._meta.concrete_fields if f.attname not in (*STORED_FIELDS, "id")
    ]
    defaults = {f.attname: bulk.converter(Achievement, f.attname)(f.get_default()) for f in others}
    defaults.update(unit_id=unit.pk, created_at=stamp)
    return defaults


def _ready(
    index: int,
    change: Change,
    projects: dict[str, FiscalProject],
    versions: Sequence[policy_params.PolicyVersion],
) -> Prepared:
    """The change's rows, prepared again when its project is not the one it was prepared for."""
    number = change.project_number
    if number and number not in projects:
        raise StoreRefused(index, _no_project(number))
    project = projects[number].pk if number else None
    ready = change.prepared
    if ready is None or ready.after["source_project"] != project:
        if change.data is None:  # prepared for a project that changed meanwhile
            raise StoreRefused(index, _gone())
        ready = prepare(change.data, project, versions)
    return ready


def _replaced(
    index: int, change: Change, targets: dict[int, Achievement], unit_id: int
) -> Achievement:
    """The unit's editable result the change replaces."""
    target = targets.get(change.existing)  # type: ignore[arg-type]  # existing is not None here
    if target is None or target.unit_id != unit_id:
        raise StoreRefused(index, _gone())
    if target.status not in EDITABLE:
        raise StoreRefused(index, _not_editable(target.status))
    return target


def _plan(unit: Organisation, changes: Sequence[Change], new_status: str) -> _Plan:
    """Check every change (raising :class:`StoreRefused` at the first refused) and plan them."""
    projects = _projects_of(unit, changes)
    targets = Achievement.objects.select_for_update().in_bulk(
        [c.existing for c in changes if c.existing is not None]
    )
    versions = policy_version_records()
    plan = _Plan()
    for index, change in enumerate(changes):
        plan.prepared.append(_ready(index, change, projects, versions))
        if change.existing is None:
            plan.ids.append(None)
            plan.statuses.append(new_status)
            continue
        target = _replaced(index, change, targets, unit.pk)
        plan.befores[target.pk] = model_snapshot(target, SNAPSHOT_FIELDS)
        plan.ids.append(target.pk)
        plan.statuses.append(target.status)
    return plan


def _write_results(
    plan: _Plan, ids: list[int], defaults: dict[str, Any], stamp: Any, batch_size: int
) -> None:
    """Insert the new results, update the replaced ones and drop their old children."""
    rows = list(zip(ids, plan.prepared, strict=True))
    common = tuple(defaults.values())
    bulk.insert_rows(
        Achievement,
        ["id", *defaults, *PREPARED_FIELDS, "updated_at"],
        ((pk, *common, *p.values, stamp) for pk, p in rows if pk not in plan.befores),
        batch_size=batch_size,
        converted=True,
    )
    if not plan.befores:
        return
    bulk.update_rows(
        Achievement,
        STORED_FIELDS,
        ((pk, *p.values, stamp) for pk, p in rows if pk in plan.befores),
        batch_size=batch_size,
        converted=True,
    )
    for model in CHILD_MODELS:
        model.objects.filter(achievement_id__in=list(plan.befores)).delete()


def _write_children(plan: _Plan, ids: list[int], batch_size: int) -> None:
    """Insert each result's units, completers, IP rights and translations."""
    for position, model in enumerate(CHILD_MODELS):
        bulk.insert_rows(
            model,
            CHILD_FIELDS[model],
            (
                (pk, *row)
                for pk, p in zip(ids, plan.prepared, strict=True)
                for row in p.children[position]
            ),
            batch_size=batch_size,
            converted=True,
        )


def _record(
    *,
    actor: User,
    unit: Organisation,
    plan: _Plan,
    ids: list[int],
    imported: bool,
    now: datetime,
    batch_size: int,
) -> None:
    """An event per result and an audit entry per decision (M8.6)."""
    kinds = {
        True: EventKind.IMPORTED if imported else EventKind.CREATED,
        False: EventKind.IMPORTED if imported else EventKind.UPDATED,
    }
    bulk.insert_rows(
        AchievementEvent,
        ("achievement_id", "actor_id", "kind", "reason", "at"),
        ((pk, actor.pk, kinds[pk not in plan.befores], "", now) for pk in ids),
        batch_size=batch_size,
    )
    label = Achievement._meta.label_lower
    audit_record_many(
        actor=actor,
        organisation=unit,
        decisions=[
            Decision(
                "achievement.update" if pk in plan.befores else "achievement.create",
                label,
                str(pk),
                p.name[:300],
                plan.befores.get(pk),
                {**p.after, "status": status},
            )
            for pk, p, status in zip(ids, plan.prepared, plan.statuses, strict=True)
        ],
        clauses=("M8.6",),
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
    now = timezone.now()
    stamp = bulk.converter(Achievement, "updated_at")(now)
    defaults = _defaults(unit, stamp)
    plan = _plan(unit, changes, defaults["status"])
    fresh = iter(bulk.allocate_ids(Achievement, plan.ids.count(None)))
    ids = [next(fresh) if pk is None else pk for pk in plan.ids]
    _write_results(plan, ids, defaults, stamp, batch_size)
    _write_children(plan, ids, batch_size)
    _record(
        actor=actor,
        unit=unit,
        plan=plan,
        ids=ids,
        imported=imported,
        now=now,
        batch_size=batch_size,
    )
    notify_followers(ids)
    return ids


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
