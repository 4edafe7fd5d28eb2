"""The pages of IP protection cases (M11.2): the rights holder files (refusals beside their
field); the staff walk a case from intake to its published decision on its page, the limits
shown; the respondent sees the cases against it; the public page of decisions carries no
personal data; the homes list what waits; strangers see nothing; every language renders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kttc.center.ip_protection import services
from kttc.center.ip_protection.models import IpCase
from kttc.center.ip_protection.tests.factories import DAY, PATENT, decided, filed, heard
from kttc.core.models import Membership
from kttc.core.todos import sections
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db

LANGUAGES = ("zh-hans", "en", "vi", "th", "lo", "my", "km")


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 invoice", content_type="application/pdf")


def _today(monkeypatch, day: dt.date) -> None:
    monkeypatch.setattr("kttc.policy.calendar.today_in_shanghai", lambda now=None: day)


def test_m11_2_the_rights_holder_files_and_a_bad_patent_number_is_refused_beside_it(
    client, personas
):
    client.force_login(personas.transfer_office)
    url = reverse("ip_protection:mine")
    assert client.get(url).status_code == 200
    respondent = personas.organisations[Role.ENTERPRISE]
    data = {
        "kind": "complaint", "patent_number": "201710601862.4", "respondent_name": respondent.name,
        "respondent_credit_code": respondent.credit_code, "facts": "销售侵权产品。",
        "persons": "赵敏\n", "evidence_first": _upload(),
    }  # fmt: skip
    page = client.post(url, data)
    assert page.status_code == 200 and "patent_number" in page.context["form"].errors
    own = personas.organisations[Role.TRANSFER_OFFICE].name
    page = client.post(
        url, {**data, "respondent_name": own, "patent_number": PATENT, "evidence_first": _upload()}
    )
    assert "respondent_name" in page.context["form"].errors
    assert not IpCase.objects.exists()
    page = client.post(url, {**data, "patent_number": PATENT, "evidence_first": _upload()})
    case = IpCase.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse(
        "ip_protection:detail", args=[case.pk]
    )
    assert case.persons == ["赵敏"] and case.respondent == respondent
    assert case.number in client.get(url).content.decode()
    client.force_login(personas.enterprise)
    assert case.number not in client.get(reverse("ip_protection:against")).content.decode()
    services.ip_case_accept(actor=personas.bureau, case=case, today=DAY)
    assert case.number in client.get(reverse("ip_protection:against")).content.decode()


def test_m11_2_the_staff_walk_a_case_to_its_published_decision(client, personas, monkeypatch):
    case = filed(personas)
    _today(monkeypatch, DAY)
    client.force_login(personas.bureau)
    detail = reverse("ip_protection:detail", args=[case.pk])
    page = client.get(detail)
    assert page.status_code == 200 and 'id="limits"' in page.content.decode()
    assert client.post(reverse("ip_protection:accept", args=[case.pk])).status_code == 302
    client.post(reverse("ip_protection:mediate", args=[case.pk]),
                {"held_on": DAY.isoformat(), "outcome": "failed"})  # fmt: skip
    hearing = DAY + dt.timedelta(days=7)
    client.post(reverse("ip_protection:schedule", args=[case.pk]),
                {"hearing_on": hearing.isoformat(), "place": "第二会议室"})  # fmt: skip
    case.refresh_from_db()
    assert (case.status, case.hearing_on) == ("hearing", hearing)
    _today(monkeypatch, hearing)
    client.post(reverse("ip_protection:hear", args=[case.pk]), {"record": "双方到庭。"})
    client.post(reverse("ip_protection:decide", args=[case.pk]), {
        "decision": "被请求人构成侵权。代理人赵敏，电话13812345678。",
        "outcome": "infringement_found",
        "decided_on": hearing.isoformat(), "measures": "责令停止销售",
    })  # fmt: skip
    case.refresh_from_db()
    assert case.status == "enforcement"
    page = client.get(detail).content.decode()
    assert 'id="preview"' in page and "13812345678" not in page.split('id="preview"')[1]
    client.post(reverse("ip_protection:enforce", args=[case.pk]),
                {"record": "已停止销售。", "enforced_on": hearing.isoformat()})  # fmt: skip
    client.post(reverse("ip_protection:publish", args=[case.pk]))
    case.refresh_from_db()
    assert (case.status, case.published_on) == ("closed", hearing)
    client.logout()
    public = client.get(reverse("ip_decisions:list")).content.decode()
    assert case.number in public
    page = client.get(reverse("ip_decisions:detail", args=[case.pk])).content.decode()
    assert "被请求人构成侵权" in page
    for private in ("赵敏", "13812345678", personas.transfer_office.full_name):
        assert private not in page and private not in public


def test_m11_2_a_refused_step_shows_its_reason_and_changes_nothing(client, personas, monkeypatch):
    case = heard(personas)
    _today(monkeypatch, case.hearing_on)
    client.force_login(personas.bureau)
    page = client.post(
        reverse("ip_protection:decide", args=[case.pk]),
        {"decision": "x", "outcome": "no_infringement", "decided_on": case.hearing_on.isoformat(),
         "measures": "责令停止"}, follow=True,
    )  # fmt: skip
    assert "M11.2" in page.content.decode()
    case.refresh_from_db()
    assert case.status == "hearing"


def test_m11_2_unpublished_decisions_are_not_public_and_strangers_see_nothing(client, personas):
    case = decided(personas)
    assert client.get(reverse("ip_decisions:detail", args=[case.pk])).status_code == 404
    client.force_login(personas.investment_platform)
    assert client.get(reverse("ip_protection:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("ip_protection:handling")).status_code == 403
    client.force_login(personas.enterprise)
    assert client.get(reverse("ip_protection:detail", args=[case.pk])).status_code == 200
    assert client.post(reverse("ip_protection:publish", args=[case.pk])).status_code == 403
    case.refresh_from_db()
    assert case.published_on is None


def test_m11_2_the_homes_list_what_waits(personas):
    filed(personas)
    case = decided(personas)
    bureau = Membership.objects.get(user=personas.bureau)
    enterprise = Membership.objects.get(user=personas.enterprise)
    with translation.override("en"):
        staff = {str(s.title): s.count for s in sections(bureau)}
        party = {str(s.title): s.count for s in sections(enterprise)}
    assert staff["IP protection cases waiting for a step"] == 2
    assert staff["IP protection decisions to publish"] == 1
    assert party["IP protection cases against us"] == 1
    services.ip_case_publish(actor=personas.bureau, case=case, today=case.decided_on)


@pytest.mark.parametrize("language", LANGUAGES)
def test_m11_2_the_pages_render_in_every_language(client, personas, language):
    case = decided(personas)
    services.ip_case_publish(actor=personas.bureau, case=case, today=case.decided_on)
    client.cookies["django_language"] = language
    for user, url in (
        (personas.transfer_office, reverse("ip_protection:mine")),
        (personas.enterprise, reverse("ip_protection:against")),
        (personas.bureau, reverse("ip_protection:handling")),
        (personas.bureau, reverse("ip_protection:detail", args=[case.pk])),
        (None, reverse("ip_decisions:list")),
        (None, reverse("ip_decisions:detail", args=[case.pk])),
    ):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        assert client.get(url).status_code == 200, (language, url)


def test_m11_2_the_back_office_home_and_the_header_lead_to_the_cases(client, personas):
    client.force_login(personas.transfer_office)
    home = client.get(reverse("office:home")).content.decode()
    assert reverse("ip_protection:mine") in home and reverse("ip_services:mine") in home
    client.force_login(personas.bureau)
    home = client.get(reverse("office:home")).content.decode()
    assert reverse("ip_protection:handling") in home and reverse("ip_services:queue") in home
    client.force_login(personas.researcher)
    assert reverse("ip_protection:mine") not in client.get(reverse("office:home")).content.decode()
    client.logout()
    assert reverse("ip_decisions:list") in client.get("/").content.decode()
