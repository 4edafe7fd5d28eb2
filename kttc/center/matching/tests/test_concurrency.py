"""Refreshes of one demand's matches at once (the thread after a change, the daily sweep, the
embed command) wait for each other: no unique-key collision, the matches kept once, and the
enterprise told of them once. Meant for PostgreSQL; on a file SQLite database the writers are
serialised."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from kttc.center.demands.tests.factories import published
from kttc.center.matching import services as matching
from kttc.center.matching.models import DemandMatch
from kttc.core.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 6


def test_concurrent_refreshes_of_a_demand_keep_its_matches_once(personas, publish):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    results = [
        publish(name=f"锂离子电池电解液配方{n}", abstract="低温锂离子电池电解液。", translations=[])
        for n in range(3)
    ]
    demand = published(personas, title="锂离子电池电解液", description="零下20摄氏度低温电解液")
    DemandMatch.objects.filter(demand=demand).delete()
    Notification.objects.filter(kind="demand.new_match").delete()
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def refresh() -> None:
        try:
            start.wait()
            matching.refresh(demand)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    kept = list(DemandMatch.objects.filter(demand=demand).values_list("achievement_id", flat=True))
    assert sorted(kept) == sorted(r.pk for r in results)
    assert (
        Notification.objects.filter(kind="demand.new_match").values("dedupe_key").distinct().count()
        == 1
    )
