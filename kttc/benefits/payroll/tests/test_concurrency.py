"""Two offices' saves of one roster at once, and layout changes beside them (DESIGN rule 9):
every save takes the audit chain's lock before the unit's rows, so they wait for each other: a
person added by both is stored once (no unique-key collision), no save is lost half-way, each
change is one audit entry and the chain stays intact. Meant for PostgreSQL; on a file SQLite
database the writers are serialised."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from kttc.benefits.payroll import services
from kttc.benefits.payroll.models import PayrollLayout, RosterEntry
from kttc.core.models import AuditEntry
from kttc.core.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 8
LAYOUT = [("name", "姓名"), ("amount", "金额"), ("outside_cap", "单列")]


def test_rule_9_concurrent_roster_saves_and_layout_changes_never_collide(personas, unit):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    office = personas.transfer_office
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait()
            if writer % 4 == 3:
                services.payroll_layout_set(
                    actor=office, unit=unit, columns=[*LAYOUT, ("staff_number", f"工号{writer}")]
                )
                return
            services.payroll_roster_save(
                actor=office,
                unit=unit,
                changes=[
                    # every writer adds 李明 (the first one creates, the others change him)
                    services.RosterChange("李明", staff_number=f"KM{writer:04d}"),
                    services.RosterChange(f"员工{writer}", bank_account=f"{writer:08d}"),
                ],
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    savers = [n for n in range(WRITERS) if n % 4 != 3]
    assert RosterEntry.objects.filter(unit=unit, name="李明").count() == 1
    assert set(RosterEntry.objects.values_list("name", flat=True)) == {
        "李明", *(f"员工{n}" for n in savers),
    }  # fmt: skip
    # each saver's two people are one entry each (李明's unchanged save, if any, none)
    entries = AuditEntry.objects.filter(action="payroll.roster_set")
    assert entries.filter(object_repr__startswith="员工").count() == len(savers)
    assert 1 <= entries.filter(object_repr="李明").count() <= len(savers)
    assert PayrollLayout.objects.filter(unit=unit).count() == 1
    assert audit_chain_verify().intact
