"""Work waiting for a worker of the task queue, in a real browser (M8.6): with a broker and no
worker running, the import page and the results list's bulk panel say the work waits for one,
with the progress named and said in a live region, on a desk and on a phone, without scrolling
sideways. Nothing is sent to the broker (no Redis or worker is needed)."""

from __future__ import annotations

import pytest

from kttc.core import tasks
from kttc.registry.tests.test_job_notices import draft_result
from tests.browser.test_back_office import sign_in
from tests.test_task_queue import _xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def no_worker(settings, monkeypatch, tmp_path):
    """A broker configured, but the work never sent: it stays queued."""
    settings.KTTC_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(tasks, "enqueue_chain", lambda *steps: None)
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: None)


@pytest.mark.parametrize("width", [1280, 390])
def test_queued_work_says_it_waits_for_a_worker(
    page, live_server, personas, artifacts, no_worker, width
):
    for n in range(3):
        draft_result(personas, f"排队成果{n}")
    page.set_viewport_size({"width": width, "height": 844})
    sign_in(page, live_server, personas.transfer_office)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])

    page.goto(f"{live_server.url}/office/registry/import/")
    upload = {"name": "queued.xlsx", "mimeType": "application/octet-stream", "buffer": _xlsx(4)}
    page.set_input_files("input[type=file]", upload)
    with page.expect_navigation():
        page.locator("main form[enctype] button[type=submit]").click()
    expect(page.locator("#import-status")).to_contain_text("4 rows are waiting for a worker")
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
    expect(page.locator("#import-announce[role=status]")).to_contain_text("waiting for a worker")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=artifacts / f"queued-import-{width}.png", full_page=True)

    page.goto(f"{live_server.url}/office/registry/?status=draft")
    bar = page.locator("fieldset.bulk-bar")
    bar.locator("input[name=scope][value=all]").check()
    bar.locator("#bulk-submit").click()
    panel = page.locator("#bulk-job")
    expect(panel).to_contain_text("Waiting for a worker to start it: the work runs")
    expect(panel.get_by_role("progressbar", name="Submit to the center")).to_be_visible()
    expect(page.locator("#bulk-job-announce[aria-live=polite]")).to_have_text(
        "Waiting for a worker to start it."
    )
    page.wait_for_timeout(2500)  # a poll later it still waits, and says so
    expect(panel).to_contain_text("Waiting for a worker")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=artifacts / f"queued-bulk-{width}.png", full_page=False)
