"""M4.4, M8.5: public listing with bidding, from the listing to the award on the transaction
page, with every refusal naming its field and clause."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kttc.center.listings import services
from kttc.center.listings.models import Listing
from kttc.center.listings.tests.factories import bidder, listed, published_result, terms
from kttc.center.transactions import selectors as transactions
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Notification
from kttc.policy import listings as rules
from kttc.policy.errors import PolicyError

pytestmark = pytest.mark.django_db

D = Decimal


def _register(listing, person):
    user, organisation = person
    return services.listing_register(actor=user, listing=listing, organisation=organisation)


def test_m8_5_three_bidders_one_abroad_win_and_the_award_is_a_cross_border_transfer(personas):
    listing = listed(personas)
    people = [bidder("CN", 1), bidder("VN", 2), bidder("LA", 3)]
    for person in people:
        _register(listing, person)
    amounts = [
        (0, "100000.00"),
        (1, "105000.00"),
        (2, "110000.00"),
        (0, "120000.00"),
        (2, "125000.00"),
    ]
    for who, amount in amounts:
        services.bid_place(actor=people[who][0], listing=listing, amount=D(amount))
    listing.refresh_from_db()
    assert listing.current_price == D("125000.00") and listing.bids_count == 5
    # The first bidder was told when outbid.
    assert Notification.objects.filter(kind="listing.outbid", recipient=people[0][0]).exists()
    closed = services.listing_close(listing=listing, now=listing.closes_at)
    assert closed.status == "closed"
    assert closed.winning_bid.registration.organisation == people[2][1]
    awarded = services.listing_award(
        actor=personas.transfer_office, listing=closed, signed_on=timezone.localdate()
    )
    assert awarded.status == "awarded"
    contract = awarded.contract
    assert (contract.amount, contract.counterparty_country, contract.kind) == (
        D("125000.00"),
        "LA",
        "transfer",
    )
    (figure,) = transactions.cross_border_by_country()
    assert (figure.country, figure.contracts, figure.published_amount) == ("LA", 1, D("125000.00"))
    # The audit chain holds every bid, and the listing's whole course.
    actions = list(
        AuditEntry.objects.filter(object_id=str(listing.pk), action__startswith="listing.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions.count("listing.bid") == 5
    assert actions[0] == "listing.publish" and actions[-1] == "listing.award"


def test_m8_5_a_bid_below_the_reserve_or_the_current_price_plus_the_step_is_refused(personas):
    listing = listed(personas)
    first, second = bidder(n=1), bidder(n=2)
    _register(listing, first)
    _register(listing, second)
    with pytest.raises(PolicyError) as refused:
        services.bid_place(actor=first[0], listing=listing, amount=D("99999.99"))
    assert refused.value.field == "amount" and "M8.5" in refused.value.clauses
    services.bid_place(actor=first[0], listing=listing, amount=D("100000.00"))
    with pytest.raises(PolicyError) as refused:
        services.bid_place(actor=second[0], listing=listing, amount=D("104999.99"))
    assert refused.value.code == "listing.below_minimum"
    services.bid_place(actor=second[0], listing=listing, amount=D("105000.00"))


def test_m8_5_a_late_bid_extends_the_close(personas):
    listing = listed(personas, extension_minutes=5)
    person = bidder()
    _register(listing, person)
    late = listing.closes_at - timedelta(minutes=2)
    services.bid_place(actor=person[0], listing=listing, amount=D("100000.00"), now=late)
    listing.refresh_from_db()
    assert listing.closes_at == late + timedelta(minutes=5)
    assert listing.closes_as_listed < listing.closes_at
    with pytest.raises(PolicyError):  # not closable before the extended close
        services.listing_close(listing=listing, now=late + timedelta(minutes=4))


def test_m8_5_sealed_bids_stay_hidden_until_opened_together(client, personas):
    listing = listed(personas, method=rules.Method.SEALED, step=D("0"))
    people = [bidder(n=i) for i in range(3)]
    for person, amount in zip(people, ("130000.00", "150000.00", "150000.00"), strict=True):
        _register(listing, person)
        services.bid_place(actor=person[0], listing=listing, amount=D(amount))
    with pytest.raises(PolicyError) as refused:
        services.bid_place(actor=people[0][0], listing=listing, amount=D("200000.00"))
    assert refused.value.code == "listing.sealed_once"
    page = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()
    assert "150,000.00" not in page and "130,000.00" not in page
    closed = services.listing_close(listing=listing, now=listing.closes_at)
    # Equal sealed bids: the earlier one wins.
    assert closed.winning_bid.registration.organisation == people[1][1]
    page = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()
    assert "130,000.00" in page


def test_m8_5_no_bid_at_the_reserve_and_the_listing_fails(personas):
    listing = listed(personas)
    closed = services.listing_close(listing=listing, now=listing.closes_at)
    assert closed.status == "failed" and closed.winning_bid is None
    with pytest.raises(PolicyError):
        services.listing_award(
            actor=personas.transfer_office, listing=closed, signed_on=timezone.localdate()
        )
    # Closing twice changes nothing.
    assert services.listing_close(listing=closed, now=closed.closes_at).status == "failed"


def test_m8_5_a_deposit_must_be_recorded_before_bidding_and_losers_get_it_back(personas):
    listing = listed(personas, deposit=D("10000.00"))
    winner, loser = bidder(n=1), bidder(n=2)
    won = _register(listing, winner)
    lost = _register(listing, loser)
    with pytest.raises(PolicyError) as refused:
        services.bid_place(actor=winner[0], listing=listing, amount=D("100000.00"))
    assert refused.value.code == "listing.deposit_missing"
    for registration in (won, lost):
        services.registration_deposit_record(
            actor=personas.transfer_office, registration=registration, reference="BANK-1"
        )
    services.bid_place(actor=loser[0], listing=listing, amount=D("100000.00"))
    services.bid_place(actor=winner[0], listing=listing, amount=D("105000.00"))
    with pytest.raises(PolicyError):  # not before the close
        services.registration_deposit_refund(actor=personas.transfer_office, registration=lost)
    services.listing_close(listing=listing, now=listing.closes_at)
    with pytest.raises(PolicyError):  # the winner's deposit goes towards the price
        services.registration_deposit_refund(actor=personas.transfer_office, registration=won)
    refunded = services.registration_deposit_refund(
        actor=personas.transfer_office, registration=lost
    )
    assert refunded.deposit_refunded_at is not None


def test_m8_5_who_may_list_register_and_bid(personas):
    result = published_result(personas)
    with pytest.raises(AccessDenied):  # an enterprise does not list a unit's result
        services.listing_publish(
            actor=personas.enterprise,
            achievement=result,
            mode="transfer",
            terms=terms(),
            notice="x",
        )
    listing = listed(personas, result)
    with pytest.raises(PolicyError) as refused:  # one live listing per result
        listed(personas, result)
    assert refused.value.field == "achievement"
    outsider = bidder(n=9)
    with pytest.raises(AccessDenied):  # registering another's enterprise
        services.listing_register(
            actor=personas.enterprise, listing=listing, organisation=outsider[1]
        )
    with pytest.raises(PolicyError) as refused:  # bidding unregistered
        services.bid_place(actor=outsider[0], listing=listing, amount=D("100000.00"))
    assert refused.value.code == "listing.unregistered"
    _register(listing, outsider)
    with pytest.raises(PolicyError):  # once
        _register(listing, outsider)
    unverified = bidder(n=10)
    unverified[1].verified_at = None
    unverified[1].save()
    with pytest.raises(AccessDenied):
        _register(listing, unverified)


def test_m8_5_a_listing_is_withdrawn_only_before_a_bid(personas):
    listing = listed(personas)
    person = bidder()
    _register(listing, person)
    with pytest.raises(PolicyError) as refused:
        services.listing_withdraw(actor=personas.transfer_office, listing=listing, reason="")
    assert refused.value.field == "reason"
    services.bid_place(actor=person[0], listing=listing, amount=D("100000.00"))
    with pytest.raises(PolicyError):
        services.listing_withdraw(
            actor=personas.transfer_office, listing=listing, reason="改变计划"
        )


def test_m8_5_the_sweep_closes_every_listing_past_its_close(personas):
    listing = listed(personas)
    Listing.objects.filter(pk=listing.pk).update(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(seconds=1)
    )
    closed = services.listings_close_due()
    assert [c.pk for c in closed] == [listing.pk] and closed[0].status == "failed"
    assert services.listings_close_due() == []
