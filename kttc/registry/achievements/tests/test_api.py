"""The registry's API: units create and submit, the center reviews; errors name fields."""

from __future__ import annotations

from kttc.core import services as core_services
from kttc.policy.roles import Role
from kttc.registry.models import Achievement
from kttc.registry.tests.factories import achievement_raw


def _auth(person) -> dict[str, str]:
    _token, key = core_services.api_token_create(user=person, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_unit_creates_and_submits_and_the_center_publishes(client, personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    office = _auth(personas.transfer_office)
    created = client.post(
        f"/api/v1/units/{unit.pk}/achievements",
        achievement_raw(),
        content_type="application/json",
        **office,
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert client.post(f"/api/v1/units/achievements/{pk}/submit", **office).json()["status"] == (
        "submitted"
    )
    bureau = _auth(personas.bureau)
    assert [a["id"] for a in client.get("/api/v1/center/review", **bureau).json()["items"]] == [pk]
    reviewed = client.post(
        f"/api/v1/center/achievements/{pk}/review",
        {"decision": "publish"},
        content_type="application/json",
        **bureau,
    )
    assert reviewed.json()["status"] == "published"


def test_validation_problems_name_the_field_in_the_error_shape(client, personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    bad = achievement_raw(completers=[{"name": "甲", "share": "50"}])
    response = client.post(
        f"/api/v1/units/{unit.pk}/achievements",
        bad,
        content_type="application/json",
        **_auth(personas.transfer_office),
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "completers"
    classified = client.post(
        f"/api/v1/units/{unit.pk}/achievements",
        achievement_raw(confidentiality="classified"),
        content_type="application/json",
        **_auth(personas.transfer_office),
    )
    assert classified.json()["error"]["clauses"] == ["M8.6"]
    missing = client.post(
        f"/api/v1/units/{unit.pk}/achievements",
        {"name": "x"},
        content_type="application/json",
        **_auth(personas.transfer_office),
    )
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "validation"
    assert not Achievement.objects.exists()


def test_other_units_and_roles_are_refused(client, personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    for role in (Role.RESEARCHER, Role.ENTERPRISE, Role.AUDITOR):
        response = client.post(
            f"/api/v1/units/{unit.pk}/achievements",
            achievement_raw(),
            content_type="application/json",
            **_auth(personas.by_role[role]),
        )
        assert response.status_code == 403
    assert client.get("/api/v1/center/review", **_auth(personas.transfer_office)).status_code == 403


def test_due_list_through_the_api(client, personas):
    response = client.get("/api/v1/units/achievements/due", **_auth(personas.bureau))
    assert response.status_code == 200 and response.json()["count"] == 0
