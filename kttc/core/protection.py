"""M14.1 and V.1 in the database itself: the audit chain is append-only, evidence rows (every
model deriving from ``kttc.core.models.Evidence``) are written once, and a policy version cannot
change or disappear once in force, whatever path a write takes.

PostgreSQL gets trigger functions; SQLite gets ``RAISE(ABORT)`` triggers. On SQLite ``REPLACE``
(``INSERT OR REPLACE``) deletes the row it collides with without firing delete triggers (unless
``recursive_triggers`` is on, as the platform's own connections set it), so each protected table
also refuses an INSERT over a row that already holds its primary or unique key. The ORM has no
path either (``ImmutableQuerySet``, ``save``/``delete`` overrides). ``install`` runs in migrations
and after every ``migrate`` (so an evidence model added later is covered as soon as its table
exists); ``remove`` exists for the test harness, which must empty every table between
transactional tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

if TYPE_CHECKING:
    from django.db.models.options import Options

AUDIT_MESSAGE = "M14.1: the audit chain is append-only"
POLICY_MESSAGE = "V.1: a policy version in force cannot change"
EVIDENCE_MESSAGE = "M14.1: evidence rows are written once"
_IN_FORCE_SQLITE = "effective_from <= date('now', '+8 hours')"

_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, '{AUDIT_MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, '{AUDIT_MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_policyversion_no_update
    BEFORE UPDATE ON core_policyversion
    WHEN OLD.effective_from <= date('now', '+8 hours')
    BEGIN SELECT RAISE(ABORT, '{POLICY_MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_policyversion_no_delete
    BEFORE DELETE ON core_policyversion
    WHEN OLD.effective_from <= date('now', '+8 hours')
    BEGIN SELECT RAISE(ABORT, '{POLICY_MESSAGE}'); END""",
    # REPLACE over an entry: refused before SQLite's conflict resolution deletes the old row.
    f"""CREATE TRIGGER IF NOT EXISTS core_auditentry_no_replace BEFORE INSERT ON core_auditentry
    WHEN EXISTS (SELECT 1 FROM core_auditentry WHERE seq = NEW.seq OR hash = NEW.hash)
    BEGIN SELECT RAISE(ABORT, '{AUDIT_MESSAGE}'); END""",  # noqa: S608 — constants only
    # REPLACE over a version in force, or UPDATE OR REPLACE of a future version onto its key.
    f"""CREATE TRIGGER IF NOT EXISTS core_policyversion_no_replace
    BEFORE INSERT ON core_policyversion
    WHEN EXISTS (SELECT 1 FROM core_policyversion
                 WHERE (id = NEW.id OR code = NEW.code) AND {_IN_FORCE_SQLITE})
    BEGIN SELECT RAISE(ABORT, '{POLICY_MESSAGE}'); END""",  # noqa: S608 — constants only
    f"""CREATE TRIGGER IF NOT EXISTS core_policyversion_no_update_replace
    BEFORE UPDATE ON core_policyversion
    WHEN EXISTS (SELECT 1 FROM core_policyversion
                 WHERE id != OLD.id AND (id = NEW.id OR code = NEW.code) AND {_IN_FORCE_SQLITE})
    BEGIN SELECT RAISE(ABORT, '{POLICY_MESSAGE}'); END""",  # noqa: S608 — constants only
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
    "DROP TRIGGER IF EXISTS core_policyversion_no_update",
    "DROP TRIGGER IF EXISTS core_policyversion_no_delete",
    "DROP TRIGGER IF EXISTS core_auditentry_no_replace",
    "DROP TRIGGER IF EXISTS core_policyversion_no_replace",
    "DROP TRIGGER IF EXISTS core_policyversion_no_update_replace",
]

_PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION core_auditentry_refuse() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{AUDIT_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END;
    $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE FUNCTION core_policyversion_refuse() RETURNS trigger AS $$
    BEGIN
      IF OLD.effective_from <= (now() AT TIME ZONE 'Asia/Shanghai')::date THEN
        RAISE EXCEPTION '{POLICY_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
    """CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse()""",
    "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry",
    """CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_refuse()""",
    "DROP TRIGGER IF EXISTS core_policyversion_frozen ON core_policyversion",
    """CREATE TRIGGER core_policyversion_frozen BEFORE UPDATE OR DELETE ON core_policyversion
    FOR EACH ROW EXECUTE FUNCTION core_policyversion_refuse()""",
]
_PG_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
    "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry",
    "DROP TRIGGER IF EXISTS core_policyversion_frozen ON core_policyversion",
]


_PG_EVIDENCE_FUNCTION = f"""CREATE OR REPLACE FUNCTION kttc_evidence_refuse() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{EVIDENCE_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END;
    $$ LANGUAGE plpgsql"""



def _column(meta: Options[Any], name: str) -> str:
    """The database column of the concrete field ``name``."""
    field = meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is not a concrete field")
    return str(field.column)

def evidence_tables() -> list[tuple[str, list[list[str]]]]:
    """Every evidence model's table (and the chain's checkpoints') with its keys (the primary
    key's column and each set of unique columns): the tables the database keeps written once."""
    from django.apps import apps

    from kttc.core.models import AuditCheckpoint, Evidence

    tables = []
    for model in apps.get_models():
        written_once = issubclass(model, Evidence) or model is AuditCheckpoint
        if not written_once or model._meta.proxy or not model._meta.managed:
            continue
        meta = model._meta
        keys = [[str(f.column)] for f in meta.local_concrete_fields if f.unique]
        keys += [[_column(meta, n) for n in names] for names in meta.unique_together]
        keys += [
            [_column(meta, n) for n in c.fields]
            for c in meta.constraints
            if isinstance(c, models.UniqueConstraint) and c.fields
            and getattr(c, "condition", None) is None
            and not getattr(c, "expressions", None)
        ]
        tables.append((meta.db_table, keys))
    return sorted(tables)


def _evidence_sqlite(table: str, keys: list[list[str]], *, install: bool) -> list[str]:
    names = [f"{table}_evidence_no_update", f"{table}_evidence_no_delete"]
    names.append(f"{table}_evidence_no_replace")
    if not install:
        return [f"DROP TRIGGER IF EXISTS {name}" for name in names]
    refuse = f"BEGIN SELECT RAISE(ABORT, '{EVIDENCE_MESSAGE}'); END"
    collides = " OR ".join(
        "(" + " AND ".join(f'"{c}" = NEW."{c}"' for c in key) + ")" for key in keys
    )
    return [
        f'CREATE TRIGGER IF NOT EXISTS {names[0]} BEFORE UPDATE ON "{table}" {refuse}',
        f'CREATE TRIGGER IF NOT EXISTS {names[1]} BEFORE DELETE ON "{table}" {refuse}',
        # Table and column names come from the models, never from input.
        f'CREATE TRIGGER IF NOT EXISTS {names[2]} BEFORE INSERT ON "{table}" '  # noqa: S608
        f'WHEN EXISTS (SELECT 1 FROM "{table}" WHERE {collides}) {refuse}',
    ]


def _evidence_postgresql(table: str, *, install: bool) -> list[str]:
    # PostgreSQL has no REPLACE; INSERT … ON CONFLICT DO UPDATE fires the UPDATE trigger.
    drop = [
        f'DROP TRIGGER IF EXISTS {table}_evidence_written_once ON "{table}"',
        f'DROP TRIGGER IF EXISTS {table}_evidence_no_truncate ON "{table}"',
    ]
    if not install:
        return drop
    return [
        *drop,
        f"""CREATE TRIGGER {table}_evidence_written_once BEFORE UPDATE OR DELETE ON "{table}"
        FOR EACH ROW EXECUTE FUNCTION kttc_evidence_refuse()""",
        f"""CREATE TRIGGER {table}_evidence_no_truncate BEFORE TRUNCATE ON "{table}"
        FOR EACH STATEMENT EXECUTE FUNCTION kttc_evidence_refuse()""",
    ]


def _statements(connection: BaseDatabaseWrapper, *, install: bool) -> list[str]:
    existing = set(connection.introspection.table_names())
    evidence = [(t, keys) for t, keys in evidence_tables() if t in existing]
    if connection.vendor == "postgresql":
        core = _PG_INSTALL if install else _PG_REMOVE
        rows = [s for t, _keys in evidence for s in _evidence_postgresql(t, install=install)]
        return [*core, *([_PG_EVIDENCE_FUNCTION] if install and rows else []), *rows]
    if connection.vendor == "sqlite":
        core = _SQLITE_INSTALL if install else _SQLITE_REMOVE
        rows = [s for t, keys in evidence for s in _evidence_sqlite(t, keys, install=install)]
        return [*core, *rows]
    raise NotImplementedError(f"No append-only protection for the {connection.vendor} database.")


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers (idempotent), on the evidence tables that exist so far."""
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=True):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers. Only the test harness and a deliberate tamper test call this."""
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=False):
            cursor.execute(statement)
