"""A thousand imported results submitted by their unit and published by the center in two
bulk actions, in a real browser (M8.6, issue 13's lists that scale); and the list on a phone."""

from __future__ import annotations

import pytest

from kttc.policy import calendar
from kttc.policy.roles import Role
from kttc.registry.achievements import services
from kttc.registry.achievements.models import Achievement
from kttc.registry.choices import Status
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

MANY = 1_000


def _imported(personas, count):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    today = calendar.today_in_shanghai()
    for n in range(count):
        raw = achievement_raw(name=f"高原特色农业技术第{n:04d}号")
        data = validate_achievement(raw, today=today)
        services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)


def _act_on_all(page, action: str, artifacts, name: str) -> None:
    """Acts on every result listed; the page shows the work's progress, then its summary."""
    bar = page.locator("fieldset.bulk-bar")
    bar.locator("input[name=scope][value=all]").check()
    bar.locator("select[name=action]").select_option(action)
    bar.locator("#bulk-submit").click()
    job = page.locator("#bulk-job")
    expect(job.locator("progress")).to_be_visible()  # how far it has got, while it runs
    page.screenshot(path=artifacts / f"{name}-progress.png", full_page=False)
    # A wait, not a timing check: 1,000 results take about 40 s here, longer on a busy machine.
    expect(job.locator(".messages")).to_contain_text(f"{MANY}", timeout=240_000)
    expect(job.locator("progress")).to_have_count(0)
    page.screenshot(path=artifacts / f"{name}-done.png", full_page=False)
    with page.expect_navigation():
        page.click("#bulk-job-back")


def test_a_thousand_results_are_submitted_then_published_in_two_actions(
    page, live_server, personas, artifacts
):
    _imported(personas, MANY)
    sign_in(page, live_server, personas.transfer_office)
    page.goto(f"{live_server.url}/office/registry/?status=draft&sort=name")
    expect(page.locator("[data-count]")).to_contain_text(f"{MANY:,}".replace(",", ""))
    expect(page.locator("fieldset.bulk-bar")).to_contain_text(str(MANY))
    page.screenshot(path=artifacts / "bulk-01-drafts.png", full_page=False)
    _act_on_all(page, "submit", artifacts, "bulk-01-submit")
    assert Achievement.objects.filter(status=Status.SUBMITTED).count() == MANY
    # the filters are kept: the drafts list is now empty, and says so
    expect(page.locator("p.empty")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server, personas.bureau)
    page.goto(f"{live_server.url}/office/registry/?status=submitted")
    _act_on_all(page, "publish", artifacts, "bulk-02-publish")
    page.screenshot(path=artifacts / "bulk-02-published.png", full_page=False)
    assert Achievement.objects.filter(status=Status.PUBLISHED).count() == MANY


def test_the_results_list_works_on_a_phone(page, live_server, personas, artifacts):
    _imported(personas, 30)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, personas.transfer_office)
    page.goto(f"{live_server.url}/office/registry/")
    # On a phone the filters wait in a closed drawer.
    expect(page.locator("#q")).to_be_hidden()
    page.locator("details.drawer > summary").click()
    page.locator("#q").fill("第0001号")
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # the page itself never scrolls sideways
    page.screenshot(path=artifacts / "bulk-03-phone.png", full_page=True)


def test_the_ticked_results_are_exported_as_an_import_file(page, live_server, personas):
    from io import BytesIO

    from openpyxl import load_workbook

    _imported(personas, 5)
    sign_in(page, live_server, personas.transfer_office)
    page.goto(f"{live_server.url}/office/registry/?sort=name")
    page.locator("#pick-" + str(Achievement.objects.order_by("name")[1].pk)).check()
    page.locator("#pick-" + str(Achievement.objects.order_by("name")[3].pk)).check()
    page.click("#bulk-export")
    expect(page.locator("#bulk-job .messages")).to_contain_text("2")
    with page.expect_download() as download:
        page.click("#bulk-job-file")
    sheet = load_workbook(BytesIO(download.value.path().read_bytes())).active
    names = [row[1] for row in list(sheet.values)[1:]]
    assert names == ["高原特色农业技术第0001号", "高原特色农业技术第0003号"]
