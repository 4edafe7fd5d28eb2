"""M14.1, V.1: the database refuses every write that would rewrite the audit chain, a policy
version in force or an evidence row, REPLACE included."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from kttc.core import protection, services
from kttc.core.models import AuditEntry, PolicyVersion
from kttc.core.selectors import audit_chain_verify
from kttc.core.tests.factories import UserFactory, credit_code

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="REPLACE is SQLite's; PostgreSQL has no such statement"
)


@pytest.fixture
def chain(personas):
    protection.install(connection)
    for n in range(3):
        services.organisation_register(
            actor=personas.bureau,
            name=f"链单位{n}",
            kind="enterprise",
            credit_code=credit_code(900 + n),
        )
    return list(AuditEntry.objects.order_by("seq"))


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _replace(verb: str, table: str, key: str, value: object, **changes: str) -> None:
    """``verb`` (REPLACE or INSERT OR REPLACE) a copy of the row ``key = value`` with
    ``changes`` (SQL expressions by column), as an intruder with a database shell would."""
    columns = _columns(table)
    select = ", ".join(changes.get(c, f'"{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'{verb} INTO "{table}" ({names}) SELECT {select} FROM "{table}" WHERE "{key}" = %s',
            [value],
        )


@sqlite_only
@pytest.mark.parametrize("verb", ["REPLACE", "INSERT OR REPLACE"])
@pytest.mark.parametrize("recursive", ["ON", "OFF"])
def test_m14_1_replace_cannot_rewrite_an_audit_entry(chain, verb, recursive):
    """With or without recursive triggers (the platform's connections turn them on; an intruder's
    shell may not), REPLACE over an entry is refused and the chain stays intact."""
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA recursive_triggers={recursive}")
    try:
        with pytest.raises(DatabaseError, match="append-only"):
            _replace(verb, "core_auditentry", "seq", 2, object_repr="'forged'")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA recursive_triggers=ON")
    assert AuditEntry.objects.get(seq=2).object_repr == chain[1].object_repr
    assert audit_chain_verify().intact


@sqlite_only
def test_m14_1_a_new_row_cannot_replace_an_entry_through_its_unique_hash(chain):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA recursive_triggers=OFF")
    try:
        with pytest.raises(DatabaseError, match="append-only"):
            _replace("REPLACE", "core_auditentry", "seq", 2, seq="99")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA recursive_triggers=ON")
    assert AuditEntry.objects.filter(seq=2).exists() and not AuditEntry.objects.filter(seq=99)


def test_the_platform_connections_fire_delete_triggers_on_replace():
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("a SQLite setting")
    assert "PRAGMA recursive_triggers=ON" in database["OPTIONS"]["init_command"]


@sqlite_only
@pytest.mark.parametrize("verb", ["REPLACE", "INSERT OR REPLACE"])
@pytest.mark.parametrize("recursive", ["ON", "OFF"])
def test_v_1_replace_cannot_lower_a_value_of_the_version_in_force(db, verb, recursive):
    protection.install(connection)
    version = PolicyVersion.objects.get(code="KM-2026")
    lowered = {**version.values, "completer_income_min_share": "0.10"}
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA recursive_triggers={recursive}")
    try:
        with pytest.raises(DatabaseError, match=r"V\.1"):
            _replace(
                verb,
                "core_policyversion",
                "id",
                version.pk,
                values="'" + __import__("json").dumps(lowered) + "'",
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA recursive_triggers=ON")
    assert PolicyVersion.objects.get(pk=version.pk).values["completer_income_min_share"] == "0.70"


@sqlite_only
def test_v_1_a_future_version_cannot_be_renamed_over_the_version_in_force(personas):
    import datetime as dt

    protection.install(connection)
    future = PolicyVersion.objects.create(
        code="KM-2099",
        title="x",
        effective_from=dt.date(2099, 1, 1),
        values=PolicyVersion.objects.get(code="KM-2026").values,
        published_by=UserFactory(),
    )
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA recursive_triggers=OFF")
    try:
        with (
            pytest.raises(DatabaseError, match=r"V\.1"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE OR REPLACE core_policyversion SET code = 'KM-2026', "
                "effective_from = '2099-01-01' WHERE id = %s",
                [future.pk],
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA recursive_triggers=ON")
    assert PolicyVersion.objects.get(code="KM-2026").effective_from == dt.date(2026, 1, 1)


def _triggers_on(table: str) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        return {row[0] for row in cursor.fetchall()}


def test_m14_1_every_evidence_table_is_guarded_in_the_database(db):
    """Installed by migration: each model deriving from Evidence has its triggers."""
    tables = protection.evidence_tables()
    assert {"benefits_distributionline", "reform_licencepayment"} <= {t for t, _k in tables}
    for table, keys in tables:
        assert len(_triggers_on(table)) >= 2, table
        assert ["id"] in keys, table
