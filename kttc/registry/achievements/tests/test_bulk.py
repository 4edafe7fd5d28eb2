"""Lists that scale (M8.6): the results list searched, filtered, sorted and paged, and many
results submitted, published or returned at once, each through its own service and audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.core.models import AuditEntry
from kttc.policy import calendar
from kttc.policy.roles import Role
from kttc.registry.achievements import services
from kttc.registry.choices import Status
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement

pytestmark = pytest.mark.django_db


def _draft(personas, name):
    data = validate_achievement(achievement_raw(name=name), today=calendar.today_in_shanghai())
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    return services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)


def _statuses(rows):
    return {a.name: a.status for a in type(rows[0]).objects.filter(pk__in=[r.pk for r in rows])}


def test_the_ticked_drafts_are_submitted_each_with_its_audit_entry(client, personas):
    drafts = [_draft(personas, f"节水灌溉技术{n}") for n in range(4)]
    before = AuditEntry.objects.filter(action="achievement.submitted").count()
    client.force_login(personas.transfer_office)
    response = client.post(
        reverse("registry:achievements_bulk"),
        {"action": "submit", "scope": "selected", "ids": [drafts[0].pk, drafts[2].pk]},
    )
    assert response.status_code == 302
    states = _statuses(drafts)
    assert [states[d.name] for d in drafts] == [
        Status.SUBMITTED, Status.DRAFT, Status.SUBMITTED, Status.DRAFT
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action="achievement.submitted").count() == before + 2


def test_all_that_match_the_filters_are_moved_and_the_refused_are_named(client, personas):
    drafts = [_draft(personas, f"三七种植{n}") for n in range(3)]
    other = _draft(personas, "普洱茶发酵")
    services.achievement_submit(actor=personas.transfer_office, achievement=drafts[0])
    client.force_login(personas.transfer_office)
    response = client.post(
        reverse("registry:achievements_bulk"),
        {"action": "submit", "scope": "all", "q": "三七"},
        follow=True,
    )
    states = _statuses([*drafts, other])
    assert all(states[d.name] == Status.SUBMITTED for d in drafts)
    assert states[other.name] == Status.DRAFT  # not matched by the search
    shown = [str(m) for m in response.context["messages"]]
    assert any("2" in m and "3" in m for m in shown)  # done for 2 of 3
    assert any(drafts[0].name in m for m in shown)  # submitted already: refused, named
    assert response.redirect_chain[-1][0].startswith(reverse("registry:achievements") + "?")


def test_the_center_publishes_or_returns_many_and_a_return_needs_its_reason(client, personas):
    drafts = [_draft(personas, f"滇池治理{n}") for n in range(3)]
    for d in drafts:
        services.achievement_submit(actor=personas.transfer_office, achievement=d)
    client.force_login(personas.bureau)
    url = reverse("registry:achievements_bulk")
    client.post(url, {"action": "return", "scope": "all", "status": "submitted", "reason": " "})
    assert set(_statuses(drafts).values()) == {Status.SUBMITTED}  # no reason: nothing moved
    client.post(url, {"action": "publish", "scope": "selected", "ids": [drafts[0].pk]})
    client.post(
        url,
        {"action": "return", "scope": "all", "status": "submitted", "reason": "补充知识产权"},
    )
    states = _statuses(drafts)
    assert states[drafts[0].name] == Status.PUBLISHED
    assert states[drafts[1].name] == states[drafts[2].name] == Status.RETURNED


def test_a_unit_cannot_publish_and_cannot_reach_another_units_results(client, personas):
    mine = _draft(personas, "高原蔬菜")
    client.force_login(personas.transfer_office)
    client.post(reverse("registry:achievements_bulk"), {"action": "publish", "ids": [mine.pk]})
    assert _statuses([mine])[mine.name] == Status.DRAFT
    client.force_login(personas.enterprise)  # sees no result of the university
    client.post(reverse("registry:achievements_bulk"), {"action": "submit", "ids": [mine.pk]})
    assert _statuses([mine])[mine.name] == Status.DRAFT


def test_the_list_is_searched_sorted_and_paged_with_a_jump(client, personas, settings):
    settings.KTTC_PAGE_SIZE = 2
    for name in ("乙成果", "甲成果", "丙成果", "丁成果", "戊成果", "己成果", "庚成果"):
        _draft(personas, name)
    client.force_login(personas.transfer_office)
    url = reverse("registry:achievements")
    page = client.get(url, {"q": "甲"})
    assert [a.name for a in page.context["page"].object_list] == ["甲成果"]
    page = client.get(url, {"sort": "name", "page": "4"})
    assert page.context["page"].number == 4 and len(page.context["page"].object_list) == 1
    html = page.content.decode()
    assert 'class="page-jump"' in html and 'name="sort" value="name"' in html
    bad = client.get(url, {"sort": "drop table", "status": "nonsense", "q": "x" * 5000})
    assert bad.status_code == 200  # unknown values fall back, a long text is cut


def test_a_bulk_return_reason_with_control_characters_is_refused_and_nothing_moves(
    client, personas
):
    draft = _draft(personas, "洱海保护")
    services.achievement_submit(actor=personas.transfer_office, achievement=draft)
    client.force_login(personas.bureau)
    response = client.post(
        reverse("registry:achievements_bulk"),
        {"action": "return", "ids": [draft.pk], "reason": "补充\u202e材料"},
        follow=True,
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert _statuses([draft])[draft.name] == Status.SUBMITTED
    unknown = client.post(
        reverse("registry:achievements_bulk"), {"action": "drop", "ids": [draft.pk]}
    )
    assert unknown.status_code == 302 and _statuses([draft])[draft.name] == Status.SUBMITTED


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_with_htmx_the_work_is_a_job_whose_progress_and_summary_the_page_follows(
    client, personas
):
    from kttc.core.models import Job

    drafts = [_draft(personas, f"普洱茶{n}") for n in range(5)]
    client.force_login(personas.transfer_office)
    panel = client.post(
        reverse("registry:achievements_bulk"),
        {"action": "submit", "scope": "all", "q": "普洱茶"},
        **HTMX,
    )
    job = Job.objects.get()
    html = panel.content.decode()
    assert panel.status_code == 200 and job.state == "ready" and job.total == 5
    assert reverse("registry:bulk_run", args=[job.pk]) in html and "<progress" in html
    assert set(_statuses(drafts).values()) == {Status.DRAFT}  # nothing done yet

    polled = client.get(reverse("registry:bulk_job", args=[job.pk]), **HTMX)
    assert polled.status_code == 200 and 'value="0"' in polled.content.decode()

    done = client.post(reverse("registry:bulk_run", args=[job.pk]), **HTMX)
    job.refresh_from_db()
    assert job.state == "done" and job.done == 5 and job.outcome["done"] == 5
    assert set(_statuses(drafts).values()) == {Status.SUBMITTED}
    assert "<progress" not in done.content.decode()
    finished = client.get(reverse("registry:bulk_job", args=[job.pk]), **HTMX)
    assert finished.status_code == 286  # htmx: stop polling

    # a second run (another tab, a double click) does nothing more
    before = AuditEntry.objects.count()
    client.post(reverse("registry:bulk_run", args=[job.pk]), **HTMX)
    assert AuditEntry.objects.count() == before


def test_a_job_is_its_owners_alone(client, personas):
    from kttc.core.models import Job

    _draft(personas, "节能技术")
    client.force_login(personas.transfer_office)
    client.post(reverse("registry:achievements_bulk"), {"action": "submit", "scope": "all"}, **HTMX)
    job = Job.objects.get()
    client.force_login(personas.bureau)
    assert client.get(reverse("registry:bulk_job", args=[job.pk])).status_code == 404
    assert client.post(reverse("registry:bulk_run", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.state == "ready"


def test_with_htmx_a_refusal_before_the_work_is_shown_in_place(client, personas):
    from kttc.core.models import Job

    client.force_login(personas.transfer_office)
    answer = client.post(
        reverse("registry:achievements_bulk"), {"action": "submit", "scope": "selected"}, **HTMX
    )
    assert answer.status_code == 200 and 'role="alert"' in answer.content.decode()
    assert not Job.objects.exists()


def test_the_progress_is_recorded_as_the_work_goes(personas):
    from kttc.core import jobs
    from kttc.core.models import Job

    drafts = [_draft(personas, f"烤烟{n}") for n in range(3)]
    job = jobs.create(owner=personas.transfer_office, kind="test", params={}, total=3)
    seen = []
    tick = jobs.progress(job)

    def progress(n):
        tick(n)
        seen.append(Job.objects.get(pk=job.pk).done)

    services.achievements_bulk(
        actor=personas.transfer_office, achievements=drafts, action="submit", progress=progress
    )
    assert seen == [1, 2, 3]


def test_those_waiting_are_told_once_per_unit_not_once_per_result(personas):
    from kttc.core.models import Notification

    drafts = [_draft(personas, f"咖啡种植{n}") for n in range(4)]
    office, bureau = personas.transfer_office, personas.bureau
    services.achievements_bulk(actor=office, achievements=drafts[:3], action="submit")
    (told,) = Notification.objects.filter(recipient=bureau)
    assert told.subject == services.SUBMITTED_MANY.subject and told.params["count"] == 3
    assert told.link == reverse("registry:review")
    services.achievements_bulk(actor=office, achievements=drafts[3:], action="submit")
    assert Notification.objects.filter(recipient=bureau).count() == 2  # one alone: as usual
    alone = Notification.objects.filter(recipient=bureau).latest("pk")
    assert alone.subject == services.SUBMITTED.subject and alone.params["name"] == drafts[3].name

    services.achievements_bulk(actor=bureau, achievements=drafts[:2], action="return",
                               reason="补充知识产权")  # fmt: skip
    returned = Notification.objects.filter(recipient=office).latest("pk")
    assert returned.subject == services.RETURNED_MANY.subject
    assert returned.params["count"] == 2 and returned.params["reason"] == "补充知识产权"
    assert Notification.objects.filter(recipient=office).count() == 1
