"""The platform on a phone (390 × 844 px, the demo's data): the main menu folds into a "Menu"
button, the catalog's filters into a "Filters" drawer, list tables become cards, and no page
scrolls sideways. Full-page screenshots go to test-artifacts/phone-*.png."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from kttc.core.demo import DEMO_PASSWORD
from tests.browser.conftest import BROWSER_LOCALE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db) -> None:
    call_command("demo", stdout=io.StringIO())


@pytest.fixture
def phone(browser):
    """A phone-sized page (touch, Chinese like a browser in Kunming)."""
    context = browser.new_context(
        locale=BROWSER_LOCALE, viewport=PHONE, has_touch=True, is_mobile=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_the_catalog_on_a_phone(phone, live_server, demo, artifacts):
    page = phone
    page.goto(f"{live_server.url}/achievements/")
    no_sideways_scroll(page)

    # The main menu waits behind its button; a tap opens it, links a thumb can hit.
    menu = page.locator("header details.menu")
    links = page.locator("header nav[aria-label] a")
    expect(menu).not_to_have_attribute("open", "")
    expect(links.first).to_be_hidden()
    expect(page.locator("#language-select")).to_be_hidden()
    page.screenshot(path=artifacts / "phone-01-catalog.png")
    menu.locator("summary").tap()
    expect(menu).to_have_attribute("open", "")
    expect(links.first).to_be_visible()
    expect(page.locator("#language-select")).to_be_visible()
    expect(page.locator("header a[href='/accounts/login/']")).to_be_visible()
    assert links.count() >= 9
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["height"] >= 40 and box["x"] + box["width"] <= PHONE["width"], box
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "phone-02-menu.png")
    menu.locator("summary").tap()
    expect(links.first).to_be_hidden()

    # The filters are in a closed drawer: the results come first, right under the search.
    drawer = page.locator(".facets details.drawer")
    facet = page.locator(".facets section.facet").first
    expect(drawer).not_to_have_attribute("open", "")
    expect(facet).to_be_hidden()
    first_hit = page.locator("ol.hits li.hit").first
    expect(first_hit).to_be_visible()
    assert first_hit.bounding_box()["y"] < PHONE["height"], "results below the fold"
    drawer.locator("summary").tap()
    expect(facet).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "phone-03-filters.png")
    drawer.locator("summary").tap()
    expect(facet).to_be_hidden()

    # A result's card reads as on a wide screen: its title a link, its text in lines, not a
    # column of single characters.
    title = first_hit.locator("h2 a")
    expect(title).to_be_visible()
    box = first_hit.bounding_box()
    assert box["width"] >= 300 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    snippet = first_hit.locator("p.snippet").bounding_box()
    assert snippet["width"] >= 250
    page.screenshot(path=artifacts / "phone-04-catalog-full.png", full_page=True)

    # On a wide screen the same page shows the menu and the facets, no buttons.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(links.first).to_be_visible()
    expect(facet).to_be_visible()
    expect(menu.locator("summary")).to_be_hidden()
    expect(drawer.locator("summary")).to_be_hidden()


def _sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("main input[name=username]").fill(email)
    page.locator("main input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").tap()
    page.wait_for_url(f"{live_server.url}/office/")


def _cards(page, table) -> None:
    """Each row a card as wide as the page allows; each cell headed by its column's name."""
    expect(table).to_be_visible()
    headers = table.locator("thead th").all_inner_texts()
    assert table.locator("thead").bounding_box()["height"] <= 1  # kept for screen readers
    row = table.locator("tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    assert row.bounding_box()["width"] >= 300
    # (a row's tick box, .pick, sits in the card's corner without its label)
    labels = row.locator("td[data-label]:not(.pick)").evaluate_all(
        "cells => cells.map(c => [c.dataset.label, getComputedStyle(c, '::before').content])"
    )
    assert labels, "no labelled cell"
    for label, shown in labels:
        assert shown == f'"{label}"'
        assert label in headers or label == "#"


def test_the_results_list_and_a_distribution_on_a_phone(phone, live_server, demo, artifacts):
    from kttc.benefits.models import Distribution

    page = phone
    _sign_in(page, live_server, "office@demo.kttc.example")

    page.goto(f"{live_server.url}/office/registry/")
    no_sideways_scroll(page)
    expect(page.locator("details.drawer")).not_to_have_attribute("open", "")
    expect(page.locator("form.filters #q")).to_be_hidden()
    _cards(page, page.locator("table.cards-on-phone"))
    page.screenshot(path=artifacts / "phone-05-results.png")
    page.locator("details.drawer > summary").tap()
    expect(page.locator("form.filters #q")).to_be_visible()
    no_sideways_scroll(page)

    distribution = Distribution.objects.first()
    page.goto(f"{live_server.url}/office/contracts/distributions/{distribution.pk}/")
    no_sideways_scroll(page)
    _cards(page, page.locator("table#lines"))
    # The total is a card of its own, its amount labelled like the lines'.
    total = page.locator("#lines-total")
    expect(total).to_be_visible()
    assert total.evaluate("c => getComputedStyle(c, '::before').content") != "none"
    page.screenshot(path=artifacts / "phone-06-distribution.png", full_page=True)
