"""An IP pledge loan in a real browser (M12.1, M10.1), on a desktop and on a phone: the
enterprise finds the bank's pledge loan on the public products page and applies, pledging the
granted patent of its own result; the bank reads the pledged result on the application, approves
with the pledge's registration number, the repayment schedule shows, and the bank records the
first repayment against it."""

from __future__ import annotations

import pytest

from kttc.center.finance.models import FinanceApplication, Instalment
from kttc.center.finance.tests.factories import PATENT, enterprise_result, product
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe


def _serious(page) -> list[str]:
    """axe-core's serious or critical violations on the page, as in test_accessibility."""
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v["impact"] in {"serious", "critical"}]


SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", sorted(SIZES))
def test_m12_1_a_pledge_loan_is_applied_for_approved_scheduled_and_repaid(
    browser, live_server, personas, artifacts, size
):
    enterprise_result(personas)
    found = product(personas)
    viewport = SIZES[size]
    enterprise_context = browser.new_context(locale="en-US", viewport=viewport)
    bank_context = browser.new_context(locale="en-US", viewport=viewport)
    try:
        page = enterprise_context.new_page()
        sign_in(page, live_server, personas.enterprise)
        page.goto(f"{live_server.url}/finance/?kind=pledge_loan")
        assert _serious(page) == []
        card = page.locator(f'[data-product="{found.pk}"]')
        expect(card).to_contain_text("IP pledge loan")
        card.get_by_role("link", name="Apply").click()
        page.fill("#id_amount", "800000")
        page.fill("#id_term", "24")
        page.fill("#id_purpose", "Pilot production line")
        page.check(f'input[name="patents"][value="{PATENT}"]')
        page.screenshot(path=artifacts / f"finance-apply-{size}.png", full_page=True)
        assert _serious(page) == []
        page.get_by_role("button", name="Send to the bank").click()
        expect(page.locator("[data-status]").first).to_have_attribute("data-status", "submitted")
        application = FinanceApplication.objects.get()
        assert [p.patent_number for p in application.pledges.all()] == [PATENT]

        bank = bank_context.new_page()
        sign_in(bank, live_server, personas.financial_institution)
        bank.goto(f"{live_server.url}/office/finance/bank/")
        bank.locator(f'#waiting [data-application="{application.pk}"] a').click()
        expect(bank.locator(f'[data-pledge="{PATENT}"]')).to_contain_text("ZL" + PATENT)
        bank.fill("#id_approve-amount", "800000")
        bank.fill("#id_approve-rate", "3.85")
        bank.fill("#id_approve-term", "24")
        bank.select_option("#id_approve-method", "equal_principal")
        bank.fill("#id_approve-registration_number", "KM-ZY-2026-0101")
        bank.get_by_role("button", name="Approve", exact=True).click()
        expect(bank.locator("#schedule tbody tr")).to_have_count(24)
        expect(bank.locator("[data-registration]")).to_contain_text("KM-ZY-2026-0101")
        expect(bank.locator(f'[data-pledge="{PATENT}"]')).to_have_attribute("data-state", "active")
        first = Instalment.objects.get(application=application, number=1)
        bank.fill("#id_repay-amount", str(first.amount))
        bank.get_by_role("button", name="Record the repayment").click()
        expect(bank.locator("#repayments [data-repayment]")).to_have_count(1)
        expect(bank.locator('[data-instalment="1"] [data-paid]')).not_to_have_text("0.00")
        bank.screenshot(path=artifacts / f"finance-schedule-{size}.png", full_page=True)
        bank.reload()  # without the flash message (its list item carries role="status")
        assert _serious(bank) == []
        bank.goto(f"{live_server.url}/office/finance/bank/")
        assert _serious(bank) == []
        first.refresh_from_db()
        assert first.paid == first.amount

        page.reload()
        expect(page.locator("#schedule tbody tr")).to_have_count(24)
        expect(page.locator("#repayments [data-repayment]")).to_have_count(1)
    finally:
        enterprise_context.close()
        bank_context.close()
