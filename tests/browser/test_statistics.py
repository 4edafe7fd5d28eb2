"""M13.3, M8.5: the bureau works with the statistics in a real browser, on a desktop and on a
phone: switches a breakdown, drills down from a row to the contracts behind it and downloads
the table as xlsx; the public page shows its charts and tables; axe finds nothing serious."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kttc.oversight.statistics import services
from kttc.oversight.statistics.tests.factories import TODAY, world
from tests.browser.test_accessibility import _blocking
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def test_m13_3_the_bureau_breaks_down_drills_down_and_downloads_on_desktop_and_phone(
    browser, live_server, personas, artifacts
):
    found = world(personas)
    services.statistics_refresh(today=TODAY)
    axe = Axe()
    for device, viewport in WIDTHS.items():
        context = browser.new_context(locale="zh-CN", viewport=viewport, accept_downloads=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            sign_in(page, live_server, personas.bureau)
            page.locator("a#nav-statistics").click()
            page.wait_for_url("**/office/statistics/")
            expect(
                page.locator("figure[data-chart=results_registered] svg[role=img]:visible")
            ).to_have_count(1)
            page.select_option("select#measure", "transfers")
            page.select_option("select#by", "country")
            page.locator("form#breakdown-form button[type=submit]").click()
            page.wait_for_url("**by=country**")
            # one drawing shown: the desktop's or the phone's
            svg = page.locator("figure[data-chart=transfers] svg:visible")
            expect(svg).to_have_count(1)
            assert ("narrow" in svg.get_attribute("class")) == (device == "phone")
            assert svg.bounding_box()["width"] <= viewport["width"]
            rows = page.locator("table[data-figures=transfers] tbody tr")
            expect(rows).to_have_count(2)
            page.screenshot(path=artifacts / f"statistics-{device}.png", full_page=True)
            assert _blocking(axe, page) == []

            with page.expect_download() as download:
                page.locator("a#export").click()
            sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
            assert {r[0] for r in list(sheet.iter_rows(values_only=True))[2:]} == {"LA", "CN"}

            page.locator("table[data-figures=transfers] tr[data-key=LA] a").click()
            page.wait_for_url("**/office/statistics/rows/**")
            link = page.locator("table#rows a")
            expect(link).to_have_count(1)
            link.click()
            page.wait_for_url(f"**/office/contracts/{found.transfer_published.pk}/")

            page.goto(f"{live_server.url}/statistics/?by=country")
            expect(
                page.locator("figure[data-chart=public_contracts] svg[role=img]:visible")
            ).to_have_count(1)
            expect(page.locator("#totals tr[data-measure=countries] td[data-total]")).to_have_text(
                "2"
            )
            page.screenshot(path=artifacts / f"statistics-public-{device}.png", full_page=True)
            assert _blocking(axe, page) == []
        finally:
            context.close()
