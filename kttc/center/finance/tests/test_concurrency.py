"""M12.1, DESIGN rule 9: two applications pledging the same patent are approved by the bank's
clerks at the same moment: exactly one pledge is registered, the other approval is refused
naming the clause (``finance.already_pledged``), none fails otherwise, and the chain stays
intact. Meant for PostgreSQL (the chain's advisory lock, then the application's row; the
partial unique index behind them); on a file SQLite database the writers are serialised."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from kttc.center.finance import services
from kttc.center.finance.models import FinanceApplication, Pledge
from kttc.center.finance.tests.factories import DAY, applied, enterprise_result, grant, product
from kttc.core.models import AuditEntry
from kttc.core.selectors import audit_chain_verify
from kttc.policy.errors import PolicyError


@pytest.mark.django_db(transaction=True)
def test_m12_1_two_approvals_pledging_one_patent_at_once_register_exactly_one(personas):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    enterprise_result(personas)
    found = product(personas)
    ids = [applied(personas, found).pk, applied(personas, found).pk]
    start = threading.Barrier(len(ids))
    refused: list[PolicyError] = []
    errors: list[BaseException] = []

    def approve(pk: int, number: str) -> None:
        try:
            application = FinanceApplication.objects.select_related("bank").get(pk=pk)
            start.wait()
            try:
                services.application_approve(
                    actor=personas.financial_institution, application=application,
                    grant=grant(registration_number=number), today=DAY,
                )  # fmt: skip
            except PolicyError as exc:
                refused.append(exc)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(pk, f"KM-ZY-2026-{n}")) for n, pk in enumerate(ids)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert [(e.code, e.clauses, e.field) for e in refused] == [
        ("finance.already_pledged", ("M12.1",), "patents")
    ]
    assert Pledge.objects.filter(state="active").count() == 1
    statuses = sorted(FinanceApplication.objects.values_list("status", flat=True))
    assert statuses == ["approved", "submitted"]
    assert AuditEntry.objects.filter(action="finance.approve").count() == 1
    assert audit_chain_verify().intact


@pytest.mark.django_db
def test_m12_1_the_database_refuses_a_second_active_pledge_of_a_patent(personas):
    enterprise_result(personas)
    found = product(personas)
    first, second = applied(personas, found), applied(personas, found)
    Pledge.objects.filter(application=first).update(state="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.filter(application=second).update(state="active")
    Pledge.objects.filter(application=first).update(state="released")
    Pledge.objects.filter(application=second).update(state="active")
    assert Pledge.objects.filter(state="active").count() == 1
