"""The joint meeting in a real browser (M13.1, M13.2): a university's transfer office raises a
difficulty with its evidence; the bureau convenes a session with it on the agenda, records the
minutes and a decision with two tasks (the row editor); each owner's closing is recorded with its
evidence, one on a phone; the bureau concludes the difficulty resolved, and the public summary
shows it on a phone without sideways scrolling."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kttc.oversight.meeting.models import Difficulty, MeetingSession, MeetingTask
from kttc.policy import calendar
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _page(browser, live_server, person, viewport):
    context = browser.new_context(locale="en-US", viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    if person is not None:
        sign_in(page, live_server, person)
    return context, page


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1


def _axe_blocking(page) -> list[str]:
    """axe's serious and critical violations on the page, as in test_accessibility."""
    return [
        f"{v['id']}: {v['help']} — {v['nodes'][0]['target'] if v['nodes'] else '?'}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def _close(page, task: MeetingTask, evidence: str, document: bytes | None = None) -> None:
    page.click(f"#task-form-{task.pk} summary")
    page.fill(f"#id_close-{task.pk}-evidence", evidence)
    if document is not None:
        page.set_input_files(
            f"#id_close-{task.pk}-document_1",
            files=[{"name": "证明.pdf", "mimeType": "application/pdf", "buffer": document}],
        )
    page.click(f"form[data-close='{task.pk}'] button[type=submit]")
    expect(page.locator(f"tr[data-task='{task.pk}'] [data-status]")).to_have_attribute(
        "data-status", "closed"
    )


def test_m13_1_m13_2_a_difficulty_from_raised_to_the_public_summary(
    browser, live_server, personas, artifacts, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    today = calendar.today_in_shanghai()
    url = f"{live_server.url}/office/meeting"
    contexts = []
    try:
        office_context, office = _page(browser, live_server, personas.transfer_office, DESKTOP)
        contexts.append(office_context)
        office.goto(f"{url}/")
        office.click("#raise-link")
        office.fill("#id_title", "科研人员离岗创业审批流程长")
        office.select_option("#id_category", "policy")
        office.fill("#id_description", "离岗创业须经五个部门审批，平均耗时四个月。")
        office.set_input_files(
            "#id_document_1",
            files=[{"name": "流程图.pdf", "mimeType": "application/pdf", "buffer": b"%PDF flow"}],
        )
        office.click("#raise-submit")
        expect(office.locator("[data-status]").first).to_have_attribute("data-status", "raised")
        expect(office.locator("#documents")).to_contain_text("流程图.pdf")
        difficulty = Difficulty.objects.get()

        bureau_context, bureau = _page(browser, live_server, personas.bureau, DESKTOP)
        contexts.append(bureau_context)
        bureau.goto(f"{url}/")
        bureau.click("#convene-link")
        bureau.fill("#id_held_on", today.isoformat())
        bureau.fill("#id_title", "重大成果转化联席会议第一次会议")
        bureau.fill("#id_place", "市政府第三会议室")
        bureau.check(f"#id_agenda input[value='{difficulty.pk}']")
        bureau.fill("#id_attendees", "市科技局\n市人社局\n五华区")
        bureau.click("#convene-submit")
        expect(bureau.locator("#agenda")).to_contain_text(difficulty.title)
        session = MeetingSession.objects.get()
        assert (session.place, session.attendees) == (
            "市政府第三会议室",
            ["市科技局", "市人社局", "五华区"],
        )
        bureau.fill("#id_minutes", "会议议定：由市人社局出台并联审批办法，五华区设立服务窗口。")
        bureau.click("#minutes-submit")
        expect(bureau.locator("#minutes-text")).to_contain_text("并联审批办法")

        bureau.click(f"a[data-decide='{difficulty.pk}']")
        bureau.fill("#id_text", "精简离岗创业审批，市人社局牵头，五华区配合。")
        bureau.click("button[name=_add]")
        expect(bureau.locator("#id_tasks-1-owner")).to_be_visible()
        deadline = (today + timedelta(days=30)).isoformat()
        for line, (owner, deliverable) in enumerate(
            (("dept_hrss", "出台并联审批办法"), ("wuhua", "设立离岗创业服务窗口"))
        ):
            bureau.select_option(f"#id_tasks-{line}-owner", owner)
            bureau.fill(f"#id_tasks-{line}-deliverable", deliverable)
            bureau.fill(f"#id_tasks-{line}-deadline", today.isoformat())
        bureau.click("#decide-submit")  # a deadline on the session's day: refused, M13.2
        expect(bureau.locator("#id_tasks")).to_contain_text("M13.2")
        for line in (0, 1):
            bureau.fill(f"#id_tasks-{line}-deadline", deadline)
        bureau.click("#decide-submit")
        expect(bureau.locator("#agenda")).to_contain_text("recorded")
        first, second = MeetingTask.objects.order_by("id")

        bureau.goto(f"{url}/{difficulty.pk}/")
        expect(bureau.locator(f"tr[data-task='{first.pk}']")).to_contain_text(
            "Human Resources and Social Security Bureau (市人社局)"
        )
        _close(bureau, first, "已印发《并联审批办法》", b"%PDF rule")

        clerk_context, clerk = _page(browser, live_server, personas.bureau, PHONE)
        contexts.append(clerk_context)
        clerk.goto(f"{url}/{difficulty.pk}/")
        _close(clerk, second, "五华区政务中心已设立服务窗口")
        _no_sideways_scroll(clerk)
        clerk.screenshot(path=artifacts / "m13-2-task-closed-phone.png", full_page=True)

        bureau.goto(f"{url}/{difficulty.pk}/")
        assert _axe_blocking(bureau) == []
        bureau.check("#id_conclude-outcome_0")  # resolved
        bureau.click("#conclude-submit")
        expect(bureau.locator("h1 + p [data-status]")).to_have_attribute("data-status", "resolved")

        public_context, public = _page(browser, live_server, None, PHONE)
        contexts.append(public_context)
        public.goto(f"{live_server.url}/difficulties/")
        row = public.locator(f"#resolved-list tr[data-difficulty='{difficulty.pk}']")
        expect(row).to_contain_text("科研人员离岗创业审批流程长")
        expect(row).to_contain_text("五华区政务中心已设立服务窗口")
        expect(row).not_to_contain_text(personas.transfer_office.full_name)
        _no_sideways_scroll(public)
        assert _axe_blocking(public) == []
        public.screenshot(path=artifacts / "m13-1-public-summary-phone.png", full_page=True)
    finally:
        for context in contexts:
            context.close()
