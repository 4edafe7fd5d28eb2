"""The reader's language is remembered: the switch keeps it in a cookie and, for a person signed
in, as her preferred language (her e-mails follow it); another device opens in it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

HTML_LANG = '<html lang="{}"'


@pytest.mark.parametrize("code", ["vi", "th", "lo", "my", "km", "en", "zh-hans"])
def test_the_switch_is_remembered_in_the_cookie_and_as_the_persons_preference(
    client, personas, code
):
    person = personas.researcher
    client.force_login(person)
    response = client.post("/i18n/setlang/", {"language": code, "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == code
    person.refresh_from_db()
    assert person.preferred_language == code
    assert HTML_LANG.format(code) in client.get("/").content.decode()


def test_another_device_opens_in_the_preferred_language(personas):
    person = personas.transfer_office
    person.preferred_language = "th"
    person.save()
    device = Client()
    device.force_login(person)
    response = device.get("/")
    assert HTML_LANG.format("th") in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "th"
    device.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # a choice made on this device wins
    assert HTML_LANG.format("en") in device.get("/").content.decode()


def test_an_unknown_language_changes_nothing(client, personas):
    person = personas.researcher
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    person.refresh_from_db()
    assert person.preferred_language == "zh-hans"


def test_a_visitor_switches_with_the_cookie_alone(client):
    response = client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert HTML_LANG.format("vi") in client.get("/").content.decode()


def test_the_browsers_language_decides_for_a_person_who_never_chose(personas):
    device = Client(HTTP_ACCEPT_LANGUAGE="en")
    device.force_login(personas.researcher)  # preferred language: the default, never chosen
    assert HTML_LANG.format("en") in device.get("/").content.decode()


def test_the_api_follows_accept_language_whatever_the_preference(personas):
    person = personas.researcher
    person.preferred_language = "th"
    person.save()
    for language, message in (("en", "Not found."), ("vi", "Không tìm thấy.")):
        device = Client(HTTP_ACCEPT_LANGUAGE=language)
        device.force_login(person)
        response = device.get("/api/v1/catalog/achievements/999999999")
        assert response.status_code == 404 and response.json()["error"]["message"] == message
