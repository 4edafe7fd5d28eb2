"""Who sees and changes what: one persona per role; the public sees public things only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.core import selectors, services
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Membership
from kttc.core.tests.factories import OrganisationFactory, UserFactory
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability, Role


def _audit_in(organisation, actor):

    with services.decision_transaction():
        return services.audit_record(
            actor=actor, organisation=organisation, action="test.x", obj=organisation
        )


def test_m14_1_bureau_and_auditor_read_every_entry_the_office_only_its_own(personas):
    own = _audit_in(personas.organisations[Role.TRANSFER_OFFICE], personas.bureau)
    other = _audit_in(OrganisationFactory(), personas.bureau)
    for role in (Role.BUREAU, Role.AUDITOR):
        assert set(selectors.audit_entries_visible_to(personas.by_role[role])) >= {own, other}
    office_sees = set(selectors.audit_entries_visible_to(personas.transfer_office))
    assert own in office_sees and other not in office_sees
    for role in (Role.RESEARCHER, Role.ENTERPRISE, Role.FINANCIAL_INSTITUTION):
        assert not selectors.audit_entries_visible_to(personas.by_role[role]).exists()


@pytest.mark.parametrize("role", list(Role))
def test_every_persona_sees_its_own_panel_in_the_back_office(client, personas, role):
    client.force_login(personas.by_role[role])
    response = client.get(reverse("office:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    panels = response.context["panels"]
    assert [p["membership"].role for p in panels] == [role.value]
    assert f"role-{role.value}" in response.content.decode()


def test_audit_page_is_forbidden_to_roles_without_audit_reading(client, personas):
    client.force_login(personas.researcher)
    assert client.get(reverse("office:audit")).status_code == 403
    client.force_login(personas.auditor)
    assert client.get(reverse("office:audit")).status_code == 200


def test_transfer_office_grants_a_researcher_role_in_its_own_unit_only(personas):
    newcomer = UserFactory()
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    membership = services.membership_grant(
        actor=personas.transfer_office, organisation=unit, user=newcomer, role="researcher"
    )
    assert membership.active
    assert AuditEntry.objects.filter(
        action="membership.grant", object_id=str(membership.pk)
    ).exists()
    with pytest.raises(AccessDenied):
        services.membership_grant(
            actor=personas.transfer_office,
            organisation=OrganisationFactory(),
            user=newcomer,
            role="researcher",
        )


def test_a_role_must_fit_the_kind_of_organisation(personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    with pytest.raises(PolicyError) as info:
        services.membership_grant(
            actor=personas.transfer_office, organisation=unit, user=UserFactory(), role="bureau"
        )
    assert info.value.code == "membership.role_kind" and info.value.field == "role"


def test_m14_2_the_auditor_changes_nothing(personas):
    with pytest.raises(AccessDenied):
        services.membership_grant(
            actor=personas.auditor,
            organisation=personas.organisations[Role.AUDITOR],
            user=UserFactory(),
            role="auditor",
        )
    with pytest.raises(AccessDenied):
        services.organisation_register(
            actor=personas.auditor, name="x", kind="enterprise", credit_code="91512081MA62K0260E"
        )
    assert not selectors.user_can(
        personas.auditor, Capability.MANAGE_MEMBERS, personas.organisations[Role.AUDITOR]
    )


def test_members_page_of_another_unit_is_not_found_for_an_office(client, personas):
    client.force_login(personas.transfer_office)
    own = personas.organisations[Role.TRANSFER_OFFICE]
    assert client.get(reverse("office:members", args=[own.pk])).status_code == 200
    other = OrganisationFactory()
    assert client.get(reverse("office:members", args=[other.pk])).status_code == 404


def test_grant_and_revoke_through_the_members_page(client, personas):
    newcomer = UserFactory(email="newcomer@test.kttc.example")
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    client.force_login(personas.transfer_office)
    url = reverse("office:members", args=[unit.pk])
    response = client.post(url, {"email": "newcomer@test.kttc.example", "role": "bureau"})
    assert response.status_code == 200 and "role" in response.context["form"].errors
    response = client.post(url, {"email": "newcomer@test.kttc.example", "role": "researcher"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer, organisation=unit)
    client.post(reverse("office:member_revoke", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.revoked_at is not None
    assert not selectors.active_memberships(newcomer).exists()


def test_the_public_sees_verified_organisations_only(client, db):
    shown = OrganisationFactory(name="已核验单位")
    hidden = OrganisationFactory(name="待核验单位", verified_at=None)
    page = client.get(reverse("organisation_list")).content.decode()
    assert shown.name in page and hidden.name not in page
    assert client.get(reverse("organisation_detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("office:home")).status_code == 302


def test_revoked_or_inactive_people_lose_their_roles(personas):
    office = personas.transfer_office
    office.is_active = False
    office.save()
    assert not selectors.user_can(
        office, Capability.MANAGE_MEMBERS, personas.organisations[Role.TRANSFER_OFFICE]
    )
