"""The marketplace walked end to end in a real browser, in English and in Chinese (M8.1, M3.1): an
enterprise from Vietnam signs up and confirms its e-mail; the center verifies it; it searches the
catalog in English (or Vietnamese) and finds a result written only in Chinese, asks the unit a
question from the result's page, reads the unit's answer through its notice, and applies for the
licence from the same page; the unit hears of the application."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from kttc.center import search
from kttc.center.inquiries import services as inquiries
from kttc.center.inquiries.models import Inquiry
from kttc.center.search import embedding
from kttc.core.models import Notification, Organisation
from kttc.core.services import organisation_verify
from kttc.policy.roles import Role
from kttc.reform.licensing import services as licences
from kttc.reform.models import LicenceApplication
from kttc.reform.tests.factories import published_result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "Mekong delta drip lines 2027"
CASES = {
    "en-US": {
        "query": "water-saving drip irrigation for tea gardens",
        "email": "buyer@mekong-tea.example.vn",
        "applied": "Waiting for the unit",
        "answered": "New message from",
    },
    "zh-CN": {
        "query": "tưới nhỏ giọt tiết kiệm nước cho đồi chè",
        "email": "mua@mekong-tea.example.vn",
        "applied": "等待单位决定",
        "answered": "有新留言",
    },
}


@pytest.fixture
def meaning(settings, tmp_path):
    settings.KTTC_SEARCH_DIR = tmp_path / "search"
    settings.KTTC_EMBEDDINGS = "e5"
    settings.KTTC_EMBED_WORKER = "inline"
    search.reset()
    embedding.encoder.cache_clear()
    yield
    embedding.encoder.cache_clear()
    search.reset()


def sign_up(page, live_server, email: str) -> Organisation:
    page.goto(f"{live_server.url}/accounts/signup/")
    form = page.locator("main form[method=post]")
    form.locator("#id_name").fill("Mekong Tea Machinery JSC")
    form.locator("#id_kind").select_option("enterprise")
    form.locator("#id_country").select_option("VN")
    form.locator("#id_registration_number").fill("0317 228 114")
    form.locator("#id_full_name").fill("Trần Thị Lan")
    form.locator("#id_email").fill(email)
    form.locator("#id_password1").fill(PASSWORD)
    form.locator("#id_password2").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/signup/sent/")
    message = next(m for m in mail.outbox if email in m.to)
    page.goto(re.search(r"https?://\S+/accounts/signup/confirm/\S+", message.body).group(0))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    return Organisation.objects.get(registration_number__contains="0317")


@pytest.mark.parametrize("locale", list(CASES))
def test_m8_1_a_foreign_enterprise_signs_up_finds_asks_and_applies(
    browser, live_server, personas, artifacts, meaning, locale
):
    case = CASES[locale]
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    tea = published_result(
        personas,
        unit,
        name="一种茶园节水滴灌系统及其控制方法",
        abstract="根据土壤湿度自动控制茶园的滴灌，节约用水百分之三十。",
        keywords=["滴灌", "茶园"],
        translations=[],  # written in Chinese only
        external_ref="tea",
    )
    published_result(
        personas,
        unit,
        name="高强度铝合金的热处理工艺",
        abstract="提高强度。",
        translations=[],
        external_ref="al",
    )
    offer = licences.licence_offer(
        actor=personas.transfer_office,
        unit=unit,
        achievement=tea,
        term_years=5,
        payment_model="deferred",
        territory="越南",
    )
    context = browser.new_context(locale=locale, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        firm = sign_up(page, live_server, case["email"])
        organisation_verify(actor=personas.bureau, organisation=firm)
        login = page.locator("main form[method=post]")
        login.locator("input[name=username]").fill(case["email"])
        login.locator("input[name=password]").fill(PASSWORD)
        login.locator("button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/office/")
        buyer = Notification.objects.filter(organisation=firm)
        assert buyer.filter(kind="organisation.verified").exists()

        # A query in English or Vietnamese finds the result written in Chinese only.
        page.goto(f"{live_server.url}/achievements/")
        page.locator("input[name=q]").first.fill(case["query"])
        page.locator("input[name=q]").first.press("Enter")
        first = page.locator("ol.hits li.hit h2 a").first
        expect(first).to_contain_text("茶园节水滴灌")
        expect(first).to_have_attribute("href", f"/achievements/{tea.pk}/")
        page.screenshot(path=artifacts / f"90-crosslingual-search-{locale}.png", full_page=True)
        first.click()
        page.wait_for_url(f"{live_server.url}/achievements/{tea.pk}/")

        # A question from the result's page; the unit answers; the notice leads to the answer.
        page.locator("[data-contact] [data-ask]").click()
        page.fill("#id_subject", "Trial in Lâm Đồng")
        page.fill("#id_text", "Can we test the controller on 5 ha of tea before licensing?")
        page.click("#inquiry-send")
        inquiry = Inquiry.objects.get()
        inquiries.inquiry_reply(
            actor=personas.transfer_office, inquiry=inquiry, text="可以，欢迎先试用三个月。"
        )
        page.locator("header details.menu > summary").click()  # the menu, folded on a phone
        page.click("#nav-notifications")
        notice = page.locator("li.notification .subject").filter(has_text=case["answered"])
        notice.first.locator("a").click()
        page.wait_for_url(f"{live_server.url}/office/inquiries/{inquiry.pk}/")
        expect(page.locator("ol.thread li.message").nth(1)).to_contain_text("欢迎先试用三个月")

        # The licence, applied for from the result's page; the unit hears of it.
        page.goto(f"{live_server.url}/achievements/{tea.pk}/")
        page.locator(f"[data-offer='{offer.pk}'] [data-apply]").click()
        page.wait_for_url(f"{live_server.url}/office/licences/offers/{offer.pk}/")
        page.fill("#id_plan", "Pilot on tea farms in Lâm Đồng, then the Mekong provinces.")
        page.click("#apply-submit")
        expect(page.locator("#application-status")).to_have_text(case["applied"])
        page.screenshot(path=artifacts / f"91-applied-{locale}.png", full_page=True)
        application = LicenceApplication.objects.get()
        assert application.applicant_id == firm.pk
        told = Notification.objects.filter(recipient=personas.transfer_office)
        assert told.filter(kind="reform.licence_application_received").exists()
    finally:
        context.close()
