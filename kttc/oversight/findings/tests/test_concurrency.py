"""M14.2, DESIGN rule 9: the same draft issued by several auditors of its department at the
same moment is issued once (the others refused ``findings.issued``), its unit told once, and
the chain stays intact. Meant for PostgreSQL (the chain's advisory lock, then the record's row);
on a file SQLite database the writers are serialised."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from kttc.core.models import AuditEntry, Notification
from kttc.core.selectors import audit_chain_verify
from kttc.oversight.findings import services
from kttc.oversight.findings.models import Inspection
from kttc.oversight.findings.tests.factories import DAY, departments, recorded
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

AUDITORS = 6


def test_m14_2_simultaneous_issues_of_one_draft_issue_it_once(personas):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    world = departments(personas)
    draft = recorded(world.auditor_a, world.a, personas.organisations[Role.TRANSFER_OFFICE])
    start = threading.Barrier(AUDITORS)
    refused: list[str] = []
    errors: list[BaseException] = []

    def issue() -> None:
        try:
            start.wait()
            try:
                services.inspection_issue(
                    actor=world.auditor_a, inspection=Inspection(pk=draft.pk), today=DAY
                )
            except PolicyError as exc:
                refused.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(AUDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert refused == ["findings.issued"] * (AUDITORS - 1)
    assert Inspection.objects.get(pk=draft.pk).status == "issued"
    assert AuditEntry.objects.filter(action="findings.issue").count() == 1
    told = Notification.objects.filter(recipient=personas.transfer_office, kind="findings.issued")
    assert told.count() == 1
    assert audit_chain_verify().intact
