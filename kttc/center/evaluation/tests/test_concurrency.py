"""M10.1, M14.1, DESIGN rule 9: the evaluator signs one report twice at the same moment (two
tabs, a double click): exactly one report is stored and audited, the others are refused
(``evaluation.step``), none fails otherwise, and the chain stays intact. The same for the
institution's people accepting one request at once. Meant for PostgreSQL (the chain's advisory
lock, then the evaluation's row); on a file SQLite database the writers are serialised."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from kttc.center.evaluation import services
from kttc.center.evaluation.models import Evaluation, EvaluationReport
from kttc.center.evaluation.tests.factories import ON, requested, scored, setting
from kttc.core.models import AuditEntry
from kttc.core.selectors import audit_chain_verify
from kttc.policy.errors import PolicyError

pytestmark = pytest.mark.django_db(transaction=True)

AT_ONCE = 6


def _at_once(work) -> tuple[list[str], list[BaseException]]:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    start = threading.Barrier(AT_ONCE)
    refused: list[str] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            try:
                work()
            except PolicyError as exc:
                refused.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return refused, errors


def test_m10_1_simultaneous_signatures_of_one_report_store_exactly_one(personas, publish):
    s = setting(personas, publish)
    evaluation = scored(personas, s)

    def sign() -> None:
        services.evaluation_sign(
            actor=s.evaluator, evaluation=Evaluation(pk=evaluation.pk), today=ON
        )

    refused, errors = _at_once(sign)
    assert errors == []
    assert refused == ["evaluation.step"] * (AT_ONCE - 1)
    assert EvaluationReport.objects.filter(evaluation_id=evaluation.pk).count() == 1
    assert AuditEntry.objects.filter(action="evaluation.sign").count() == 1
    assert audit_chain_verify().intact


def test_m10_1_simultaneous_acceptances_of_one_request_accept_it_once(personas, publish):
    s = setting(personas, publish)
    evaluation = requested(personas, s)

    def accept() -> None:
        services.evaluation_accept(
            actor=s.staff, evaluation=Evaluation(pk=evaluation.pk), evaluator=s.evaluator, today=ON
        )

    refused, errors = _at_once(accept)
    assert errors == []
    assert refused == ["evaluation.step"] * (AT_ONCE - 1)
    assert AuditEntry.objects.filter(action="evaluation.accept").count() == 1
    assert audit_chain_verify().intact
