"""Embeddings of new results on a real broker and a real worker (M8.1; README "Background work
(task queue)"): a throwaway redis-server and a Celery worker in a thread of this process, sharing
its test database. A result published on node A is encoded once, by the worker, not by the web
process; nodes A and B copy its vector from the database as they follow the outbox and both find
it by meaning. Skipped, with the reason, where redis-server is missing (failed under CI)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker

from kttc.center.search import follow, semantic
from kttc.center.search.models import ResultVector
from kttc.center.tests.test_embed_queue import (
    DEMAND,
    TEA,
    CountingE5,
    by_meaning,
    nodes,
    publish,
)
from kttc.core import tasks
from kttc.core.tasks.redis_server import RedisServer, require_redis_server

__all__ = ["nodes", "publish"]  # the fixtures, shared with the in-process tests


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    require_redis_server()
    with RedisServer() as server:
        yield server.url


@pytest.fixture
def worker(redis_url, settings, nodes):
    settings.KTTC_BROKER_URL = redis_url  # after ``nodes``, which runs tasks in-process
    app = tasks.configure()
    tasks.load_tasks()
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=list(tasks.QUEUES), loglevel="WARNING"
    ) as started:
        yield started
    tasks.configure()  # as it was


@pytest.mark.django_db(transaction=True)
def test_the_worker_encodes_a_published_result_once_and_both_nodes_copy_it(worker, nodes, publish):
    with nodes("a"):
        follow.catch_up()  # node A follows the outbox too (B does from the fixture)
    tea = publish(*TEA)
    limit = time.monotonic() + 120
    while not ResultVector.objects.filter(achievement_id=tea.pk).exists():
        assert time.monotonic() < limit, "the worker did not store the vector"
        time.sleep(0.1)
    assert CountingE5.encoded == [TEA[0]]  # once, by the worker's thread, not this one
    assert threading.get_ident() not in CountingE5.threads
    for node in ("a", "b"):
        with nodes(node):
            follow.catch_up()
            assert semantic.store().ids() == {tea.pk}
            assert by_meaning(DEMAND)[0] == tea.pk
    assert CountingE5.encoded == [TEA[0]]
