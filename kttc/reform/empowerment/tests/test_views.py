"""The empowerment pages as the unit's office, its researchers and members use them (M1), the
notice PDF, and the right shown on the result's office and public pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import embedded_cjk_font_or_skip
from kttc.core import fonts
from kttc.core.models import Membership
from kttc.core.tests.factories import UserFactory
from kttc.reform.empowerment import pdf
from kttc.reform.empowerment.models import EmpowermentApplication, EmpowermentGrant, Objection
from kttc.reform.tests.factories import APPLIED, PUBLISHED, apply, to_notice
from kttc.registry import services as registry_services

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")
ZH_ELEMENT = re.compile(r'<(\w+)\b[^>]*\blang="zh-hans"[^>]*>.*?</\1>', re.I | re.S)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _english_leaks(html: str) -> list[str]:
    """Chinese outside the elements marked as Chinese (and outside what people typed into the
    form fields), in a page served in English."""
    body = re.sub(r"<textarea\b.*?</textarea>", "", html.split("<main", 1)[1], flags=re.S)
    text = re.sub(r"<[^>]+>", " ", ZH_ELEMENT.sub("", body))
    return [text[max(0, m.start() - 30) : m.end() + 30] for m in CJK.finditer(text)]


def test_m1_3_the_office_sets_the_rules_through_its_page(client, personas, unit):
    client.force_login(personas.transfer_office)
    response = client.post(
        reverse("reform:rules", args=[unit.pk]),
        {
            "grants_long_term_use": "on",
            "max_term_years": "8",
            "required_documents": "团队成员知情同意书\n合作单位意向书",
            "regulations": "管理办法",
        },
    )
    assert response.status_code == 302
    assert unit.empowerment_rules.required_documents == ["团队成员知情同意书", "合作单位意向书"]
    response = client.post(reverse("reform:rules", args=[unit.pk]), {"max_term_years": "8"})
    assert response.status_code == 200 and "M1.3" in response.content.decode()
    client.force_login(personas.researcher)
    assert client.get(reverse("reform:rules", args=[unit.pk])).status_code == 404


def test_m1_4_a_researcher_applies_from_the_result_with_the_plan(client, personas, rules, result):
    client.force_login(personas.researcher)
    page = client.get(reverse("registry:achievement_detail", args=[result.pk])).content.decode()
    assert reverse("reform:apply", args=[result.pk]) in page
    form = {
        "right": "long_term_use",
        "term_years": "12",
        "partners": "云岭智造科技有限公司",
        "summary": "中试后许可本地企业。",
        "plan": SimpleUploadedFile("方案.pdf", b"plan"),
        "required_0": SimpleUploadedFile("同意书.pdf", b"consent"),
    }
    response = client.post(reverse("reform:apply", args=[result.pk]), form)
    assert response.status_code == 200 and not EmpowermentApplication.objects.exists()
    assert "10" in response.content.decode()  # the unit's longest term, from its rules
    form.update(
        term_years="10",
        plan=SimpleUploadedFile("方案.pdf", b"plan"),
        required_0=SimpleUploadedFile("同意书.pdf", b"consent"),
    )
    response = client.post(reverse("reform:apply", args=[result.pk]), form)
    application = EmpowermentApplication.objects.get()
    assert response.url == reverse("reform:application", args=[application.pk])
    assert application.documents.count() == 2
    download = client.get(reverse("reform:document", args=[application.documents.first().pk]))
    assert b"".join(download.streaming_content) == b"plan"


def test_m1_4_someone_who_is_not_a_completer_cannot_apply(client, personas, rules, result):
    other = UserFactory(full_name="别的研究人员")
    Membership.objects.create(user=other, organisation=result.unit, role="researcher")
    client.force_login(other)
    assert client.get(reverse("reform:apply", args=[result.pk])).status_code == 403


def test_m1_5_the_whole_way_through_the_pages_to_a_granted_right(
    client, personas, rules, result, travel
):
    office, researcher = personas.transfer_office, personas.researcher
    application = apply(personas, result)
    travel(APPLIED)
    client.force_login(office)
    client.post(reverse("reform:approve", args=[application.pk]))
    travel(PUBLISHED)
    client.post(reverse("reform:publish_notice", args=[application.pk]), {"days": "15"})
    notice = EmpowermentApplication.objects.get().notice
    assert notice.last_day == dt.date(2026, 12, 10)

    client.force_login(researcher)
    response = client.post(reverse("reform:notice", args=[notice.pk]), {"text": "排序有误"})
    assert response.status_code == 302
    objection = Objection.objects.get()

    client.force_login(office)
    response = client.post(
        reverse("reform:agreement", args=[application.pk]), {"team_share": "65", "terms": "年报"}
    )
    assert any("M5.2" in m for m in _messages(client.get(response.url)))
    client.post(
        reverse("reform:agreement", args=[application.pk]), {"team_share": "70", "terms": "年报"}
    )
    client.post(reverse("reform:sign", args=[application.pk]), {"side": "unit"})
    client.force_login(researcher)
    client.post(reverse("reform:sign", args=[application.pk]), {"side": "team"})

    client.force_login(office)
    travel(dt.date(2026, 12, 10))
    response = client.post(reverse("reform:grant", args=[application.pk]), follow=True)
    assert any("M1.5" in m and "2026年12月10日" in m for m in _messages(response))  # as read
    travel(dt.date(2026, 12, 11))
    response = client.post(reverse("reform:grant", args=[application.pk]), follow=True)
    refusals = _messages(response)
    assert any("M1.5" in m and "异议" in m for m in refusals), refusals
    client.post(reverse("reform:answer", args=[objection.pk]), {"answer": "排序无误"})
    response = client.post(reverse("reform:grant", args=[application.pk]), follow=True)
    grant = EmpowermentGrant.objects.get()
    assert grant.status == "active" and grant.ends_on == dt.date(2036, 12, 11)
    assert response.status_code == 200

    office_page = client.get(reverse("registry:achievement_detail", args=[result.pk]))
    assert reverse("reform:right", args=[grant.pk]) in office_page.content.decode()


def test_m1_2_a_granted_right_shows_on_the_public_page_of_a_public_result_only(
    client, personas, rules, result
):
    notice = to_notice(personas, result)
    from kttc.reform.empowerment import grants

    grants.right_grant(
        actor=personas.transfer_office, application=notice.application, today=dt.date(2026, 12, 11)
    )
    url = reverse("catalog:detail", args=[result.pk])
    assert client.get(url).status_code == 404  # not published yet
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    registry_services.achievement_publish(actor=personas.bureau, achievement=result)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rights granted to the completers" in page and "Dec 11, 2036" in page
    assert "王强" in page
    assert reverse("reform:right", args=[1]) not in page  # no office link for the public


def test_m1_5_members_read_their_units_notices_and_others_do_not(client, personas, rules, result):
    notice = to_notice(personas, result)
    url = reverse("reform:notice", args=[notice.pk])
    client.force_login(personas.researcher)
    assert client.get(url).status_code == 200
    for outsider in (personas.enterprise, personas.service_broker):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("reform:notice_pdf", args=[notice.pk])).status_code == 404
        assert (
            client.get(reverse("reform:application", args=[notice.application_id])).status_code
            == 404
        )


def test_m1_5_the_notice_is_a_printable_pdf_in_the_readers_language(
    client, personas, rules, result
):
    embedded_cjk_font_or_skip(fonts.cjk_font())
    notice = to_notice(personas, result)
    client.force_login(personas.researcher)
    response = client.get(reverse("reform:notice_pdf", args=[notice.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"/FontFile2" in response.content


def test_m1_5_without_a_cjk_font_file_the_pdf_still_renders_with_the_cid_fallback(
    personas, rules, result, monkeypatch, settings
):
    notice = to_notice(personas, result)
    settings.KTTC_CJK_FONT = ""
    monkeypatch.setattr(fonts, "FONT_CANDIDATES", ("/nonexistent/font.ttc",))
    fonts._register.cache_clear()
    try:
        body = pdf.notice_pdf(notice, language="zh-hans")
        assert fonts.cjk_font() == fonts.Font(fonts.FALLBACK_FONT, False, "")
    finally:
        fonts._register.cache_clear()
    assert body.startswith(b"%PDF") and b"STSong-Light" in body
    assert b"font not embedded" in body


@pytest.mark.parametrize("url_name", ["home", "notices", "rights"])
def test_pages_are_chinese_first_with_complete_english(client, personas, rules, result, url_name):
    notice = to_notice(personas, result)
    client.force_login(personas.transfer_office)
    urls = [
        reverse(f"reform:{url_name}"),
        reverse("reform:application", args=[notice.application_id]),
        reverse("reform:notice", args=[notice.pk]),
        reverse("reform:rules", args=[result.unit_id]),
    ]
    for url in urls:
        chinese = client.get(url).content.decode()
        assert '<html lang="zh-hans"' in chinese, url
        assert CJK.search(chinese.split("<h1", 1)[1].split("</h1>", 1)[0]), url
        client.cookies["django_language"] = "en"
        english = client.get(url).content.decode()
        del client.cookies["django_language"]
        assert not _english_leaks(english), (url, _english_leaks(english)[:3])
