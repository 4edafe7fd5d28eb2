"""Storing an import: the whole file in one transaction, or nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction

from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.selectors import user_can
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.registry import services
from kttc.registry.importing.checking import (
    ImportCheck,
    Planned,
    Progress,
    RowProblem,
    _ticker,
    check_file,
)
from kttc.registry.importing.columns import BY_KEY
from kttc.registry.importing.reading import Table

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    check: ImportCheck
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.check.ok


class _Abort(Exception):
    def __init__(self, problem: RowProblem) -> None:
        self.problem = problem


def run_import(
    *,
    actor: User,
    unit: Organisation,
    table: Table,
    today: date,
    progress: Progress | None = None,
) -> ImportResult:
    """Check the whole file, then store every row in one transaction, or nothing at all.

    Rows go through ``achievement_create``/``achievement_update`` (imported=True), so each is
    audited and its followers notified after the commit. Should a row fail while storing (the
    result was submitted meanwhile), everything is rolled back and the row is reported."""
    if not (actor.is_superuser or user_can(actor, Capability.MANAGE_ACHIEVEMENTS, unit)):
        raise AccessDenied()
    result = ImportResult(check=ImportCheck(total=len(table.rows)))
    committed: list[bool] = []
    try:
        with transaction.atomic():
            # The first hook after the commit: should a follower's hook fail after it (the
            # search index, say), the file is stored all the same and the result must say so.
            transaction.on_commit(lambda: committed.append(True))
            result.check = check_file(table, unit=unit, today=today, progress=progress)
            if not result.check.ok:
                return result
            _store(actor, unit, result, progress)
    except _Abort as abort:
        result.created, result.updated = [], []
        result.check.problems.append(abort.problem)
    except Exception:
        if not committed:
            raise
        logger.exception(
            "an import of %s rows is stored; a follower failed after it", len(table.rows)
        )
    return result


#: Rows stored at a time: enough for bulk inserts, few enough to keep memory flat.
STORE_CHUNK = 2000


def _store(
    actor: User, unit: Organisation, result: ImportResult, progress: Progress | None
) -> None:
    planned = result.check.planned
    tick = _ticker(progress, "store", len(planned))
    for first in range(0, len(planned), STORE_CHUNK):
        chunk = planned[first : first + STORE_CHUNK]
        changes = [services.Change(p.data, p.existing) for p in chunk]
        try:
            stored = services.achievements_store(
                actor=actor, unit=unit, changes=changes, imported=True
            )
        except services.StoreRefused as refused:
            plan = chunk[refused.index]
            raise _Abort(_stored_problem(result.check, plan, refused.error)) from refused
        except IntegrityError as exc:
            template = gettext_noop(
                "Another change to the unit's results came in meanwhile; nothing was stored. "
                "Import the file again."
            )
            error = PolicyError(template, code="import.conflict", field="external_ref")
            raise _Abort(_stored_problem(result.check, chunk[0], error)) from exc
        for plan, achievement in zip(chunk, stored, strict=True):
            (result.updated if plan.existing else result.created).append(achievement.pk)
        tick(first + len(chunk))


def _stored_problem(check: ImportCheck, plan: Planned, error: PolicyError) -> RowProblem:
    """A row that the check passed and the store refused: the result changed meanwhile."""
    key = error.field if error.field in BY_KEY else None
    key = key or ("external_ref" if plan.data.external_ref else "name")
    return RowProblem.of(plan.row, check.headers.get(key, BY_KEY[key].header), error)
