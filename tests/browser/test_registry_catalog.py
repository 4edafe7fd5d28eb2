"""A result's way through the platform in a real browser: the office enters and submits it,
the center publishes it, a visitor finds it by Chinese and English words and reads it."""

from __future__ import annotations

import pytest

from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect


def pick(page, field: str, typed: str, code: str) -> None:
    """Types in a code picker and chooses the code from the options listed."""
    page.fill(f"#id_{field}", typed)
    page.locator(f"#id_{field}-options button", has_text=code).first.click()
    expect(page.locator(f"#id_{field}")).to_have_value(code)
    # the picker comes back with the focus on its input (htmx settles it a moment after the
    # swap): typing goes on from there, never into the next field while the focus moves
    expect(page.locator(f"#id_{field}")).to_be_focused()


def fill_row(page, field: str, index: int, **cells: str) -> None:
    for column, value in cells.items():
        page.fill(f"#id_{field}-{index}-{column}", value)


def _fill_result(page) -> None:
    page.fill("#id_name", "石墨烯散热膜连续制备技术")
    page.fill("#id_keywords", "石墨烯, 散热膜")
    page.fill("#id_abstract", "一种石墨烯散热膜的卷对卷连续制备方法，导热系数提升40%。")
    pick(page, "discipline_code", "材料", "430")
    page.fill("#id_discipline_code", "4304020")  # a finer code may always be typed
    pick(page, "industry_code", "计算机、通信", "C39")
    expect(page.locator("#id_industry_code-name")).to_contain_text("计算机、通信和其他电子设备制造业")
    page.fill("#id_trl", "6")
    page.fill("#id_formation_date", "2026-10-01")
    page.check("input[name=transformation_modes][value=licence]")
    page.check("#id_use_first_pay_later")
    fill_row(page, "units", 0, name="春城测试大学", share="100")
    fill_row(page, "completers", 0, name="李明", unit_name="春城测试大学", share="60")
    page.click("button[name=_add][value=completers]")
    expect(page.locator("#id_completers-1-name")).to_be_focused()
    fill_row(page, "completers", 1, name="王强", unit_name="春城测试大学", share="30")
    page.fill("#id_name_en", "Continuous production of graphene heat-spreading film")
    page.fill("#id_abstract_en", "A roll-to-roll method to produce graphene heat spreaders.")
    page.fill("#id_keywords_en", "graphene, heat spreader")


def test_a_result_goes_from_entry_to_review_to_search(page, live_server, personas, artifacts):
    sign_in(page, live_server, personas.transfer_office)
    page.goto(f"{live_server.url}/office/registry/new/")
    _fill_result(page)
    page.wait_for_load_state("networkidle")  # the pickers' lists have come back
    with page.expect_navigation():
        page.click("form.long-form .form-actions button[type=submit]")  # 60 + 30: not 100
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary")).to_contain_text("90")
    expect(page.locator("#id_completers .error")).to_contain_text("90")
    expect(page.locator(".form-sections a[href='#section-3'] .badge")).to_have_text("1 项待更正")
    expect(page.locator("#id_completers-1-name")).to_have_value("王强")  # nothing typed is lost
    page.fill("#id_completers-1-share", "40")
    page.click("form.long-form .form-actions button[type=submit]")
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
