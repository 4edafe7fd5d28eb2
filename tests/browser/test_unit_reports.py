"""M13.3 in a real browser: the unit's office opens its pre-filled report, corrects a figure (a
reason is asked for beside the figure, then given) and submits on a desktop; the bureau returns
it with a reason; the office, on a phone, reads why and submits again; the bureau accepts it and
downloads it as xlsx, which holds the platform's figure, the figure filed and the reason; axe
finds nothing serious on the form at either width."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kttc.oversight.reports.models import UnitReport
from kttc.oversight.reports.tests.factories import filled, period, records, report_of
from tests.browser.test_accessibility import _blocking
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
REASON = "许可合同补充协议增加一万元，平台尚未录入"


def _context(browser, viewport):
    context = browser.new_context(locale="en-US", viewport=viewport, accept_downloads=True)
    context.set_default_timeout(15_000)
    return context


def test_m13_3_a_report_is_corrected_submitted_returned_resubmitted_on_a_phone_and_accepted(
    browser, live_server, personas, artifacts
):
    records(personas)
    report = report_of(personas, period(personas))
    axe = Axe()
    office = _context(browser, DESKTOP)
    try:
        page = office.new_page()
        sign_in(page, live_server, personas.transfer_office)
        page.locator("a#nav-unit-reports").click()
        page.locator(f"#my-reports tr[data-report='{report.pk}'] a").click()
        page.get_by_role("link", name="Correct and submit the report").click()
        row = page.locator("#figures-form tr[data-field=licences_amount]")
        expect(row.locator("td[data-platform]")).to_contain_text("80000.00")
        expect(page.locator("#id_v_transfers_amount")).to_have_value("300000.50")
        assert _blocking(axe, page) == []
        page.fill("#id_v_licences_amount", "90000")
        for code, (value, _reason) in filled().items():
            page.fill(f"#id_v_{code}", value)
        page.get_by_role("button", name="Submit to the bureau").click()
        error = row.locator(".error")
        expect(error).to_contain_text("M13.3")
        expect(error).to_contain_text("say why")
        page.fill("#id_r_licences_amount", REASON)
        page.get_by_role("button", name="Submit to the bureau").click()
        expect(page.locator("[data-status]").first).to_have_attribute("data-status", "submitted")
        expect(page.locator("#figures tr[data-field=licences_amount] [data-reason]")).to_have_text(
            REASON
        )
        page.screenshot(path=artifacts / "m13-3-submitted.png", full_page=True)
    finally:
        office.close()

    bureau = _context(browser, DESKTOP)
    try:
        page = bureau.new_page()
        sign_in(page, live_server, personas.bureau)
        page.locator("a#nav-unit-reports").click()
        page.locator("#periods a").first.click()
        expect(page.locator(f"#units tr[data-unit='{report.unit_id}']")).to_have_attribute(
            "data-filing", "filed"
        )
        page.locator(f"#units tr[data-unit='{report.unit_id}'] a").click()
        page.fill("#id_return-reason", "研发人员数与统计年报不一致，请核实。")
        page.get_by_role("button", name="Return the report to the unit").click()
        expect(page.locator("[data-status]").first).to_have_attribute("data-status", "returned")
    finally:
        bureau.close()

    phone = _context(browser, PHONE)
    try:
        page = phone.new_page()
        sign_in(page, live_server, personas.transfer_office)
        page.goto(f"{live_server.url}/office/unit-reports/{report.pk}/edit/")
        expect(page.locator("#return-reason")).to_contain_text("研发人员数与统计年报不一致")
        expect(page.locator("#id_r_licences_amount")).to_have_value(REASON)
        assert _blocking(axe, page) == []
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width  # the form keeps to the phone's width
        page.fill("#id_v_rd_staff", "318")
        page.get_by_role("button", name="Submit to the bureau").click()
        expect(page.locator("[data-status]").first).to_have_attribute("data-status", "submitted")
        page.screenshot(path=artifacts / "m13-3-resubmitted-phone.png", full_page=True)
    finally:
        phone.close()

    bureau = _context(browser, DESKTOP)
    try:
        page = bureau.new_page()
        sign_in(page, live_server, personas.bureau)
        page.goto(f"{live_server.url}/office/unit-reports/{report.pk}/")
        page.get_by_role("button", name="Accept the report").click()
        expect(page.locator("[data-status]").first).to_have_attribute("data-status", "accepted")
        expect(page.locator("#history [data-event]")).to_have_count(5)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download (xlsx)").click()
        sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
        rows = [r for r in sheet.iter_rows(values_only=True) if len(r) > 7 and r[7] == REASON]
        assert [(Decimal(r[5]), Decimal(r[6])) for r in rows] == [
            (Decimal("80000.00"), Decimal("90000.00"))
        ]
    finally:
        bureau.close()
    assert UnitReport.objects.get(pk=report.pk).status == "accepted"
