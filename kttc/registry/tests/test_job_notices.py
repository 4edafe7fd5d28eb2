"""Long work on the task queue from the person's side (M8.6): with a broker a bulk action and an
export wait for a worker (their panel says so), run once however often the message comes, in
their owner's language, and a run that stopped moving reads as interrupted; the person who
started an import, a bulk action or an export a worker ran is told when it ends, alone, in their
language, with a link to its page (DESIGN rule 12). The same work run in the request tells
nobody: the person watches it."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from kttc.core import jobs as core_jobs
from kttc.core import tasks
from kttc.core.models import AuditEntry, Job, Notification
from kttc.core.notifications.preferences import preferences_set
from kttc.policy import calendar
from kttc.policy.roles import Role
from kttc.registry import job_notices
from kttc.registry.achievements import services
from kttc.registry.importing import export_jobs
from kttc.registry.importing import jobs as import_jobs
from kttc.registry.tasks import run_bulk_job, run_export_job, run_import_job
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement
from tests.test_task_queue import upload

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
CJK = re.compile("[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def queued(settings, monkeypatch):
    """A broker configured, and the steps it would have been sent (none is sent)."""
    settings.KTTC_BROKER_URL = "redis://127.0.0.1:1/0"
    sent: list = []
    monkeypatch.setattr(tasks, "enqueue_chain", lambda *steps: sent.extend(steps))
    return sent


def draft_result(personas, name):
    data = validate_achievement(achievement_raw(name=name), today=calendar.today_in_shanghai())
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    return services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)


def _jobs_sent(sent, name):
    return [step.args[0] for step in sent if step.task == name]


def test_with_a_broker_a_bulk_action_waits_for_a_worker_and_runs_once_in_its_owners_language(
    client, personas, queued
):
    drafts = [draft_result(personas, f"普洱茶{n}") for n in range(3)]
    services.achievement_submit(actor=personas.transfer_office, achievement=drafts[0])
    office = personas.transfer_office
    office.preferred_language = "zh-hans"
    office.save(update_fields=["preferred_language"])
    client.force_login(office)
    client.cookies["django_language"] = "en"  # the page in English, the owner's usual Chinese
    form = {"action": "submit", "scope": "all", "q": "普洱茶"}
    client.post(reverse("registry:achievements_bulk"), form, **HTMX)
    job = Job.objects.get()
    run = reverse("registry:bulk_run", args=[job.pk])
    panel = client.post(run, **HTMX).content.decode()
    assert "Waiting for a worker" in panel and "hx-post" not in panel
    assert 'aria-live="polite"' in panel and 'aria-labelledby="bulk-job-title"' in panel
    client.post(run, **HTMX)  # another tab: not queued twice
    assert _jobs_sent(queued, "kttc.registry.bulk") == [str(job.pk)]
    polled = client.get(reverse("registry:bulk_job", args=[job.pk]), **HTMX)
    assert polled.status_code == 200 and "Waiting for a worker" in polled.content.decode()

    assert run_bulk_job(str(job.pk)) is True
    entries = AuditEntry.objects.count()
    assert run_bulk_job(str(job.pk)) is False  # the message delivered again
    assert AuditEntry.objects.count() == entries
    job.refresh_from_db()
    assert (job.state, job.outcome["done"], job.outcome["refused_count"]) == ("done", 2, 1)
    reason = job.outcome["refused"][0][2]
    assert reason and not CJK.search(reason)  # in the language of the page that queued it
    finished = client.get(reverse("registry:bulk_job", args=[job.pk]), **HTMX)
    assert finished.status_code == 286 and "Done for 2 of 3 results." in finished.content.decode()

    notice = Notification.objects.get(kind=job_notices.KIND)
    assert notice.recipient == office and notice.link == reverse("registry:bulk_job", args=[job.pk])
    with translation.override("en"):
        assert notice.subject_text == "Bulk action finished (changed: 2 of 3)"
        assert notice.body_text.startswith("Changed: 2 of the results you chose (3); not changed")


def test_without_a_script_a_queued_export_shows_its_page_then_its_file_on_the_long_queue(
    client, personas, queued, monkeypatch
):
    monkeypatch.setattr(export_jobs, "LARGE", 2)
    for n in range(3):
        draft_result(personas, f"滇红茶{n}")
    client.force_login(personas.transfer_office)
    client.cookies["django_language"] = "en"
    answer = client.post(reverse("registry:export"), {"scope": "all", "q": "滇红茶"})
    job = Job.objects.get()
    page_url = reverse("registry:export_job", args=[job.pk])
    assert answer.status_code == 302 and answer["Location"] == page_url
    assert "reload it to see where it stands" in client.get(page_url).content.decode()
    (step,) = queued
    assert step.task == "kttc.registry.export" and step.options["queue"] == tasks.LONG_QUEUE

    assert run_export_job(str(job.pk)) is True
    assert run_export_job(str(job.pk)) is False
    page = client.get(page_url).content.decode()
    assert "3 results exported" in page and reverse("registry:export_file", args=[job.pk]) in page
    notice = Notification.objects.get(kind=job_notices.KIND)
    assert notice.recipient == personas.transfer_office and notice.link == page_url
    with translation.override("en"):
        assert notice.subject_text == "Export ready (results: 3)"


def test_an_import_a_worker_ran_tells_its_uploader_alone_in_their_language(
    client, personas, django_capture_on_commit_callbacks
):
    job_id = upload(client, personas, rows=3)
    office = personas.transfer_office
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import_job(job_id) is True
    assert run_import_job(job_id) is False  # told once
    notice = Notification.objects.get(kind=job_notices.KIND)
    assert notice.recipient == office
    assert notice.link == reverse("registry:import_job", args=[job_id])
    with translation.override("en"):
        assert notice.subject_text == "Import stored: 成果.xlsx"
        assert "Rows stored: 3 (new results: 3; changed: 0)" in notice.body_text
    with translation.override("zh-hans"):
        assert CJK.search(notice.body_text.replace("成果.xlsx", ""))
    assert [m.to for m in mail.outbox] == [[office.email]]  # at once, to the uploader alone
    with translation.override(office.preferred_language):
        assert mail.outbox[0].subject == "KTTC: " + notice.subject_text


def test_a_refused_import_says_how_many_problems_and_a_kind_turned_off_is_not_mailed(
    client, personas, monkeypatch, django_capture_on_commit_callbacks
):
    job_id = upload(client, personas, rows=2)
    preferences_set(user=personas.transfer_office, changes={job_notices.KIND: "off"})

    def broken(**_):
        raise ValueError("a bug")

    monkeypatch.setattr(import_jobs, "run_import", broken)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import_job(job_id) is True
    notice = Notification.objects.get(kind=job_notices.KIND)
    with translation.override("en"):
        assert notice.subject_text == "Import refused: 成果.xlsx"
        assert "Problems found: 1." in notice.body_text
    assert notice.read_at is not None and not mail.outbox  # off: kept, read, never e-mailed


def test_work_run_in_the_request_tells_nobody(client, personas):
    job_id = upload(client, personas, rows=2)
    client.post(reverse("registry:import_run", args=[job_id]), HTTP_ACCEPT="application/json")
    draft_result(personas, "咖啡0")
    client.post(reverse("registry:achievements_bulk"), {"action": "submit", "scope": "all"})
    assert Job.objects.filter(state="done").count() == 2
    assert not Notification.objects.filter(kind=job_notices.KIND).exists()


def test_a_run_whose_progress_stopped_moving_reads_as_interrupted(client, personas):
    draft_result(personas, "三七0")
    client.force_login(personas.transfer_office)
    client.cookies["django_language"] = "en"
    client.post(reverse("registry:achievements_bulk"), {"action": "submit", "scope": "all"}, **HTMX)
    job = Job.objects.get()
    assert core_jobs.claim(job)
    panel = client.get(reverse("registry:bulk_job", args=[job.pk]), **HTMX)
    assert panel.status_code == 200  # running: the panel goes on polling
    Job.objects.filter(pk=job.pk).update(outcome={"at": time.time() - core_jobs.STALE_RUN - 1})
    panel = client.get(reverse("registry:bulk_job", args=[job.pk]), **HTMX)
    assert panel.status_code == 286 and "The work was interrupted" in panel.content.decode()
