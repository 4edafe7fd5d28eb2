"""M8.5, DESIGN rule 9: many bidders bidding at once on one listing. Each bid takes the audit
chain's lock, then the listing's row: of simultaneous bids at one price exactly one stands, the
others are refused with the new minimum; the current price is the highest standing bid; closing
while bids arrive leaves one winner; the chain stays intact. Meant for PostgreSQL; on a file
SQLite database the writers are serialised."""

from __future__ import annotations

import itertools
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from kttc.center.listings import services
from kttc.center.listings.models import Bid, Listing
from kttc.center.listings.tests.factories import bidder, listed
from kttc.core.models import AuditEntry
from kttc.core.selectors import audit_chain_verify
from kttc.policy.errors import PolicyError

pytestmark = pytest.mark.django_db(transaction=True)

BIDDERS = 12


def test_m8_5_simultaneous_bidders_never_both_win(personas):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    listing = listed(personas)
    people = [bidder("CN" if n % 3 else "VN", n) for n in range(BIDDERS)]
    for user, organisation in people:
        services.listing_register(actor=user, listing=listing, organisation=organisation)
    start = threading.Barrier(BIDDERS)
    placed: list[Decimal] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def bid(n: int) -> None:
        user = people[n][0]
        try:
            start.wait()
            # Half the bidders offer the same first price at once; the others each their own.
            for amount in ("100000.00", f"{150000 + 5000 * n}.00", "400000.00"):
                try:
                    services.bid_place(
                        actor=user, listing=Listing(pk=listing.pk), amount=Decimal(amount)
                    )
                    placed.append(Decimal(amount))
                except PolicyError as exc:
                    refused.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=bid, args=(n,)) for n in range(BIDDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == []
    assert set(refused) <= {"listing.below_minimum"}
    bids = list(Bid.objects.filter(listing_id=listing.pk).order_by("placed_at", "pk"))
    assert len(bids) == len(placed) and placed.count(Decimal("100000.00")) == 1
    assert placed.count(Decimal("400000.00")) == 1
    # Each standing bid beats the one before it by the step at least, in the order they stood.
    for before, after in itertools.pairwise(bids):
        assert after.amount >= before.amount + Decimal("5000.00")
    listing.refresh_from_db()
    assert listing.current_price == max(b.amount for b in bids) == Decimal("400000.00")
    assert listing.bids_count == len(bids)
    closed = services.listing_close(listing=listing, now=listing.closes_at)
    assert closed.winning_bid.amount == Decimal("400000.00")
    assert AuditEntry.objects.filter(action="listing.bid").count() == len(bids)
    assert audit_chain_verify().intact
