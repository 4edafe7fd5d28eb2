"""Questions on a result in a real browser, in Chinese and English: a visitor presses "ask a
question" on a result's page, signs in as the enterprise and asks; the unit's transfer office
finds it marked unread in its inbox and answers; the enterprise reads the notice of the answer
and, following it, the answer in the thread."""

from __future__ import annotations

import pytest

from kttc.center.inquiries.models import Inquiry
from kttc.policy.roles import Role
from kttc.reform.tests.factories import published_result
from tests.browser.test_back_office import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

WORDS = {
    "zh-CN": {"inbox": "本单位成果咨询", "new": "有新留言", "closed": "已关闭"},
    "en-US": {"inbox": "Questions on our results", "new": "New message from", "closed": "Closed"},
}


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_an_enterprise_asks_the_office_answers_and_the_enterprise_reads_it(
    browser, live_server, personas, artifacts, locale
):
    words = WORDS[locale]
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    result = published_result(personas, unit, name="石墨烯导热膜制备技术", external_ref="q")
    firm_context = browser.new_context(locale=locale, viewport={"width": 390, "height": 844})
    office_context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 800})
    try:
        firm = firm_context.new_page()
        firm.goto(f"{live_server.url}/achievements/{result.pk}/")
        firm.locator("[data-contact] [data-ask]").click()
        firm.wait_for_url(f"{live_server.url}/accounts/login/**")
        form = firm.locator("main form[method=post]")
        form.locator("input[name=username]").fill(personas.enterprise.email)
        form.locator("input[name=password]").fill(PASSWORD)
        form.locator("button[type=submit]").click()
        firm.wait_for_url(f"{live_server.url}/office/inquiries/ask/{result.pk}/")
        firm.fill("#id_subject", "试用条件 / Trial")
        firm.fill("#id_text", "能否先小批量试用三个月？")
        firm.click("#inquiry-send")
        inquiry = Inquiry.objects.get()
        firm.wait_for_url(f"{live_server.url}/office/inquiries/{inquiry.pk}/")
        expect(firm.locator("ol.thread li.message")).to_have_count(1)
        firm.screenshot(path=artifacts / f"80-inquiry-asked-{locale}.png", full_page=True)

        office = office_context.new_page()
        sign_in(office, live_server, personas.transfer_office)
        office.goto(f"{live_server.url}/office/inquiries/")
        expect(office.locator("h1")).to_have_text(words["inbox"])
        row = office.locator(f"tr[data-inquiry='{inquiry.pk}']")
        expect(row.locator("[data-unread]")).to_be_visible()
        row.locator("a").click()
        office.fill("#id_text", "可以，欢迎下周来校面谈。")
        office.click("#inquiry-reply")
        expect(office.locator("ol.thread li.message")).to_have_count(2)
        office.goto(f"{live_server.url}/office/inquiries/")
        expect(row.locator("[data-unread]")).to_have_count(0)

        firm.locator("header details.menu > summary").click()  # the menu, folded on a phone
        firm.click("#nav-notifications")
        notice = firm.locator("li.notification .subject").filter(has_text=words["new"])
        expect(notice).to_contain_text(unit.name)
        notice.locator("a").click()
        firm.wait_for_url(f"{live_server.url}/office/inquiries/{inquiry.pk}/")
        expect(firm.locator("ol.thread li.message").nth(1)).to_contain_text("欢迎下周来校面谈")
        firm.click("#inquiry-close")
        expect(firm.locator("#inquiry-status")).to_have_text(words["closed"])
        firm.screenshot(path=artifacts / f"81-inquiry-answered-{locale}.png", full_page=True)
    finally:
        firm_context.close()
        office_context.close()
