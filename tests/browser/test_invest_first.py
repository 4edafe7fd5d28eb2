"""An "invest first, equity later" case (M7) in a real browser, in Chinese: the platform
records the grant, a round below the trigger, a round that converts the support at the cap
price, and a partial exit within the appropriate return; the fund's report adds up."""

from __future__ import annotations

import pytest

from kttc.benefits.models import InvestFirstCase
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect


def _round(page, day: str, size: str) -> None:
    page.fill("#id_round-closed_on", day)
    page.fill("#id_round-round_size", size)
    page.fill("#id_round-price_per_share", "14")
    page.fill("#id_round-pre_money_shares", "3000000")
    page.click("#round-submit")


def test_m7_a_case_from_grant_to_a_partial_exit(page, live_server, personas, artifacts):
    sign_in(page, live_server, personas.investment_platform)
    page.goto(f"{live_server.url}/office/")
    page.click("a[href='/office/invest-first/']")
    expect(page.locator("main .empty")).to_be_visible()
    page.click("#new-case")
    page.fill("#id_company", "滇中生物制造有限公司")
    page.fill("#id_project", "高原药用植物中试放大")
    page.select_option("#id_stage", "mid_scale_pilot")
    page.fill("#id_support", "1000000")
    page.fill("#id_granted_on", "2026-02-01")
    page.fill("#id_min_round_size", "5000000")
    page.fill("#id_discount_percent", "20")
    page.fill("#id_valuation_cap", "31000000")
    page.fill("#id_return_cap_percent", "8")
    page.click("#grant-submit")
    expect(page.locator(".messages li")).to_contain_text("M7.2")
    case = InvestFirstCase.objects.get()

    _round(page, "2026-05-01", "3000000")  # below the 5,000,000 trigger: nothing converts
    expect(page.locator("#milestones li")).to_have_count(1)
    expect(page.locator("#case-status")).to_have_class("tag status-invested")
    _round(page, "2026-09-01", "8000000")
    expect(page.locator(".messages li")).to_contain_text("M7.3")
    expect(page.locator("#converted-shares")).to_have_text("96,774")  # at the cap price 31/3
    page.screenshot(path=artifacts / "80-invest-first-converted-zh-hans.png", full_page=True)

    page.fill("#id_exit-exited_on", "2027-03-01")
    page.fill("#id_exit-shares", "40000")
    page.fill("#id_exit-proceeds", "612345.67")
    page.click("#exit-submit")
    expect(page.locator("#exits tbody tr")).to_have_count(1)
    expect(page.locator("#outstanding")).to_have_text("387,654.33")
    page.screenshot(path=artifacts / "81-invest-first-exit-zh-hans.png", full_page=True)
    case.refresh_from_db()
    assert case.status == "converted"
