"""Findings shared between supervising departments in a real browser (M14.2): an auditor of the
audit department records an audit of the university and a finding, then issues it; an auditor
of the finance bureau reads it in the list; the university's transfer office records its
rectification on a phone; the audit department marks the finding rectified. The list, the
record form, the record's page and the rectification form pass axe at both widths."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.oversight.findings.models import Finding
from kttc.oversight.findings.tests.factories import departments
from kttc.policy import calendar
from kttc.policy.roles import Role
from tests.browser.test_accessibility import _blocking
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe


def _context(browser, *, phone: bool = False):
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 800}
    context = browser.new_context(locale="en-GB", viewport=viewport)
    context.set_default_timeout(15_000)
    return context


def test_m14_2_record_issue_read_rectify_on_a_phone_and_mark_rectified(
    browser, live_server, personas, artifacts
):
    world = departments(personas)
    university = personas.organisations[Role.TRANSFER_OFFICE]
    today = calendar.today_in_shanghai()
    deadline = (today + dt.timedelta(days=60)).isoformat()

    axe = Axe()
    problems: list[str] = []
    first = _context(browser)
    try:
        page = first.new_page()
        sign_in(page, live_server, world.auditor_a)
        page.goto(f"{live_server.url}/office/findings/")
        page.click("#new-record")
        problems += [f"form: {p}" for p in _blocking(axe, page)]
        form = page.locator("main form[method=post]")
        form.locator("select[name=kind]").select_option("audit")
        form.locator("input[name=reference]").fill("KS-2026-12")
        form.locator("input[name=title]").fill("Licence income distribution audit")
        form.locator("select[name=subjects]").select_option(str(university.pk))
        form.locator("input[name=period_start]").fill("2025-01-01")
        form.locator("input[name=period_end]").fill("2025-12-31")
        form.locator("input[name=clauses]").fill("M5.2, M5.3")
        form.locator("textarea[name=scope]").fill("Net income of licences and the rewards paid")
        form.locator("input[name=fieldwork_start]").fill((today - dt.timedelta(days=9)).isoformat())
        form.locator("input[name=fieldwork_end]").fill((today - dt.timedelta(days=2)).isoformat())
        form.locator("button[type=submit]").click()
        expect(page.locator("h1")).to_have_text("Licence income distribution audit")
        adding = page.locator("#add-finding + form, section:has(#add-finding) form")
        adding.locator("select[name=clause]").select_option("M5.2")
        adding.locator("select[name=severity]").select_option("serious")
        adding.locator("textarea[name=description]").fill("Completers received 65%, below 70%.")
        adding.locator("input[name=deadline]").fill(deadline)
        adding.locator("button[type=submit]").click()
        expect(page.locator("[data-finding]")).to_have_count(1)
        problems += [f"draft: {p}" for p in _blocking(axe, page)]
        page.click("#issue button[type=submit]")
        expect(page.locator("[data-status]")).to_have_text("issued")
        page.goto(f"{live_server.url}/office/findings/")
        problems += [f"list: {p}" for p in _blocking(axe, page)]
        page.screenshot(path=artifacts / "m14-2-findings-issued.png", full_page=True)
    finally:
        first.close()

    other = _context(browser)
    try:
        page = other.new_page()
        sign_in(page, live_server, world.auditor_b)
        page.goto(f"{live_server.url}/office/findings/?clause=M5.2")
        expect(page.locator("#findings tbody tr")).to_have_count(1)
        page.click("#findings tbody a")
        expect(page.locator("[data-finding]")).to_contain_text("Completers received 65%")
        expect(page.locator("#amend")).to_have_count(0)  # not its department's to amend
    finally:
        other.close()

    finding = Finding.objects.get()
    phone = _context(browser, phone=True)
    try:
        page = phone.new_page()
        sign_in(page, live_server, personas.transfer_office)
        page.goto(f"{live_server.url}/office/findings/")
        row = page.locator("#findings tbody tr").first
        expect(row.locator("td[data-label]").first).to_be_visible()
        problems += [f"list on a phone: {p}" for p in _blocking(axe, page)]
        row.locator("a").click()
        problems += [f"record on a phone: {p}" for p in _blocking(axe, page)]
        page.click(f"#rectify-{finding.pk}")
        problems += [f"rectification on a phone: {p}" for p in _blocking(axe, page)]
        page.locator("textarea[name=text]").fill("The missing 5% was paid on 1 December.")
        page.locator("main form[method=post] button[type=submit]").click()
        expect(page.locator(f"#finding-{finding.pk} [data-rectification]")).to_have_text(
            "rectification submitted"
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        page.screenshot(path=artifacts / "m14-2-findings-rectified-phone.png", full_page=True)
    finally:
        phone.close()

    back = _context(browser)
    try:
        page = back.new_page()
        sign_in(page, live_server, world.auditor_a)
        page.goto(f"{live_server.url}/office/findings/{finding.inspection_id}/")
        problems += [f"review: {p}" for p in _blocking(axe, page)]
        review = page.locator(f"#review-{finding.pk}")
        review.locator("input[value=yes]").check()
        review.locator("button[type=submit]").click()
        expect(page.locator(f"#finding-{finding.pk} [data-rectification]")).to_have_text(
            "rectified"
        )
    finally:
        back.close()
    finding.refresh_from_db()
    assert finding.rectification == "rectified"
    assert not problems, "axe found:\n" + "\n".join(problems)
