"""An income distribution (M5) in a real browser, in Chinese: the office records a licence
contract, registers it, books the income and a deductible cost, is refused a team share below
the minimum (M5.2), distributes at 70 % with the team's shares and a service staff reward, and
reads each line to the fen."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.benefits.models import Distribution
from kttc.policy.roles import Role
from kttc.registry import services as registry_services
from kttc.registry.achievements.validation import validate_achievement
from kttc.registry.tests.factories import achievement_raw
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect


def _registered_result(personas):
    """A submitted result whose registered completers are 李明 (60 %) and 赵华 (40 %)."""
    completers = [
        {"name": "李明", "unit_name": "春城测试大学", "share": "60"},
        {"name": "赵华", "unit_name": "春城测试大学", "share": "40"},
    ]
    data = validate_achievement(
        achievement_raw(completers=completers), today=dt.date(2026, 11, 1)
    )
    office, unit = personas.transfer_office, personas.organisations[Role.TRANSFER_OFFICE]
    result = registry_services.achievement_create(actor=office, unit=unit, data=data)
    registry_services.achievement_submit(actor=office, achievement=result)
    return result


def test_m5_a_licence_income_is_distributed_to_the_fen(page, live_server, personas, artifacts):
    result = _registered_result(personas)
    sign_in(page, live_server, personas.transfer_office)
    page.goto(f"{live_server.url}/office/contracts/")
    expect(page.locator("main .empty")).to_be_visible()
    page.click("#new-contract")
    page.select_option("#id_kind", "licence")
    page.fill("#id_title", "高原特色植物提取物制备方法专利实施许可合同")
    page.fill("#id_counterparty", "云岭智造科技有限公司")
    page.fill("#id_signed_on", "2026-03-01")
    page.fill("#id_amount", "300000")
    page.select_option("#id_achievement", str(result.pk))
    page.click("#contract-submit")
    expect(page.locator(".messages li")).to_have_text("合同已记录。")

    page.fill("#id_reg-registration_number", "2026530100000123")
    page.fill("#id_reg-registered_on", "2026-03-20")
    page.fill("#id_reg-certified_amount", "300000")
    page.click("#register-submit")
    expect(page.locator("#registration")).to_contain_text("2026530100000123")
    page.fill("#id_income-amount", "120000")
    page.fill("#id_income-received_on", "2026-06-30")
    page.click("#income-submit")
    page.fill("#id_cost-amount", "4500.50")
    page.fill("#id_cost-reason", "专利评估与维持费")
    page.fill("#id_cost-incurred_on", "2026-04-10")
    page.click("#cost-submit")
    expect(page.locator("#totals")).to_contain_text("115,499.50")

    page.fill("#id_dist-period_start", "2026-01-01")
    page.fill("#id_dist-period_end", "2026-12-31")
    page.fill("#id_dist-team_percent", "65")
    # The team's shares come filled in from the result's registered completers.
    expect(page.locator("#id_dist-team_shares-0-name")).to_have_value("李明")
    expect(page.locator("#id_dist-team_shares-0-percent")).to_have_value("60")
    expect(page.locator("#id_dist-team_shares-1-name")).to_have_value("赵华")
    expect(page.locator("#id_dist-team_shares-1-percent")).to_have_value("40")
    page.fill("#id_dist-service_percent", "10")
    page.fill("#id_dist-service_shares-0-name", "王芳")
    page.fill("#id_dist-service_shares-0-percent", "100")
    page.click("#distribute-submit")
    # The refusal is seen at once: the page opens on a summary that links to the field.
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("M5.2")
    expect(summary).to_be_in_viewport()
    expect(page.locator(".field.invalid .error")).to_contain_text("M5.2")
    expect(page.locator("#id_dist-service_shares-0-name")).to_have_value("王芳")  # kept
    page.screenshot(path=artifacts / "60-distribution-refused-zh-hans.png", full_page=True)
    summary.locator("a").first.click()
    expect(page.locator("#id_dist-team_percent")).to_be_in_viewport()
    page.fill("#id_dist-team_percent", "70")
    page.click("#distribute-submit")
    expect(page.locator(".messages li")).to_contain_text("M5.2")

    distribution = Distribution.objects.get()
    expect(page.locator("#net-income")).to_have_text("115,499.50")
    rows = page.locator("#lines tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator("#lines tr.line-team")).to_contain_text(["48,509.79", "32,339.86"])
    # The service staff's 10 % of the unit's 34,649.85, rounded up to the fen.
    expect(page.locator("#lines tr.line-service_staff")).to_contain_text("3,464.99")
    expect(page.locator("#lines tr.line-unit")).to_contain_text("31,184.86")
    total = sum(line.amount for line in distribution.lines.all())
    assert total == distribution.net_income
    assert personas.organisations[Role.TRANSFER_OFFICE].name in page.locator("#lines").inner_text()
    page.screenshot(path=artifacts / "61-distribution-zh-hans.png", full_page=True)
