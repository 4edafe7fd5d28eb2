"""The task queue with a real broker and a real worker: a throwaway redis-server on a loopback
port and a Celery worker (in a thread of this process, sharing its test database). Skipped, with
the reason, where redis-server is missing; under CI (``CI=true``, where .ci/run installs it) the
test fails instead. Run on SQLite and on PostgreSQL (``scripts/with-postgres``)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction
from django.urls import reverse
from prometheus_client import REGISTRY

from kttc.core import tasks
from kttc.core.models import Job, Notification
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.core.notifications.tasks import email_now
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Role
from kttc.registry.models import Achievement
from tests.test_task_queue import upload

RUNS: list[tuple[str, str | None, int]] = []
ATTEMPTS: list[int] = []


@tasks.task("kttc.tests.worker.record")
def record(value: str) -> None:
    RUNS.append((value, record.request.hostname, threading.get_ident()))


@tasks.task("kttc.tests.worker.long_marker", queue=tasks.LONG_QUEUE)
def long_marker(value: str) -> None:
    RUNS.append((value, long_marker.request.hostname, threading.get_ident()))


@tasks.task("kttc.tests.worker.flaky", max_retries=3, backoff=1)
def flaky() -> None:
    ATTEMPTS.append(flaky.request.retries)
    if len(ATTEMPTS) < 3:
        raise tasks.Transient("not yet")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    if shutil.which("redis-server") is None:
        reason = "No redis-server on this machine: `apt-get install redis-server` (.ci/run does)."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " CI installs it, so it must be there.")
        pytest.skip(reason)
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        for output in server.stdout:  # read until the server says it is ready
            if "Ready to accept connections" in output:
                break
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def worker(redis_url, settings):
    import redis

    redis.Redis.from_url(redis_url).flushall()
    settings.KTTC_BROKER_URL = redis_url
    RUNS.clear()
    ATTEMPTS.clear()
    app = tasks.configure()
    tasks.load_tasks()
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=list(tasks.QUEUES), loglevel="WARNING"
    ) as started:
        yield started
    tasks.configure()  # as it was


def _wait(condition: Callable[[], object], seconds: float = 20) -> None:
    limit = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < limit, "the worker did not get there"
        time.sleep(0.05)


def _flushed(marker: Callable[..., object] = record) -> None:
    """Wait until the worker has run everything queued before (one queue, one process)."""
    tasks.enqueue(marker, "flushed")
    _wait(lambda: any(run[0] == "flushed" for run in RUNS))


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_in_a_transaction_runs_on_the_worker_after_the_commit(worker):
    with transaction.atomic():
        tasks.enqueue(record, "after commit")
        assert tasks.queue_depths() == {"kttc": 0, "kttc.long": 0}  # nothing sent yet
    _wait(lambda: RUNS)
    value, hostname, thread = RUNS[0]
    assert value == "after commit"
    assert hostname and thread != threading.get_ident()  # the worker ran it, not this thread


@pytest.mark.django_db(transaction=True)
def test_a_transient_failure_is_retried_with_exponential_backoff_then_succeeds(worker):
    countdowns: list[float] = []

    def retried(sender=None, reason=None, **_):
        if getattr(sender, "name", None) == flaky.name:
            countdowns.append(reason.when)

    signals.task_retry.connect(retried)
    before = (
        REGISTRY.get_sample_value("kttc_tasks_total", {"task": flaky.name, "outcome": "retried"})
        or 0
    )
    try:
        tasks.enqueue(flaky)
        _wait(lambda: len(ATTEMPTS) == 3)
        _flushed()
    finally:
        signals.task_retry.disconnect(retried)
    assert ATTEMPTS == [0, 1, 2]  # two retries, then it succeeded
    assert countdowns == [1, 2]  # each retry twice as late as the one before
    labels = {"task": flaky.name, "outcome": "retried"}
    assert REGISTRY.get_sample_value("kttc_tasks_total", labels) == before + 2
    done = {"task": flaky.name, "outcome": "succeeded"}
    assert (REGISTRY.get_sample_value("kttc_tasks_total", done) or 0) >= 1


@pytest.mark.django_db(transaction=True)
def test_an_email_task_delivered_twice_sends_the_notice_once(worker, personas):
    template = gettext_noop("Version %(code)s is already in force and cannot be withdrawn.")
    with transaction.atomic():
        notification_send_now(
            organisation=personas.organisations[Role.TRANSFER_OFFICE],
            roles=(Role.TRANSFER_OFFICE.value,),
            notice=Notice(kind="test.queue", subject=template, body=template, params={"code": "Q"}),
            dedupe_key="queue-1",
        )
    tasks.enqueue(email_now, "queue-1")  # the same message again
    _flushed()
    assert [m.to for m in mail.outbox] == [[personas.transfer_office.email]]
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_from_the_upload_page_runs_on_the_worker_with_its_progress(
    worker, client, personas
):
    job_id = upload(client, personas, rows=30)
    run = reverse("registry:import_run", args=[job_id])
    first = client.post(run, HTTP_ACCEPT="application/json").json()
    assert first["state"] in ("ready", "running", "done") and first["total"] == 30
    client.post(run, HTTP_ACCEPT="application/json")  # a double click: a second message
    status_url = reverse("registry:import_status", args=[job_id])
    _wait(lambda: client.get(status_url).json()["state"] == "done")
    _flushed(long_marker)  # the second message has been run too, and did nothing
    status = client.get(status_url).json()
    assert (status["done"], status["total"]) == (30, 30)
    assert Achievement.objects.count() == 30
    job = Job.objects.get(pk=job_id)
    assert job.finished_at is not None and len(job.outcome["created"]) == 30
    page = client.get(reverse("registry:import_job", args=[job_id]))
    assert b'data-outcome="stored"' in page.content


@pytest.mark.django_db(transaction=True)
def test_steps_queued_as_a_chain_run_in_order_on_the_worker(worker):
    tasks.enqueue_chain(record.si("one"), record.si("two"), record.si("three"))
    _wait(lambda: len(RUNS) == 3)
    assert [run[0] for run in RUNS] == ["one", "two", "three"]
