"""The registry's back-office pages, as the unit's office and the center use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kttc.policy.calendar import add_months, today_in_shanghai
from kttc.policy.roles import Role
from kttc.registry import services
from kttc.registry.models import Achievement, FiscalProject
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement


def _form(**changes):
    data = {
        "name": "一种高原植物提取方法",
        "achievement_type": "applied",
        "attribute": "original",
        "keywords": "植物提取, 高原",
        "abstract": "提取与纯化方法。",
        "discipline_code": "41630",
        "industry_code": "C2710",
        "trl": "6",
        "evaluation_level": "not_evaluated",
        "formation_date": "2026-10-01",
        "confidentiality": "public",
        "transformation_modes": ["licence"],
        "use_first_pay_later": "on",
        "units": "春城测试大学, 100",
        "completers": "李明, 春城测试大学, 70\n王强, 春城测试大学, 30",
        "ip_rights": "invention, ZL201710601862.3, granted, 2019-05-01, 一种方法",
        "name_en": "Plateau plant extraction",
        "abstract_en": "An extraction method.",
        "keywords_en": "extraction",
    }
    data.update(changes)
    return data


def test_the_office_enters_a_result_by_form_and_submits_it(client, personas):
    client.force_login(personas.transfer_office)
    response = client.post(reverse("registry:achievement_new"), _form())
    achievement = Achievement.objects.get()
    assert response.status_code == 302 and achievement.status == "draft"
    assert [c.share for c in achievement.completers.all()] == [70, 30]
    assert achievement.translations.get().name == "Plateau plant extraction"
    client.post(reverse("registry:achievement_submit", args=[achievement.pk]))
    achievement.refresh_from_db()
    assert achievement.status == "submitted"


def test_form_errors_name_each_field_and_store_nothing(client, personas):
    client.force_login(personas.transfer_office)
    response = client.post(
        reverse("registry:achievement_new"),
        _form(
            completers="李明, 春城测试大学, 70\n王强, 春城测试大学, 20",
            ip_rights="invention, 201710601862.4, pending",
            industry_code="A35",
        ),
    )
    errors = response.context["form"].errors
    assert set(errors) == {"completers", "ip_rights", "industry_code"}
    assert "90" in str(errors["completers"])
    assert not Achievement.objects.exists()


def test_classified_results_are_not_even_offered(client, personas):
    client.force_login(personas.transfer_office)
    response = client.post(reverse("registry:achievement_new"), _form(confidentiality="classified"))
    assert "confidentiality" in response.context["form"].errors
    assert not Achievement.objects.exists()


def test_researchers_see_their_units_results_but_cannot_enter(client, personas):
    client.force_login(personas.researcher)
    assert client.get(reverse("registry:achievement_new")).status_code == 403
    assert client.get(reverse("registry:achievements")).status_code == 200


def test_the_center_returns_with_a_reason_and_publishes(client, personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    data = validate_achievement(achievement_raw(), today=today_in_shanghai())
    a = services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)
    services.achievement_submit(actor=personas.transfer_office, achievement=a)
    client.force_login(personas.bureau)
    queue = client.get(reverse("registry:review"))
    assert a in queue.context["page"].object_list
    client.post(reverse("registry:achievement_review", args=[a.pk]), {"decision": "return"})
    a.refresh_from_db()
    assert a.status == "submitted"  # a return needs its reason
    client.post(
        reverse("registry:achievement_review", args=[a.pk]),
        {"decision": "return", "reason": "请补充专利信息"},
    )
    a.refresh_from_db()
    assert a.status == "returned"
    client.force_login(personas.transfer_office)
    page = client.get(reverse("registry:achievement_detail", args=[a.pk])).content.decode()
    assert "请补充专利信息" in page


def test_due_page_marks_overdue_for_unit_and_bureau(client, personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    project = FiscalProject.objects.create(
        undertaking_unit=unit,
        competent_department="局",
        programme="计划",
        project_number="P1",
        title="t",
        approval_date=dt.date(2026, 1, 5),
        budget=1,
        transformation_obligation="转化",
        transformation_deadline=dt.date(2030, 1, 1),
    )
    today = today_in_shanghai()
    for months, ref in ((5, "old"), (1, "new")):
        data = validate_achievement(
            achievement_raw(
                project_number=project.project_number,
                external_ref=ref,
                formation_date=add_months(today, -months).isoformat(),
            ),
            today=today,
        )
        services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)
    for person in (personas.transfer_office, personas.bureau):
        client.force_login(person)
        response = client.get(reverse("registry:due"))
        assert response.context["total"] == 2 and response.context["overdue_count"] == 1
        assert [a.overdue for a in response.context["page"].object_list] == [True, False]


def test_bureau_records_a_project_and_the_5_year_rule_is_shown(client, personas):
    client.force_login(personas.bureau)
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    data = {
        "undertaking_unit": unit.pk,
        "competent_department": "市科技局",
        "programme": "计划",
        "project_number": "P-9",
        "title": "项目",
        "approval_date": "2026-03-01",
        "budget": "100000",
        "transformation_obligation": "转化",
        "transformation_deadline": "2031-03-02",
        "is_municipal": "on",
    }
    response = client.post(reverse("registry:projects"), data)
    assert "M4.2" in str(response.context["form"].errors)
    assert not FiscalProject.objects.exists()
    client.post(reverse("registry:projects"), data | {"transformation_deadline": "2031-03-01"})
    assert FiscalProject.objects.filter(project_number="P-9").exists()


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.RESEARCHER])
def test_others_cannot_review(client, personas, role):
    client.force_login(personas.by_role[role])
    assert client.get(reverse("registry:review")).status_code == 403


def rows_posted(name, rows):
    """A row editor's inputs as a browser posts them."""
    posted = {f"{name}-count": str(len(rows))}
    for i, row in enumerate(rows):
        posted |= {f"{name}-{i}-{key}": value for key, value in row.items()}
    return posted


def test_the_edit_form_shows_the_stored_values_and_saves_them_back(client, personas):
    client.force_login(personas.transfer_office)
    client.post(reverse("registry:achievement_new"), _form())
    achievement = Achievement.objects.get()
    form = client.get(reverse("registry:achievement_edit", args=[achievement.pk])).context["form"]
    assert form.initial["completers"] == [
        {"name": "李明", "unit_name": "春城测试大学", "share": "70"},
        {"name": "王强", "unit_name": "春城测试大学", "share": "30"},
    ]
    assert form.initial["units"] == [{"name": "春城测试大学", "share": "100"}]
    scalars = {k: v for k, v in form.initial.items() if not isinstance(v, list)}
    posted = {k: v for k, v in scalars.items() if v not in (None, False)}
    for name in ("units", "completers", "ip_rights"):  # as the row editors post them
        posted |= rows_posted(name, form.initial[name])
    posted |= {
        "name": "改名后的成果",
        "formation_date": "2026-10-01",
        "transformation_modes": ["licence"],
    }
    response = client.post(reverse("registry:achievement_edit", args=[achievement.pk]), posted)
    assert response.status_code == 302, response.context["form"].errors
    achievement.refresh_from_db()
    assert achievement.name == "改名后的成果" and achievement.completers.count() == 2
    assert achievement.ip_rights.get().number == "201710601862.3"


@pytest.mark.django_db
def test_a_new_result_claims_no_level_until_one_is_chosen(client, personas):
    client.force_login(personas.transfer_office)
    form = client.get(reverse("registry:achievement_new")).context["form"]
    assert form["evaluation_level"].value() == "not_evaluated"  # not 国际领先 by default
    html = client.get(reverse("registry:achievement_new")).content.decode()
    assert '<option value="not_evaluated" selected>' in html
    assert '<option value="international_leading" selected>' not in html


def test_a_result_is_translated_into_each_language_with_the_buyers_fields(client, personas):
    """The form takes a translation per platform language (name, abstract, keywords and what
    enterprises read); saving the form again keeps every one of them."""
    client.force_login(personas.transfer_office)
    vietnamese = {
        "name_vi": "Phương pháp chiết xuất thực vật cao nguyên",
        "abstract_vi": "Phương pháp chiết xuất và tinh chế.",
        "keywords_vi": "chiết xuất, cao nguyên",
        "advantage_vi": "Chi phí thấp, hiệu suất cao",
        "target_market_vi": "Doanh nghiệp dược phẩm Việt Nam",
        "route_to_market_vi": "Cấp li-xăng",
    }
    client.post(reverse("registry:achievement_new"), _form(**vietnamese))
    achievement = Achievement.objects.get()
    vi = achievement.translations.get(language="vi")
    assert (vi.name, vi.advantage, vi.target_market, vi.route_to_market) == (
        "Phương pháp chiết xuất thực vật cao nguyên",
        "Chi phí thấp, hiệu suất cao",
        "Doanh nghiệp dược phẩm Việt Nam",
        "Cấp li-xăng",
    )
    assert vi.keywords == ["chiết xuất", "cao nguyên"]
    assert sorted(achievement.translations.values_list("language", flat=True)) == ["en", "vi"]

    page = client.get(reverse("registry:achievement_edit", args=[achievement.pk]))
    form = page.context["form"]
    assert form.initial["advantage_vi"] == "Chi phí thấp, hiệu suất cao"
    assert 'id="translation-vi" open' in page.content.decode()
    scalars = {k: v for k, v in form.initial.items() if not isinstance(v, list)}
    posted = {k: v for k, v in scalars.items() if v not in (None, False)}
    posted |= {"formation_date": "2026-10-01", "transformation_modes": ["licence"],
               "name_th": "วิธีสกัดพืช", "abstract_th": "วิธีการสกัดและทำให้บริสุทธิ์"}  # fmt: skip
    for name in ("units", "completers", "ip_rights"):
        posted |= rows_posted(name, form.initial[name])
    response = client.post(reverse("registry:achievement_edit", args=[achievement.pk]), posted)
    assert response.status_code == 302, response.context["form"].errors
    languages = sorted(achievement.translations.values_list("language", flat=True))
    assert languages == ["en", "th", "vi"]  # nothing given before is lost


def test_a_translation_without_its_name_or_abstract_is_refused(client, personas):
    client.force_login(personas.transfer_office)
    response = client.post(reverse("registry:achievement_new"), _form(advantage_km="តម្លៃទាប"))
    errors = response.context["form"].errors
    assert set(errors) == {"name_km", "abstract_km"}  # said beside the fields it needs
    assert 'id="translation-km" open' in response.content.decode()
    assert not Achievement.objects.exists()
