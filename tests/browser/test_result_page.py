"""Acting from a result in a real browser, in Chinese: a visitor ticks "has an open licence offer"
in the catalog, opens the one result that has one, reads its terms and badges, presses "apply for
a licence", signs in as the enterprise, lands on the offer and applies (M3.1)."""

from __future__ import annotations

import pytest

from kttc.policy.roles import Role
from kttc.reform.licensing import services as licences
from kttc.reform.models import LicenceApplication
from kttc.reform.tests.factories import published_result
from tests.browser.test_back_office import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect


def test_a_visitor_finds_an_offered_result_and_applies_after_signing_in(
    page, live_server, personas
):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    offered = published_result(personas, unit, name="石墨烯导热膜制备技术", external_ref="o")
    published_result(personas, unit, name="石墨烯涂料", external_ref="n")
    offer = licences.licence_offer(
        actor=personas.transfer_office,
        unit=unit,
        achievement=offered,
        term_years=5,
        payment_model="deferred",
        territory="云南省",
    )

    page.goto(f"{live_server.url}/achievements/?q=石墨烯")
    expect(page.locator("ol.hits li.hit")).to_have_count(2)
    page.locator("[data-facet=open_offer] input[name=open_offer]").check()
    page.locator("[data-facet=open_offer] button[type=submit]").click()
    expect(page.locator("ol.hits li.hit")).to_have_count(1)
    page.locator("ol.hits li.hit h2 a").click()

    expect(page.locator("[data-badge=licensable]")).to_be_visible()
    section = page.locator(f"[data-offer='{offer.pk}']")
    expect(section.locator("[data-term=territory]")).to_have_text("云南省")
    expect(section.locator("[data-term=payment]")).to_have_text("按约定日期延期支付")
    section.locator("[data-apply]").click()

    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(personas.enterprise.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/office/licences/offers/{offer.pk}/")
    page.fill("#id_plan", "建设中试生产线，面向南亚市场。")
    page.click("#apply-submit")
    expect(page.locator("#application-status")).to_have_text("等待单位决定")
    assert LicenceApplication.objects.get().offer_id == offer.pk
