"""The pages of fast patent pre-examination (M11.1): the applicant files (refusals beside their
field) and follows its requests; the staff's queue marks the overdue; the request's page carries
the staff's steps; the back office home lists what waits; strangers see nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kttc.center.ip_services.models import PreExamination
from kttc.center.ip_services.tests.factories import accepted, filed
from kttc.core.models import Membership
from kttc.core.todos import sections

pytestmark = pytest.mark.django_db


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("claims.pdf", b"%PDF-1.4 claims", content_type="application/pdf")


def test_m11_1_the_applicant_files_and_an_ineligible_industry_is_refused_beside_it(
    client, personas
):
    client.force_login(personas.enterprise)
    url = reverse("ip_services:mine")
    assert client.get(url).status_code == 200
    data = {"title": "工业机器人关节减速器", "kind": "invention", "industry_code": "C2710"}
    page = client.post(url, {**data, "document_claims": _upload()})
    assert page.status_code == 200
    assert "industry_code" in page.context["form"].errors
    assert not PreExamination.objects.exists()
    page = client.post(url, {**data, "industry_code": "C3491", "document_claims": _upload()})
    found = PreExamination.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse(
        "ip_services:detail", args=[found.pk]
    )
    assert "工业机器人关节减速器" in client.get(url).content.decode()


def test_m11_1_the_staff_queue_marks_the_overdue_and_the_steps_work(client, personas, monkeypatch):
    request = accepted(personas, on=dt.date(2026, 12, 4))
    monkeypatch.setattr(
        "kttc.policy.calendar.today_in_shanghai", lambda now=None: dt.date(2026, 12, 14)
    )
    client.force_login(personas.bureau)
    page = client.get(reverse("ip_services:queue"))
    assert page.status_code == 200 and "data-overdue" in page.content.decode()
    detail = reverse("ip_services:detail", args=[request.pk])
    assert client.get(detail).status_code == 200
    page = client.post(reverse("ip_services:forward", args=[request.pk]), {"reference": "YS-1"})
    assert page.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.reference) == ("forwarded", "YS-1")
    page = client.post(
        reverse("ip_services:outcome", args=[request.pk]),
        {"passed": "1", "decided_on": "2026-12-14"},
    )
    request.refresh_from_db()
    assert request.status == "passed"


def test_m11_1_the_homes_list_what_waits_and_strangers_see_nothing(client, personas):
    request = filed(personas)
    bureau = Membership.objects.get(user=personas.bureau)
    with translation.override("en"):
        titles = [str(s.title) for s in sections(bureau)]
    assert "Pre-examination requests waiting for the center" in titles
    client.force_login(personas.investment_platform)
    assert client.get(reverse("ip_services:detail", args=[request.pk])).status_code == 404
    assert client.get(reverse("ip_services:queue")).status_code == 403
    client.force_login(personas.enterprise)
    assert client.post(reverse("ip_services:accept", args=[request.pk])).status_code == 403
    request.refresh_from_db()
    assert request.status == "submitted"
