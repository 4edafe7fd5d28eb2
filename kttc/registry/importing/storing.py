"""Storing an import: the whole file in one transaction, or nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction

from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.selectors import user_can
from kttc.core.services import decision_transaction
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.registry.achievements import store
from kttc.registry.importing.checking import (
    ImportCheck,
    Planned,
    Progress,
    RowProblem,
    Source,
    check_file,
)
from kttc.registry.importing.columns import BY_KEY

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
    """Undo the transaction; with the problem that made it necessary, if not already listed."""

    def __init__(self, problem: RowProblem | None) -> None:
        self.problem = problem


def run_import(
    *,
    actor: User,
    unit: Organisation,
    table: Source,
    today: date,
    progress: Progress | None = None,
    workers: int = 1,
) -> ImportResult:
    """Check every row and store the file in one transaction, or nothing at all.

    Rows are checked and stored a chunk at a time through ``achievements_store`` (imported):
    each result is audited and its followers are notified after the commit. At the first
    problem storing stops, the rest of the file is still checked (to report every problem),
    and the transaction is rolled back. Should a row be refused while storing (its result was
    submitted meanwhile), everything is rolled back and the row is reported."""
    if not (actor.is_superuser or user_can(actor, Capability.MANAGE_ACHIEVEMENTS, unit)):
        raise AccessDenied()
    result = ImportResult(check=ImportCheck(total=table.expected_rows()))
    committed: list[bool] = []

    def store(planned: list[Planned], headers: dict[str, str]) -> None:
        _store(actor, unit, planned, result, headers)

    try:
        with decision_transaction():
            # The first hook after the commit: should a follower's hook fail after it (the
            # search index, say), the file is stored all the same and the result must say so.
            transaction.on_commit(lambda: committed.append(True))
            result.check = check_file(
                table, unit=unit, today=today, progress=progress, store=store, workers=workers
            )
            if not result.check.ok:
                raise _Abort(None)
    except _Abort as abort:
        result.created, result.updated = [], []
        if abort.problem is not None:
            result.check.problems.append(abort.problem)
    except Exception:
        if not committed:
            raise
        logger.exception(
            "an import of %s rows is stored; a follower failed after it", result.check.total
        )
    return result


def _store(
    actor: User,
    unit: Organisation,
    planned: list[Planned],
    result: ImportResult,
    headers: dict[str, str],
) -> None:
    changes = [store.Change(p.data, p.existing, p.prepared) for p in planned]
    try:
        stored = store.achievements_store(actor=actor, unit=unit, changes=changes, imported=True)
    except store.StoreRefused as refused:
        raise _Abort(_stored_problem(headers, planned[refused.index], refused.error)) from refused
    except IntegrityError as exc:
        template = gettext_noop(
            "Another change to the unit's results came in meanwhile; nothing was stored. "
            "Import the file again."
        )
        error = PolicyError(template, code="import.conflict", field="external_ref")
        raise _Abort(_stored_problem(headers, planned[0], error)) from exc
    for plan, pk in zip(planned, stored, strict=True):
        (result.updated if plan.existing else result.created).append(pk)


def _stored_problem(headers: dict[str, str], plan: Planned, error: PolicyError) -> RowProblem:
    """A row that the check passed and the store refused: the result changed meanwhile."""
    key = error.field if error.field in BY_KEY else None
    key = key or ("external_ref" if plan.ref else "name")
    return RowProblem.of(plan.row, headers.get(key, BY_KEY[key].header), error)
