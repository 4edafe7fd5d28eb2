"""M14.1 and V.1 in the database itself: the audit chain is append-only, and a policy version
cannot change or disappear once in force, whatever path a write takes.

PostgreSQL gets trigger functions; SQLite gets ``RAISE(ABORT)`` triggers. The ORM has no path
either (``ImmutableQuerySet``, ``save``/``delete`` overrides). ``install`` runs in a migration;
``remove`` exists for the test harness, which must empty every table between transactional tests.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_MESSAGE = "M14.1: the audit chain is append-only"
POLICY_MESSAGE = "V.1: a policy version in force cannot change"

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
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
    "DROP TRIGGER IF EXISTS core_policyversion_no_update",
    "DROP TRIGGER IF EXISTS core_policyversion_no_delete",
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


def _statements(connection: BaseDatabaseWrapper, *, install: bool) -> list[str]:
    if connection.vendor == "postgresql":
        return _PG_INSTALL if install else _PG_REMOVE
    if connection.vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_REMOVE
    raise NotImplementedError(f"No append-only protection for the {connection.vendor} database.")


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers (idempotent)."""
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=True):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers. Only the test harness and a deliberate tamper test call this."""
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=False):
            cursor.execute(statement)
