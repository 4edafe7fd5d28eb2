"""An IP protection case in a real browser (M11.2), from filing to its published decision: the
university's transfer office files a complaint against an enterprise on the platform with its
evidence, on a phone; the center's IP staff accept it, record the failed mediation, schedule the
hearing, keep its record, decide with measures, record their enforcement and publish; the
respondent sees the case; the public page shows the decision without personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.center.ip_protection.models import IpCase
from kttc.policy import calendar
from kttc.policy.roles import Role
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DECISION = (
    "经审理查明，被请求人销售的产品落入专利号 201710601862.3 的保护范围，构成侵权。"
    "请求人代理人赵敏（电话 13812345678，邮箱 zhao.min@law.example.cn）到庭。"
)


def _submit(page, action: str) -> None:
    page.locator(f"form[action$='/{action}/'] button[type=submit]").click()


def _status(page, status: str) -> None:
    expect(page.locator("p.org [data-status]")).to_have_attribute("data-status", status)


def test_m11_2_a_complaint_goes_from_filing_to_a_published_decision(
    browser, live_server, personas, artifacts, monkeypatch
):
    today = calendar.today_in_shanghai()
    respondent = personas.organisations[Role.ENTERPRISE]
    office_context = browser.new_context(locale="zh-CN", viewport=PHONE)
    staff_context = browser.new_context(locale="en-US", viewport=DESKTOP)
    try:
        office = office_context.new_page()
        sign_in(office, live_server, personas.transfer_office)
        office.goto(f"{live_server.url}/office/ip-cases/")
        office.select_option("#id_kind", "complaint")
        office.fill("#id_patent_number", "ZL 201710601862.3")
        office.fill("#id_respondent_name", respondent.name)
        office.fill("#id_respondent_credit_code", respondent.credit_code)
        office.fill("#id_facts", "被请求人未经许可销售落入专利保护范围的产品，请求责令停止。")
        office.fill("#id_persons", "赵敏")
        office.set_input_files(
            "#id_evidence_first",
            files=[{"name": "notary.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}],
        )
        office.locator("main form[method=post] button[type=submit]").click()
        _status(office, "filed")
        expect(office.locator("#evidence li")).to_have_count(1)
        expect(office.locator("#limits tbody tr")).to_have_count(1)
        office.screenshot(path=artifacts / "m11-2-filed-phone.png", full_page=True)
        case = IpCase.objects.get()
        detail = f"{live_server.url}/office/ip-cases/{case.pk}/"

        staff = staff_context.new_page()
        sign_in(staff, live_server, personas.bureau)
        staff.goto(f"{live_server.url}/office/ip-cases/handling/")
        staff.locator("#handling a", has_text=case.number).click()
        _submit(staff, "accept")
        _status(staff, "accepted")
        staff.fill("#id_held_on", today.isoformat())
        staff.select_option("#id_outcome", "failed")
        _submit(staff, "mediate")
        _status(staff, "hearing")
        expect(staff.locator("#sessions li")).to_have_count(1)
        staff.fill("#id_place", "中心知识产权调解室")
        _submit(staff, "hearing")
        case.refresh_from_db()
        assert case.hearing_on is not None and case.hearing_on > today
        # The hearing's day comes.
        monkeypatch.setattr(
            "kttc.policy.calendar.today_in_shanghai", lambda now=None: case.hearing_on
        )
        staff.goto(detail)
        staff.fill("#id_record", "双方到庭陈述意见。")
        _submit(staff, "hearing-record")
        staff.fill("#id_decision", DECISION)
        staff.select_option("#id_outcome", "infringement_found")
        staff.fill("#id_measures", "责令停止销售侵权产品。")
        _submit(staff, "decide")
        _status(staff, "enforcement")
        expect(staff.locator("#preview")).not_to_contain_text("13812345678")
        expect(staff.locator("#preview")).not_to_contain_text("赵敏")
        staff.fill("#id_record", "现场检查确认已停止销售。")
        _submit(staff, "enforce")
        _status(staff, "closed")
        _submit(staff, "publish")
        expect(staff.locator(f"main a[href='/ip-decisions/{case.pk}/']")).to_be_visible()
        staff.screenshot(path=artifacts / "m11-2-published-desktop.png", full_page=True)

        office.goto(detail)
        _status(office, "closed")
        expect(office.locator("#decision")).to_contain_text("构成侵权")
        expect(office.locator("form[action$='/publish/']")).to_have_count(0)

        respondent_page = office_context.new_page()
        office_context.clear_cookies()
        sign_in(respondent_page, live_server, personas.enterprise)
        respondent_page.goto(f"{live_server.url}/office/ip-cases/against-us/")
        expect(respondent_page.locator("#against a", has_text=case.number)).to_be_visible()

        public = browser.new_page(viewport=PHONE)
        try:
            public.goto(f"{live_server.url}/ip-decisions/")
            public.locator("#decisions a", has_text=case.number).click()
            text = public.locator("main").inner_text()
            assert "201710601862.3" in text and respondent.name in text
            people = (personas.transfer_office.full_name, personas.bureau.full_name)
            for private in ("赵敏", "13812345678", "zhao.min@law.example.cn", *people):
                assert private not in text
            public.screenshot(path=artifacts / "m11-2-public-phone.png", full_page=True)
        finally:
            public.close()
        assert case.hearing_on - today >= dt.timedelta(days=3)
    finally:
        office_context.close()
        staff_context.close()


@pytest.mark.parametrize("persona", [None, "office", "enterprise", "bureau"])
def test_m11_the_ip_pages_have_no_serious_accessibility_violation(
    browser, live_server, transactional_db, persona
):
    """axe-core on the pages of M11.1 and M11.2 with the demo's cases, at a desktop's and a
    phone's width, signed out and as each persona who uses them."""
    pytest.importorskip("axe_playwright_python.sync_playwright")
    import io

    from django.core.management import call_command

    from kttc.center.ip_services.models import PreExamination
    from tests.browser.test_accessibility import _audit

    call_command("demo", stdout=io.StringIO())
    published = IpCase.objects.get(published_on__isnull=False)
    mediation = IpCase.objects.get(status="accepted")
    request = PreExamination.objects.filter(status="accepted").first()
    paths = {
        None: ["/ip-decisions/", f"/ip-decisions/{published.pk}/"],
        "office": ["/office/ip-cases/", f"/office/ip-cases/{mediation.pk}/"],
        "enterprise": [
            "/office/ip-cases/against-us/", f"/office/ip-cases/{mediation.pk}/",
            "/office/pre-examination/",
        ],
        "bureau": [
            "/office/ip-cases/handling/", f"/office/ip-cases/{mediation.pk}/",
            f"/office/ip-cases/{published.pk}/", "/office/pre-examination/queue/",
            f"/office/pre-examination/{request.pk}/",
        ],
    }[persona]  # fmt: skip
    email = f"{persona}@demo.kttc.example" if persona else None
    problems = _audit(browser, live_server, paths, email=email)
    assert not problems, "axe found:\n" + "\n".join(problems)
