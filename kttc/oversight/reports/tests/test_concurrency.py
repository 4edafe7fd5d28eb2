"""M13.3, DESIGN rule 9: several bureau clerks accept and return one submitted report at the
same moment, and several of the unit's clerks submit one draft at once: one decision each time
(the others refused), one audit entry, one notice, and the chain stays intact. Meant for
PostgreSQL (the chain's advisory lock, then the report's row); on a file SQLite database the
writers are serialised."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from kttc.core.models import AuditEntry, Notification
from kttc.core.selectors import audit_chain_verify
from kttc.oversight.reports import services
from kttc.oversight.reports.models import UnitReport
from kttc.oversight.reports.tests.factories import DAY, filled, period, report_of
from kttc.policy.errors import PolicyError

pytestmark = pytest.mark.django_db(transaction=True)

CLERKS = 6


def _run(acts) -> tuple[list[str], list[BaseException]]:
    start = threading.Barrier(len(acts))
    refused: list[str] = []
    errors: list[BaseException] = []

    def race(act) -> None:
        try:
            start.wait()
            try:
                act()
            except PolicyError as exc:
                refused.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(act,)) for act in acts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return refused, errors


def test_m13_3_simultaneous_submissions_and_reviews_decide_once(personas):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    report = report_of(personas, period(personas))
    pk = report.pk
    refused, errors = _run([
        lambda: services.report_submit(
            actor=personas.transfer_office, report=UnitReport(pk=pk), entries=filled(), today=DAY
        )
        for _ in range(CLERKS)
    ])  # fmt: skip
    assert errors == []
    assert refused == ["unit_report.status"] * (CLERKS - 1)
    assert AuditEntry.objects.filter(action="unit_report.submit").count() == 1
    bureau = personas.bureau
    assert Notification.objects.filter(recipient=bureau, kind="unit_report.submitted").count() == 1
    refused, errors = _run([
        (lambda: services.report_accept(actor=bureau, report=UnitReport(pk=pk), today=DAY))
        if i % 2
        else (lambda: services.report_return(
            actor=bureau, report=UnitReport(pk=pk), reason="请核实", today=DAY
        ))
        for i in range(CLERKS)
    ])  # fmt: skip
    assert errors == []
    assert len(refused) == CLERKS - 1
    assert set(refused) <= {"unit_report.status", "unit_report.frozen"}
    decided = AuditEntry.objects.filter(action__in=["unit_report.accept", "unit_report.return"])
    assert decided.count() == 1
    status = UnitReport.objects.get(pk=pk).status
    assert status in ("accepted", "returned")
    kinds = Notification.objects.filter(
        recipient=personas.transfer_office,
        kind__in=["unit_report.accepted", "unit_report.returned"],
    ).values_list("kind", flat=True)
    assert list(kinds) == [f"unit_report.{status}"]
    assert audit_chain_verify().intact
