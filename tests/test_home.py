"""The back office's home puts first what waits for each role (``kttc.core.todos``, which every
part fills): counts, the oldest items with links, the deadlines' counts, and the person's own
recent decisions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override

from kttc.core import todos
from kttc.core.models import Membership
from kttc.policy import calendar
from kttc.policy.roles import Role
from kttc.registry import services
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement

pytestmark = pytest.mark.django_db


def _result(personas, name):
    data = validate_achievement(achievement_raw(name=name), today=calendar.today_in_shanghai())
    office = personas.transfer_office
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    return services.achievement_create(actor=office, unit=unit, data=data)


def _membership(personas, role):
    return Membership.objects.get(user=personas.by_role[role], role=role.value)


def _titles(sections):
    with override("en"):
        return {str(s.title): s for s in sections}


def test_a_transfer_office_sees_its_drafts_and_returned_results_oldest_first(personas):
    first, second = _result(personas, "高原水稻抗旱品种"), _result(personas, "三七连作障碍修复")
    returned = _result(personas, "普洱茶发酵菌剂")
    services.achievement_submit(actor=personas.transfer_office, achievement=returned)
    services.achievement_return(actor=personas.bureau, achievement=returned, reason="补充知识产权")

    found = _titles(todos.sections(_membership(personas, Role.TRANSFER_OFFICE)))
    drafts = found["Draft results to complete and submit"]
    assert drafts.count == 2 and [i.title for i in drafts.items] == [first.name, second.name]
    assert drafts.items[0].link == reverse("registry:achievement_detail", args=[first.pk])
    assert found["Results returned for changes"].count == 1
    assert "Submissions to review" not in found  # the bureau's work, not the office's


def test_the_bureau_sees_submissions_and_nothing_of_an_empty_kind(personas):
    office_view = _titles(todos.sections(_membership(personas, Role.BUREAU)))
    assert "Submissions to review" not in office_view  # nothing waits: no empty section
    submitted = _result(personas, "滇池蓝藻资源化利用")
    services.achievement_submit(actor=personas.transfer_office, achievement=submitted)
    found = _titles(todos.sections(_membership(personas, Role.BUREAU)))
    assert found["Submissions to review"].count == 1
    assert found["Submissions to review"].more_link == reverse("registry:review")


def test_a_section_lists_at_most_the_first_items_and_counts_them_all(personas):
    for n in range(todos.HOME_ITEMS + 2):
        _result(personas, f"成果{n}")
    found = _titles(todos.sections(_membership(personas, Role.TRANSFER_OFFICE)))
    drafts = found["Draft results to complete and submit"]
    assert drafts.count == todos.HOME_ITEMS + 2 and len(drafts.items) == todos.HOME_ITEMS


def test_the_home_page_shows_what_waits_and_what_i_did(client, personas):
    draft = _result(personas, "高原水稻抗旱品种")
    client.force_login(personas.transfer_office)
    page = client.get(reverse("office:home")).content.decode()
    todo = page[page.index("data-todos") : page.index("home-links")]
    with override("zh-hans"):
        assert gettext("Draft results to complete and submit") in todo
    assert reverse("registry:achievement_detail", args=[draft.pk]) in todo
    assert re.search(r'class="count"[^>]*>1<', todo)
    recent = page[page.index("data-recent") :]
    assert draft.name in recent  # the office created it: its own decision


def test_a_role_with_nothing_waiting_is_told_so(client, personas):
    client.force_login(personas.auditor)
    page = client.get(reverse("office:home")).content.decode()
    with override("zh-hans"):
        assert gettext("Nothing waits for you here.") in page
        assert gettext("Your decisions will be listed here.") in page


def test_the_bureau_sees_the_demands_to_moderate(personas):
    from kttc.center.demands.tests.factories import posted

    demand = posted(personas, title="寻求高原蔬菜冷链保鲜技术")
    found = _titles(todos.sections(_membership(personas, Role.BUREAU)))
    pending = found["Demands waiting for moderation"]
    assert pending.count == 1 and demand.title in pending.items[0].title
    assert "Demands waiting for moderation" not in _titles(
        todos.sections(_membership(personas, Role.TRANSFER_OFFICE))
    )


def test_a_question_waits_for_the_office_until_it_answers(
    personas, django_capture_on_commit_callbacks
):
    from kttc.center.inquiries import services as inquiries
    from kttc.center.inquiries.tests.factories import thread
    from kttc.center.tests.factories import published_achievement

    result = published_achievement(personas, django_capture_on_commit_callbacks)
    question = thread(personas, result)
    office = _membership(personas, Role.TRANSFER_OFFICE)
    waiting = _titles(todos.sections(office))["Questions on our results waiting for an answer"]
    assert waiting.count == 1 and waiting.items[0].link.endswith(f"/{question.pk}/")
    inquiries.inquiry_reply(actor=personas.transfer_office, inquiry=question, text="可以试用。")
    assert "Questions on our results waiting for an answer" not in _titles(todos.sections(office))
    inquiries.inquiry_reply(actor=personas.enterprise, inquiry=question, text="好的，何时？")
    assert "Questions on our results waiting for an answer" in _titles(todos.sections(office))
