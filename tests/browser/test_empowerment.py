"""An empowerment (M1) in a real browser, in Chinese: a researcher applies from the result's page
with the implementation plan, the unit approves and publishes the notice, a member objects, both
sides sign the agreement, the grant is refused while the notice runs and while the objection is
unanswered, then granted; the right shows on the result. The platform's date is moved for the
notice period."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.core.models import Membership
from kttc.core.tests.factories import UserFactory
from kttc.policy import calendar
from kttc.policy.roles import Role
from kttc.reform.tests.factories import make_result, set_rules
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def travel(monkeypatch):
    """Move the platform's date in Asia/Shanghai (the live server runs in this process)."""

    def to(day: dt.date) -> None:
        monkeypatch.setattr(calendar, "today_in_shanghai", lambda now=None: day)

    return to


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _as(page, live_server, person) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, person)


def test_m1_an_application_goes_through_notice_objection_and_agreement_to_a_grant(
    page, live_server, personas, artifacts, travel
):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    office, researcher = personas.transfer_office, personas.researcher
    member = UserFactory(email="member@test.kttc.example", full_name="孙丽")
    Membership.objects.create(user=member, organisation=unit, role=Role.RESEARCHER.value)
    set_rules(office, unit)
    result = make_result(personas, unit)
    travel(dt.date(2026, 11, 20))

    # The researcher applies from the result's page, with the plan and the required document.
    _as(page, live_server, researcher)
    page.goto(f"{live_server.url}/office/registry/{result.pk}/")
    page.click("section.empowerment a.button")
    page.select_option("#id_right", "long_term_use")
    page.fill("#id_term_years", "10")
    page.fill("#id_partners", "云岭智造科技有限公司")
    page.fill("#id_summary", "与云岭智造共同开展中试，三年内实现产业化。")
    page.set_input_files(
        "#id_plan",
        files=[{"name": "成果转化实施方案.pdf", "mimeType": "application/pdf", "buffer": b"plan"}],
    )
    page.set_input_files(
        "#id_required_0",
        files=[{"name": "知情同意书.pdf", "mimeType": "application/pdf", "buffer": b"consent"}],
    )
    page.screenshot(path=artifacts / "40-empowerment-apply-zh-hans.png", full_page=True)
    page.click("form.long-form button[type=submit]")
    expect(page.locator(".messages li")).to_contain_text("M1.4")
    expect(page.locator(".tag.status-applied")).to_have_text("已申请，待单位审批")
    application_url = page.url

    # The unit approves, publishes the notice for the minimum in force, draws up and signs.
    _as(page, live_server, office)
    page.goto(application_url)
    page.click("#approve")
    expect(page.locator("#publish-notice")).to_be_visible()  # the approval's page has loaded
    travel(dt.date(2026, 11, 25))
    page.reload()
    expect(page.locator("#id_days")).to_have_value("15")
    page.click("#publish-notice")
    expect(page.locator("#grant-from")).to_have_text("2026年12月11日")  # as Chinese writes dates
    page.fill("#id_team_share", "70")
    page.fill("#id_terms", "团队每年报告转化进展与收益。")
    page.click("#draw-up")
    expect(page.locator("#team-share")).to_contain_text("70%")
    page.click("#sign-unit")
    expect(page.locator(".messages li")).to_contain_text("M1.6")

    # A member of the unit reads the notice and objects while it runs.
    travel(dt.date(2026, 12, 1))
    _as(page, live_server, member)
    page.goto(f"{live_server.url}/office/empowerment/notices/")
    page.click(f"text={result.name}")
    expect(page.locator("main")).to_contain_text("2026年12月10日")
    page.fill("#id_text", "本人参与了关键实验，完成人名单中未列入，请核实。")
    page.click("#object")
    expect(page.locator(".messages li")).to_have_text("您的异议已记录，单位将予以答复。")
    page.screenshot(path=artifacts / "41-empowerment-objection-zh-hans.png", full_page=True)

    # The applicant signs for the team.
    _as(page, live_server, researcher)
    page.goto(application_url)
    page.click("#sign-team")
    expect(page.locator(".messages li")).to_contain_text("M1.6")

    # The grant waits for the notice to run its course, then for the answer to the objection.
    _as(page, live_server, office)
    travel(dt.date(2026, 12, 10))
    page.goto(application_url)
    page.click("#grant")
    expect(page.locator(".messages li.error")).to_contain_text("M1.5")
    expect(page.locator(".messages li.error")).to_contain_text("2026年12月10日")
    travel(dt.date(2026, 12, 11))
    page.click("#grant")
    expect(page.locator(".messages li.error")).to_contain_text("异议")
    page.screenshot(path=artifacts / "42-empowerment-objection-open-zh-hans.png", full_page=True)
    page.fill("form[action*='/objections/'] textarea", "经核实，名单无误，已当面说明。")
    page.click("form[action*='/objections/'] button[type=submit]")
    page.click("#grant")
    expect(page.locator(".messages li.success, .messages li:not(.error)")).to_contain_text("M1.2")
    expect(page.locator(".tag.status-granted")).to_have_text("已赋权")
    page.screenshot(path=artifacts / "43-empowerment-granted-zh-hans.png", full_page=True)

    # The right shows on the result's page; the same page reads in English too.
    page.goto(f"{live_server.url}/office/registry/{result.pk}/")
    rights = page.locator("section.empowerment")
    expect(rights).to_contain_text("长期使用权")
    expect(rights).to_contain_text("2036年12月11日")
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click("#language-submit")
    expect(page.locator("section.empowerment h2")).to_contain_text("Rights granted")
    page.goto(application_url)
    expect(page.locator(".tag.status-granted")).to_have_text("Right granted")
    page.screenshot(path=artifacts / "44-empowerment-granted-en.png", full_page=True)
