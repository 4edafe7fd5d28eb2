"""The API: schema and docs, token auth, one error shape for every failure."""

from __future__ import annotations

import pytest

from kttc.core import services
from kttc.core.models import Membership
from kttc.core.tests.factories import OrganisationFactory, UserFactory
from kttc.policy.roles import Role

ERROR_KEYS = {"code", "message", "field", "clauses", "details"}


def _bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def test_schema_and_interactive_docs_are_served(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "KTTC API"
    assert "/api/v1/organisations" in schema["paths"] and "/api/v1/audit/verify" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content


def test_token_authenticates_as_its_person_and_stops_when_revoked(client, personas):
    token, key = services.api_token_create(user=personas.transfer_office, name="script")
    assert key.startswith("kttc_") and token.key_hash != key
    me = client.get("/api/v1/me", **_bearer(key)).json()
    assert me["email"] == personas.transfer_office.email
    assert me["memberships"][0]["role"] == Role.TRANSFER_OFFICE.value
    assert "manage_members" in me["memberships"][0]["capabilities"]
    assert client.get("/api/v1/me", HTTP_X_API_KEY=key).status_code == 200
    services.api_token_revoke(user=personas.transfer_office, token=token)
    _assert_error_shape(client.get("/api/v1/me", **_bearer(key)), 401, "unauthenticated")


def test_anonymous_and_bad_tokens_get_401_in_the_error_shape(client, db):
    _assert_error_shape(client.get("/api/v1/me"), 401, "unauthenticated")
    _assert_error_shape(
        client.get("/api/v1/me", **_bearer("kttc_nonsense")), 401, "unauthenticated"
    )


def test_bad_query_input_names_the_field(client, db):
    error = _assert_error_shape(
        client.get("/api/v1/policy/parameters?on=31-02-2026"), 422, "validation"
    )
    assert error["field"] == "on" and error["details"][0]["field"] == "on"


def test_parameters_outside_any_version_cite_v_1(client, db):
    error = _assert_error_shape(
        client.get("/api/v1/policy/parameters?on=2029-01-01"), 400, "policy.no_version"
    )
    assert error["clauses"] == ["V.1"]


def test_parameters_before_the_first_version_are_the_first_versions(client, db):
    body = client.get("/api/v1/policy/parameters?on=1999-01-01").json()
    assert body["version"] == "KM-2026" and body["on"] == "1999-01-01"


def test_parameters_in_force_list_every_number_with_its_clauses(client, db):
    body = client.get("/api/v1/policy/parameters?on=2026-06-01").json()
    by_key = {p["key"]: p for p in body["parameters"]}
    assert body["version"] == "KM-2026"
    assert by_key["completer_income_min_share"] == {
        **by_key["completer_income_min_share"],
        "value": "0.70",
        "clauses": ["M5.2"],
    }
    assert by_key["empowerment_notice_min_days"]["value"] == "15"


def test_unknown_api_paths_answer_json_404(client, db):
    _assert_error_shape(client.get("/api/v1/no-such-thing"), 404, "not_found")
    _assert_error_shape(client.get("/api/v1/organisations/999999"), 404, "not_found")


def test_malformed_json_body_is_a_validation_error_not_a_500(client, personas):
    _token, key = services.api_token_create(user=personas.bureau, name="t")
    org = personas.organisations[Role.TRANSFER_OFFICE]
    response = client.post(
        f"/api/v1/organisations/{org.pk}/memberships",
        data="{not json",
        content_type="application/json",
        **_bearer(key),
    )
    assert response.status_code in (400, 422)
    assert set(response.json()["error"]) == ERROR_KEYS


def test_grant_through_the_api_and_refusals_name_field(client, personas):
    _token, key = services.api_token_create(user=personas.transfer_office, name="t")
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    url = f"/api/v1/organisations/{unit.pk}/memberships"
    UserFactory(email="new@test.kttc.example")
    ok = client.post(
        url,
        {"user_email": "new@test.kttc.example", "role": "researcher"},
        content_type="application/json",
        **_bearer(key),
    )
    assert ok.status_code == 201 and ok.json()["role"] == "researcher"
    assert Membership.objects.filter(user__email="new@test.kttc.example").exists()
    error = _assert_error_shape(
        client.post(
            url,
            {"user_email": "ghost@test.kttc.example", "role": "researcher"},
            content_type="application/json",
            **_bearer(key),
        ),
        400,
        "membership.user",
    )
    assert error["field"] == "user_email"
    error = _assert_error_shape(
        client.post(
            url,
            {"user_email": "new@test.kttc.example", "role": "bureau"},
            content_type="application/json",
            **_bearer(key),
        ),
        400,
        "membership.role_kind",
    )
    assert error["field"] == "role"
    other = OrganisationFactory()
    _assert_error_shape(
        client.post(
            f"/api/v1/organisations/{other.pk}/memberships",
            {"user_email": "new@test.kttc.example", "role": "researcher"},
            content_type="application/json",
            **_bearer(key),
        ),
        403,
        "access.denied",
    )


@pytest.mark.parametrize(
    "role,status",
    [(Role.AUDITOR, 200), (Role.BUREAU, 200), (Role.RESEARCHER, 403), (Role.ENTERPRISE, 403)],
)
def test_m14_1_chain_verification_is_for_bureau_and_auditors(client, personas, role, status):
    _token, key = services.api_token_create(user=personas.by_role[role], name="t")
    response = client.get("/api/v1/audit/verify", **_bearer(key))
    assert response.status_code == status
    if status == 200:
        assert response.json()["intact"] is True


def test_public_organisation_list_is_paginated_and_filtered(client, db):
    for i in range(25):
        OrganisationFactory(name=f"单位{i:02d}", kind="enterprise")
    OrganisationFactory(name="某大学", kind="university")
    body = client.get("/api/v1/organisations?kind=enterprise").json()
    assert body["count"] == 25 and len(body["items"]) == 20
    assert len(client.get("/api/v1/organisations?kind=enterprise&page=2").json()["items"]) == 5
    assert client.get("/api/v1/organisations?q=大学").json()["count"] == 1


def test_web_pages_for_unknown_paths_are_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and b"<html" in response.content
