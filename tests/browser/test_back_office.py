"""The back office in a real browser: sign-in, the role panel in both languages, the audit log,
and who is kept out."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from kttc.core.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

#: The personas' password (the root conftest.py gives every persona this one).
PASSWORD = "correct-horse-battery"


def label(role: Role, language: str) -> str:
    """The role's label as Django translates it; the catalogues are written elsewhere."""
    with translation.override(language):
        return str(role.label)


def sign_in(page, live_server, user, *, screenshot=None) -> None:
    """Fill the sign-in form as a person would, and wait for the back office."""
    if not page.url.startswith(f"{live_server.url}/accounts/login/"):
        page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    if screenshot is not None:
        page.screenshot(path=screenshot, full_page=True)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/office/")


def test_transfer_office_signs_in_and_switches_to_english(page, live_server, personas, artifacts):
    user = personas.transfer_office
    university = personas.organisations[Role.TRANSFER_OFFICE]

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # Both fields carry a visible label tied to them.
    expect(page.locator("label[for=id_username]")).to_be_visible()
    expect(page.locator("label[for=id_password]")).to_be_visible()
    sign_in(page, live_server, user, screenshot=artifacts / "01-login-zh-hans.png")

    # Chinese by default: the role panel is headed by the Chinese label, then the organisation.
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    panel = page.locator("section.panel.role-transfer_office")
    expect(panel).to_have_count(1)
    expect(panel.locator("h2")).to_have_text(label(Role.TRANSFER_OFFICE, "zh-hans"))
    expect(panel.locator(".org")).to_have_text(university.name)
    expect(panel.locator(".org [lang='zh-Hans']")).to_have_count(1)
    expect(page.locator("#language-select")).to_have_value("zh-hans")
    page.screenshot(path=artifacts / "02-office-zh-hans.png", full_page=True)

    # Choosing a language and pressing the switch button brings the person back to the same
    # page, in English (no submit on change: WCAG 3.2.2).
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click("#language-submit")
    page.wait_for_url(f"{live_server.url}/office/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#language-select")).to_have_value("en")
    panel = page.locator("section.panel.role-transfer_office")
    expect(panel.locator("h2")).to_have_text(label(Role.TRANSFER_OFFICE, "en"))
    expect(panel.locator(".org")).to_have_text(university.name_en)
    page.screenshot(path=artifacts / "03-office-en.png", full_page=True)


def test_bureau_verifies_the_whole_audit_chain(page, live_server, personas, artifacts):
    sign_in(page, live_server, personas.bureau)

    panel = page.locator("section.panel.role-bureau")
    expect(panel.locator("h2")).to_have_text(label(Role.BUREAU, "zh-hans"))
    # The first link to the audit log in the bureau's panel (the second one jumps to #verify).
    panel.locator("a[href='/office/audit/']").click()
    page.wait_for_url(f"{live_server.url}/office/audit/")
    expect(page.locator("h1")).to_contain_text("M14.1")

    page.locator("form#verify button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/office/audit/")
    message = page.locator(".messages li")
    expect(message).to_have_count(1)
    expect(message).to_contain_text("M14.1")
    expect(message).to_have_class("success")
    page.screenshot(path=artifacts / "04-audit-verified-zh-hans.png", full_page=True)


def test_researcher_and_anonymous_are_kept_out(page, live_server, personas, artifacts):
    # Anonymous: the back office sends the visitor to the sign-in page, remembering where to go.
    page.goto(f"{live_server.url}/office/")
    page.wait_for_url(re.compile(re.escape(f"{live_server.url}/accounts/login/") + r"\?next="))
    assert page.url == f"{live_server.url}/accounts/login/?next=/office/"
    expect(page.locator("main form input[name=username]")).to_be_visible()

    # The researcher signs in from there, lands on the back office, and may not read the audit log.
    sign_in(page, live_server, personas.researcher)
    panel = page.locator("section.panel.role-researcher")
    expect(panel.locator("h2")).to_have_text(label(Role.RESEARCHER, "zh-hans"))
    expect(panel.locator("a[href='/office/audit/']")).to_have_count(0)

    response = page.goto(f"{live_server.url}/office/audit/")
    assert response is not None and response.status == 403
    expect(page.locator("main h1")).to_contain_text("403")
    expect(page.locator("table.audit")).to_have_count(0)
    page.screenshot(path=artifacts / "05-audit-forbidden-researcher.png", full_page=True)


def test_pages_load_their_stylesheet(page, live_server, personas):
    """Every page links /static/kttc/site.css; a person must not get the bare, unstyled HTML."""
    failed = []
    page.on(
        "response",
        lambda r: (
            failed.append(f"{r.status} {r.url}")
            if "/static/" in r.url and r.status >= 400
            else None
        ),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    sign_in(page, live_server, personas.bureau)
    assert failed == [], f"static files the pages link were not served: {failed}"
    # The stylesheet applied: the skip link is moved off-screen until it is focused.
    assert page.locator("a.skip").evaluate("e => getComputedStyle(e).position") == "absolute"
