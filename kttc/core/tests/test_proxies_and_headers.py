"""Sign-in throttling behind trusted reverse proxies (the client's address, never the proxy's;
locked per account and address) and the Content-Security-Policy of every response."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from conftest import PASSWORD
from kttc.core.addresses import client_address

PROXY = "10.0.0.5"
A, B = "203.0.113.7", "198.51.100.9"


def _sign_in(client, person, password, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": person.email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@override_settings(KTTC_TRUSTED_PROXIES=1)
def test_behind_one_proxy_failures_from_one_client_lock_that_client_only(client, personas):
    person = personas.bureau
    for _ in range(5):
        _sign_in(client, person, "wrong", A)
    assert _sign_in(client, person, PASSWORD, A).status_code == 429
    # A forged entry on the left does not move the lock to another address.
    assert _sign_in(client, person, PASSWORD, f"{B}, {A}").status_code == 429
    assert _sign_in(client, person, PASSWORD, B).status_code == 302


@override_settings(KTTC_TRUSTED_PROXIES=0)
def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, personas):
    person = personas.bureau
    for n in range(5):
        _sign_in(client, person, "wrong", f"192.0.2.{n}")
    assert _sign_in(client, person, PASSWORD, B).status_code == 429  # all from REMOTE_ADDR


@pytest.mark.parametrize(
    "proxies,header,expected",
    [
        (0, f"{A}", PROXY),
        (1, f"{A}", A),
        (1, f"{B}, {A}", A),
        (2, f"{B}, {A}", B),
        (2, f"{A}", PROXY),  # shorter than the trusted chain: not believed
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_taken_behind_the_trusted_proxies_only(
    settings, proxies, header, expected
):
    settings.KTTC_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
    assert client_address(request) == expected


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/api/v1/docs", "/no-such-page/"])
def test_every_response_carries_a_strict_content_security_policy(client, db, url):
    response = client.get(url)
    csp = dict(
        (d.split()[0], d.split()[1:]) for d in response["Content-Security-Policy"].split("; ")
    )
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_pages_have_no_inline_script_or_style_the_policy_would_block(client, personas):
    client.force_login(personas.bureau)
    for url in ("/", "/policy/", reverse("office:home"), "/api/v1/docs"):
        html = client.get(url).content.decode()
        assert ' style="' not in html, url
        for tag in html.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or "application/json" in opening, (url, opening)
