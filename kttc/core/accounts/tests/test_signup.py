"""Signing up an organisation (Chinese or foreign) and its first person, the e-mail
confirmation, the same answer whatever is known, and the throttle."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from kttc.core.accounts import tokens
from kttc.core.accounts.tests.factories import (
    PASSWORD,
    chinese_form,
    foreign_form,
    link_in_last_mail,
)
from kttc.core.models import AuditEntry, Membership, Notification, Organisation, User
from kttc.core.tests.factories import OrganisationFactory, UserFactory, credit_code

pytestmark = pytest.mark.django_db


def _sign_up(client, form):
    return client.post(reverse("signup"), form)


def test_the_sign_up_page_offers_the_self_registering_kinds_and_countries(client):
    response = client.get(reverse("signup"))
    assert response.status_code == 200
    kinds = dict(response.context["form"].fields["kind"].choices)
    assert set(kinds) == {
        "enterprise", "service_institution", "university", "research_institute",
        "partner_abroad",  # M8.4: a partner organisation abroad signs up too
    }  # fmt: skip
    countries = [c for c, _ in response.context["form"].fields["country"].choices]
    assert countries[0] == "CN" and "VN" in countries and "TH" in countries
    assert "is_municipal" not in response.context["form"].fields


def test_a_chinese_enterprise_signs_up_unverified_and_inactive_until_confirmed(client):
    form = chinese_form()
    response = _sign_up(client, form)
    assert response.status_code == 302 and response.url == reverse("signup_sent")
    org = Organisation.objects.get(credit_code=form["credit_code"])
    assert org.country == "CN" and org.registration_number == "" and org.verified_at is None
    assert org.contact_email == form["email"] and not org.is_municipal
    user = User.objects.get(email=form["email"])
    assert not user.is_active and user.preferred_language == "zh-hans"
    assert Membership.objects.get(user=user).role == "enterprise"
    assert AuditEntry.objects.filter(action="organisation.sign_up", object_id=str(org.pk)).exists()
    assert (
        client.post(reverse("login"), {"username": form["email"], "password": PASSWORD}).status_code
        == 200
    )  # not signed in
    assert len(mail.outbox) == 1 and "确认" in mail.outbox[0].subject


def test_a_foreign_enterprise_signs_up_with_its_country_and_registration_number(client):
    form = foreign_form()
    assert _sign_up(client, form).status_code == 302
    org = Organisation.objects.get(name_en=form["name_en"])
    assert (org.country, org.credit_code, org.registration_number) == ("VN", "", "0312 345671")
    assert org.is_foreign and org.identifier == "VN 0312 345671"
    assert "Confirm your e-mail" in mail.outbox[0].subject  # in the language chosen


def test_confirming_activates_the_person_and_tells_the_reviewers(client, personas):
    form = foreign_form()
    _sign_up(client, form)
    path = link_in_last_mail(form["email"], "/accounts/signup/confirm/")
    assert client.get(path).status_code == 200
    assert not User.objects.get(email=form["email"]).is_active  # a visit alone confirms nothing
    response = client.post(path)
    assert response.status_code == 302 and response.url == reverse("login")
    assert User.objects.get(email=form["email"]).is_active
    notice = Notification.objects.get(kind="organisation.registered")
    assert notice.recipient == personas.bureau and notice.link == reverse("office:verification")
    assert (
        client.post(reverse("login"), {"username": form["email"], "password": PASSWORD}).status_code
        == 302
    )
    # The link is spent: confirming again changes nothing and tells nobody again.
    client.post(reverse("logout"))
    client.post(path)
    assert Notification.objects.filter(kind="organisation.registered").count() == 1


def test_an_expired_or_forged_confirmation_link_is_refused(client):
    form = chinese_form()
    _sign_up(client, form)
    user = User.objects.get(email=form["email"])
    token = tokens.confirmation_token(user)
    assert tokens.confirmation_user(token, max_age=-1) is None  # expired
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    for bad in (forged, "nonsense", token.replace(":", "")):
        response = client.post(reverse("signup_confirm", args=[bad]))
        assert response.status_code == 400
    assert not User.objects.get(pk=user.pk).is_active


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"credit_code": "91350100M000100Y4Z"}, "credit_code", "check character"),
        ({"credit_code": "9135"}, "credit_code", "18 characters"),
        ({"credit_code": ""}, "credit_code", "credit code"),
        ({"country": "XX"}, "country", ""),
        ({"kind": "government_department"}, "kind", ""),
        ({"password1": "123", "password2": "123"}, "password1", ""),
        ({"password2": "something else 99"}, "password2", ""),
        ({"email": "not-an-address"}, "email", ""),
        ({"name": "bad\u202ename"}, "name", ""),
    ],
)
def test_errors_name_the_field(client, changes, field, words):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("signup"), chinese_form(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    with translation.override("en"):
        assert words in " ".join(str(e) for e in errors[field])
    assert not Organisation.objects.exists() and not mail.outbox


def test_a_foreign_organisation_needs_its_registration_number(client):
    response = _sign_up(client, foreign_form(registration_number=""))
    assert "registration_number" in response.context["form"].errors
    response = _sign_up(client, foreign_form(registration_number="№ 12 <script>"))
    assert "registration_number" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_a_known_email_gets_the_same_answer_and_its_owner_a_note(client, personas):
    owner = personas.enterprise
    response = _sign_up(client, chinese_form(email=owner.email.upper()))
    assert response.status_code == 302 and response.url == reverse("signup_sent")
    assert not Organisation.objects.filter(contact_email=owner.email).exists()
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "已有账户" in mail.outbox[0].body or "already has an account" in mail.outbox[0].body


def test_a_known_organisation_gets_the_same_answer_and_its_people_a_note(client, personas):
    known = personas.organisations["enterprise"]
    count = Organisation.objects.count()
    response = _sign_up(client, chinese_form(credit_code=known.credit_code.lower()))
    assert response.status_code == 302 and response.url == reverse("signup_sent")
    assert Organisation.objects.count() == count
    assert not User.objects.filter(email=chinese_form()["email"]).exists()
    assert [m.to for m in mail.outbox] == [[personas.enterprise.email]]
    assert chinese_form()["email"] in mail.outbox[0].body


def test_a_foreign_number_is_unique_per_country_only(client):
    _sign_up(client, foreign_form(1, registration_number="12345"))
    _sign_up(client, foreign_form(2, registration_number="12345", country="TH"))
    _sign_up(client, foreign_form(3, registration_number="12345"))  # VN again: known
    assert Organisation.objects.filter(registration_number="12345").count() == 2


def test_signing_up_again_before_confirming_sends_a_new_link(client):
    form = chinese_form()
    _sign_up(client, form)
    _sign_up(client, chinese_form(2, email=form["email"]))
    assert len(mail.outbox) == 2
    assert "/accounts/signup/confirm/" in mail.outbox[1].body


@override_settings(KTTC_SIGNUP_PER_ADDRESS=3, KTTC_SIGNUP_PER_EMAIL=2)
def test_sign_up_is_throttled_per_address_and_per_email(client):
    for n in range(2):
        assert _sign_up(client, chinese_form(n, email="same@example.cn")).status_code == 302
    response = _sign_up(client, chinese_form(3, email="same@example.cn"))
    assert response.status_code == 429
    assert "try again" in response.content.decode() or "再试" in response.content.decode()
    # Another address is still counted against the same e-mail; this address is now spent.
    other = client.post(
        reverse("signup"), chinese_form(4, email="same@example.cn"), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 429
    assert _sign_up(client, chinese_form(5)).status_code == 429
    assert Organisation.objects.count() == 1  # the second one's e-mail was known


def test_the_database_refuses_an_organisation_without_its_identifier():
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(country="CN", credit_code="")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(country="VN", credit_code="", registration_number="")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(country="VN", credit_code=credit_code(1), registration_number="1")
    OrganisationFactory(country="VN", credit_code="", registration_number="1")
    OrganisationFactory(country="TH", credit_code="", registration_number="1")


def test_a_signed_in_person_is_sent_to_the_back_office(client, personas):
    client.force_login(personas.enterprise)
    assert client.get(reverse("signup")).url == reverse("office:home")


def test_the_sign_in_page_and_the_header_link_to_sign_up(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("signup") in page and 'id="signup-link"' in page
    assert 'id="nav-signup"' in client.get(reverse("home")).content.decode()


def test_an_existing_person_who_is_inactive_after_sign_in_is_not_reactivated(client):
    from django.utils import timezone

    user = UserFactory(is_active=False, last_login=timezone.now())
    response = client.post(reverse("signup_confirm", args=[tokens.confirmation_token(user)]))
    assert response.status_code == 302
    assert not User.objects.get(pk=user.pk).is_active
