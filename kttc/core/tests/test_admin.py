"""Operators' screens go through the services: credit codes checked, changes audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.core.models import AuditEntry, Organisation
from kttc.core.tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def operator_client(client, db):
    operator = UserFactory(email="operator@test.kttc.example", is_staff=True, is_superuser=True)
    client.force_login(operator)
    return client


def _org_form(**changes):
    data = {
        "name": "新单位",
        "name_en": "New unit",
        "kind": "enterprise",
        "credit_code": "91512081MA62K0260E",
        "region": "",
        "website": "",
        "description": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    return data | changes


def test_operator_registers_an_organisation_into_the_chain(operator_client):
    response = operator_client.post(reverse("admin:core_organisation_add"), _org_form())
    assert response.status_code == 302
    org = Organisation.objects.get(credit_code="91512081MA62K0260E")
    assert AuditEntry.objects.filter(action="organisation.register", object_id=str(org.pk)).exists()


def test_a_bad_credit_code_is_refused_naming_the_check_character(operator_client):
    response = operator_client.post(
        reverse("admin:core_organisation_add"), _org_form(credit_code="91350100M000100Y4Z")
    )
    assert response.status_code == 200
    assert "credit_code" in response.context["adminform"].form.errors
    assert not Organisation.objects.filter(credit_code="91350100M000100Y4Z").exists()


def test_an_edit_is_audited_with_before_and_after(operator_client):
    org = OrganisationFactory(name="旧名称", kind="enterprise", is_municipal=False)
    response = operator_client.post(
        reverse("admin:core_organisation_change", args=[org.pk]),
        _org_form(name="新名称", credit_code=org.credit_code),
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="organisation.update", object_id=str(org.pk))
    assert entry.before["name"] == "旧名称" and entry.after["name"] == "新名称"


def test_the_audit_chain_is_read_only_in_the_admin(operator_client):
    assert operator_client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert operator_client.get(reverse("admin:core_auditentry_changelist")).status_code == 200


def test_a_credit_code_registers_once(personas):
    from kttc.core import services
    from kttc.policy.errors import PolicyError

    existing = OrganisationFactory()
    with pytest.raises(PolicyError) as info:
        services.organisation_register(
            actor=personas.bureau,
            name="重复单位",
            kind="enterprise",
            credit_code=existing.credit_code.lower(),
        )
    assert info.value.code == "organisation.duplicate" and info.value.field == "credit_code"
    other = OrganisationFactory()
    with pytest.raises(PolicyError):
        services.organisation_update(
            actor=personas.bureau, organisation=other, credit_code=existing.credit_code
        )
    other.refresh_from_db()
    assert other.credit_code != existing.credit_code
