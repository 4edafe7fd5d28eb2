"""M14.1: an auditor works through the audit record in a real browser, on a phone and on a
desktop: filters by clause and day, pages through the entries, and downloads them as xlsx."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kttc.core import services
from kttc.core.models import AuditEntry
from kttc.policy.calendar import today_in_shanghai
from kttc.policy.roles import Role
from tests.browser.test_accessibility import _blocking
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def _record(personas, clauses: list[str], n: int) -> list[AuditEntry]:
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    entries = []
    for i in range(n):
        with services.decision_transaction():
            entries.append(
                services.audit_record(
                    actor=personas.bureau,
                    organisation=unit,
                    action="organisation.verify",
                    obj=unit,
                    before={"step": i},
                    after={"step": i + 1},
                    clauses=clauses,
                )
            )
    return entries


@pytest.mark.parametrize("device", list(WIDTHS))
def test_m14_1_auditor_filters_by_clause_and_day_pages_and_downloads_the_xlsx(
    browser, live_server, personas, artifacts, settings, device
):
    settings.KTTC_PAGE_SIZE = 2
    wanted = _record(personas, ["M3.2", "M14.1"], 3)
    _record(personas, ["M5.1"], 2)
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[device], accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, personas.auditor)
        page.goto(f"{live_server.url}/office/audit/")
        form = page.locator("form#audit-filters")
        form.locator("input[name=clause]").fill("M3.2")
        today = today_in_shanghai().isoformat()
        form.locator("input[name=date_from]").fill(today)
        form.locator("input[name=date_to]").fill(today)
        form.locator("button[type=submit]").click()
        page.wait_for_url("**clause=M3.2**")

        rows = page.locator("table.audit > tbody > tr")
        expect(rows).to_have_count(2)
        full_hash = page.locator("table.audit code.hash").first
        expect(full_hash).to_have_text(wanted[-1].hash)
        assert full_hash.bounding_box()["width"] <= WIDTHS[device]["width"]
        page.locator("table.audit details summary").first.click()
        expect(page.locator("table.audit details ins").first).to_be_visible()
        page.screenshot(path=artifacts / f"audit-filtered-{device}.png", full_page=True)
        assert _blocking(Axe(), page) == []

        page.locator("nav.pagination a[rel=next]").click()
        page.wait_for_url("**page=2**")
        assert "clause=M3.2" in page.url
        expect(rows).to_have_count(1)
        expect(page.locator("table.audit code.hash").first).to_have_text(wanted[0].hash)

        with page.expect_download() as download:
            page.locator("a#export-xlsx").click()
        book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
        body = list(book.active.iter_rows(values_only=True))[1:]
        assert sorted(int(r[0]) for r in body) == sorted(e.seq for e in wanted)
        assert {r[-2] for r in body} == {e.hash for e in wanted}
    finally:
        context.close()
