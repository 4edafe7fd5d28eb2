"""A service institution's certification with its subsidy split in a real browser (M9.1, M9.2).

The institution's staff apply with their materials on a desktop; the bureau certifies the
institution for a term and records the subsidy in force on a phone; the staff reward the two
brokers from it by their agreed shares in the row editor; a broker reads their line on a phone
and downloads their statement as a PDF; the transfer office names a broker on its licence and the
broker's public profile shows the deal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kttc.center.institutions.models import BrokerRewardLine, CertificationApplication
from kttc.center.institutions.tests.factories import institution
from kttc.policy.roles import Role
from kttc.reform.licensing import services as licences
from kttc.reform.tests.factories import published_result
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _context(browser, viewport):
    return browser.new_context(locale="en-US", viewport=viewport, accept_downloads=True)


def test_an_institution_is_certified_and_splits_its_subsidy_between_its_brokers(
    browser, live_server, personas, artifacts, tmp_path
):
    found = institution(personas, brokers=2)
    staff_context, bureau_context = _context(browser, DESKTOP), _context(browser, PHONE)
    try:
        staff = staff_context.new_page()
        sign_in(staff, live_server, found.staff)
        staff.goto(f"{live_server.url}/office/institutions/apply/")
        staff.fill("#id_statement", "重点示范服务机构认定申请：新材料、生物医药领域技术转移。")
        material = tmp_path / "申请表.pdf"
        material.write_bytes(b"%PDF-1.4 application form")
        staff.set_input_files("#id_material_application", str(material))
        staff.get_by_role("button", name="Send to the bureau").click()
        application = CertificationApplication.objects.get()
        staff.screenshot(path=artifacts / "95-institution-applied.png", full_page=True)

        bureau = bureau_context.new_page()
        sign_in(bureau, live_server, personas.bureau)
        bureau.goto(f"{live_server.url}/office/institutions/applications/")
        bureau.get_by_role("link", name=found.organisation.name_en).first.click()
        expect(bureau.locator("#materials")).to_contain_text("申请表.pdf")
        bureau.get_by_role("button", name="Certify for this term").click()
        expect(bureau.locator("[data-status]")).to_have_attribute("data-status", "certified")
        bureau.get_by_role("button", name="Record the disbursement").click()
        expect(bureau.locator("[data-subsidy]")).to_contain_text("100,000.00")
        bureau.screenshot(path=artifacts / "95-institution-certified-phone.png", full_page=True)

        staff.goto(f"{live_server.url}/office/institutions/applications/{application.pk}/")
        staff.get_by_role("link", name="Reward the brokers (M9.2)").click()
        staff.fill("#id_total", "20000.01")
        staff.fill("#id_shares-0-percent", "60")
        staff.fill("#id_shares-1-percent", "40")
        staff.get_by_role("button", name="Decide the reward").click()
        lines = staff.locator("#reward-lines tbody tr")
        expect(lines).to_have_count(2)
        expect(lines.nth(0)).to_contain_text("12,000.01")
        expect(lines.nth(1)).to_contain_text("8,000.00")
        staff.screenshot(path=artifacts / "95-institution-reward.png", full_page=True)
    finally:
        staff_context.close()
        bureau_context.close()

    second = found.brokers[1]
    line = BrokerRewardLine.objects.get(broker=second)
    assert line.amount == Decimal("8000.00")
    broker_context = _context(browser, PHONE)
    try:
        broker = broker_context.new_page()
        sign_in(broker, live_server, second.person)
        broker.goto(f"{live_server.url}/office/institutions/my-rewards/")
        row = broker.locator(f'#my-rewards tr[data-line="{line.pk}"]')
        expect(row).to_contain_text("8,000.00")
        expect(row).to_contain_text("40%")
        with broker.expect_download() as download:
            row.locator('[data-statement="pdf"]').click()
        path = download.value.path()
        assert path is not None and path.read_bytes()[:5] == b"%PDF-"
        broker.screenshot(path=artifacts / "95-broker-rewards-phone.png", full_page=True)
    finally:
        broker_context.close()


def test_a_unit_names_a_broker_on_its_licence_and_the_profile_shows_it(
    browser, live_server, personas, artifacts
):
    broker = institution(personas, brokers=1).brokers[0]
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    result = published_result(personas, unit, name="三七皂苷提取工艺", external_ref="broker")
    offer = licences.licence_offer(
        actor=personas.transfer_office, unit=unit, achievement=result, term_years=3,
        payment_model="deferred",
    )  # fmt: skip
    licence = licences.licence_conclude(
        actor=personas.transfer_office, offer=offer,
        licensee=personas.organisations[Role.ENTERPRISE], starts_on=dt.date(2026, 1, 1),
        total_fee=Decimal("80000.00"), first_due=dt.date(2026, 6, 1), disclosed=["total_fee"],
    )  # fmt: skip
    context = _context(browser, PHONE)
    try:
        page = context.new_page()
        sign_in(page, live_server, personas.transfer_office)
        page.goto(f"{live_server.url}/office/institutions/deals/")
        page.select_option("#id_deal", f"licence:{licence.pk}")
        page.fill("#id_certificate_number", "NO-SUCH-1")
        page.get_by_role("button", name="Name the broker").click()
        expect(page.locator("#id_certificate_number")).to_have_attribute("aria-invalid", "true")
        page.fill("#id_certificate_number", broker.certificate_number)
        page.get_by_role("button", name="Name the broker").click()
        expect(page.locator("#named tbody tr")).to_have_count(1)
        page.screenshot(path=artifacts / "95-deals-named-phone.png", full_page=True)
        page.get_by_role("link", name=broker.person.full_name).click()
        expect(page.locator("#public-deals")).to_contain_text("三七皂苷提取工艺")
        expect(page.locator("[data-figure=published-amount]")).to_contain_text("80,000.00")
        page.screenshot(path=artifacts / "95-broker-profile-phone.png", full_page=True)
    finally:
        context.close()
