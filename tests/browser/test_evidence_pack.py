"""M14.1: the evidence pack of the demo licence in a real browser, in Chinese. The university's
transfer office opens the licence, its evidence pack's page, and downloads the zip; an auditor on
a phone does the same from the audit page's row. Each zip, unzipped, verifies with its own
verify.py run by a plain, isolated Python (no platform on its path)."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from kttc.core.demo import DEMO_PASSWORD
from kttc.core.models import AuditEntry
from tests.browser.test_accessibility import _blocking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else "python3"


@pytest.fixture
def demo(settings, tmp_path):
    from kttc.core import integrity
    from kttc.core.demo import load_demo
    from kttc.reform import demo as reform_demo
    from kttc.registry import demo as registry_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    registry_demo.load_demo()
    reform_demo.load_demo()
    integrity.checkpoint_record()


def _page(browser, device):
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[device], accept_downloads=True)
    context.set_default_timeout(15_000)
    return context.new_page()


def _sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/office/")


def _download_and_verify(page, folder: Path) -> str:
    with page.expect_download() as download:
        page.click("#download-zip")
    path = folder / "pack.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder / "pack")
    run = subprocess.run(
        [PYTHON, "-I", "verify.py"],
        cwd=folder / "pack",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def test_m14_1_office_and_auditor_download_the_licences_pack_and_it_verifies(
    browser, live_server, demo, artifacts, tmp_path
):
    licence = AuditEntry.objects.get(action="licence.conclude")

    page = _page(browser, "desktop")
    try:
        _sign_in(page, live_server, "office@demo.kttc.example")
        page.goto(f"{live_server.url}/office/licences/{licence.object_id}/")
        page.click("#evidence-pack")
        page.wait_for_url(f"**/office/evidence/{licence.seq}/")
        expect(page.locator("h1")).to_contain_text("证据包")
        expect(page.locator("#clauses")).to_contain_text("M3.2")
        expect(page.locator("#basis")).to_contain_text("M8.6")  # the result's registration
        expect(page.locator("#decision code.hash")).to_have_text(licence.hash)
        page.screenshot(path=artifacts / "evidence-pack-desktop.png", full_page=True)
        assert _download_and_verify(page, tmp_path / "office").startswith("VERIFIED")
    finally:
        page.context.close()

    page = _page(browser, "phone")
    try:
        _sign_in(page, live_server, "auditor@demo.kttc.example")
        page.goto(f"{live_server.url}/office/audit/?action=licence.conclude")
        page.locator("table.audit a.evidence-pack").first.click()
        page.wait_for_url(f"**/office/evidence/{licence.seq}/")
        expect(page.locator("#checkpoint")).to_contain_text("#")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTHS["phone"]["width"]
        assert _blocking(Axe(), page) == []
        page.screenshot(path=artifacts / "evidence-pack-phone.png", full_page=True)
        assert _download_and_verify(page, tmp_path / "auditor").startswith("VERIFIED")
    finally:
        page.context.close()
    assert AuditEntry.objects.filter(action="evidence.pack_drawn").count() == 2
