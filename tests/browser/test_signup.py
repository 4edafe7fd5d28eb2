"""Signing up in a real browser, in Chinese and in English: a visitor goes from the sign-in page
to "Register your organisation", registers (a Chinese enterprise with its credit code, a
Vietnamese one with its registration number), opens the confirmation link of the e-mail,
signs in and reads that the center has still to verify it; the bureau verifies it from its
queue; the organisation's public page then carries the verified badge."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from kttc.core.models import Organisation
from kttc.core.tests.factories import credit_code
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

NEW_PASSWORD = "Plateau tea and sunshine 2027"
CASES = {
    "zh-hans": {
        "name": "昆明高原茶科技有限公司",
        "country": "CN",
        "credit_code": credit_code(8801),
        "email": "tea@example.cn",
        "waiting": "正等待中心核验",
        "badge": "已核验",
    },
    "en": {
        "name": "Công ty Cổ phần Trà Cao Nguyên",
        "country": "VN",
        "registration_number": "0316 457 000",
        "email": "tea@example.vn",
        "waiting": "Waiting for the center to verify",
        "badge": "Verified",
    },
}


@pytest.mark.parametrize("language", list(CASES))
def test_m8_1_an_enterprise_signs_up_confirms_and_is_verified(
    page, live_server, personas, artifacts, browser, language
):
    case = CASES[language]
    mail.outbox.clear()
    page.goto(f"{live_server.url}/accounts/login/")
    if language == "en":
        page.select_option("#language-select", "en")
        with page.expect_navigation():
            page.click("#language-submit")
    page.click("#signup-link")
    page.wait_for_url(f"{live_server.url}/accounts/signup/")
    form = page.locator("main form[method=post]")
    form.locator("#id_name").fill(case["name"])
    form.locator("#id_kind").select_option("enterprise")
    form.locator("#id_country").select_option(case["country"])
    if "credit_code" in case:
        form.locator("#id_credit_code").fill(case["credit_code"][:-1] + "0")  # a typing error
    else:
        form.locator("#id_registration_number").fill(case["registration_number"])
    form.locator("#id_full_name").fill("Nguyễn Văn Trà" if language == "en" else "王茶")
    form.locator("#id_email").fill(case["email"])
    form.locator("#id_password1").fill(NEW_PASSWORD)
    form.locator("#id_password2").fill(NEW_PASSWORD)
    form.locator("#id_language").select_option(language)
    form.locator("button[type=submit]").click()
    if "credit_code" in case:
        # The check character is named beside the field; corrected, the form goes through.
        error = page.locator(".field.invalid .error")
        expect(error).to_contain_text("校验码")
        page.screenshot(path=artifacts / f"60-signup-error-{language}.png", full_page=True)
        form.locator("#id_credit_code").fill(case["credit_code"])
        form.locator("#id_password1").fill(NEW_PASSWORD)
        form.locator("#id_password2").fill(NEW_PASSWORD)
        form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/signup/sent/")
    page.screenshot(path=artifacts / f"61-signup-sent-{language}.png", full_page=True)

    message = next(m for m in mail.outbox if case["email"] in m.to)
    link = re.search(r"https?://\S+/accounts/signup/confirm/\S+", message.body).group(0)
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")

    login = page.locator("main form[method=post]")
    login.locator("input[name=username]").fill(case["email"])
    login.locator("input[name=password]").fill(NEW_PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/office/")
    expect(page.locator("[data-verification-status]")).to_contain_text(case["waiting"])

    organisation = Organisation.objects.get(contact_email=case["email"])
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    bureau = context.new_page()
    try:
        sign_in(bureau, live_server, personas.bureau)
        bureau.goto(f"{live_server.url}/office/organisations/waiting/")
        row = bureau.locator(f"tr[data-waiting='{organisation.pk}']")
        expect(row).to_contain_text(case["name"])
        bureau.screenshot(path=artifacts / f"62-verification-queue-{language}.png", full_page=True)
        row.locator("form[action$='/verify/'] button").click()
        expect(bureau.locator(".messages")).to_contain_text(case["name"])
    finally:
        context.close()

    page.goto(f"{live_server.url}/organisations/{organisation.pk}/")
    expect(page.locator("h1 .badge.verified")).to_contain_text(case["badge"])
    page.screenshot(path=artifacts / f"63-verified-{language}.png", full_page=True)
