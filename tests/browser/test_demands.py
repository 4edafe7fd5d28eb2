"""Technology demands in a real browser, in Chinese and in English: an enterprise posts a demand,
the center's reviewer publishes it from the moderation queue, and the enterprise reads on the
demand's page, now in the public hall, the published results that may meet it (M8.1, M8.4)."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.center.demands.models import Demand
from kttc.policy import calendar
from kttc.policy.roles import Role
from kttc.reform.tests.factories import published_result
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

WORDS = {
    "zh-CN": {"pending": "待审核", "published": "已发布", "matches": "可能满足此需求的成果"},
    "en-US": {
        "pending": "Waiting for moderation",
        "published": "Published",
        "matches": "Results that may meet this demand",
    },
}


def _person(browser, locale: str, *, width: int = 1280):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_an_enterprise_posts_a_demand_the_center_publishes_it_and_results_match(
    browser, live_server, personas, artifacts, locale
):
    words = WORDS[locale]
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    result = published_result(
        personas, unit, name="一种低温锂离子电池电解液", external_ref="demand-match"
    )
    deadline = calendar.today_in_shanghai() + dt.timedelta(days=30)

    enterprise_context, page = _person(browser, locale)
    sign_in(page, live_server, personas.enterprise)
    page.goto(f"{live_server.url}/demands/new/")
    page.fill("#id_title", "低温锂离子电池电解液")
    page.fill("#id_description", "寻求零下20摄氏度仍保持80%容量的锂离子电池电解液。")
    page.locator("input[name=modes][value=licence]").check()
    page.locator("input[name=modes][value=joint_development]").check()
    page.fill("#id_industry", "C38")
    page.fill("#id_budget_min", "100000")
    page.fill("#id_budget_max", "500000")
    page.fill("#id_deadline", deadline.isoformat())
    page.click("#demand-submit")
    demand = Demand.objects.get()
    page.wait_for_url(f"{live_server.url}/demands/{demand.pk}/")
    expect(page.locator("h1")).to_have_text("低温锂离子电池电解液")
    expect(page.locator(".tag.status-pending")).to_have_text(words["pending"])

    reviewer_context, review = _person(browser, locale)
    sign_in(review, live_server, personas.bureau)
    review.goto(f"{live_server.url}/demands/moderation/")
    review.click(f"#publish-{demand.pk}")
    review.wait_for_url(f"{live_server.url}/demands/moderation/")
    reviewer_context.close()

    page.reload()
    expect(page.locator(".tag.status-published")).to_have_text(words["published"])
    matches = page.locator("#matches")
    expect(matches.locator("h2")).to_have_text(words["matches"])
    link = matches.locator(f"a[href='/achievements/{result.pk}/']")
    expect(link).to_have_count(1)
    page.screenshot(path=artifacts / f"demand-{locale}.png", full_page=True)
    link.click()
    page.wait_for_url(f"{live_server.url}/achievements/{result.pk}/")
    enterprise_context.close()

    # A visitor on a phone finds it in the public hall.
    visitor_context, phone = _person(browser, locale, width=390)
    phone.goto(f"{live_server.url}/demands/")
    expect(phone.locator("ol.hits li.hit")).to_have_count(1)
    expect(phone.locator("ol.hits li.hit h2 a")).to_have_text("低温锂离子电池电解液")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the hall is {width} px wide on a 390 px phone"
    visitor_context.close()
