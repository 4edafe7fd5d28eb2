"""Innovation vouchers in a real browser (M12.2, M9.1): the bureau opens a programme on a
desktop; an enterprise applies on a phone; the bureau issues the voucher; the enterprise
presents it to a certified service institution, which redeems it against its invoice; the
programme's report shows the amounts, adding up to the budget, at desktop and phone width."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kttc.center.vouchers.models import Voucher, VoucherApplication, VoucherProgramme
from kttc.center.vouchers.tests.factories import institution
from kttc.policy import calendar
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _page(browser, live_server, person, viewport):
    context = browser.new_context(locale="en-US", viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, live_server, person)
    return context, page


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1


def test_m12_2_a_voucher_from_programme_to_report(browser, live_server, personas, artifacts):
    today = calendar.today_in_shanghai()
    certified = institution(personas)
    url = f"{live_server.url}/office/vouchers"
    contexts = []
    try:
        bureau_context, bureau = _page(browser, live_server, personas.bureau, DESKTOP)
        contexts.append(bureau_context)
        bureau.goto(f"{url}/programmes/")
        bureau.fill("#id_name", "科技创新券（检测）")
        bureau.fill("#id_budget", "100000")
        bureau.check("#id_services_3")  # testing
        bureau.check("#id_services_1")  # IP services
        bureau.select_option("#id_value_mode", "maximum")
        bureau.fill("#id_value", "20000")
        bureau.fill("#id_opens_on", today.isoformat())
        bureau.fill("#id_closes_on", (today + timedelta(days=30)).isoformat())
        bureau.fill("#id_valid_until", (today + timedelta(days=120)).isoformat())
        bureau.click("#programme-submit")
        expect(bureau.locator("h1")).to_have_text("科技创新券（检测）")
        programme = VoucherProgramme.objects.get()

        company_context, company = _page(browser, live_server, personas.enterprise, PHONE)
        contexts.append(company_context)
        company.goto(f"{url}/mine/")
        company.select_option("#id_service", "testing")
        company.fill("#id_amount", "25000")
        company.fill("#id_purpose", "委托检测电池隔膜的热稳定性")
        company.click("#apply-submit")
        expect(company.locator("#error-summary")).to_contain_text("M12.2")
        company.fill("#id_amount", "15000")
        company.click("#apply-submit")
        expect(company.locator("#applications")).to_contain_text("Waiting for the bureau")
        _no_sideways_scroll(company)
        application = VoucherApplication.objects.get()

        bureau.goto(f"{url}/programmes/")
        bureau.click(f"#waiting a[href$='/applications/{application.pk}/']")
        bureau.fill("#id_value", "12000")
        bureau.click("#issue-submit")
        expect(bureau.locator("#voucher-code")).to_be_visible()
        voucher = Voucher.objects.get()

        company.goto(f"{url}/mine/")
        expect(company.locator(f"tr[data-voucher='{voucher.code}']")).to_contain_text("12,000.00")
        company.select_option(f"#present-{voucher.pk}", str(certified.pk))
        company.click(f"#present-submit-{voucher.pk}")
        expect(company.locator(f"tr[data-voucher='{voucher.code}']")).to_contain_text(
            certified.name
        )
        company.screenshot(path=artifacts / "m12-2-enterprise-phone.png", full_page=True)

        broker_context, broker = _page(browser, live_server, personas.service_broker, DESKTOP)
        contexts.append(broker_context)
        broker.goto(f"{url}/redeem/")
        broker.fill(f"#description-{voucher.pk}", "隔膜热收缩率及闭孔温度检测")
        broker.fill(f"#invoice-{voucher.pk}", "53001234")
        broker.fill(f"#amount-{voucher.pk}", "11500.50")
        broker.click(f"#redeem-submit-{voucher.pk}")
        expect(broker.locator("#redemptions")).to_contain_text("11,500.50")

        for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
            bureau.set_viewport_size(viewport)
            bureau.goto(f"{url}/programmes/{programme.pk}/")
            expect(bureau.locator("[data-figure=budget]")).to_have_text("100,000.00")
            expect(bureau.locator("[data-figure=redeemed]")).to_have_text("11,500.50")
            expect(bureau.locator("[data-figure=outstanding]")).to_have_text("0.00")
            expect(bureau.locator("[data-figure=remaining]")).to_have_text("88,499.50")
            expect(bureau.locator("#by-institution")).to_contain_text(certified.name)
            expect(bureau.locator("#by-service")).to_contain_text("11,500.50")
            _no_sideways_scroll(bureau)
            bureau.screenshot(path=artifacts / f"m12-2-report-{name}.png", full_page=True)
    finally:
        for context in contexts:
            context.close()
