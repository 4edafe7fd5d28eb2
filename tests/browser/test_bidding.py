"""Public listing with bidding in a real browser (M4.4, M8.5, M8.4), and the language switch.

A Vietnamese and a Thai visitor switch the site to their language and keep it from page to page.
The unit's transfer office lists a result from the result's page; three verified enterprises (in
China, Vietnam and Laos) register and bid on a phone and a desktop, a bid below the minimum is
refused beside the field; after the close the office records the winner's contract, and the
transaction page shows the transfer to Laos as cross-border."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kttc.center.listings.models import Listing
from kttc.center.listings.tests.factories import bidder
from kttc.policy.roles import Role
from kttc.reform.tests.factories import published_result
from tests.browser.test_back_office import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.mark.parametrize(("language", "html_lang"), [("vi", "vi"), ("th", "th")])
def test_a_visitor_switches_the_site_to_their_language_and_keeps_it(
    browser, live_server, personas, artifacts, language, html_lang
):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        page.locator("header details.menu > summary").click()  # the phone's Menu
        page.select_option("#language-select", language)
        page.click("#language-submit")
        expect(page.locator("html")).to_have_attribute("lang", html_lang)
        expect(page.locator("#language-select")).to_have_value(language)
        expect(page.locator("#language-select option:checked")).to_have_attribute("lang", language)
        for path in ("/listings/", "/transactions/", "/demands/", "/achievements/"):
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("html")).to_have_attribute("lang", html_lang)
            expect(page.locator("html")).to_have_attribute("dir", "ltr")
        page.screenshot(path=artifacts / f"90-language-{language}.png", full_page=True)
    finally:
        context.close()


def _sign_in_as(context, live_server, user):
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/office/")
    return page


def test_a_result_is_listed_bid_for_by_three_enterprises_and_awarded_abroad(
    browser, live_server, personas, artifacts
):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    result = published_result(personas, unit, name="三七皂苷提取工艺", external_ref="bid")
    office_context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    try:
        office = office_context.new_page()
        sign_in(office, live_server, personas.transfer_office)
        office.goto(f"{live_server.url}/achievements/{result.pk}/")
        office.click("#list-for-bidding")
        now = timezone.localtime()
        office.select_option("#id_mode", "transfer")
        office.fill("#id_reserve", "500000")
        office.fill("#id_step", "10000")
        office.fill("#id_opens_at", (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
        office.fill("#id_closes_at", (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
        office.fill("#id_notice", "公开挂牌转让公告")
        office.click("#listing-submit")
        listing = Listing.objects.get()
        office.wait_for_url(f"{live_server.url}/listings/{listing.pk}/")
        expect(office.locator("#bidding")).to_be_visible()

        amounts = ["500000", "520000", "560000"]
        for n, (country, amount) in enumerate(zip(("CN", "VN", "LA"), amounts, strict=True)):
            user, organisation = bidder(country, n)
            user.set_password(PASSWORD)
            user.save()
            width = 390 if n % 2 else 1280
            context = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
            try:
                page = _sign_in_as(context, live_server, user)
                page.goto(f"{live_server.url}/listings/{listing.pk}/")
                page.click("#register-form button[type=submit]")
                expect(page.locator("#my-registration")).to_be_visible()
                if n == 1:  # below the current price plus the step: refused beside the field
                    page.fill("#id_amount", "505000")
                    page.click("#bid-form button[type=submit]")
                    expect(page.locator("#bid-form .error")).to_be_visible()
                page.fill("#id_amount", amount)
                page.click("#bid-form button[type=submit]")
                expect(page.locator("#current-price")).to_contain_text(f"{int(amount):,}")
                page.screenshot(path=artifacts / f"91-bid-{country}.png", full_page=True)
            finally:
                context.close()

        Listing.objects.filter(pk=listing.pk).update(
            closes_at=timezone.now() - timedelta(seconds=1)
        )
        office.goto(f"{live_server.url}/listings/{listing.pk}/")
        expect(office.locator("#outcome")).to_contain_text("560,000")
        office.click("#listing-manage")
        office.click("#listing-award")
        expect(office.locator("#winner")).to_contain_text(organisation.name_en)  # the Lao one
        assert Listing.objects.get().contract.counterparty_country == "LA"
        office.goto(f"{live_server.url}/transactions/")
        expect(office.locator("#abroad")).to_contain_text("Lao")
        expect(office.locator("#transactions .tag.abroad")).to_have_count(1)
        office.screenshot(path=artifacts / "92-transactions-abroad.png", full_page=True)
    finally:
        office_context.close()
