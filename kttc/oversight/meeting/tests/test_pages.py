"""The joint meeting's public summary (M13.1, M13.2): counts by status and by owner and the
difficulties resolved with their organisation and the tasks' outcomes, in every language, naming
no person."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from kttc.oversight.meeting import services
from kttc.oversight.meeting.tests.factories import DAY, convened, decided, raised
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_m13_1_the_public_summary_shows_the_resolved_difficulty_in_every_language(
    client, personas, language
):
    difficulty = raised(personas)
    pending = raised(personas, role=Role.ENTERPRISE, title="中试熟化平台不足")
    session = convened(personas, difficulty, pending)
    (task,) = decided(personas, session, difficulty, owners=("dept_hrss",)).tasks.all()
    decided(personas, session, pending, owners=("wuhua",))
    services.task_close(actor=personas.bureau, task=task, evidence="已印发并联审批办法", today=DAY)
    services.difficulty_resolve(actor=personas.bureau, difficulty=difficulty, today=DAY)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = client.get(reverse("difficulties:summary"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "科研人员离岗创业审批流程长" in page
    assert "市人社局" in page and "已印发并联审批办法" in page
    assert "五华区" in page  # counted among the owners
    assert "中试熟化平台不足" not in page  # not resolved, so not listed
    # organisations only: no person's name or e-mail
    for persona in (personas.transfer_office, personas.bureau, personas.enterprise):
        assert persona.email not in page
        assert len(persona.full_name) < 3 or persona.full_name not in page
    if language == "zh-hans":  # the raising organisation by its name
        assert personas.organisations[Role.TRANSFER_OFFICE].name in page


def test_m13_1_the_public_summary_is_empty_before_anything_is_resolved(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("difficulties:summary")).content.decode()
    assert "No difficulty has been resolved yet." in page


def test_m13_1_every_page_leads_to_the_public_summary_from_its_footer(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    home = client.get(reverse("home")).content.decode()
    footer = home[home.index('<footer class="site-footer">') :]
    assert f'href="{reverse("difficulties:summary")}"' in footer


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_m13_1_the_office_pages_show_a_difficulty_its_session_and_tasks(client, personas, language):
    difficulty = raised(personas)
    other = raised(personas, role=Role.ENTERPRISE, title="中试熟化平台不足")
    session = convened(personas, difficulty)
    decided(personas, session, difficulty, owners=("dept_hrss", "wuhua"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    client.force_login(personas.transfer_office)
    page = client.get(reverse("meeting:list")).content.decode()
    assert "科研人员离岗创业审批流程长" in page and "中试熟化平台不足" not in page
    detail = client.get(reverse("meeting:detail", args=[difficulty.pk])).content.decode()
    assert "重大成果转化联席会议第一次会议" in detail
    assert "市人社局" in detail and "五华区" in detail and "出台办法" in detail
    assert client.get(reverse("meeting:detail", args=[other.pk])).status_code == 404
    client.force_login(personas.bureau)
    page = client.get(reverse("meeting:list")).content.decode()
    assert "中试熟化平台不足" in page and page.count("data-task=") == 2
    client.force_login(personas.researcher)
    assert client.get(reverse("meeting:list")).status_code == 403


@pytest.mark.parametrize(
    ("role", "linked"),
    [(Role.BUREAU, True), (Role.AUDITOR, True), (Role.ENTERPRISE, True), (Role.RESEARCHER, False)],
)
def test_m13_1_the_back_office_home_leads_raisers_the_bureau_and_auditors_to_the_meeting(
    client, personas, role, linked
):
    client.force_login(personas.by_role[role])
    home = client.get(reverse("office:home")).content.decode()
    assert (f'href="{reverse("meeting:list")}"' in home) is linked
