"""A result's way through the platform in a real browser: the office enters and submits it,
the center publishes it, a visitor finds it by Chinese and English words and reads it."""

from __future__ import annotations

import pytest

from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect


def _fill_result(page) -> None:
    page.fill("#id_name", "石墨烯散热膜连续制备技术")
    page.fill("#id_keywords", "石墨烯, 散热膜")
    page.fill("#id_abstract", "一种石墨烯散热膜的卷对卷连续制备方法，导热系数提升40%。")
    page.fill("#id_discipline_code", "4304020")
    page.fill("#id_industry_code", "C3985")
    page.fill("#id_trl", "6")
    page.fill("#id_formation_date", "2026-10-01")
    page.check("input[name=transformation_modes][value=licence]")
    page.check("#id_use_first_pay_later")
    page.fill("#id_units", "春城测试大学, 100")
    page.fill("#id_completers", "李明, 春城测试大学, 100")
    page.fill("#id_name_en", "Continuous production of graphene heat-spreading film")
    page.fill("#id_abstract_en", "A roll-to-roll method to produce graphene heat spreaders.")
    page.fill("#id_keywords_en", "graphene, heat spreader")


def test_a_result_goes_from_entry_to_review_to_search(page, live_server, personas, artifacts):
    sign_in(page, live_server, personas.transfer_office)
    page.goto(f"{live_server.url}/office/registry/new/")
    _fill_result(page)
    page.fill("#id_completers", "李明, 春城测试大学, 60")  # shares must sum to 100
    page.click("form.long-form button[type=submit]")
    expect(page.locator(".errors[role=alert]")).to_be_visible()
    expect(page.locator("#id_completers ~ .error")).to_contain_text("60")
    page.fill("#id_completers", "李明, 春城测试大学, 100")
    page.click("form.long-form button[type=submit]")
    expect(page.locator("main h1")).to_have_text("石墨烯散热膜连续制备技术")
    page.screenshot(path=artifacts / "10-result-draft-zh-hans.png", full_page=True)
    page.click("form[action$='/submit/'] button")
    expect(page.locator(".messages li")).to_contain_text("M8.6")

    page.context.clear_cookies()
    sign_in(page, live_server, personas.bureau)
    page.goto(f"{live_server.url}/office/registry/review/")
    page.click("text=石墨烯散热膜连续制备技术")
    page.check("input[name=decision][value=publish]")
    page.screenshot(path=artifacts / "11-review-zh-hans.png", full_page=True)
    page.click("section[aria-labelledby=review-h] button[type=submit]")
    expect(page.locator(".tag.status-published")).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/achievements/?q=石墨烯")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".hit h2 mark").first).to_have_text("石墨烯")
    page.screenshot(path=artifacts / "12-catalog-zh-hans.png", full_page=True)
    page.click(".hit h2 a")
    expect(page.locator("main h1")).to_have_text("石墨烯散热膜连续制备技术")

    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click("#language-submit")
    page.goto(f"{live_server.url}/achievements/?q=graphene")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".hit h2")).to_contain_text("graphene heat-spreading film")
    page.screenshot(path=artifacts / "13-catalog-en.png", full_page=True)
    page.click(".hit h2 a")
    expect(page.locator("main h1")).to_have_text(
        "Continuous production of graphene heat-spreading film"
    )
    page.screenshot(path=artifacts / "14-detail-en.png", full_page=True)
