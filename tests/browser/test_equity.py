"""Researcher shareholding and state equity (M6.1, M2.2) in a real browser, in Chinese: the
office records an investment of a result with the completers below 70 % (refused, M6.1 beside
the cap table), then at 70 % (accepted); records a transfer that touches national secrets,
which waits for approval (M2.2); the bureau approves it in its queue. The page is in Chinese,
so elements are found by id and structure, and checked by numbers and clause ids."""

from __future__ import annotations

import pytest

from kttc.benefits.models import EquityInvestment, StateEquityMatter
from kttc.benefits.tests.factories import result_of as _result_of
from kttc.policy.roles import Role
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

LOW = [
    ("completer", "李明", "4200"),
    ("completer", "赵华", "2799"),
    ("unit", "春城测试大学", "3001"),
]


def fill_cap_table(page, holders) -> None:
    """Fills the cap table's row editor a line at a time, adding lines as needed."""
    for index, (kind, name, shares) in enumerate(holders):
        if page.locator(f"#id_holders-{index}-kind").count() == 0:
            page.click("button[name=_add][value=holders]")
        page.select_option(f"#id_holders-{index}-kind", kind)
        page.fill(f"#id_holders-{index}-name", name)
        page.fill(f"#id_holders-{index}-shares", shares)


def test_m6_1_m2_2_an_investment_and_a_secret_transfer_approved(
    page, live_server, personas, artifacts
):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    result = _result_of(personas, unit)
    sign_in(page, live_server, personas.transfer_office)
    page.goto(f"{live_server.url}/office/equity/")
    expect(page.locator("main .empty")).to_be_visible()
    page.click("#new-investment")
    page.select_option("#id_achievement", str(result.pk))
    page.fill("#id_company", "云岭新材料科技有限公司")
    page.fill("#id_valuation", "5000000")
    page.fill("#id_shares_issued", "10000")
    page.fill("#id_invested_on", "2026-03-01")
    fill_cap_table(page, LOW)
    page.click("#investment-submit")
    refusal = page.locator("#id_holders.invalid .error")
    expect(refusal).to_contain_text("M6.1")
    expect(refusal).to_contain_text("69.99%")
    assert not EquityInvestment.objects.exists()
    page.screenshot(path=artifacts / "70-equity-cap-table-refused-zh-hans.png", full_page=True)

    page.fill("#id_holders-1-shares", "2800")  # what was typed is all still there
    page.fill("#id_holders-2-shares", "3000")
    page.click("#investment-submit")
    expect(page.locator(".messages li")).to_contain_text("M6.1")
    investment = EquityInvestment.objects.get()
    expect(page.locator("#completer-ratio")).to_contain_text("70%")
    expect(page.locator("#cap-table tbody tr")).to_have_count(3)
    # shares grouped as Chinese groups numbers
    expect(page.locator("#cap-table tr.holder-completer").first).to_contain_text("4,200")
    expect(page.locator("#unit-shares")).to_have_text("3,000")
    page.screenshot(path=artifacts / "71-equity-investment-zh-hans.png", full_page=True)

    page.select_option("#id_matter-kind", "public_market_transfer")
    page.fill("#id_matter-occurred_on", "2026-06-01")
    page.fill("#id_matter-amount", "300000")
    page.fill("#id_matter-shares", "500")
    page.fill("#id_matter-description", "在产权交易所公开挂牌转让")
    page.check("#id_matter-touches_secrets")
    page.click("#matter-submit")
    expect(page.locator(".messages li")).to_contain_text("M2.2")
    matter = StateEquityMatter.objects.get()
    assert (matter.investment, matter.status) == (investment, "waiting_approval")
    row = page.locator(f"#matter-{matter.pk}")
    expect(row).to_have_class("status-waiting_approval")
    expect(row.locator(".tag")).to_contain_text("M2.2")
    expect(row).to_contain_text("300,000.00")
    page.screenshot(path=artifacts / "72-equity-matter-waiting-zh-hans.png", full_page=True)

    page.context.clear_cookies()
    sign_in(page, live_server, personas.bureau)
    page.goto(f"{live_server.url}/office/equity/approvals/")
    item = page.locator(f"#queue-{matter.pk}")
    expect(item.locator(".amount")).to_have_text("300,000.00")
    expect(item.locator(".shares")).to_have_text("500")
    page.screenshot(path=artifacts / "73-equity-approval-queue-zh-hans.png", full_page=True)
    item.locator(f"#id_m{matter.pk}-note").fill("同意")
    page.click(f"#approve-{matter.pk}")
    expect(page.locator(".messages li")).to_contain_text("M2.2")
    expect(page.locator("main .empty")).to_be_visible()
    matter.refresh_from_db()
    assert (matter.status, matter.decided_by, matter.decision_note) == (
        "approved",
        personas.bureau,
        "同意",
    )
    page.goto(f"{live_server.url}/office/equity/{investment.pk}/")
    expect(page.locator(f"#matter-{matter.pk}")).to_have_class("status-approved")
    page.screenshot(path=artifacts / "74-equity-matter-approved-zh-hans.png", full_page=True)
