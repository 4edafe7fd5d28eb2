"""A researcher reads what the platform decided about her rewards (M5.1), in a real browser, in
Chinese, on a desktop and on a phone: from her home to "My results and income", the line paid to
her, the distribution it belongs to (her own line only) and her own statement."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from kttc.benefits.contracts.tests.test_distribution import _contract, _decide
from kttc.policy.roles import Role
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect


def _paid_to(personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    name = personas.researcher.full_name
    contract = _contract(personas, unit)
    return _decide(personas, contract, team_shares={name: Decimal("60"), "赵华": Decimal("40")})


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_researcher_reads_her_own_statement(page, live_server, personas, artifacts, width):
    distribution = _paid_to(personas)
    mine = distribution.lines.get(name=personas.researcher.full_name)
    other = distribution.lines.get(name="赵华")
    page.set_viewport_size({"width": width, "height": 844})
    sign_in(page, live_server, personas.researcher)

    page.locator("a[href='/office/mine/']").first.click()
    expect(page.locator("main h1")).to_be_visible()
    amount = f"{mine.amount:,.2f}"
    row = page.locator("main table tbody tr", has_text="专利实施许可合同")
    expect(row).to_contain_text(amount)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=artifacts / f"90-my-income-{width}.png", full_page=True)

    with page.expect_download() as download:
        row.locator("a", has_text="xlsx").click()
    sheet = load_workbook(BytesIO(download.value.path().read_bytes())).active
    cells = [str(c) for r in sheet.iter_rows(values_only=True) for c in r if c is not None]
    assert personas.researcher.full_name in cells
    assert "赵华" not in cells  # her statement, nobody else's
    assert any(Decimal(c) == mine.amount for c in cells if c.replace(".", "").isdigit())

    row.locator("a", has_text="专利实施许可合同").click()
    expect(page.locator("main")).to_contain_text(amount)
    statements = page.locator("a[href*='/statement']")
    hrefs = {statements.nth(i).get_attribute("href") for i in range(statements.count())}
    assert hrefs and all(f"/statements/{mine.pk}." in href for href in hrefs)
    assert not any(f"/statements/{other.pk}." in href for href in hrefs)
    expect(page.locator("a[href*='payroll']")).to_have_count(0)
