"""Fast patent pre-examination in a real browser (M11.1), at a desktop's and a phone's width:
the enterprise files a request with its document; the center's staff accept it into the queue,
forward it with the national reference and record the outcome; the enterprise sees it passed."""

from __future__ import annotations

import pytest

from kttc.center.ip_services.models import PreExamination
from kttc.policy import calendar
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_m11_1_a_request_walks_through_the_queue(browser, live_server, personas, artifacts, device):
    viewport = VIEWPORTS[device]
    applicant_context = browser.new_context(locale="zh-CN", viewport=viewport)
    staff_context = browser.new_context(locale="zh-CN", viewport=viewport)
    try:
        applicant = applicant_context.new_page()
        sign_in(applicant, live_server, personas.enterprise)
        applicant.goto(f"{live_server.url}/office/pre-examination/")
        applicant.fill("#id_title", "基于视觉引导的工业机器人抓取装置")
        applicant.select_option("#id_kind", "utility_model")
        applicant.fill("#id_industry_code", "C3491")
        applicant.set_input_files(
            "#id_document_claims",
            files=[
                {"name": "claims.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 claims"}
            ],
        )
        applicant.locator("main form[method=post] button[type=submit]").click()
        expect(applicant.locator("[data-status]").first).to_have_attribute(
            "data-status", "submitted"
        )
        expect(applicant.locator("#documents li")).to_have_count(1)
        request = PreExamination.objects.get()
        detail = f"{live_server.url}/office/pre-examination/{request.pk}/"

        staff = staff_context.new_page()
        sign_in(staff, live_server, personas.bureau)
        staff.goto(f"{live_server.url}/office/pre-examination/queue/")
        staff.locator("#queue a", has_text="工业机器人抓取装置").click()
        staff.locator("form[action$='/accept/'] button[type=submit]").click()
        expect(staff.locator("[data-status]").first).to_have_attribute("data-status", "accepted")
        expect(staff.locator("[data-due]")).to_be_visible()
        staff.fill("#id_reference", "YS5320261204001")
        staff.locator("form[action$='/forward/'] button[type=submit]").click()
        expect(staff.locator("[data-status]").first).to_have_attribute("data-status", "forwarded")
        staff.select_option("#id_passed", "1")
        staff.fill("#id_decided_on", calendar.today_in_shanghai().isoformat())
        staff.locator("form[action$='/outcome/'] button[type=submit]").click()
        expect(staff.locator("[data-status]").first).to_have_attribute("data-status", "passed")
        staff.screenshot(path=artifacts / f"m11-1-staff-{device}.png", full_page=True)

        applicant.goto(detail)
        expect(applicant.locator("[data-status]").first).to_have_attribute("data-status", "passed")
        expect(applicant.locator("main")).to_contain_text("YS5320261204001")
        expect(applicant.locator("form[action$='/accept/']")).to_have_count(0)
        applicant.screenshot(path=artifacts / f"m11-1-applicant-{device}.png", full_page=True)
        request.refresh_from_db()
        assert (request.status, request.reference) == ("passed", "YS5320261204001")
    finally:
        applicant_context.close()
        staff_context.close()
