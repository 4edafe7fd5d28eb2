"""Accessibility in a real browser: axe-core on the main pages, at a desktop's width (1280 px)
and a phone's (390 px), signed out and as each persona of the demo; and a form by keyboard.

A page passes when axe finds no violation of impact "serious" or "critical" (WCAG 2 A and AA
and axe's best practices: labels tied to fields, contrast, landmarks, names of links and
buttons, lang attributes, scrollable regions the keyboard can reach...). The demo data gives
every page something to show: results, a licence with its schedule, a distribution, a
researcher's income.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from kttc.core.demo import DEMO_PASSWORD
from tests.browser.conftest import BROWSER_LOCALE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
BLOCKING = {"serious", "critical"}


@pytest.fixture
def demo(transactional_db) -> None:
    """The demo's organisations, personas, results, licences and distributions."""
    call_command("demo", stdout=io.StringIO())


def _blocking(axe, page) -> list[str]:
    """Each serious or critical violation as id, help and first node's target."""
    found = []
    for v in axe.run(page).response["violations"]:
        if v["impact"] in BLOCKING:
            target = v["nodes"][0]["target"] if v["nodes"] else "?"
            found.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']} — {target}")
    return found


def _audit(browser, live_server, paths, *, email=None) -> list[str]:
    """Run axe on each path at both widths; the problems, each with its page and width."""
    axe = Axe()
    problems = []
    for width, viewport in WIDTHS.items():
        context = browser.new_context(locale=BROWSER_LOCALE, viewport=viewport)
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            if email is not None:
                page.goto(f"{live_server.url}/accounts/login/")
                page.locator("main input[name=username]").fill(email)
                page.locator("main input[name=password]").fill(DEMO_PASSWORD)
                page.locator("main button[type=submit]").click()
                page.wait_for_url(f"{live_server.url}/office/")
            for path in paths:
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None and response.status == 200, (path, width)
                problems += [f"{path} at {width}: {p}" for p in _blocking(axe, page)]
        finally:
            context.close()
    return problems


def test_public_pages_have_no_serious_violation(browser, live_server, demo):
    from kttc.registry.achievements.models import Achievement
    from kttc.registry.choices import Status

    result = Achievement.objects.filter(status=Status.PUBLISHED).first()
    paths = [
        "/",
        "/achievements/",
        f"/achievements/{result.pk}/",
        "/demands/",
        "/cooperation/",
        "/transactions/",
        "/open-licensing/",
        "/accounts/login/",
        "/accounts/signup/",
    ]
    problems = _audit(browser, live_server, paths)
    assert not problems, "axe found:\n" + "\n".join(problems)


def _persona_paths(persona: str) -> list[str]:
    """The back-office pages each persona reaches: home, the results list, a result form or
    page, a licence, a distribution, the researcher's own page."""
    from kttc.benefits.models import Distribution
    from kttc.reform.licensing.models import Licence
    from kttc.registry.achievements.models import Achievement
    from kttc.registry.choices import Status

    draft = Achievement.objects.filter(status=Status.DRAFT).first()
    published = Achievement.objects.filter(status=Status.PUBLISHED).first()
    licence = Licence.objects.first()
    distribution = Distribution.objects.first()
    common = ["/office/", "/office/registry/"]
    return {
        "office": [
            *common,
            "/office/registry/new/",
            f"/office/registry/{draft.pk}/edit/",
            f"/office/licences/{licence.pk}/",
            f"/office/contracts/distributions/{distribution.pk}/",
            "/office/notifications/",
        ],
        "bureau": [
            *common,
            "/office/partners/",
            f"/office/registry/{published.pk}/",
            f"/office/licences/{licence.pk}/",
            f"/office/contracts/distributions/{distribution.pk}/",
        ],
        "enterprise": [*common, f"/office/licences/{licence.pk}/", "/office/licences/"],
        "researcher": [
            *common,
            f"/office/registry/{published.pk}/",
            f"/office/contracts/distributions/{distribution.pk}/",
            "/office/mine/",
        ],
        # M8.4: a partner abroad's staff: its cases, a referral, a demand for its enterprise.
        "partner": [
            "/office/",
            "/office/partners/cases/",
            "/office/partners/refer/",
            "/demands/new/",
        ],
    }[persona]


@pytest.mark.parametrize("persona", ["office", "bureau", "enterprise", "researcher", "partner"])
def test_back_office_pages_have_no_serious_violation(browser, live_server, demo, persona):
    email = f"{persona}@demo.kttc.example"
    problems = _audit(browser, live_server, _persona_paths(persona), email=email)
    assert not problems, f"axe found, signed in as {email}:\n" + "\n".join(problems)


def test_the_sign_up_form_works_by_keyboard(page, live_server):
    """Tab goes through the form's fields in their order, and the field in focus shows it."""
    page.goto(f"{live_server.url}/accounts/signup/")
    controls = page.evaluate(
        """() => [...document.querySelectorAll('main form :is(input, select, textarea, button)')]
             .filter(e => e.type !== 'hidden' && !e.disabled).map(e => e.id || e.textContent)"""
    )
    assert len(controls) > 5
    # Every field carries a label tied to it.
    for control in controls[:-1]:
        expect(page.locator(f"label[for='{control}']")).to_have_count(1)

    # From the skip link on: Tab reaches the first field, then each one in order.
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == controls[0]:
            break
    else:
        pytest.fail(f"Tab never reached the first field, #{controls[0]}")
    reached = [controls[0]]
    for _ in controls[1:]:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("(e => e.id || e.textContent)(document.activeElement)"))
    assert reached == controls

    # The focused control shows a visible outline (site.css's :focus-visible), not the browser's
    # default nothing-on-click.
    page.locator(f"#{controls[1]}").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    style = page.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e);
                   return {visible: e.matches(':focus-visible'), style: s.outlineStyle,
                           width: parseFloat(s.outlineWidth), color: s.outlineColor}; }"""
    )
    assert style["visible"] and style["style"] == "solid" and style["width"] >= 2, style
