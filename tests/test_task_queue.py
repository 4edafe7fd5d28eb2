"""The task queue without a broker (the embedded default): the same tasks run in-process after
the commit, a failure is logged and counted but never reaches the code that asked for it; with a
broker configured the sweep and the upload page hand their work to the queue, and a task run
twice changes nothing."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from openpyxl import Workbook
from prometheus_client import REGISTRY

from kttc.core import tasks
from kttc.core.models import Job
from kttc.core.notifications import tasks as notification_tasks
from kttc.core.notifications.services import Delivery
from kttc.core.parts import part_modules
from kttc.core.tasks import builtin
from kttc.policy.roles import Role
from kttc.registry import importing
from kttc.registry.models import Achievement
from kttc.registry.tasks import run_import_job

RUNS: list[str] = []


@tasks.task("kttc.tests.record")
def record(value: str) -> None:
    RUNS.append(value)


@tasks.task("kttc.tests.broken")
def broken() -> None:
    raise ValueError("not a transient error")


@pytest.fixture(autouse=True)
def _no_broker(settings):
    settings.KTTC_BROKER_URL = ""
    RUNS.clear()


def _count(task: str, outcome: str) -> float:
    labels = {"task": task, "outcome": outcome}
    return REGISTRY.get_sample_value("kttc_tasks_total", labels) or 0


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_task_runs_in_process_after_the_commit_and_never_on_rollback():
    with transaction.atomic():
        tasks.enqueue(record, "committed")
        assert RUNS == []  # not before the commit
    assert RUNS == ["committed"]
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.enqueue(record, "rolled back")
        raise RuntimeError
    assert RUNS == ["committed"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_is_logged_and_counted_and_does_not_reach_the_caller(caplog):
    before = _count("kttc.tests.broken", "failed")
    with caplog.at_level(logging.ERROR, logger="kttc.tasks"), transaction.atomic():
        tasks.enqueue(broken)
    assert _count("kttc.tests.broken", "failed") == before + 1
    assert "task kttc.tests.broken failed in-process" in caplog.text


def test_an_email_refused_by_the_server_makes_the_task_retry(monkeypatch):
    monkeypatch.setattr(
        notification_tasks.services, "notifications_email_now", lambda key: Delivery(failed=1)
    )
    with pytest.raises(tasks.Transient):
        notification_tasks.email_now("key-1")
    assert tasks.Transient in notification_tasks.email_now.autoretry_for
    assert notification_tasks.email_now.max_retries == tasks.MAX_RETRIES


@pytest.mark.django_db
def test_with_a_broker_the_sweep_queues_each_part_then_the_mail(settings, monkeypatch):
    settings.KTTC_BROKER_URL = "redis://127.0.0.1:1/0"
    queued: list[tuple[str, tuple]] = []
    monkeypatch.setattr(
        tasks, "enqueue_chain", lambda *steps: queued.extend((s.task, s.args) for s in steps)
    )
    out = io.StringIO()
    call_command("sweep", "--today", "2026-05-01", stdout=out)
    labels = [label for label, _ in part_modules("sweep")]
    assert queued == [
        *(("kttc.sweep.part", (label, "2026-05-01")) for label in labels),
        ("kttc.sweep.finish", (True,)),
    ]
    assert f"{labels[0]}: queued" in out.getvalue()


@pytest.mark.django_db
def test_a_sweep_part_run_as_a_task_twice_notifies_nothing_twice(personas):
    from kttc.core.models import Notification

    for label, _ in part_modules("sweep"):
        builtin.sweep_part(label, "2026-05-01")
    first = Notification.objects.count()
    for label, _ in part_modules("sweep"):
        builtin.sweep_part(label, "2026-05-01")
    assert Notification.objects.count() == first


@pytest.mark.django_db
def test_with_a_broker_the_statistics_refresh_is_a_task_of_its_own(settings, monkeypatch):
    from datetime import date

    from kttc.oversight import sweep as oversight_sweep
    from kttc.oversight.tasks import statistics_refresh

    settings.KTTC_BROKER_URL = "redis://127.0.0.1:1/0"
    queued = []
    monkeypatch.setattr(tasks, "enqueue", lambda job, *args: queued.append((job, args)))
    counts = oversight_sweep.run(date(2026, 5, 1))
    assert queued == [(statistics_refresh, ("2026-05-01",))]
    assert counts["statistics_refresh_queued"] == 1 and "statistics_rows" not in counts
    assert tasks.app.conf.task_routes[statistics_refresh.name] == {"queue": tasks.LONG_QUEUE}


def test_a_chain_is_sent_as_one_message_whose_steps_follow_on_success():
    # One message through the producer of the broker named in the settings: a web process that
    # never configured the app sends it all the same; the worker sends each next step.
    from kttc.core.tasks.queue import _linked

    head = _linked((record.si("one"), record.si("two"), record.si("three")))
    second = head.options["link"][0]
    assert (head.task, head.args, second.args) == (record.name, ("one",), ("two",))
    assert second.options["link"][0].args == ("three",)


def test_the_worker_needs_a_broker_and_sane_options(settings):
    with pytest.raises(CommandError, match="KTTC_BROKER_URL"):
        call_command("worker")
    settings.KTTC_BROKER_URL = "redis://127.0.0.1:1/0"
    with pytest.raises(CommandError, match="--concurrency"):
        call_command("worker", "--concurrency", "0")
    with pytest.raises(CommandError, match="--queues"):
        call_command("worker", "--queues", "other")


def test_the_worker_starts_celery_on_both_queues_and_with_beat_schedules_the_sweep(
    settings, monkeypatch
):
    settings.KTTC_BROKER_URL = "redis://127.0.0.1:1/0"
    started: list[list[str]] = []
    monkeypatch.setattr(tasks.app, "worker_main", lambda argv: started.append(argv))
    call_command("worker", "--beat")
    call_command("worker", "--queues", "kttc.long", "--concurrency", "4")
    beat, long = started
    assert "--queues=kttc,kttc.long" in beat and "--beat" in beat
    assert "--queues=kttc.long" in long and "--concurrency=4" in long and "--beat" not in long
    assert tasks.app.conf.broker_url == "redis://127.0.0.1:1/0"
    assert "kttc.registry.import" in tasks.app.tasks  # every part's tasks loaded


def test_every_task_is_registered_for_the_worker():
    tasks.load_tasks()
    names = set(tasks.app.tasks)
    assert {
        "kttc.notifications.email_now",
        "kttc.sweep",
        "kttc.sweep.part",
        "kttc.sweep.finish",
        "kttc.registry.import",
        "kttc.registry.bulk",
        "kttc.registry.export",
        "kttc.oversight.statistics_refresh",
    } <= names
    app = tasks.configure()
    schedule = app.conf.beat_schedule["daily-sweep"]
    assert schedule["task"] == "kttc.sweep"
    assert (schedule["schedule"].hour, schedule["schedule"].minute) == ({1}, {0})
    assert app.conf.timezone == "Asia/Shanghai"


def test_metrics_show_no_queue_depth_without_a_broker_and_minus_one_when_it_is_down(
    client, settings, db
):
    settings.KTTC_METRICS_TOKEN = "t" * 40
    header = {"HTTP_AUTHORIZATION": "Bearer " + "t" * 40}
    assert "kttc_queue_depth" not in client.get("/metrics", **header).content.decode()
    settings.KTTC_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    text = client.get("/metrics", **header).content.decode()
    assert 'kttc_queue_depth{queue="kttc"} -1.0' in text
    assert 'kttc_queue_depth{queue="kttc.long"} -1.0' in text


# --- the upload page's import ------------------------------------------------------------------


def _xlsx(rows: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in importing.COLUMNS])
    for n in range(rows):
        values = {c.key: c.example for c in importing.COLUMNS}
        values["name"] = f"队列导入成果{n}"
        values["external_ref"] = f"Q-{n}"
        values["project_number"] = ""  # no fiscal project
        sheet.append([values[c.key] for c in importing.COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, personas, rows: int = 3) -> str:
    """Upload a file as the transfer office; the job's id."""
    client.force_login(personas.transfer_office)
    file = io.BytesIO(_xlsx(rows))
    file.name = "成果.xlsx"
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    response = client.post(reverse("registry:import"), {"file": file, "unit": unit.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(Job.objects.get(kind="import").pk)


@pytest.mark.django_db(transaction=True)
def test_with_a_broker_the_page_queues_the_import_and_a_second_run_changes_nothing(
    client, personas, settings, monkeypatch
):
    settings.KTTC_BROKER_URL = "redis://127.0.0.1:1/0"
    queued = []
    monkeypatch.setattr(tasks, "enqueue", lambda job, *args: queued.append((job, args)))
    job_id = upload(client, personas)
    client.cookies["django_language"] = "en"
    run = reverse("registry:import_run", args=[job_id])
    status = client.post(run, HTTP_ACCEPT="application/json").json()
    assert (status["state"], status["phase"], status["done"]) == ("ready", "queued", 0)
    assert "waiting for a worker" in status["message"]
    assert queued == [(run_import_job, (job_id,))] and not Achievement.objects.exists()

    assert run_import_job(job_id) is True, Job.objects.get(pk=job_id).outcome
    assert run_import_job(job_id) is False  # the same message delivered again
    assert Achievement.objects.count() == 3, Job.objects.get(pk=job_id).outcome
    done = client.get(reverse("registry:import_status", args=[job_id])).json()
    assert (done["state"], done["done"], done["total"]) == ("done", 3, 3)
    assert Job.objects.get(pk=job_id).file is None  # a stored file keeps only its outcome


@pytest.mark.django_db(transaction=True)
def test_a_transient_error_gives_the_import_back_for_a_retry(client, personas, monkeypatch):
    from django.db.utils import OperationalError

    from kttc.registry.importing import jobs

    job_id = upload(client, personas)
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("the database went away")
        return original(**kwargs)

    original = jobs.run_import
    monkeypatch.setattr(jobs, "run_import", flaky)
    with pytest.raises(OperationalError):
        run_import_job(job_id)
    job = Job.objects.get(pk=job_id)
    assert job.state == Job.State.READY and not Achievement.objects.exists()
    assert run_import_job(job_id) is True
    assert Achievement.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_progress_written_during_the_import_transaction_is_seen_by_a_poll(client, personas):
    from kttc.registry.importing import jobs

    job_id = upload(client, personas, rows=10)
    job = Job.objects.get(pk=job_id)
    assert jobs.claim(job) and not jobs.claim(job)  # claimed once
    tick = jobs._Progress(job)
    try:
        with transaction.atomic():  # as the import's own transaction
            tick("store", 4, 10)
            seen = jobs.status(Job.objects.get(pk=job_id))
    finally:
        tick.close()
    assert (seen["state"], seen["phase"]) == ("running", "store")
    assert (seen["done"], seen["total"]) == (4, 10)
