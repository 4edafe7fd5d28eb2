"""M8.5: the listing pages as their users use them: the unit lists a result from its page,
an enterprise registers and bids, the unit closes and records the winner's contract."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kttc.center.listings.models import Listing
from kttc.center.listings.tests.factories import bidder, listed, published_result

pytestmark = pytest.mark.django_db


def _moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_m8_5_the_office_lists_a_result_and_bad_terms_are_refused_beside_their_field(
    client, personas
):
    result = published_result(personas)
    client.force_login(personas.transfer_office)
    url = reverse("listings:new") + f"?achievement={result.pk}"
    assert client.get(url).status_code == 200
    now = timezone.now()
    data = {
        "mode": "transfer",
        "method": "ascending",
        "reserve": "0",
        "step": "1000",
        "deposit": "",
        "opens_at": _moment(now),
        "closes_at": _moment(now + timedelta(days=3)),
        "extension_minutes": "5",
        "notice": "挂牌公告",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "reserve" in refused.context["form"].errors
    refused = client.post(url, {**data, "reserve": "50000", "closes_at": _moment(now)})
    assert "closes_at" in refused.context["form"].errors
    done = client.post(url, {**data, "reserve": "50000"})
    listing = Listing.objects.get()
    assert done.status_code == 302 and listing.reserve == Decimal("50000.00")
    assert client.get(reverse("listings:manage", args=[listing.pk])).status_code == 200


def test_m8_5_an_enterprise_registers_and_bids_and_the_public_sees_the_history(client, personas):
    listing = listed(personas)
    user, organisation = bidder("LA", 7)
    anonymous = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()
    assert 'id="bidding"' in anonymous and "register-form" not in anonymous
    client.force_login(user)
    page = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()
    assert 'id="register-form"' in page
    client.post(reverse("listings:register", args=[listing.pk]), {"organisation": organisation.pk})
    low = client.post(reverse("listings:bid", args=[listing.pk]), {"amount": "10"})
    assert low.status_code == 422 and "amount" in low.context["bid_form"].errors
    assert (
        client.post(reverse("listings:bid", args=[listing.pk]), {"amount": "abc"}).status_code
        == 422
    )
    ok = client.post(reverse("listings:bid", args=[listing.pk]), {"amount": "100000"})
    assert ok.status_code == 302
    client.logout()
    panel = client.get(reverse("listings:panel", args=[listing.pk])).content.decode()
    assert 'id="bids"' in panel and "LA Enterprise" not in panel  # bidders by number only
    assert client.get(reverse("listings:list") + "?state=open").context["page"].object_list


def test_m8_5_the_unit_closes_after_the_time_and_records_the_winner_s_contract(client, personas):
    listing = listed(personas)
    user, organisation = bidder("VN", 3)
    client.force_login(user)
    client.post(reverse("listings:register", args=[listing.pk]), {"organisation": organisation.pk})
    client.post(reverse("listings:bid", args=[listing.pk]), {"amount": "100000"})
    Listing.objects.filter(pk=listing.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    # The first visit after the close opens the result.
    page = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()
    assert 'id="outcome"' in page
    client.force_login(personas.transfer_office)
    response = client.post(
        reverse("listings:award", args=[listing.pk]),
        {"signed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == "awarded" and listing.contract.counterparty_country == "VN"
    transactions = client.get(reverse("transactions:list")).content.decode()
    assert 'id="abroad"' in transactions


def test_m8_5_others_cannot_manage_a_listing(client, personas):
    listing = listed(personas)
    client.force_login(personas.enterprise)
    assert client.get(reverse("listings:manage", args=[listing.pk])).status_code == 404
    assert client.post(reverse("listings:close", args=[listing.pk])).status_code == 404
    new = client.get(reverse("listings:new") + f"?achievement={listing.achievement_id}")
    assert new.status_code == 403
    assert client.get(reverse("listings:new") + "?achievement=x").status_code == 404
    assert client.get(reverse("listings:detail", args=[999999])).status_code == 404


def test_m8_5_a_long_history_shows_the_highest_bids_and_says_how_many_there_are(
    client, personas, monkeypatch
):
    from kttc.center.listings import selectors, services

    monkeypatch.setattr(selectors, "HISTORY_SHOWN", 3)
    monkeypatch.setattr(selectors.bids_shown, "__defaults__", (3,))
    listing = listed(personas)
    user, organisation = bidder()
    services.listing_register(actor=user, listing=listing, organisation=organisation)
    for amount in ("100000", "105000", "110000", "115000", "120000"):
        services.bid_place(actor=user, listing=listing, amount=Decimal(amount))
    panel = client.get(reverse("listings:panel", args=[listing.pk])).content.decode()
    assert 'id="history-shown"' in panel and "120,000.00" in panel and "100,000.00" not in panel
