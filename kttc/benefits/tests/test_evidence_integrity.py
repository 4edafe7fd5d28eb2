"""M14.1: a distribution's lines are evidence: the database refuses to change, delete or
replace them, and ``kttc audit verify`` names a line edited behind the database's back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from kttc.benefits import services
from kttc.benefits.models import DistributionLine
from kttc.core import protection
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
