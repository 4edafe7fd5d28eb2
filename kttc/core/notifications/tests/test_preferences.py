"""Preferences per kind: at once (e-mailed once), the daily digest (e-mailed in the digest only,
once), off (stored read, never e-mailed); mandatory kinds cannot be turned off, by the page nor
the API; the digest sent twice sends once."""

from __future__ import annotations

import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from kttc.core import services as core_services
from kttc.core.models import AuditEntry, Notification, NotificationPreference
from kttc.core.notifications import preferences as notification_preferences
from kttc.core.notifications.digest import notifications_digest
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import (
    Notice,
    notification_send,
    notification_send_now,
    notifications_email,
)
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Role

TEMPLATE = gettext_noop("Version %(code)s is already in force and cannot be withdrawn.")
PLAIN = register_kind("test.plain", "A plain test notice")
MANDATORY = register_kind("test.mandatory", "A mandatory test notice", mandatory=True)


def _notice(kind: str = "test.plain", code: str = "V-1") -> Notice:
    return Notice(kind=kind, subject=TEMPLATE, body=TEMPLATE, params={"code": code})


def _send_now(personas, key: str, kind: str = "test.plain", captured=None) -> int:
    return notification_send_now(
        organisation=personas.organisations[Role.TRANSFER_OFFICE],
        roles=(Role.TRANSFER_OFFICE.value,),
        notice=_notice(kind, key),
        dedupe_key=key,
        link="/office/",
    )


def _choose(user, kind: str, delivery: str) -> None:
    notification_preferences.preferences_set(user=user, changes={kind: delivery})


@pytest.mark.django_db(transaction=True)
def test_immediate_is_emailed_once_at_once(personas):
    office = personas.transfer_office
    _send_now(personas, "a")
    assert [m.to for m in mail.outbox] == [[office.email]]
    assert notifications_email().emails == 0 and notifications_digest().emails == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_digest_is_on_the_platform_at_once_and_emailed_in_the_digest_only_once(personas):
    office = personas.transfer_office
    _choose(office, "test.plain", "digest")
    _send_now(personas, "d1")
    _send_now(personas, "d2")
    assert mail.outbox == []  # not at once
    unread = Notification.objects.filter(recipient=office, read_at__isnull=True)
    assert unread.count() == 2  # but on the platform, unread
    assert notifications_email().emails == 0  # nor by the sweep's delivery
    delivery = notifications_digest(site_url="https://kttc.example")
    assert (delivery.emails, delivery.notices) == (1, 2)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [office.email]
    assert "A plain test notice" in message.body and message.body.count("V-1") == 0
    assert "d1" in message.body and "d2" in message.body
    assert "https://kttc.example/office/notifications/preferences/" in message.body
    # running it again sends nothing more
    assert notifications_digest().emails == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_digest_is_in_the_persons_language_grouped_by_kind(personas):
    office = personas.transfer_office
    office.preferred_language = "zh-hans"
    office.save()
    _choose(office, "reform.licence_concluded", "digest")
    _choose(office, "test.plain", "digest")
    _send_now(personas, "z1", kind="reform.licence_concluded")
    _send_now(personas, "z2")
    assert notifications_digest().emails == 1
    body = mail.outbox[0].body
    assert "== 许可合同已订立 ==" in body and "== A plain test notice ==" in body
    assert "每日摘要" in mail.outbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_off_is_stored_read_and_never_emailed(personas):
    office = personas.transfer_office
    _choose(office, "test.plain", "off")
    assert _send_now(personas, "o1") == 1
    stored = Notification.objects.get(recipient=office, dedupe_key="o1")
    assert stored.read_at is not None  # not listed as unread
    assert notifications_email().emails == 0 and notifications_digest().emails == 0
    assert mail.outbox == []
    # the others of the same kind still hear of it at once
    _choose(office, "test.plain", "immediate")
    _send_now(personas, "o2")
    assert len(mail.outbox) == 1


def test_off_set_by_the_sweeps_send_is_read_at_once(personas):
    office = personas.transfer_office
    _choose(office, "test.plain", "off")
    notification_send(
        organisation=personas.organisations[Role.TRANSFER_OFFICE],
        roles=(Role.TRANSFER_OFFICE.value,),
        notice=_notice(),
        dedupe_key="s1",
    )
    assert not Notification.objects.filter(recipient=office, read_at__isnull=True).exists()
    assert notifications_email().emails == 0 and mail.outbox == []


def test_a_mandatory_kind_cannot_be_turned_off(personas):
    office = personas.transfer_office
    with pytest.raises(PolicyError) as refused:
        _choose(office, "test.mandatory", "off")
    assert refused.value.field == "test.mandatory"
    assert not NotificationPreference.objects.filter(user=office).exists()
    _choose(office, "test.mandatory", "digest")  # the digest is allowed
    assert notification_preferences.deliveries_of(office)["test.mandatory"] == "digest"


def test_unknown_kind_or_delivery_is_refused_naming_it_and_nothing_changes(personas):
    office = personas.transfer_office
    for changes in ({"no.such": "off"}, {"test.plain": "sometimes"}):
        with pytest.raises(PolicyError) as refused:
            notification_preferences.preferences_set(
                user=office, changes={"test.mandatory": "digest", **changes}
            )
        assert refused.value.field == next(iter(changes))
    assert not NotificationPreference.objects.filter(user=office).exists()


def test_a_change_is_audited_and_the_default_stores_no_row(personas):
    office = personas.transfer_office
    _choose(office, "test.plain", "digest")
    entry = AuditEntry.objects.filter(action="notifications.preferences_set").last()
    assert entry is not None and entry.after == {"test.plain": "digest"}
    _choose(office, "test.plain", "immediate")
    assert not NotificationPreference.objects.filter(user=office).exists()


# --- the page ---------------------------------------------------------------------------------


def test_the_page_lists_the_kinds_with_mandatory_off_disabled(client, personas):
    client.force_login(personas.transfer_office)
    response = client.get(reverse("office:notification_preferences"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "许可合同已订立" in html  # labels in the page's language (Chinese by default)
    assert 'name="test.mandatory"' in html
    start = html.index('name="test.mandatory"')
    block = html[start : html.index("</fieldset>", start)]
    assert 'value="off" disabled' in block
    assert "<legend>" in html and 'type="radio"' in html


def test_the_page_saves_a_choice(client, personas):
    client.force_login(personas.transfer_office)
    url = reverse("office:notification_preferences")
    response = client.post(url, {"test.plain": "digest"})
    assert response.status_code == 302
    deliveries = notification_preferences.deliveries_of(personas.transfer_office)
    assert deliveries["test.plain"] == "digest"


def test_the_page_refuses_off_for_a_mandatory_kind_naming_it(client, personas):
    client.force_login(personas.transfer_office)
    url = reverse("office:notification_preferences")
    response = client.post(url, {"test.mandatory": "off", "test.plain": "digest"})
    assert response.status_code == 400
    assert "A mandatory test notice" in response.content.decode()
    assert response.context["form"].errors["test.mandatory"]
    assert not NotificationPreference.objects.filter(user=personas.transfer_office).exists()


@pytest.mark.parametrize("value", ["sometimes", "\x00", "off" * 1000])
def test_the_page_never_fails_on_bad_input(client, personas, value):
    client.force_login(personas.transfer_office)
    response = client.post(reverse("office:notification_preferences"), {"test.plain": value})
    assert response.status_code == 400


def test_the_page_needs_sign_in(client, db):
    response = client.get(reverse("office:notification_preferences"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_notifications_page_and_the_header_link_to_the_preferences(client, personas):
    client.force_login(personas.transfer_office)
    html = client.get(reverse("office:notifications")).content.decode()
    assert html.count(reverse("office:notification_preferences")) == 2


# --- the API ----------------------------------------------------------------------------------

URL = "/api/v1/notifications/preferences"


def _auth(personas):
    _token, key = core_services.api_token_create(user=personas.transfer_office, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_api_reads_and_changes_the_preferences(client, personas):
    auth = _auth(personas)
    listed = {p["kind"]: p for p in client.get(URL, **auth).json()}
    assert listed["test.mandatory"]["choices"] == ["immediate", "digest"]
    assert listed["test.plain"]["delivery"] == "immediate"
    body = json.dumps({"preferences": {"test.plain": "off"}})
    response = client.put(URL, body, content_type="application/json", **auth)
    assert response.status_code == 200
    assert {p["kind"]: p["delivery"] for p in response.json()}["test.plain"] == "off"


def test_the_api_refuses_off_for_a_mandatory_kind_naming_the_field(client, personas):
    body = json.dumps({"preferences": {"test.mandatory": "off"}})
    response = client.put(URL, body, content_type="application/json", **_auth(personas))
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "test.mandatory"
    assert response.json()["error"]["code"] == "notice.mandatory"


@pytest.mark.parametrize(
    "body", ["", "[]", '{"preferences": 3}', '{"preferences": {"test.plain": 1}}', "{"]
)
def test_the_api_never_fails_on_bad_input(client, personas, body):
    response = client.put(URL, body, content_type="application/json", **_auth(personas))
    assert response.status_code in (400, 422)
    assert "error" in response.json()


def test_the_api_needs_a_person(client, db):
    assert client.get(URL).status_code == 401


def test_the_sweep_sends_the_digests(personas):
    office = personas.transfer_office
    _choose(office, "test.plain", "digest")
    notification_send(
        organisation=personas.organisations[Role.TRANSFER_OFFICE],
        roles=(Role.TRANSFER_OFFICE.value,),
        notice=_notice(),
        dedupe_key="w1",
    )
    out = io.StringIO()
    call_command("sweep", stdout=out)
    assert "daily digests: e-mails sent 1" in out.getvalue()
    call_command("sweep", stdout=io.StringIO())
    assert len(mail.outbox) == 1
