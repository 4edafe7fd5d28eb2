"""A partner abroad in a real browser (M8.4, M8.1): the Lao partner center signs in, posts a
demand for the enterprise it referred, in Lao with an English translation; the bureau publishes
it; a Vietnamese visitor on a phone finds it in the demand hall with the original marked, and
reads it in Vietnamese once the partner adds that translation."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.center.demands.models import Demand
from kttc.center.partners.tests.factories import partner_abroad, referred
from kttc.policy import calendar
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

TITLE = "ເຕັກໂນໂລຊີອົບແຫ້ງກາເຟດ້ວຍແສງຕາເວັນ"


def _person(browser, locale: str, *, width: int = 1280):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_a_lao_partner_posts_for_its_enterprise_and_a_vietnamese_visitor_reads_it(
    browser, live_server, personas, artifacts
):
    partner = partner_abroad(personas)
    enterprise = referred(personas, partner)
    deadline = calendar.today_in_shanghai() + dt.timedelta(days=60)

    context, page = _person(browser, "lo-LA")
    sign_in(page, live_server, partner.staff)
    page.goto(f"{live_server.url}/demands/new/")
    page.select_option("#id_organisation", str(enterprise.pk))
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "ພວກເຮົາຕ້ອງການເຕັກໂນໂລຊີອົບແຫ້ງກາເຟດ້ວຍແສງຕາເວັນ 3 ໂຕນຕໍ່ມື້.")
    page.locator("input[name=modes][value=licence]").check()
    page.fill("#id_deadline", deadline.isoformat())
    page.fill("#id_country", "LA")
    page.select_option("#id_language", "lo")
    english = page.locator("#translation-en")
    expect(english).to_have_attribute("open", "")
    english.locator("#id_title_en").fill("Solar drying of coffee")
    english.locator("#id_description_en").fill("We need solar drying for 3 tonnes of coffee a day.")
    page.screenshot(path=artifacts / "partner-demand-form.png", full_page=True)
    page.click("#demand-submit")
    demand = Demand.objects.get()
    page.wait_for_url(f"{live_server.url}/demands/{demand.pk}/")
    assert (demand.organisation, demand.posted_by) == (enterprise, partner.organisation)
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("h1")).to_have_attribute("lang", "lo")
    expect(page.locator("[data-posted-by]")).to_contain_text(partner.organisation.name)

    bureau_context, review = _person(browser, "en-US")
    sign_in(review, live_server, personas.bureau)
    review.goto(f"{live_server.url}/demands/moderation/")
    review.click(f"#publish-{demand.pk}")
    review.wait_for_url(f"{live_server.url}/demands/moderation/")
    bureau_context.close()

    visitor_context, hall = _person(browser, "vi-VN", width=390)
    hall.goto(f"{live_server.url}/demands/")
    expect(hall.locator("html")).to_have_attribute("lang", "vi")
    hit = hall.locator("li.hit").filter(has_text=TITLE)
    expect(hit.locator("h2 span[lang=lo]")).to_have_text(TITLE)
    expect(hit.locator("[data-original]")).to_be_visible()  # no Vietnamese yet: marked
    hall.screenshot(path=artifacts / "partner-demand-hall-vi-original.png", full_page=True)
    assert hall.evaluate("document.documentElement.scrollWidth") <= 390

    english_context, english_hall = _person(browser, "en-US")
    english_hall.goto(f"{live_server.url}/demands/")
    expect(english_hall.locator("li.hit h2 span[lang=en]")).to_have_text("Solar drying of coffee")
    english_context.close()

    page.goto(f"{live_server.url}/demands/{demand.pk}/translations/")
    vietnamese = page.locator("#translation-vi")
    vietnamese.locator("summary").click()
    vietnamese.locator("#id_title_vi").fill("Sấy cà phê bằng năng lượng mặt trời")
    vietnamese.locator("#id_description_vi").fill("Cần công nghệ sấy 3 tấn cà phê mỗi ngày.")
    page.click("#translations-submit")
    page.wait_for_url(f"{live_server.url}/demands/{demand.pk}/")
    context.close()

    hall.reload()
    hit = hall.locator("li.hit").first
    expect(hit.locator("h2 span[lang=vi]")).to_have_text("Sấy cà phê bằng năng lượng mặt trời")
    expect(hit.locator("[data-original]")).to_have_count(0)
    hit.locator("h2 a").click()
    hall.wait_for_url(f"{live_server.url}/demands/{demand.pk}/")
    expect(hall.locator("h1")).to_have_attribute("lang", "vi")
    expect(hall.locator("details.original h2")).to_have_text(TITLE)
    hall.screenshot(path=artifacts / "partner-demand-vi.png", full_page=True)
    visitor_context.close()
