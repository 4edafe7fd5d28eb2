"""M4.1, M4.2: projects' transformation deadlines. The sweep reminds the undertaking unit once
before the deadline and tells the unit and the bureau once when it passed without a
transformation; the deadlines page and the list of missed deadlines show them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kttc.core.models import Notification
from kttc.core.selectors import deadlines_for
from kttc.core.tests.factories import OrganisationFactory
from kttc.policy.roles import Role
from kttc.registry import services, sweep
from kttc.registry.models import FiscalProject

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 6, 1)
COUNTS = (
    "project deadlines coming",
    "project reminders",
    "project deadlines missed",
    "project missed notices",
    "project bureau notices",
)


def _project(personas, deadline, number="KM2026-001", unit=None):
    return services.fiscal_project_create(
        actor=personas.bureau,
        undertaking_unit=unit or personas.organisations[Role.TRANSFER_OFFICE],
        competent_department="昆明市科学技术局",
        programme="重点研发计划",
        project_number=number,
        title="高原植物开发",
        approval_date=dt.date(2026, 3, 1),
        budget=Decimal("500000.00"),
        transformation_obligation="许可或转让给本地企业",
        transformation_deadline=deadline,
    )


def _projects(counts):
    return {k: counts[k] for k in COUNTS}


def _kinds(person):
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_m4_1_the_unit_is_reminded_once_before_the_deadline(personas):
    project = _project(personas, TODAY + dt.timedelta(days=60))
    assert sweep.run(TODAY - dt.timedelta(days=31))["project deadlines coming"] == 0
    counts = sweep.run(TODAY)
    assert counts["project deadlines coming"] == 1 and counts["project reminders"] == 1
    assert _projects(sweep.run(TODAY)) == dict.fromkeys(COUNTS, 0)
    assert _projects(sweep.run(TODAY + dt.timedelta(days=1))) == dict.fromkeys(COUNTS, 0)
    (notice,) = Notification.objects.filter(recipient=personas.transfer_office)
    assert notice.kind == "registry.project_transformation_due_soon"
    assert notice.clauses == ["M4.1", "M4.2"]
    assert notice.params["due"] == "2027-07-31" and notice.params["number"] == "KM2026-001"
    assert notice.organisation_id == project.undertaking_unit_id
    project.refresh_from_db()
    assert project.transformation_reminded_at is not None
    assert project.transformation_overdue_at is None
    assert not Notification.objects.filter(recipient=personas.researcher).exists()


def test_m4_1_a_missed_deadline_is_told_to_the_unit_and_the_bureau_once(personas):
    project = _project(personas, TODAY - dt.timedelta(days=1))
    counts = sweep.run(TODAY)
    assert counts["project deadlines missed"] == 1 and counts["project missed notices"] == 1
    assert counts["project bureau notices"] == 1
    assert _projects(sweep.run(TODAY)) == dict.fromkeys(COUNTS, 0)
    assert _projects(sweep.run(TODAY + dt.timedelta(days=30))) == dict.fromkeys(COUNTS, 0)
    assert _kinds(personas.transfer_office) == ["registry.project_transformation_missed"]
    (told,) = Notification.objects.filter(recipient=personas.bureau)
    assert told.kind == "registry.projects_transformation_missed"
    assert told.params == {"count": 1, "day": TODAY.isoformat()}
    assert told.link == reverse("registry:project_deadlines") + "?missed=1"
    project.refresh_from_db()
    assert project.transformation_overdue_at is not None


def test_m4_1_reminded_then_missed_gets_both_notices(personas):
    _project(personas, TODAY + dt.timedelta(days=10))
    sweep.run(TODAY)
    sweep.run(TODAY + dt.timedelta(days=11))
    assert _kinds(personas.transfer_office) == [
        "registry.project_transformation_due_soon",
        "registry.project_transformation_missed",
    ]


def test_m4_3_an_accepted_project_has_shown_its_transformation(personas):
    project = _project(personas, TODAY - dt.timedelta(days=1))
    services.fiscal_project_accept(
        actor=personas.bureau,
        project=project,
        acceptance_date=TODAY - dt.timedelta(days=10),
        transformation_outcome="已许可云岭智造使用专利",
        ip_outcome="授权发明专利2件",
    )
    coming = _project(personas, TODAY + dt.timedelta(days=5), number="KM2026-002")
    FiscalProject.objects.filter(pk=coming.pk).update(transformation_outcome="已转让")
    counts = sweep.run(TODAY)
    assert counts["project deadlines missed"] == counts["project deadlines coming"] == 0
    assert not Notification.objects.exists()


def test_m4_1_the_reminder_window_is_at_least_the_settings_window(personas, settings):
    settings.KTTC_DUE_REMINDER_DAYS = 200
    _project(personas, TODAY + dt.timedelta(days=150))
    assert sweep.run(TODAY)["project deadlines coming"] == 1


def test_m4_1_the_deadlines_page_has_a_section_for_project_deadlines(personas):
    _project(personas, TODAY - dt.timedelta(days=3))
    _project(personas, TODAY + dt.timedelta(days=20), number="KM2026-002")
    _project(personas, TODAY + dt.timedelta(days=400), number="KM2026-003")
    other = OrganisationFactory(kind="university", is_municipal=True)
    _project(personas, TODAY + dt.timedelta(days=2), number="KM2026-004", unit=other)
    for person, expected in ((personas.transfer_office, (1, 1)), (personas.bureau, (1, 2))):
        (panel,) = deadlines_for(person, days=30, today=TODAY)
        with translation.override("en"):
            (section,) = [
                s for s in panel.sections if str(s.title).startswith("Transformation deadlines")
            ]
        assert (section.overdue, section.upcoming) == expected
        assert section.clauses == ("M4.1", "M4.2")
        assert section.items[0].overdue and section.items[0].title.startswith("KM2026-001")
        assert section.more_link == reverse("registry:project_deadlines")
    (panel,) = deadlines_for(personas.enterprise, days=30, today=TODAY)
    assert panel.sections == []


def test_m4_1_the_list_of_missed_deadlines(client, personas, travel_to):
    travel_to(TODAY)
    _project(personas, TODAY - dt.timedelta(days=3))
    _project(personas, TODAY + dt.timedelta(days=20), number="KM2026-002")
    sweep.run(TODAY)
    client.force_login(personas.bureau)
    url = reverse("registry:project_deadlines")
    everything = client.get(url)
    assert everything.status_code == 200
    assert (everything.context["total"], everything.context["missed_count"]) == (2, 1)
    missed = client.get(url, {"missed": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    (row,) = missed.context["page"].object_list
    assert row.project_number == "KM2026-001" and row.missed
    told = timezone.localtime(row.transformation_overdue_at).date().isoformat()  # told the unit
    assert f'data-told="missed" datetime="{told}"' in missed.content.decode()
    client.force_login(personas.transfer_office)
    assert client.get(url).context["total"] == 2
    client.force_login(personas.enterprise)
    assert client.get(url).status_code == 403


def test_m4_1_the_list_says_when_nothing_is_missed(client, personas):
    client.force_login(personas.bureau)
    response = client.get(
        reverse("registry:project_deadlines"), {"missed": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert 'data-empty="missed"' in response.content.decode()


@pytest.fixture
def travel_to(monkeypatch):
    from kttc.policy import calendar

    def to(day: dt.date) -> None:
        monkeypatch.setattr(calendar, "today_in_shanghai", lambda now=None: day)

    return to
