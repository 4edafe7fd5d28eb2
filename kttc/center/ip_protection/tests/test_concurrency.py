"""M11.2, DESIGN rule 9: the center's IP staff decide one case at the same moment: exactly one
decision is stored, the others are refused (``ip_case.status``), none fails otherwise, and the
chain stays intact. Meant for PostgreSQL (the chain's advisory lock, then the case's row lock);
on a file SQLite database the writers are serialised."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from kttc.center.ip_protection import services
from kttc.center.ip_protection.models import IpCase
from kttc.center.ip_protection.tests.factories import DECISION, heard
from kttc.core.models import AuditEntry, Membership
from kttc.core.selectors import audit_chain_verify
from kttc.core.tests.factories import UserFactory
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

STAFF = 2


def test_m11_2_two_staff_deciding_one_case_at_once_store_one_decision(personas):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    case = heard(personas)
    second = UserFactory(email="bureau2@test.kttc.example", full_name="second clerk")
    Membership.objects.create(
        user=second, organisation=personas.organisations[Role.BUREAU], role=Role.BUREAU.value
    )
    start = threading.Barrier(STAFF)
    refused: list[str] = []
    errors: list[BaseException] = []

    def decide(actor, outcome: str) -> None:
        try:
            start.wait()
            try:
                services.ip_case_decide(
                    actor=actor, case=IpCase(pk=case.pk), decision_text=DECISION,
                    outcome=outcome, decided_on=case.hearing_on, today=case.hearing_on,
                )  # fmt: skip
            except PolicyError as exc:
                refused.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(personas.bureau, "infringement_found")),
        threading.Thread(target=decide, args=(second, "no_infringement")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert refused == ["ip_case.status"]
    assert AuditEntry.objects.filter(action="ip_case.decide").count() == 1
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome in ("infringement_found", "no_infringement")
    assert audit_chain_verify().intact
