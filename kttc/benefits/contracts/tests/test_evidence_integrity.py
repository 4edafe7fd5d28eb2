"""M14.1: a distribution's lines are evidence: the database refuses to change, delete or
replace them, and ``kttc audit verify`` names a line edited behind the database's back."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from kttc.benefits.contracts import services
from kttc.benefits.contracts.models import DistributionLine
from kttc.core import protection
from kttc.core.models import AuditEntry
from kttc.core.selectors import audit_chain_verify
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db
TABLE = DistributionLine._meta.db_table


@pytest.fixture
def distribution(personas):
    protection.install(connection)
    office, unit = personas.transfer_office, personas.organisations[Role.TRANSFER_OFFICE]
    contract = services.contract_create(
        actor=office,
        unit=unit,
        kind="licence",
        title="专利实施许可合同",
        counterparty="云岭智造科技有限公司",
        signed_on=dt.date(2026, 1, 5),
        amount=Decimal("200000"),
    )
    services.contract_register(
        actor=office,
        contract=contract,
        registration_number=f"R-{contract.pk}",
        registered_on=dt.date(2026, 1, 20),
        certified_amount=Decimal("200000"),
    )
    services.income_record(
        actor=office,
        contract=contract,
        amount=Decimal("100000.00"),
        received_on=dt.date(2026, 3, 1),
    )
    return services.distribution_decide(
        actor=office,
        contract=contract,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        team_ratio=Decimal("0.70"),
        team_shares={"李明": Decimal("60"), "赵华": Decimal("40")},
        service_ratio=Decimal("0.10"),
        service_shares={"王芳": Decimal("1")},
    )


def _line(distribution, name: str = "李明") -> DistributionLine:
    return distribution.lines.get(name=name)


def _columns() -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, TABLE)]


def _raw_statements(line: DistributionLine) -> list[str]:
    statements = [
        f"UPDATE {TABLE} SET amount = '99999.00' WHERE id = {line.pk}",
        f"DELETE FROM {TABLE} WHERE id = {line.pk}",
    ]
    if connection.vendor == "sqlite":
        names = ", ".join(f'"{c}"' for c in _columns())
        values = ", ".join("'99999.00'" if c == "amount" else f'"{c}"' for c in _columns())
        for verb in ("REPLACE", "INSERT OR REPLACE"):
            statements.append(
                f"{verb} INTO {TABLE} ({names}) SELECT {values} FROM {TABLE} WHERE id = {line.pk}"
            )
    return statements


@pytest.mark.parametrize("recursive", ["ON", "OFF"])
def test_m14_1_the_database_refuses_to_rewrite_a_distribution_line(distribution, recursive):
    line = _line(distribution)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA recursive_triggers={recursive}")
    elif recursive == "OFF":
        pytest.skip("a SQLite setting")
    try:
        for statement in _raw_statements(line):
            with (
                pytest.raises(DatabaseError, match="written once"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement)
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA recursive_triggers=ON")
    assert _line(distribution).amount == line.amount == Decimal("42000.00")


@pytest.mark.django_db(transaction=True)
def test_m14_1_postgresql_refuses_to_truncate_evidence(distribution):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    with (
        pytest.raises(DatabaseError, match="written once"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"TRUNCATE {TABLE} CASCADE")
    assert distribution.lines.count() == 4


def _entry_of(distribution) -> AuditEntry:
    return AuditEntry.objects.get(action="distribution.decide", object_id=str(distribution.pk))


def test_m14_1_the_decision_entry_records_the_hash_of_each_line(distribution):
    entry = _entry_of(distribution)
    recorded = {(r["model"], r["id"]) for r in entry.evidence}
    lines = {
        ("benefits.distributionline", str(pk))
        for pk in distribution.lines.values_list("pk", flat=True)
    }
    assert len(lines) == 4 and lines <= recorded
    assert all(len(r["sha256"]) == 64 for r in entry.evidence)
    income = AuditEntry.objects.get(action="contract.income")
    assert [r["model"] for r in income.evidence] == ["benefits.contractincome"]
    report = audit_chain_verify()
    assert report.intact, report.reason


def _tamper(sql: str) -> None:
    """What an intruder with the database owner's rights would do: drop the guard, edit, put
    the guard back."""
    protection.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql)
    protection.install(connection)


def test_m14_1_verify_names_a_line_edited_by_raw_sql(distribution):
    line = _line(distribution, "赵华")
    _tamper(f"UPDATE {TABLE} SET amount = '29000.00' WHERE id = {line.pk}")
    report = audit_chain_verify()
    entry = _entry_of(distribution)
    assert not report.intact and report.subject == "evidence"
    assert report.broken_at == entry.seq
    assert f"benefits.distributionline row {line.pk} differs" in report.reason
    with pytest.raises(CommandError, match=f"benefits.distributionline row {line.pk}"):
        call_command("audit_verify", stdout=io.StringIO())


def test_m14_1_verify_names_a_line_inserted_by_raw_sql(distribution):
    line = _line(distribution)
    columns = [c for c in _columns() if c != "id"]
    names = ", ".join(f'"{c}"' for c in columns)
    _tamper(f"INSERT INTO {TABLE} ({names}) SELECT {names} FROM {TABLE} WHERE id = {line.pk}")
    forged = DistributionLine.objects.order_by("-pk").first()
    report = audit_chain_verify()
    assert not report.intact and report.broken_at is None
    assert f"row {forged.pk} is recorded in no audit entry" in report.reason


def test_m14_1_verify_names_a_line_deleted_by_raw_sql(distribution):
    line = _line(distribution, "王芳")
    _tamper(f"DELETE FROM {TABLE} WHERE id = {line.pk}")
    report = audit_chain_verify()
    assert report.broken_at == _entry_of(distribution).seq
    assert f"row {line.pk} recorded by entry" in report.reason and "missing" in report.reason


def test_m14_1_a_baseline_seals_rows_no_entry_records_and_holds_them_to_it(distribution):
    """Rows stored before entries recorded content hashes (here: one inserted without an entry)
    are reported until the operator seals them with ``kttc audit baseline``: one entry of the
    system in the chain; from then on an edit of such a row is named like any other."""
    line = _line(distribution)
    columns = [c for c in _columns() if c != "id"]
    names = ", ".join(f'"{c}"' for c in columns)
    _tamper(f"INSERT INTO {TABLE} ({names}) SELECT {names} FROM {TABLE} WHERE id = {line.pk}")
    older = DistributionLine.objects.order_by("-pk").first()
    assert "recorded in no audit entry" in audit_chain_verify().reason
    out = io.StringIO()
    call_command("audit_baseline", stdout=out)
    assert "1 evidence rows sealed" in out.getvalue()
    baseline = AuditEntry.objects.get(action="evidence.baseline")
    assert baseline.actor_id is None and baseline.clauses == ["M14.1"]
    assert [(r["model"], r["id"]) for r in baseline.evidence] == [
        ("benefits.distributionline", str(older.pk))
    ]
    assert audit_chain_verify().intact
    call_command("audit_baseline", stdout=(again := io.StringIO()))
    assert "recorded by an audit entry already" in again.getvalue()
    assert AuditEntry.objects.filter(action="evidence.baseline").count() == 1
    _tamper(f"UPDATE {TABLE} SET amount = '1.00' WHERE id = {older.pk}")
    report = audit_chain_verify()
    assert report.broken_at == baseline.seq
    assert f"row {older.pk} differs" in report.reason
