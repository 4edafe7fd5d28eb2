"""M8.5: the listings API: the same use cases as the pages, every failure in the one error shape
naming its field and clause, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kttc.center.listings.models import Listing
from kttc.center.listings.tests.factories import bidder, listed, published_result

pytestmark = pytest.mark.django_db


def test_m8_5_list_register_bid_and_read_through_the_api(client, personas):
    result = published_result(personas)
    client.force_login(personas.transfer_office)
    now = timezone.now()
    body = {
        "achievement_id": result.pk,
        "mode": "transfer",
        "method": "ascending",
        "reserve": "300000",
        "step": "10000",
        "opens_at": (now - timedelta(minutes=1)).isoformat(),
        "closes_at": (now + timedelta(days=2)).isoformat(),
        "notice": "公告",
    }
    bad = client.post(
        "/api/v1/listings", {**body, "reserve": "-1"}, content_type="application/json"
    )
    assert bad.status_code in (400, 422)
    assert bad.json()["error"]["field"] == "reserve" and "M8.5" in bad.json()["error"]["clauses"]
    wrong = client.post(
        "/api/v1/listings", {**body, "method": "dutch"}, content_type="application/json"
    )
    assert wrong.json()["error"]["field"] == "method"
    created = client.post("/api/v1/listings", body, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    user, organisation = bidder("TH", 1)
    client.force_login(user)
    registered = client.post(
        f"/api/v1/listings/{pk}/registrations",
        {"organisation_id": organisation.pk},
        content_type="application/json",
    )
    assert registered.status_code == 201 and registered.json()["bidder_number"] == 1
    low = client.post(
        f"/api/v1/listings/{pk}/bids", {"amount": "1"}, content_type="application/json"
    )
    assert low.json()["error"]["code"] == "listing.below_minimum"
    placed = client.post(
        f"/api/v1/listings/{pk}/bids", {"amount": "300000"}, content_type="application/json"
    )
    assert placed.status_code == 201 and placed.json()["current_price"] == "300000.00"
    client.logout()
    public = client.get(f"/api/v1/listings/{pk}").json()
    assert public["bids"] == [
        {"bidder_number": 1, "amount": "300000.00", "placed_at": public["bids"][0]["placed_at"]}
    ]
    assert client.get("/api/v1/listings", {"state": "open"}).json()["count"] == 1
    assert client.get("/api/v1/listings/0").status_code in (404, 422)
    assert client.get("/api/v1/listings/99999").status_code == 404


def test_m8_5_only_the_unit_closes_and_awards(client, personas):
    listing = listed(personas)
    Listing.objects.filter(pk=listing.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    client.force_login(personas.enterprise)
    assert client.post(f"/api/v1/listings/{listing.pk}/close").status_code == 403
    client.force_login(personas.transfer_office)
    closed = client.post(f"/api/v1/listings/{listing.pk}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "failed"
    award = client.post(
        f"/api/v1/listings/{listing.pk}/award",
        {"signed_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert award.status_code in (400, 409, 422) and award.json()["error"]["code"] == "listing.award"
