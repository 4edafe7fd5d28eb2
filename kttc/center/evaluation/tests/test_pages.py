"""The pages of evaluation (M10.1): the request form, the institution's queue, the evaluator's
declaration and scoring form (one section per dimension, the rubric's bands shown), the report
page with its PDF in Chinese and English (the same bytes each time), the comparison of two
evaluations, the public rubric, the result's public page (signed and agreed only), the back
office homes; every page in every language of the platform."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import pdf_text
from kttc.center.evaluation import services
from kttc.center.evaluation.models import Evaluation
from kttc.center.evaluation.tests.factories import (
    EVIDENCE,
    SCORES,
    accepted,
    requested,
    setting,
    signed,
)
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db
LANGUAGES = ("zh-hans", "en", "vi", "th", "lo", "my", "km")


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_m10_1_the_bank_requests_on_the_form(client, personas, publish):
    s = setting(personas, publish)
    client.force_login(personas.financial_institution)
    page = client.get(reverse("evaluation:mine") + f"?result={s.result.pk}")
    assert page.status_code == 200 and s.institution.name in page.content.decode()
    form = {
        "requester": personas.organisations[Role.FINANCIAL_INSTITUTION].pk,
        "result": s.result.pk, "institution": s.institution.pk, "purpose": "",
    }  # fmt: skip
    page = client.post(reverse("evaluation:mine"), form)
    assert page.status_code == 200 and not Evaluation.objects.exists()
    assert "required" in page.content.decode()
    page = client.post(reverse("evaluation:mine"), {**form, "purpose": "质押贷款"})
    found = Evaluation.objects.get()
    assert page.status_code == 302 and page.url == reverse("evaluation:detail", args=[found.pk])
    page = client.get(reverse("evaluation:mine"))
    assert 'data-status="requested"' in page.content.decode()
    # A researcher may not request.
    client.force_login(personas.researcher)
    assert client.get(reverse("evaluation:mine")).status_code == 403


def test_m10_1_the_institution_accepts_from_its_queue_and_the_evaluator_scores(
    client, personas, publish
):
    s = setting(personas, publish)
    evaluation = requested(personas, s)
    client.force_login(s.staff)
    page = client.get(reverse("evaluation:queue")).content.decode()
    assert s.result.name in page and 'data-label="Requester"' in page
    page = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    assert "Accept and name the evaluator" in page
    client.post(reverse("evaluation:accept", args=[evaluation.pk]), {"evaluator": s.evaluator.pk})
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.evaluator) == ("accepted", s.evaluator)
    # The staff is not the evaluator: no scoring form.
    assert client.get(reverse("evaluation:score", args=[evaluation.pk])).status_code == 403
    client.force_login(s.evaluator)
    # Scoring before the declaration leads back to the declaration.
    page = client.get(reverse("evaluation:score", args=[evaluation.pk]))
    assert page.status_code == 302
    client.post(reverse("evaluation:declare", args=[evaluation.pk]), {"conflict": "1"})
    evaluation.refresh_from_db()
    assert evaluation.declared_at is None  # an interest declared must be described
    client.post(reverse("evaluation:declare", args=[evaluation.pk]), {"conflict": "0"})
    page = client.get(reverse("evaluation:score", args=[evaluation.pk])).content.decode()
    for dimension in ("readiness", "advancement", "ip", "market", "team", "risk"):
        assert f'id="section-{dimension}"' in page
    assert "Leading internationally" in page and "80–100" in page  # the rubric's bands
    form = {"trl": 6, "ip_claims": 12, "ip_family": 3, "ip_remaining_years": 15,
            **{f"score_{k}": v for k, v in SCORES.items()},
            **{f"evidence_{k}": v for k, v in EVIDENCE.items()}}  # fmt: skip
    page = client.post(reverse("evaluation:score", args=[evaluation.pk]),
                       {**form, "score_risk": 140})  # fmt: skip
    assert page.status_code == 200 and "score_risk" in page.content.decode()
    page = client.post(reverse("evaluation:score", args=[evaluation.pk]), form)
    evaluation.refresh_from_db()
    assert page.status_code == 302 and str(evaluation.total) == "65.25"
    client.post(reverse("evaluation:sign", args=[evaluation.pk]))
    evaluation.refresh_from_db()
    assert evaluation.status == "signed"
    page = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    assert evaluation.report.sha256 in page and "65.25" in page


def test_m10_1_a_conflict_is_refused_on_the_page_naming_the_clause(client, personas, publish):
    from kttc.core.models import Membership

    s = setting(personas, publish)
    evaluation = accepted(personas, s)
    Membership.objects.create(user=s.evaluator, organisation=s.result.unit, role=Role.RESEARCHER)
    client.force_login(s.evaluator)
    page = client.post(reverse("evaluation:declare", args=[evaluation.pk]), {"conflict": "0"},
                       follow=True).content.decode()  # fmt: skip
    assert "M10.1" in page and "own unit" in page
    evaluation.refresh_from_db()
    assert evaluation.declared_at is None


@pytest.mark.parametrize(("language", "words"), [
    ("zh", ("评价报告", "技术成熟度", "知识产权强度", "加权总分", "65.25")),
    ("en", ("Evaluation report", "Technology readiness", "IP strength", "Weighted total",
            "65.25", "Declared interest")),
])  # fmt: skip
def test_m10_1_the_signed_report_pdf_in_chinese_and_english(
    client, personas, publish, language, words
):
    s = setting(personas, publish)
    evaluation = signed(personas, s, interest="曾为该单位提供培训")
    client.force_login(personas.financial_institution)
    url = reverse("evaluation:pdf", args=[evaluation.pk, language])
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first["X-Content-SHA256"] == evaluation.report.sha256
    text = pdf_text(first.content)
    for word in words:
        assert word.replace(" ", "") in text.replace(" ", ""), word
    assert evaluation.report.sha256 in text.replace("\n", "")
    assert "曾为该单位提供培训" in text
    # The same bytes at each download.
    assert client.get(url).content == first.content
    # Someone who may not read it gets nothing; an unknown language neither.
    assert client.get(reverse("evaluation:pdf", args=[evaluation.pk, "xx"])).status_code == 404
    client.force_login(personas.enterprise)
    assert client.get(url).status_code == 404


def test_m10_1_no_pdf_before_the_signature(client, personas, publish):
    s = setting(personas, publish)
    evaluation = accepted(personas, s)
    client.force_login(personas.financial_institution)
    assert client.get(reverse("evaluation:pdf", args=[evaluation.pk, "en"])).status_code == 404


def test_m10_1_two_evaluations_of_a_result_compare_dimension_by_dimension(
    client, personas, publish
):
    s = setting(personas, publish)
    first = signed(personas, s)
    second = accepted(personas, s, role=Role.TRANSFER_OFFICE)
    services.evaluation_declare(actor=s.evaluator, evaluation=second, interest="")
    from kttc.center.evaluation.tests.factories import ON, scores

    services.evaluation_score(
        actor=s.evaluator, evaluation=second, data=scores(trl=7, scores={**SCORES, "ip": 90}),
        today=ON,
    )  # fmt: skip
    services.evaluation_sign(actor=s.evaluator, evaluation=second, today=ON)
    client.force_login(personas.transfer_office)  # the unit sees both
    page = client.get(reverse("evaluation:detail", args=[first.pk])).content.decode()
    assert reverse("evaluation:compare", args=[first.pk, second.pk]) in page
    page = client.get(reverse("evaluation:compare", args=[first.pk, second.pk])).content.decode()
    assert 'data-dimension="ip"' in page and "-20" in page  # 70 against 90
    # The bank sees only its own: no comparison with the unit's.
    client.force_login(personas.financial_institution)
    url = reverse("evaluation:compare", args=[first.pk, second.pk])
    assert client.get(url).status_code == 404


def test_m10_1_the_result_s_public_page_shows_only_signed_evaluations_the_unit_agreed(
    client, personas, publish
):
    s = setting(personas, publish)
    evaluation = signed(personas, s)
    accepted(personas, s, role=Role.ENTERPRISE)
    url = reverse("catalog:detail", args=[s.result.pk])
    assert "data-evaluation=" not in client.get(url).content.decode()
    assert 'id="request-evaluation"' not in client.get(url).content.decode()  # a visitor
    client.force_login(personas.researcher)
    assert 'id="request-evaluation"' not in client.get(url).content.decode()
    client.force_login(personas.financial_institution)
    assert 'id="request-evaluation"' in client.get(url).content.decode()
    client.force_login(personas.transfer_office)
    client.post(reverse("evaluation:show", args=[evaluation.pk]), {"shown": "1"})
    client.logout()
    page = client.get(url).content.decode()
    assert f'data-evaluation="{evaluation.pk}"' in page and "65.25" in page
    assert page.count("data-evaluation=") == 1
    client.force_login(personas.transfer_office)
    client.post(reverse("evaluation:show", args=[evaluation.pk]), {"shown": "0"})
    client.logout()
    assert "data-evaluation=" not in client.get(url).content.decode()


def test_m10_1_the_back_office_homes_list_what_waits(client, personas, publish):
    s = setting(personas, publish)
    requested(personas, s, role=Role.ENTERPRISE)
    accepted(personas, s)
    client.force_login(s.staff)
    page = client.get(reverse("office:home")).content.decode()
    assert "Evaluation requests waiting for your institution" in page
    assert "Evaluations to score and sign" in page
    client.force_login(personas.enterprise)
    assert "Evaluation reports ready" not in client.get(reverse("office:home")).content.decode()
    evaluation = Evaluation.objects.get(requester__kind="financial_institution")
    services.evaluation_declare(actor=s.evaluator, evaluation=evaluation, interest="")
    from kttc.center.evaluation.tests.factories import ON, scores

    services.evaluation_score(actor=s.evaluator, evaluation=evaluation, data=scores(), today=ON)
    services.evaluation_sign(actor=s.evaluator, evaluation=evaluation, today=ON)
    client.force_login(personas.financial_institution)
    assert "Evaluation reports ready" in client.get(reverse("office:home")).content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_m10_1_the_pages_in_every_language(client, personas, publish, language):
    s = setting(personas, publish)
    evaluation = signed(personas, s)
    other = accepted(personas, s, role=Role.ENTERPRISE)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    assert client.get(reverse("evaluation_public:rubric")).status_code == 200
    client.force_login(personas.financial_institution)
    for url in (reverse("evaluation:mine"), reverse("evaluation:detail", args=[evaluation.pk])):
        page = client.get(url)
        assert page.status_code == 200 and f'lang="{language}' in page.content.decode().lower()
    client.force_login(s.staff)
    assert client.get(reverse("evaluation:queue")).status_code == 200
    client.force_login(s.evaluator)
    services.evaluation_declare(actor=s.evaluator, evaluation=other, interest="")
    assert client.get(reverse("evaluation:score", args=[other.pk])).status_code == 200


def test_m10_1_the_public_rubric_shows_bands_levels_and_weights(client):
    page = client.get(reverse("evaluation_public:rubric")).content.decode()
    assert page.count('id="rubric-') == 6
    assert "Leading internationally" in page and "pilot prototype" in page
    assert "EVAL-2026" in page and "0.20" in page
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    page = client.get(reverse("evaluation_public:rubric")).content.decode()
    assert "技术成熟度" in page


def test_m10_1_bad_ids_are_404_not_500(client, personas):
    client.force_login(personas.financial_institution)
    assert client.get("/office/evaluations/99999999999999999999/").status_code == 404
    assert client.get("/office/evaluations/0/").status_code == 404


def test_m10_1_the_home_leads_requesters_and_evaluators_to_the_evaluations(client, personas):
    from django.urls import reverse as url

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for person in (personas.financial_institution, personas.service_broker):
        client.force_login(person)
        home = client.get(url("office:home")).content.decode()
        assert url("evaluation:mine") in home and url("evaluation_public:rubric") in home
    client.force_login(personas.researcher)
    assert url("evaluation:mine") not in client.get(url("office:home")).content.decode()
