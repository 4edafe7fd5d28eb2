"""M13.1, M13.2, DESIGN rule 9: the last two tasks of a difficulty are closed at the same moment
by several clerks, and the difficulty concluded resolved by several at once: each task is closed
once (the others refused ``meeting.task_closed``), the difficulty is resolved exactly once (the
others refused ``meeting.status``), its raiser told once, and the chain stays intact. Meant for
PostgreSQL (the chain's advisory lock, then the difficulty's row); on a file SQLite database the
writers are serialised."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from kttc.core.models import AuditEntry, Notification
from kttc.core.selectors import audit_chain_verify
from kttc.oversight.meeting import services
from kttc.oversight.meeting.models import Difficulty, MeetingTask
from kttc.oversight.meeting.tests.factories import DAY, convened, decided, raised
from kttc.policy.errors import PolicyError

pytestmark = pytest.mark.django_db(transaction=True)

CLERKS = 8


def test_m13_1_simultaneous_closings_and_conclusions_resolve_the_difficulty_once(personas):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    difficulty = raised(personas)
    session = convened(personas, difficulty)
    made = decided(personas, session, difficulty, owners=("dept_hrss", "wuhua"))
    task_ids = list(made.tasks.order_by("id").values_list("pk", flat=True))
    start = threading.Barrier(CLERKS)
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

    def run(acts) -> None:
        threads = [threading.Thread(target=race, args=(act,)) for act in acts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    run([
        lambda pk=task_ids[i % 2]: services.task_close(
            actor=personas.bureau, task=MeetingTask(pk=pk), evidence="完成", today=DAY
        )
        for i in range(CLERKS)
    ])  # fmt: skip
    assert errors == []
    assert refused == ["meeting.task_closed"] * (CLERKS - 2)
    assert set(MeetingTask.objects.values_list("status", flat=True)) == {"closed"}
    refused.clear()
    run([
        lambda: services.difficulty_resolve(
            actor=personas.bureau, difficulty=Difficulty(pk=difficulty.pk), today=DAY
        )
        for _ in range(CLERKS)
    ])  # fmt: skip
    assert errors == []
    assert refused == ["meeting.status"] * (CLERKS - 1)
    assert Difficulty.objects.get(pk=difficulty.pk).status == "resolved"
    assert AuditEntry.objects.filter(action="meeting.task_close").count() == 2
    assert AuditEntry.objects.filter(action="meeting.resolve").count() == 1
    assert (
        Notification.objects.filter(
            recipient=personas.transfer_office, kind="meeting.resolved"
        ).count()
        == 1
    )
    assert audit_chain_verify().intact
