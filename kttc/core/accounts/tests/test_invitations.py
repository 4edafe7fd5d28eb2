"""A person who manages a verified organisation's members invites colleagues by e-mail; the
link is signed, expires and works once; pending invitations can be withdrawn."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kttc.core.accounts import tokens
from kttc.core.accounts.tests.factories import PASSWORD, link_in_last_mail
from kttc.core.models import AuditEntry, Invitation, Membership, User

pytestmark = pytest.mark.django_db


def _invite(client, personas, email="colleague@example.cn", role="enterprise"):
    organisation = personas.organisations["enterprise"]
    client.force_login(personas.enterprise)
    response = client.post(
        reverse("office:invitations", args=[organisation.pk]), {"email": email, "role": role}
    )
    client.logout()
    return organisation, response


def test_a_new_colleague_sets_name_and_password_and_joins(client, personas):
    organisation, response = _invite(client, personas)
    assert response.status_code == 302
    path = link_in_last_mail("colleague@example.cn", "/accounts/invitation/")
    page = client.get(path)
    assert page.status_code == 200 and organisation.name in page.content.decode()
    response = client.post(
        path,
        {"full_name": "王芳", "password1": PASSWORD, "password2": PASSWORD, "language": "en"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="colleague@example.cn")
    assert user.is_active and user.preferred_language == "en"
    assert Membership.objects.filter(user=user, organisation=organisation, role="enterprise")
    assert AuditEntry.objects.filter(action="invitation.accept").exists()
    # Single use.
    assert client.get(path).status_code == 400


def test_an_existing_person_accepts_while_signed_in(client, personas):
    other = personas.researcher
    organisation, _ = _invite(client, personas, email=other.email, role="researcher")
    path = link_in_last_mail(other.email, "/accounts/invitation/")
    page = client.get(path).content.decode()
    assert reverse("login") in page  # asked to sign in first
    client.force_login(personas.investment_platform)  # someone else
    client.post(path)
    assert not Membership.objects.filter(user=other, organisation=organisation).exists()
    client.force_login(other)
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(user=other, organisation=organisation, role="researcher")


def test_only_people_who_manage_members_invite_and_roles_fit_the_kind(client, personas):
    organisation = personas.organisations["enterprise"]
    url = reverse("office:invitations", args=[organisation.pk])
    client.force_login(personas.researcher)  # not a member there
    assert client.get(url).status_code == 404
    client.force_login(personas.enterprise)
    response = client.post(url, {"email": "x@example.cn", "role": "bureau"})
    assert "role" in response.context["form"].errors
    assert not Invitation.objects.exists() and not mail.outbox
    university = personas.organisations["researcher"]
    client.force_login(personas.researcher)  # a researcher does not manage members
    assert client.get(reverse("office:invitations", args=[university.pk])).status_code == 403


def test_pending_invitations_are_listed_and_withdrawn(client, personas):
    organisation, _ = _invite(client, personas)
    invitation = Invitation.objects.get()
    client.force_login(personas.enterprise)
    page = client.get(reverse("office:invitations", args=[organisation.pk])).content.decode()
    assert "colleague@example.cn" in page
    client.force_login(personas.transfer_office)  # another organisation
    assert client.post(reverse("office:invitation_revoke", args=[invitation.pk])).status_code == 404
    client.force_login(personas.enterprise)
    client.post(reverse("office:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.logout()
    path = link_in_last_mail("colleague@example.cn", "/accounts/invitation/")
    assert client.get(path).status_code == 400


def test_an_expired_or_forged_invitation_is_refused(client, personas):
    _invite(client, personas)
    invitation = Invitation.objects.get()
    token = tokens.invitation_token(invitation)
    assert client.get(reverse("invitation_accept", args=[token[:-3] + "xyz"])).status_code == 400
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(reverse("invitation_accept", args=[token])).status_code == 400
    assert not User.objects.filter(email="colleague@example.cn").exists()
