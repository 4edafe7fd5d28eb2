"""The task queue with a real broker and a real worker: a throwaway redis-server on a loopback
port and a Celery worker (in a thread of this process, sharing its test database). Skipped, with
the reason, where redis-server is missing; under CI (``CI=true``, where .ci/run installs it) the
test fails instead. Run on SQLite and on PostgreSQL (``scripts/with-postgres``)."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook
from prometheus_client import REGISTRY

from kttc.core import tasks
from kttc.core.models import AuditEntry, Job, Notification
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.core.notifications.tasks import email_now
from kttc.core.tasks.redis_server import RedisServer, require_redis_server
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Role
from kttc.registry import job_notices
from kttc.registry.achievements.bulk_jobs import BULK_JOB, run_bulk_job
from kttc.registry.importing.export_jobs import EXPORT_JOB, run_export_job
from kttc.registry.models import Achievement
from kttc.registry.tests.test_job_notices import draft_result
from tests.test_task_queue import upload

HTMX = {"HTTP_HX_REQUEST": "true"}

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


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    require_redis_server()
    with RedisServer() as server:
        yield server.url


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
    told = Notification.objects.get(kind=job_notices.KIND)  # once, to the uploader
    assert told.recipient.email == personas.transfer_office.email


@pytest.mark.django_db(transaction=True)
def test_steps_queued_as_a_chain_run_in_order_on_the_worker(worker):
    tasks.enqueue_chain(record.si("one"), record.si("two"), record.si("three"))
    _wait(lambda: len(RUNS) == 3)
    assert [run[0] for run in RUNS] == ["one", "two", "three"]


@pytest.mark.django_db(transaction=True)
def test_a_bulk_action_and_an_export_run_on_the_worker_their_panels_queued_then_done(
    worker, client, personas
):
    for n in range(4):
        draft_result(personas, f"队列批量{n}")
    office = personas.transfer_office
    client.force_login(office)
    client.cookies["django_language"] = "en"
    chosen = {"scope": "all", "q": "队列批量"}
    client.post(reverse("registry:achievements_bulk"), {"action": "submit", **chosen}, **HTMX)
    client.post(reverse("registry:export"), chosen, **HTMX)
    bulk, export = Job.objects.get(kind=BULK_JOB), Job.objects.get(kind=EXPORT_JOB)
    for job, run, status in (
        (bulk, "registry:bulk_run", "registry:bulk_job"),
        (export, "registry:export_run", "registry:export_job"),
    ):
        with transaction.atomic():  # the message leaves at the commit: the panel answers first
            queued = client.post(reverse(run, args=[job.pk]), **HTMX).content.decode()
        assert "Waiting for a worker" in queued
        url = reverse(status, args=[job.pk])
        _wait(lambda url=url: client.get(url, **HTMX).status_code == 286)  # htmx: stop polling
    summary = client.get(reverse("registry:bulk_job", args=[bulk.pk])).content.decode()
    assert "Done for 4 of 4 results." in summary
    download = client.get(reverse("registry:export_file", args=[export.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
    assert len(rows) == 1 + 4

    entries, finished = AuditEntry.objects.count(), Job.objects.get(pk=export.pk).finished_at
    tasks.enqueue(run_bulk_job, str(bulk.pk))  # each message delivered again
    tasks.enqueue(run_export_job, str(export.pk))
    _flushed()
    assert AuditEntry.objects.count() == entries
    assert Job.objects.get(pk=export.pk).finished_at == finished
    told = Notification.objects.filter(kind=job_notices.KIND)
    pages = {
        reverse("registry:bulk_job", args=[bulk.pk]),
        reverse("registry:export_job", args=[export.pk]),
    }
    assert {n.link for n in told} == pages and told.count() == 2
    assert {n.recipient_id for n in told} == {office.pk}
