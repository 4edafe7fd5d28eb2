"""Notifications: sent once per dedupe key to the people of a role, read only by their recipient,
rendered in the reader's language, e-mailed once; the back-office pages in both languages."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from kttc.core import selectors
from kttc.core.models import Membership, Notification
from kttc.core.notifications.services import (
    EMAIL_LISTS_AT_MOST,
    Notice,
    notification_mark_read,
    notification_send,
    notification_send_now,
    notifications_email,
)
from kttc.core.parts import part_modules
from kttc.core.tests.factories import UserFactory
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Role

#: A template the Chinese catalogue translates, with a parameter.
TEMPLATE = gettext_noop("Version %(code)s is already in force and cannot be withdrawn.")
NOTICE = Notice(kind="test.notice", subject=TEMPLATE, body=TEMPLATE, params={"code": "V-1"})


def _send(personas, role=Role.TRANSFER_OFFICE, key="k1", **kw):
    return notification_send(
        organisation=personas.organisations[role],
        roles=(role.value,),
        notice=kw.pop("notice", NOTICE),
        dedupe_key=key,
        link=kw.pop("link", "/office/"),
        **kw,
    )


def test_a_notice_is_stored_once_per_dedupe_key(personas):
    assert _send(personas) == 1
    assert _send(personas) == 0
    assert _send(personas, key="k2") == 1
    office = personas.transfer_office
    assert Notification.objects.filter(recipient=office).count() == 2
    n = Notification.objects.get(recipient=office, dedupe_key="k1")
    assert n.organisation == personas.organisations[Role.TRANSFER_OFFICE]
    assert (n.kind, n.link, n.params) == ("test.notice", "/office/", {"code": "V-1"})


def test_only_the_active_people_of_the_role_are_notified(personas):
    university = personas.organisations[Role.TRANSFER_OFFICE]
    gone = UserFactory(email="gone@test.kttc.example")
    Membership.objects.create(
        user=gone, organisation=university, role="transfer_office", revoked_at=timezone.now()
    )
    inactive = UserFactory(email="inactive@test.kttc.example", is_active=False)
    Membership.objects.create(user=inactive, organisation=university, role="transfer_office")
    _send(personas)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [
        personas.transfer_office.pk
    ]  # not the researcher of the same university, nor the revoked or inactive people


def test_a_person_holding_two_of_the_roles_gets_one_notice(personas):
    university = personas.organisations[Role.TRANSFER_OFFICE]
    Membership.objects.create(
        user=personas.transfer_office, organisation=university, role="researcher"
    )
    written = notification_send(
        organisation=university,
        roles=("transfer_office", "researcher"),
        notice=NOTICE,
        dedupe_key="both",
    )
    assert written == 2  # the office person once, the researcher once
    assert Notification.objects.filter(recipient=personas.transfer_office).count() == 1


def test_a_role_in_any_organisation_reaches_the_bureau_wherever_it_sits(personas):
    assert notification_send(roles=("bureau",), notice=NOTICE, dedupe_key="all") == 1
    n = Notification.objects.get()
    assert n.recipient == personas.bureau and n.organisation is None


def test_the_notice_renders_in_the_readers_language(personas):
    _send(personas)
    n = Notification.objects.get()
    with translation.override("en"):
        assert n.subject_text == "Version V-1 is already in force and cannot be withdrawn."
    with translation.override("zh-hans"):
        assert "V-1" in n.subject_text and "Version" not in n.subject_text


def test_a_broken_template_does_not_break_the_page(personas):
    _send(personas, notice=Notice(kind="x", subject="Due %(missing)s", params={"a": 1}))
    assert Notification.objects.get().subject_text == "Due %(missing)s"


def test_marking_read_touches_only_ones_own_notifications(personas):
    _send(personas)
    _send(personas, role=Role.RESEARCHER)
    mine = Notification.objects.get(recipient=personas.transfer_office)
    theirs = Notification.objects.get(recipient=personas.researcher)
    assert notification_mark_read(user=personas.transfer_office, ids=[theirs.pk]) == 0
    assert notification_mark_read(user=personas.transfer_office, ids=[mine.pk]) == 1
    assert notification_mark_read(user=personas.transfer_office) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_shows_only_ones_own_with_the_unread_count(client, personas):
    _send(personas, key="a")
    _send(personas, key="b")
    _send(personas, role=Role.RESEARCHER, key="a")
    client.force_login(personas.transfer_office)
    response = client.get(reverse("office:notifications"))
    assert response.status_code == 200
    assert {n.recipient_id for n in response.context["page"].object_list} == {
        personas.transfer_office.pk
    }
    assert len(response.context["page"].object_list) == 2
    html = response.content.decode()
    assert 'id="nav-notifications"' in html and '<span class="badge">2<' in html
    other = Notification.objects.get(recipient=personas.researcher)
    assert client.get(reverse("office:notification_open", args=[other.pk])).status_code == 404
    client.post(reverse("office:notifications_read"), {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None


def test_opening_a_notice_marks_it_read_and_follows_its_link(client, personas):
    _send(personas, link="/office/tokens/")
    n = Notification.objects.get()
    client.force_login(personas.transfer_office)
    response = client.get(reverse("office:notification_open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/office/tokens/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_a_link_to_another_site_is_not_followed(client, personas):
    _send(personas, link="https://evil.example/")
    client.force_login(personas.transfer_office)
    n = Notification.objects.get()
    response = client.get(reverse("office:notification_open", args=[n.pk]))
    assert response["Location"] == reverse("office:notifications")


def test_mark_one_then_all_read(client, personas):
    for key in ("a", "b", "c"):
        _send(personas, key=key)
    client.force_login(personas.transfer_office)
    first = Notification.objects.filter(recipient=personas.transfer_office).first()
    client.post(reverse("office:notifications_read"), {"id": first.pk})
    assert selectors.notifications_unread_count(personas.transfer_office) == 2
    unread = client.get(reverse("office:notifications"), {"show": "unread"})
    assert len(unread.context["page"].object_list) == 2
    response = client.post(reverse("office:notifications_read"), follow=True)
    assert selectors.notifications_unread_count(personas.transfer_office) == 0
    assert "badge" not in response.content.decode().split("<main")[0]


def test_the_inbox_is_paginated(client, personas, settings):
    settings.KTTC_PAGE_SIZE = 2
    for key in "abcde":
        _send(personas, key=key)
    client.force_login(personas.transfer_office)
    response = client.get(reverse("office:notifications"), {"page": 3})
    assert response.context["page"].paginator.num_pages == 3
    assert len(response.context["page"].object_list) == 1


@pytest.mark.parametrize(
    ("language", "words"),
    [("zh-hans", ("通知", "全部标为已读", "即将到期")), ("en", ("Notifications", "Mark all read"))],
)
def test_the_notification_page_in_chinese_and_english(client, personas, language, words):
    _send(personas)
    client.force_login(personas.transfer_office)
    html = client.get(reverse("office:notifications"), HTTP_ACCEPT_LANGUAGE=language)
    text = html.content.decode()
    assert f'<html lang="{language}"' in text
    for word in words:
        assert word in text
    with translation.override(language):
        assert Notification.objects.get().subject_text in text


def test_anonymous_people_are_sent_to_sign_in(client):
    for name in ("office:notifications", "office:deadlines"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- e-mail ----------------------------------------------------------------------------------


def test_each_person_gets_one_email_once_in_their_language(personas):
    personas.researcher.preferred_language = "en"
    personas.researcher.save()
    _send(personas, key="a")
    _send(personas, key="b")
    _send(personas, role=Role.RESEARCHER)
    delivery = notifications_email(site_url="https://kttc.example")
    assert (delivery.emails, delivery.notices, delivery.failed) == (2, 3, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas.transfer_office.email, personas.researcher.email]
    )
    english = next(m for m in mail.outbox if m.to == [personas.researcher.email])
    assert "Version V-1 is already in force" in english.body
    assert "https://kttc.example/office/" in english.body
    chinese = next(m for m in mail.outbox if m.to == [personas.transfer_office.email])
    assert "Version V-1" not in chinese.body and "V-1" in chinese.body
    assert "https://kttc.example/office/notifications/" in chinese.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    again = notifications_email()
    assert (again.emails, again.notices) == (0, 0) and len(mail.outbox) == 2


def test_a_long_list_is_cut_and_counted(personas):
    personas.transfer_office.preferred_language = "en"
    personas.transfer_office.save()
    for i in range(EMAIL_LISTS_AT_MOST + 3):
        _send(personas, key=f"k{i}")
    notifications_email()
    (message,) = mail.outbox
    assert message.subject == f"KTTC: {EMAIL_LISTS_AT_MOST + 3} new notices"
    assert message.body.count("/office/\n") == EMAIL_LISTS_AT_MOST
    assert "And 3 more." in message.body


def test_a_failed_email_gives_its_notices_back(personas, monkeypatch):
    _send(personas)

    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    delivery = notifications_email()
    assert (delivery.emails, delivery.failed) == (0, 1)
    assert Notification.objects.get().emailed_at is None
    monkeypatch.undo()
    assert notifications_email().emails == 1


def _send_now(personas, key="now"):
    return notification_send_now(
        organisation=personas.organisations[Role.TRANSFER_OFFICE],
        roles=(Role.TRANSFER_OFFICE.value,),
        notice=NOTICE,
        dedupe_key=key,
        link="/office/",
    )


def test_a_notice_sent_now_is_emailed_once_when_its_transaction_commits(
    personas, django_capture_on_commit_callbacks
):
    personas.transfer_office.preferred_language = "en"
    personas.transfer_office.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _send_now(personas) == 1
        assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    (message,) = mail.outbox
    assert message.to == [personas.transfer_office.email]
    assert message.subject == "KTTC: Version V-1 is already in force and cannot be withdrawn."
    assert "/office/" in message.body
    assert Notification.objects.get().emailed_at is not None
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _send_now(personas) == 0
    assert callbacks == [] and len(mail.outbox) == 1
    assert notifications_email().emails == 0  # the sweep does not send it again


def test_a_notice_sent_now_whose_email_fails_waits_for_the_sweep(
    personas, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        assert _send_now(personas) == 1
    assert Notification.objects.get().emailed_at is None
    monkeypatch.undo()
    assert notifications_email().emails == 1


# --- the sweep command and the deadlines page -----------------------------------------------


def test_parts_offer_their_sweeps_and_deadlines_by_module_name():
    assert "registry" in [label for label, _module in part_modules("sweep")]
    assert "registry" in [label for label, _module in part_modules("deadlines")]
    assert part_modules("no_such_module") == []


def test_the_sweep_command_reports_each_part_and_the_mail(personas):
    _send(personas)
    out = io.StringIO()
    call_command("sweep", stdout=out)
    text = out.getvalue()
    assert "registry:" in text and "e-mails sent 1" in text
    out = io.StringIO()
    call_command("sweep", "--no-mail", stdout=out)
    assert "mail:" not in out.getvalue()
    with pytest.raises(CommandError):
        call_command("sweep", "--today", "tomorrow", stdout=io.StringIO())


def test_one_part_failing_does_not_stop_the_others_sweep(personas, monkeypatch, caplog):
    sweeps = dict(part_modules("sweep"))
    assert len(sweeps) >= 2, "the test needs two parts with a sweep"
    first, *others = sweeps

    def broken(today):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sweeps[first], "run", broken)
    _send(personas)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=first):
        call_command("sweep", stdout=out, stderr=err)
    assert f"{first}: failed" in err.getvalue() and "disk full" in caplog.text
    for label in others:
        assert f"{label}:" in out.getvalue()
    assert "e-mails sent 1" in out.getvalue()  # the mail went out all the same


@pytest.mark.parametrize(
    ("language", "words"),
    [("zh-hans", ("即将到期", "逾期")), ("en", ("Upcoming deadlines", "overdue"))],
)
def test_the_deadlines_page_has_a_panel_per_role(client, personas, language, words):
    client.force_login(personas.transfer_office)
    response = client.get(reverse("office:deadlines"), {"days": "7"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and response.context["days"] == 7
    (panel,) = response.context["panels"]
    assert panel.membership.role == "transfer_office"
    assert panel.sections and panel.overdue == 0
    text = response.content.decode()
    for word in words:
        assert word in text


def test_roles_without_deadlines_say_so(client, personas):
    client.force_login(personas.enterprise)
    response = client.get(reverse("office:deadlines"), {"days": "9999"})
    assert response.context["days"] != 9999
    (panel,) = response.context["panels"]
    assert panel.sections == []


def test_the_claim_works_without_update_returning(personas, monkeypatch):
    from django.db import connection

    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    _send(personas, key="a")
    _send(personas, key="b")
    delivery = notifications_email()
    assert (delivery.emails, delivery.notices) == (1, 2)
    assert notifications_email().emails == 0
