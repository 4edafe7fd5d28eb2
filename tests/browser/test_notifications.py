"""Notifications and deadlines in a real browser: after the sweep (M8.6) the transfer office sees
the unread count, reads the notice in Chinese, marks it read, finds the result among its
deadlines, and reads the same pages in English; the bureau finds it on its overdue list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from kttc.core import dates
from kttc.policy.calendar import today_in_shanghai
from kttc.policy.roles import Role
from kttc.registry import sweep
from kttc.registry.models import Achievement
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect


def _overdue_result(unit, today):
    return Achievement.objects.create(
        unit=unit,
        name="高原茶园病害智能识别系统",
        achievement_type="applied",
        attribute="original",
        abstract="摘要",
        discipline_code="41630",
        industry_code="C2710",
        trl=6,
        stage="middle",
        formation_date=today - dt.timedelta(days=100),
        confidentiality="public",
        submission_due=today - dt.timedelta(days=8),
    )


def test_m8_6_the_office_reads_marks_and_follows_its_notices(
    page, live_server, personas, artifacts, browser
):
    today = today_in_shanghai()
    with translation.override("zh-hans"):
        due = dates.day(today - dt.timedelta(days=8))  # as Chinese writes dates
    with translation.override("en"):
        due_en = dates.day(today - dt.timedelta(days=8))
    result = _overdue_result(personas.organisations[Role.TRANSFER_OFFICE], today)
    sweep.run(today)

    sign_in(page, live_server, personas.transfer_office)
    badge = page.locator("#nav-notifications .badge")
    expect(badge).to_contain_text("1")
    page.click("#nav-notifications")
    notice = page.locator("li.notification.unread")
    expect(notice).to_have_count(1)
    expect(notice.locator(".subject")).to_contain_text(f"自 {due} 起逾期未汇交")
    expect(notice.locator(".subject")).to_contain_text(result.name)
    page.screenshot(path=artifacts / "50-notifications-zh-hans.png", full_page=True)

    # Opening the notice marks it read and leads to the result.
    notice.locator(".subject a").click()
    page.wait_for_url(f"{live_server.url}/office/registry/{result.pk}/")
    expect(page.locator("#nav-notifications .badge")).to_have_count(0)

    page.goto(f"{live_server.url}/office/deadlines/")
    panel = page.locator("section.panel.role-transfer_office")
    expect(panel.locator("tr.overdue")).to_contain_text(result.name)
    expect(panel.locator(".counts").first).to_contain_text("1 项已逾期")
    page.screenshot(path=artifacts / "51-deadlines-zh-hans.png", full_page=True)

    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click("#language-submit")
    expect(page.locator("h1")).to_have_text("Upcoming deadlines")
    expect(panel.locator(".counts").first).to_contain_text("1 overdue")
    page.goto(f"{live_server.url}/office/notifications/")
    expect(page.locator("li.notification .subject")).to_contain_text(f"Overdue since {due_en}")
    page.screenshot(path=artifacts / "52-notifications-en.png", full_page=True)

    # The bureau: one notice of the day's count, and the result on its overdue list.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    bureau = context.new_page()
    try:
        sign_in(bureau, live_server, personas.bureau)
        bureau.click("#nav-notifications")
        bureau.locator("li.notification .subject a").click()
        bureau.wait_for_url(f"{live_server.url}/office/registry/due/?overdue=1")
        expect(bureau.locator("table.list tbody tr")).to_have_count(1)
        expect(bureau.locator("table.list tbody")).to_contain_text(result.name)
        bureau.screenshot(path=artifacts / "53-bureau-overdue-zh-hans.png", full_page=True)
    finally:
        context.close()
