"""Sign-in, sign-out, password reset by e-mail, login throttling, argon2 hashing."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD


def test_sign_in_lands_in_the_back_office_and_sign_out_leaves(client, personas):
    response = client.post(
        reverse("login"), {"username": personas.bureau.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("office:home")
    assert client.get(reverse("office:home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("office:home")).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client, personas):
    response = client.post(
        reverse("login"), {"username": personas.bureau.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_login_is_throttled_after_repeated_failures(client, personas):
    for _ in range(3):
        client.post(reverse("login"), {"username": personas.bureau.email, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": personas.bureau.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert client.get(reverse("office:home")).status_code == 302


def test_password_reset_by_email_sets_a_new_password(client, personas):
    person = personas.researcher
    response = client.post(reverse("password_reset"), {"email": person.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    response = client.post(
        form_url,
        {"new_password1": "a-brand-new-secret-42", "new_password2": "a-brand-new-secret-42"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a-brand-new-secret-42")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@test.kttc.example"})
    assert response.status_code == 302 and not mail.outbox


def test_passwords_are_hashed_with_argon2_outside_tests():
    code = (
        "import os; os.environ['KTTC_ENV']='development';"
        "os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "import django; django.setup();"
        "from django.contrib.auth.hashers import make_password;"
        "print(make_password('x').split('$')[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "argon2"


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/"])
def test_account_pages_render(client, db, url):
    assert client.get(url).status_code == 200
