"""The center verifies (or rejects, saying why) a registered organisation; its people hear of it
at once; only the verifiers see the queue; an unverified organisation is refused by name."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kttc.core.accounts import services
from kttc.core.accounts.tests.factories import foreign_form, link_in_last_mail
from kttc.core.models import AuditEntry, Notification, Organisation, User
from kttc.core.services import organisation_verify
from kttc.policy.errors import PolicyError

pytestmark = pytest.mark.django_db


def _registered(client, n=1):
    form = foreign_form(n)
    client.post(reverse("signup"), form)
    client.post(link_in_last_mail(form["email"], "/accounts/signup/confirm/"))
    return Organisation.objects.get(name_en=form["name_en"]), form


def test_the_queue_lists_confirmed_registrations_for_the_bureau_only(client, personas):
    waiting, _ = _registered(client)
    client.post(reverse("signup"), foreign_form(2))  # never confirmed: waits for nobody
    assert list(services.verification_queue()) == [waiting]
    for persona in ("enterprise", "transfer_office", "auditor", "researcher"):
        client.force_login(getattr(personas, persona))
        assert client.get(reverse("office:verification")).status_code == 403
        response = client.post(reverse("office:verify", args=[waiting.pk]))
        assert response.status_code == 403
    assert Organisation.objects.get(pk=waiting.pk).verified_at is None
    client.force_login(personas.bureau)
    page = client.get(reverse("office:verification"))
    assert page.status_code == 200 and waiting.registration_number in page.content.decode()
    home = client.get(reverse("office:home")).content.decode()
    assert reverse("office:verification") in home


def test_verifying_tells_the_organisation_and_shows_the_badge(client, personas):
    waiting, form = _registered(client)
    client.force_login(personas.bureau)
    response = client.post(reverse("office:verify", args=[waiting.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.verified_at is not None
    notice = Notification.objects.get(kind="organisation.verified")
    assert notice.recipient.email == form["email"]
    assert AuditEntry.objects.filter(action="organisation.verify", object_id=str(waiting.pk))
    assert not services.verification_queue().exists()
    page = client.get(reverse("organisation_detail", args=[waiting.pk])).content.decode()
    assert 'class="badge verified"' in page and waiting.registration_number in page


def test_rejecting_needs_a_reason_and_tells_the_people_why(client, personas):
    waiting, form = _registered(client)
    client.force_login(personas.bureau)
    client.post(reverse("office:reject", args=[waiting.pk]), {"reason": "  "})
    assert Organisation.objects.get(pk=waiting.pk).rejected_at is None
    client.post(
        reverse("office:reject", args=[waiting.pk]), {"reason": "Send the business licence."}
    )
    waiting.refresh_from_db()
    assert waiting.rejected_at is not None and waiting.verified_at is None
    notice = Notification.objects.get(kind="organisation.rejected")
    assert notice.recipient.email == form["email"]
    assert notice.params["reason"] == "Send the business licence."
    assert not services.verification_queue().exists()
    # Verifying later clears the rejection.
    organisation_verify(actor=personas.bureau, organisation=waiting)
    waiting.refresh_from_db()
    assert waiting.verified_at and waiting.rejected_at is None and not waiting.rejection_reason


def test_the_person_of_a_waiting_organisation_reads_why_it_cannot_act_yet(client):
    waiting, _form = _registered(client)
    person = waiting.memberships.get().user
    client.force_login(person)
    page = client.get(reverse("office:home")).content.decode()
    assert "data-verification-status" in page
    response = client.get(reverse("office:invitations", args=[waiting.pk]))
    assert response.status_code == 403


def test_require_verified_refuses_naming_the_organisation(personas):
    organisation = personas.organisations["enterprise"]
    services.require_verified(organisation)
    organisation.verified_at = None
    with pytest.raises(PolicyError) as info:
        services.require_verified(organisation)
    assert info.value.code == "organisation.unverified"
    assert organisation.name in info.value.message
    organisation.verified_at = timezone.now()


def test_the_reviewers_mail_follows_the_commit(
    client, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _registered(client)
    assert any(personas.bureau.email in m.to for m in mail.outbox)


def test_an_unknown_or_verified_organisation_is_not_found_in_the_queue_actions(client, personas):
    client.force_login(personas.bureau)
    verified = personas.organisations["enterprise"]
    assert client.post(reverse("office:verify", args=[verified.pk])).status_code == 404
    assert client.post(reverse("office:reject", args=[999999])).status_code == 404
    assert client.get(reverse("office:verification") + "?page=x").status_code == 200


def test_an_operator_corrects_a_foreign_organisation_in_the_admin(client, personas):
    waiting, _form = _registered(client)
    operator = User.objects.create_superuser("op@test.kttc.example", "pw", full_name="运维")
    client.force_login(operator)
    url = reverse("admin:core_organisation_change", args=[waiting.pk])
    response = client.post(
        url,
        {
            "name": waiting.name, "name_en": "Mekong Tech", "kind": waiting.kind,
            "credit_code": "", "region": "", "website": "", "description": "",
            "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    waiting.refresh_from_db()
    assert waiting.name_en == "Mekong Tech" and waiting.registration_number
