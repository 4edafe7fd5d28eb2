"""An id beyond the database's integers, in a page's URL or an API path, is answered 404,
never a server error (Django matches no row for an integer lookup out of range, on SQLite and
PostgreSQL alike; these tests keep it so)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/office/licences/{HUGE}/",
        f"/office/licences/offers/{HUGE}/",
        f"/office/contracts/{HUGE}/",
        f"/office/registry/{HUGE}/",
        f"/achievements/{HUGE}/",
    ],
)
def test_a_page_with_an_impossible_id_is_not_found(client, personas, url):
    client.force_login(personas.transfer_office)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [f"/api/v1/licences/{HUGE}", f"/api/v1/contracts/{HUGE}", f"/api/v1/licences/offers/{HUGE}"],
)
def test_an_api_path_with_an_impossible_id_is_not_found(client, personas, url):
    from kttc.core import services

    _token, key = services.api_token_create(user=personas.transfer_office, name="t")
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code in (404, 422)
    assert response.json()["error"]["code"] in ("not_found", "validation")
