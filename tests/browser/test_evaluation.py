"""Evaluation of a result in a real browser (M10.1, M14.1), at desktop and phone width: the bank
requests an evaluation of a public result from a certified institution, the institution accepts
it from its queue naming its evaluator, the evaluator declares no conflict of interest, scores
each dimension on the rubric and signs, and the bank downloads the signed report as a PDF that
carries the total and the report's hash."""

from __future__ import annotations

import io

import pytest

from kttc.center.evaluation.models import Evaluation
from kttc.center.evaluation.tests.factories import EVIDENCE, SCORES
from kttc.center.institutions.tests.factories import certified, institution
from kttc.policy.roles import Role
from kttc.reform.tests.factories import published_result
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _person(browser, live_server, user, viewport):
    context = browser.new_context(locale="en-US", viewport=viewport, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, live_server, user)
    return context, page


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_m10_1_request_accept_declare_score_sign_and_download(
    browser, live_server, personas, artifacts, width
):
    found = institution(personas)
    certified(personas, found)
    evaluator = found.brokers[1].person
    result = published_result(
        personas, personas.organisations[Role.TRANSFER_OFFICE], name="三七皂苷提取工艺",
        external_ref=f"eval-{width}",
    )  # fmt: skip
    viewport = WIDTHS[width]
    contexts = []
    try:
        # The bank asks the certified institution.
        context, bank = _person(browser, live_server, personas.financial_institution, viewport)
        contexts.append(context)
        bank.goto(f"{live_server.url}/office/evaluations/?result={result.pk}")
        expect(bank.locator("#id_result")).to_have_value(str(result.pk))
        bank.select_option("#id_institution", str(found.organisation.pk))
        bank.fill("#id_purpose", "知识产权质押贷款")
        bank.locator("main form button[type=submit]").click()
        expect(bank.locator("#status")).to_have_attribute("data-status", "requested")
        evaluation = Evaluation.objects.get()
        bank.screenshot(path=artifacts / f"m10-1-requested-{width}.png", full_page=True)

        # The institution accepts it from its queue, naming its evaluator.
        context, staff = _person(browser, live_server, found.staff, viewport)
        contexts.append(context)
        staff.goto(f"{live_server.url}/office/evaluations/queue/")
        staff.locator("#queue a", has_text="三七皂苷提取工艺").click()
        staff.select_option("#id_evaluator", str(evaluator.pk))
        staff.locator("form[action$='/accept/'] button").click()
        expect(staff.locator("#status")).to_have_attribute("data-status", "accepted")

        # The evaluator declares no conflict of interest, scores and signs.
        context, person = _person(browser, live_server, evaluator, viewport)
        contexts.append(context)
        person.goto(f"{live_server.url}/office/evaluations/{evaluation.pk}/")
        person.check("input[name=conflict][value='0']")
        person.locator("form[action$='/declare/'] button").click()
        person.click("#score-link")
        expect(person.locator("#section-ip")).to_be_visible()
        person.screenshot(path=artifacts / f"m10-1-scoring-{width}.png", full_page=True)
        person.select_option("#id_trl", "6")
        for dimension, score in SCORES.items():
            person.fill(f"#id_score_{dimension}", str(score))
        for dimension, text in EVIDENCE.items():
            person.fill(f"#id_evidence_{dimension}", text)
        person.fill("#id_ip_claims", "12")
        person.click("#save-scores")
        person.wait_for_url(f"{live_server.url}/office/evaluations/{evaluation.pk}/")
        expect(person.locator("#total")).to_contain_text("65.25")
        person.click("#sign")
        expect(person.locator("#status")).to_have_attribute("data-status", "signed")
        evaluation.refresh_from_db()
        sha = evaluation.report.sha256
        expect(person.locator("#sha256")).to_have_text(sha)

        # The bank downloads the signed report.
        bank.reload()
        expect(bank.locator("#status")).to_have_attribute("data-status", "signed")
        bank.screenshot(path=artifacts / f"m10-1-report-{width}.png", full_page=True)
        with bank.expect_download() as info:
            bank.click("#pdf-en")
        with open(info.value.path(), "rb") as downloaded:
            body = downloaded.read()
        assert body.startswith(b"%PDF")
        from pypdf import PdfReader

        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
        assert "65.25" in text and sha in text.replace("\n", "").replace(" ", "")
        assert "Technology readiness" in text or "Technologyreadiness" in text
    finally:
        for context in contexts:
            context.close()
