"""M8.6: the registry's sweep reminds of results due soon and notifies those overdue, once each,
set-based (the number of queries does not grow with the results), and the bureau sees every
overdue result on its list."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kttc.core import dates
from kttc.core.models import Notification
from kttc.core.tests.factories import OrganisationFactory
from kttc.policy.calendar import today_in_shanghai
from kttc.policy.roles import Role
from kttc.registry import deadlines, sweep
from kttc.registry.achievements import sweep as achievements_sweep
from kttc.registry.models import Achievement

TODAY = dt.date(2026, 12, 1)


def _results(unit, dues, *, status="draft"):
    """Fiscally funded results of ``unit`` due on each of ``dues`` (stored directly: the sweep
    reads the stored due date, however it was computed)."""
    start = Achievement.objects.count()
    Achievement.objects.bulk_create(
        Achievement(
            unit=unit,
            name=f"成果{start + i}",
            achievement_type="applied",
            attribute="original",
            abstract="摘要",
            discipline_code="41630",
            industry_code="C2710",
            trl=6,
            stage="middle",
            formation_date=due - dt.timedelta(days=91),
            confidentiality="public",
            status=status,
            submission_due=due,
        )
        for i, due in enumerate(dues)
    )
    return list(Achievement.objects.order_by("-id")[: len(dues)])[::-1]


def _notices(person, kind=None):
    qs = Notification.objects.filter(recipient=person)
    return qs.filter(kind=kind) if kind else qs


def _unit(personas):
    return personas.organisations[Role.TRANSFER_OFFICE]


def test_m8_6_a_result_due_soon_is_reminded_once(personas):
    (result,) = _results(_unit(personas), [TODAY + dt.timedelta(days=10)])
    counts = sweep.run(TODAY)
    assert counts["due soon"] == 1 and counts["reminders"] == 1
    assert sweep.run(TODAY)["reminders"] == 0
    assert sweep.run(TODAY + dt.timedelta(days=1))["reminders"] == 0
    (notice,) = _notices(personas.transfer_office)
    assert notice.kind == "registry.submission_due_soon" and notice.clauses == ["M8.6"]
    assert (notice.object_type, notice.object_id) == ("registry.achievement", str(result.pk))
    assert notice.link == reverse("registry:achievement_detail", args=[result.pk])
    assert notice.params == {"name": result.name, "due": "2026-12-11", "months": 3}
    assert notice.organisation_id == result.unit_id
    result.refresh_from_db()
    assert result.due_reminded_at is not None and result.overdue_notified_at is None
    # The researcher of the same unit is not chased; the transfer office acts for the unit.
    assert not _notices(personas.researcher).exists()


def test_m8_6_the_sweep_runs_on_a_day_no_policy_version_covers(personas):
    # KM-2026 ends on 2028-12-31; a result still overdue then is notified all the same, with
    # the months of the last version in force.
    lapsed = dt.date(2029, 3, 1)
    _results(_unit(personas), [lapsed - dt.timedelta(days=1)])
    counts = sweep.run(lapsed)
    assert counts["became overdue"] == 1
    (notice,) = _notices(personas.transfer_office)
    assert notice.params["months"] == 3


def test_m8_6_the_reminder_window_is_a_setting(personas, settings):
    settings.KTTC_DUE_REMINDER_DAYS = 5
    _results(_unit(personas), [TODAY + dt.timedelta(days=6), TODAY + dt.timedelta(days=5)])
    assert sweep.run(TODAY)["due soon"] == 1


def test_m8_6_an_overdue_result_is_notified_once_and_the_bureau_told(personas):
    (result,) = _results(_unit(personas), [TODAY - dt.timedelta(days=1)])
    counts = sweep.run(TODAY)
    assert counts["became overdue"] == 1 and counts["overdue notices"] == 1
    assert counts["bureau notices"] == 1 and counts["due soon"] == 0
    assert sweep.run(TODAY) == dict.fromkeys(counts, 0)
    assert sweep.run(TODAY + dt.timedelta(days=30)) == dict.fromkeys(counts, 0)
    (notice,) = _notices(personas.transfer_office)
    assert notice.kind == "registry.submission_overdue"
    (told,) = _notices(personas.bureau)
    assert told.params == {"count": 1, "day": TODAY.isoformat()}
    assert told.link == reverse("registry:due") + "?overdue=1"
    result.refresh_from_db()
    assert result.overdue_notified_at == notice.created_at


def test_m8_6_a_result_reminded_then_late_gets_both_notices(personas):
    _results(_unit(personas), [TODAY + dt.timedelta(days=3)])
    sweep.run(TODAY)
    sweep.run(TODAY + dt.timedelta(days=4))
    kinds = sorted(_notices(personas.transfer_office).values_list("kind", flat=True))
    assert kinds == ["registry.submission_due_soon", "registry.submission_overdue"]


def test_m8_6_submitted_and_published_results_are_not_chased(personas):
    unit = _unit(personas)
    _results(unit, [TODAY - dt.timedelta(days=5)], status="submitted")
    _results(unit, [TODAY + dt.timedelta(days=5)], status="published")
    returned = _results(unit, [TODAY - dt.timedelta(days=5)], status="returned")
    counts = sweep.run(TODAY)
    assert (counts["became overdue"], counts["due soon"]) == (1, 0)
    assert _notices(personas.transfer_office).get().object_id == str(returned[0].pk)


def test_m8_6_each_unit_hears_of_its_own_results_only(personas):
    other_unit = OrganisationFactory(kind="research_institute")
    _results(other_unit, [TODAY - dt.timedelta(days=2)])
    counts = sweep.run(TODAY)
    assert counts["became overdue"] == 1 and counts["overdue notices"] == 0  # nobody there
    assert not _notices(personas.transfer_office).exists()
    assert _notices(personas.bureau).count() == 1


def test_m8_6_a_row_claimed_by_another_sweep_is_not_notified_again(personas):
    (result,) = _results(_unit(personas), [TODAY - dt.timedelta(days=1)])
    Achievement.objects.filter(pk=result.pk).update(overdue_notified_at=dt.datetime.now(dt.UTC))
    assert sweep.run(TODAY)["became overdue"] == 0
    assert not Notification.objects.exists()


def _queries(n, unit):
    Notification.objects.all().delete()
    Achievement.objects.all().delete()
    _results(unit, [TODAY - dt.timedelta(days=1 + i % 50) for i in range(n)])
    _results(unit, [TODAY + dt.timedelta(days=1 + i % 20) for i in range(n)])
    with CaptureQueriesContext(connection) as captured:
        counts = sweep.run(TODAY)
    assert counts["became overdue"] == n and counts["due soon"] == n
    assert Notification.objects.count() == 2 * n + 1
    return len(captured.captured_queries)


def test_m8_6_the_sweep_is_set_based(personas):
    """The number of queries does not grow with the number of results."""
    unit = _unit(personas)
    assert _queries(10, unit) == _queries(200, unit)


def test_m8_6_large_claims_go_in_batches_each_notified_once(personas, monkeypatch):
    monkeypatch.setattr(achievements_sweep, "BATCH", 7)
    _results(_unit(personas), [TODAY - dt.timedelta(days=1 + i % 9) for i in range(30)])
    assert sweep.run(TODAY)["overdue notices"] == 30
    assert Notification.objects.filter(kind="registry.submission_overdue").count() == 30
    stamps = set(Achievement.objects.values_list("overdue_notified_at", flat=True))
    assert len(stamps) == 5  # 7 + 7 + 7 + 7 + 2, each batch its own claim


def test_m8_6_kttc_sweep_notifies_and_emails_once(personas):
    _results(_unit(personas), [TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=2)])
    out = io.StringIO()
    call_command("sweep", "--today", TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert "registry: due soon 1, reminders 1, became overdue 1, overdue notices 1" in text
    assert "e-mails sent 2, notifications e-mailed 3" in text
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas.transfer_office.email, personas.bureau.email]
    )
    out = io.StringIO()
    call_command("sweep", "--today", TODAY.isoformat(), stdout=out)
    assert "reminders 0, became overdue 0" in out.getvalue()
    assert "e-mails sent 0" in out.getvalue() and len(mail.outbox) == 2


def test_m8_6_the_bureau_sees_every_overdue_result_the_unit_its_own(client, personas):
    mine = _results(_unit(personas), [TODAY - dt.timedelta(days=400)])
    theirs = _results(OrganisationFactory(), [TODAY - dt.timedelta(days=400)])
    _results(_unit(personas), [TODAY + dt.timedelta(days=400)])
    sweep.run(TODAY)
    client.force_login(personas.bureau)
    listed = client.get(reverse("registry:due"), {"overdue": "1"}).context["page"].object_list
    assert {a.pk for a in listed} == {mine[0].pk, theirs[0].pk}
    client.force_login(personas.transfer_office)
    response = client.get(reverse("registry:due"), {"overdue": "1"})
    assert [a.pk for a in response.context["page"].object_list] == [mine[0].pk]
    assert response.context["total"] == 2 and response.context["overdue_count"] == 1


def test_m8_6_the_deadlines_page_per_role(client, personas):
    today = today_in_shanghai()
    unit = _unit(personas)
    _results(unit, [today - dt.timedelta(days=3), today + dt.timedelta(days=5)])
    _results(unit, [today + dt.timedelta(days=200)])
    _results(OrganisationFactory(), [today - dt.timedelta(days=1)])
    membership = personas.transfer_office.memberships.get()
    (section,) = deadlines.sections(
        membership, today=today, until=today + dt.timedelta(days=30), limit=10
    )
    assert (section.overdue, section.upcoming) == (1, 1)
    assert [i.overdue for i in section.items] == [True, False]
    bureau = personas.bureau.memberships.get()
    (section,) = deadlines.sections(
        bureau, today=today, until=today + dt.timedelta(days=30), limit=1
    )
    assert (section.overdue, section.upcoming, len(section.items)) == (2, 1, 1)
    assert not section.shown_all
    assert (
        deadlines.sections(
            personas.enterprise.memberships.get(), today=today, until=today, limit=10
        )
        == []
    )
    for person, expected in ((personas.transfer_office, 1), (personas.bureau, 2)):
        client.force_login(person)
        response = client.get(reverse("office:deadlines"))
        (panel,) = response.context["panels"]
        assert panel.overdue == expected


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_m8_6_notices_and_lists_read_in_both_languages(client, personas, language):
    today = today_in_shanghai()
    with translation.override(language):
        due = dates.day(today - dt.timedelta(days=1))  # as the reader's language writes it
    _results(_unit(personas), [today - dt.timedelta(days=1)])
    sweep.run(today)
    client.force_login(personas.transfer_office)
    html = client.get(reverse("office:notifications"), HTTP_ACCEPT_LANGUAGE=language)
    text = html.content.decode()
    if language == "en":
        assert f"Overdue since {due}" in text
    else:
        assert due in text and "Overdue since" not in text
    client.force_login(personas.bureau)
    html = client.get(reverse("registry:due"), {"overdue": "1"}, HTTP_ACCEPT_LANGUAGE=language)
    assert html.status_code == 200 and "成果0" in html.content.decode()
