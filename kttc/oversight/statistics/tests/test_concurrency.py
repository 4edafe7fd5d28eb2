"""M13.3: refreshes started at the same moment (the sweep and ``kttc statistics refresh``) each
replace the whole summary table in turn: none fails on the unique key and the table holds one
set of figures. Meant for PostgreSQL (an advisory lock around the replacement); on a file
SQLite database the writers are serialised."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from kttc.oversight.statistics import services
from kttc.oversight.statistics.models import StatisticsFigure, StatisticsRefresh
from kttc.oversight.statistics.tests.factories import TODAY, world

pytestmark = pytest.mark.django_db(transaction=True)

RUNS = 4


def test_m13_3_simultaneous_refreshes_leave_one_set_of_figures(personas):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    world(personas)
    expected = services.statistics_refresh(today=TODAY).rows
    start = threading.Barrier(RUNS)
    errors: list[BaseException] = []

    def refresh() -> None:
        try:
            start.wait()
            services.statistics_refresh(today=TODAY)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert StatisticsFigure.objects.count() == expected
    assert StatisticsRefresh.objects.count() == RUNS + 1
