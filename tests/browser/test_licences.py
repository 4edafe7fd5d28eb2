"""A "use first, pay later" licence (M3) in a real browser, in Chinese: the unit's office offers
a published result, an enterprise applies, the office concludes a licence with staged payments
and a royalty (publishing some terms, M8.5), the enterprise reports revenue (a negative figure is
refused, citing M3.2), a payment is missed and the sweep tells the enterprise, the office declares
a breach; when the same enterprise applies for another licence the office sees its credit record
(M3.4), the enterprise answers it, and the transaction page shows only what was published."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from kttc.policy import calendar
from kttc.policy.roles import Role
from kttc.reform.models import CreditRecord, Licence
from kttc.reform.tests.factories import make_result
from kttc.registry import services as registry_services
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def travel(monkeypatch):
    """Move the platform's date in Asia/Shanghai (the live server runs in this process)."""

    def to(day: dt.date) -> None:
        monkeypatch.setattr(calendar, "today_in_shanghai", lambda now=None: day)

    return to


def _as(page, live_server, person) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, person)


def _published(personas, unit, name):
    result = make_result(personas, unit, name=name)
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    return registry_services.achievement_publish(actor=personas.bureau, achievement=result)


def _offer(page, live_server, result) -> None:
    page.goto(f"{live_server.url}/office/licences/")
    page.click("#new-offer")
    page.select_option("#id_achievement", str(result.pk))
    page.select_option("#id_payment_model", "staged_royalty")
    page.fill("#id_term_years", "5")
    page.click("#offer-submit")
    expect(page.locator(".messages li")).to_contain_text("M3.1")


def _apply(page, live_server, result) -> None:
    page.goto(f"{live_server.url}/office/licences/")
    page.click(f"#offers-h ~ ul a:has-text('{result.name}')")
    page.fill("#id_plan", "建设中试生产线，面向南亚市场。")
    page.click("#apply-submit")
    expect(page.locator("#application-status")).to_have_text("等待单位决定")


def test_m3_a_licence_from_offer_to_a_breach_and_a_credit_record(
    page, live_server, personas, artifacts, travel
):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    office, firm = personas.transfer_office, personas.enterprise
    first = _published(personas, unit, "高原特色植物提取物制备方法")
    second = _published(personas, unit, "高原特色植物提取装置")
    travel(dt.date(2027, 1, 10))

    _as(page, live_server, office)
    _offer(page, live_server, first)
    _as(page, live_server, firm)
    _apply(page, live_server, first)

    # The office concludes: a stage by date, a stage at a milestone, a 5 % royalty paid within
    # 30 days of each period (M3.3).
    _as(page, live_server, office)
    page.goto(f"{live_server.url}/office/licences/")
    page.click("#waiting-h ~ div a")
    page.fill("#id_conclude-starts_on", "2027-01-15")
    page.fill("#id_conclude-stages-0-amount", "50000")
    page.fill("#id_conclude-stages-0-due", "2027-06-30")
    page.click("button[name=_add][value=conclude-stages]")
    expect(page.locator("#id_conclude-stages-1-amount")).to_be_focused()
    page.fill("#id_conclude-stages-1-amount", "80,000")
    page.fill("#id_conclude-stages-1-milestone", "中试线通过验收")
    page.fill("#id_conclude-royalty_percent", "5")
    page.fill("#id_conclude-royalty_due_days", "30")
    page.check("input[name=conclude-disclosed][value=payment_model]")
    page.check("input[name=conclude-disclosed][value=term]")
    page.screenshot(path=artifacts / "55-licence-conclude-zh-hans.png", full_page=True)
    page.click("#conclude-submit")
    expect(page.locator(".messages li")).to_contain_text("M3.2")
    licence = Licence.objects.get()
    expect(page.locator("#schedule tbody tr")).to_have_count(2)
    expect(page.locator("#royalty-due-days")).to_contain_text("30")

    # At the quarter's end the enterprise reports revenue (a period not yet over is refused,
    # M3.2): a negative figure is refused with its clause.
    travel(dt.date(2027, 4, 1))
    _as(page, live_server, firm)
    url = f"{live_server.url}/office/licences/{licence.pk}/"
    page.goto(url)
    page.fill("#id_revenue-period_start", "2027-01-15")
    page.fill("#id_revenue-period_end", "2027-03-31")
    page.fill("#id_revenue-revenue", "-100")
    page.click("#report-submit")
    expect(page.locator(".field.invalid .error")).to_contain_text("M3.2")
    page.fill("#id_revenue-revenue", "300000")
    page.click("#report-submit")
    expect(page.locator("#reports tbody td.num").nth(1)).to_have_text("15,000.00")
    # due 30 days after the quarter, as the licence says: the licensee did not pick the day
    # (the date as Chinese writes it)
    expect(page.locator("#reports tbody td.nowrap").nth(1)).to_have_text("2027年4月30日")

    # The June instalment is missed: on 2 July the sweep tells the enterprise.
    travel(dt.date(2027, 7, 2))
    call_command("sweep", today="2027-07-02")
    page.goto(f"{live_server.url}/office/notifications/")
    expect(page.locator("main")).to_contain_text("2027年6月30日")
    page.goto(url)
    expect(page.locator("#schedule .tag.overdue")).to_have_count(2)  # the stage and the royalty
    expect(page.locator("#overdue")).to_contain_text("65,000.00")  # 50000 + royalty 15000

    # The office declares the breach.
    _as(page, live_server, office)
    page.goto(url)
    page.fill("#id_breach-reason", "第一期许可费逾期未付。")
    page.click("#breach-submit")
    expect(page.locator("#licence-status")).to_have_text("被许可方违约")
    page.screenshot(path=artifacts / "56-licence-breach-zh-hans.png", full_page=True)
    record = CreditRecord.objects.get()

    # The same enterprise applies for another result: the office sees the credit record.
    _offer(page, live_server, second)
    _as(page, live_server, firm)
    _apply(page, live_server, second)
    _as(page, live_server, office)
    page.goto(f"{live_server.url}/office/licences/")
    page.click(f"#waiting-h ~ div a:has-text('{second.name}')")
    expect(page.locator("#records-h ~ .errors")).to_contain_text("第一期许可费逾期未付")
    page.screenshot(path=artifacts / "57-licence-credit-record-zh-hans.png", full_page=True)

    # The enterprise answers the record on its licence.
    _as(page, live_server, firm)
    page.goto(url)
    page.fill(f"#id_answer-{record.pk}-answer", "已于7月5日补缴。")
    page.click(f"#credit-records form:has(#id_answer-{record.pk}-answer) button")
    expect(page.locator("#credit-records")).to_contain_text("已于7月5日补缴")

    # The public transaction page: the payment model and the term, not the licensee.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/transactions/")
    row = page.locator("#transactions tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("2027年1月15日")
    expect(row).not_to_contain_text(personas.organisations[Role.ENTERPRISE].name)
    page.screenshot(path=artifacts / "58-transactions-zh-hans.png", full_page=True)
