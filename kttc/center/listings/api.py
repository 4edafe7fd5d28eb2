"""The listings API (M4.4, M8.5), the same use cases as the pages, one operation each: the public
listings and a listing with its bid history (bidders by number, sealed bids after the close);
listing for a unit's transfer office; registering and bidding for verified enterprises; the
close and the award. Money travels as decimal strings in yuan."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from kttc.center.listings import selectors, services
from kttc.center.listings.models import Listing
from kttc.core.api import AUTH
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation
from kttc.core.parsing import PAGE_MAX, ApiId
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.policy import listings as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.registry.models import Achievement

router = Router(tags=["listings"])
PER_PAGE = 25


class BidOut(Schema):
    bidder_number: int
    amount: Decimal
    placed_at: datetime


class ListingOut(Schema):
    id: int
    achievement_id: int
    achievement_name: str
    unit: str
    mode: str
    method: str
    status: str
    reserve: Decimal
    step: Decimal
    deposit: Decimal
    opens_at: datetime
    closes_at: datetime
    closes_as_listed: datetime
    extension_minutes: int
    current_price: Decimal | None
    next_minimum: Decimal | None
    bids_count: int
    notice: str
    conditions: str
    winning_amount: Decimal | None
    winning_bidder_number: int | None


class ListingDetailOut(ListingOut):
    bids: list[BidOut]


class ListingsPage(Schema):
    items: list[ListingOut]
    count: int


class ListingIn(Schema):
    achievement_id: ApiId
    mode: Text = Field(..., description="transfer or exclusive_licence")
    method: Text = Field(..., description="ascending or sealed")
    reserve: Decimal
    step: Decimal = Decimal(0)
    deposit: Decimal = Decimal(0)
    opens_at: datetime
    closes_at: datetime
    extension_minutes: int = Field(5, ge=0, le=rules.EXTENSION_MAX_MINUTES)
    notice: LongText
    conditions: LongText = ""


class BidderRegistrationIn(Schema):
    organisation_id: ApiId


class BidderRegistrationOut(Schema):
    listing_id: int
    organisation_id: int
    bidder_number: int
    deposit_received: bool


class BidPlaceIn(Schema):
    amount: Decimal


class ListingAwardIn(Schema):
    signed_on: date


def _out(listing: Listing, *, bids: bool = False) -> dict[str, Any]:
    sealed_live = listing.is_sealed and listing.status == "listed"
    winning = listing.winning_bid
    out: dict[str, Any] = {
        "id": listing.pk,
        "achievement_id": listing.achievement_id,
        "achievement_name": listing.achievement.name,
        "unit": listing.unit.name,
        "mode": listing.mode,
        "method": listing.method,
        "status": listing.status,
        "reserve": listing.reserve,
        "step": listing.step,
        "deposit": listing.deposit,
        "opens_at": listing.opens_at,
        "closes_at": listing.closes_at,
        "closes_as_listed": listing.closes_as_listed,
        "extension_minutes": listing.extension_minutes,
        "current_price": None if sealed_live else listing.current_price,
        "next_minimum": selectors.next_minimum(listing) if listing.status == "listed" else None,
        "bids_count": listing.bids_count,
        "notice": listing.notice,
        "conditions": listing.conditions,
        "winning_amount": winning.amount if winning else None,
        "winning_bidder_number": winning.registration.number if winning else None,
    }
    if bids:
        out["bids"] = [
            {"bidder_number": b.registration.number, "amount": b.amount, "placed_at": b.placed_at}
            for b in selectors.bids_shown(listing, limit=500)
        ]
    return out


def _public(pk: int) -> Listing:
    listing = selectors.listing_public(pk)
    if listing is None:
        raise Http404
    return listing


@router.get("", response=ListingsPage, auth=None, operation_id="kttc_listings")
def listings(
    request: HttpRequest,
    state: str = Query("", description="open, ended, or empty for all", max_length=8),
    page: int = Query(1, ge=1, le=PAGE_MAX),
) -> dict[str, Any]:
    """M8.5: the listings of public results, open ones by their close."""
    rows = selectors.listings_public(state if state in ("open", "ended") else "")
    start = (page - 1) * PER_PAGE
    return {
        "items": [_out(item) for item in rows[start : start + PER_PAGE]],
        "count": rows.count(),
    }


@router.get("/{pk}", response=ListingDetailOut, auth=None, operation_id="kttc_listing")
def listing(request: HttpRequest, pk: ApiId) -> dict[str, Any]:
    """A listing with its bid history under bidder numbers (sealed bids after the close)."""
    return _out(_public(pk), bids=True)


@router.post("", response={201: ListingDetailOut}, auth=AUTH, operation_id="kttc_listing_publish")
def listing_publish(request: HttpRequest, payload: ListingIn) -> Status[dict[str, Any]]:
    """M4.4, M8.5: the unit's transfer office lists a published public result."""
    achievement = get_object_or_404(
        Achievement.objects.select_related("unit"), pk=payload.achievement_id
    )
    if payload.method not in rules.Method._value2member_map_:
        raise refuse(
            gettext_noop("Choose open ascending bids or sealed bids."),
            "listing.method",
            "method",
            rules.CLAUSES,
        )
    listing = services.listing_publish(
        actor=acting_user(request),
        achievement=achievement,
        mode=payload.mode,
        terms=rules.Terms(
            method=rules.Method(payload.method),
            reserve=payload.reserve,
            step=payload.step,
            deposit=payload.deposit,
            opens_at=payload.opens_at,
            closes_at=payload.closes_at,
            extension_minutes=payload.extension_minutes,
        ),
        notice=payload.notice,
        conditions=payload.conditions,
    )
    return Status(201, _out(listing, bids=True))


@router.post(
    "/{pk}/registrations",
    response={201: BidderRegistrationOut},
    auth=AUTH,
    operation_id="kttc_listing_register",
)
def listing_register(
    request: HttpRequest, pk: ApiId, payload: BidderRegistrationIn
) -> Status[dict[str, Any]]:
    """M8.5: a verified enterprise registers to bid."""
    listing = _public(pk)
    organisation = get_object_or_404(Organisation, pk=payload.organisation_id)
    registration = services.listing_register(
        actor=acting_user(request), listing=listing, organisation=organisation
    )
    return Status(
        201,
        {
            "listing_id": listing.pk,
            "organisation_id": organisation.pk,
            "bidder_number": registration.number,
            "deposit_received": registration.deposit_received_at is not None,
        },
    )


@router.post("/{pk}/bids", response={201: ListingDetailOut}, auth=AUTH, operation_id="kttc_bid")
def bid(request: HttpRequest, pk: ApiId, payload: BidPlaceIn) -> Status[dict[str, Any]]:
    """M8.5: a registered bidder bids (at least the next minimum; sealed: once)."""
    listing = _public(pk)
    services.bid_place(actor=acting_user(request), listing=listing, amount=payload.amount)
    return Status(201, _out(_public(pk), bids=True))


def _managed(request: HttpRequest, pk: int) -> Listing:
    listing = get_object_or_404(Listing.objects.select_related("unit", "achievement"), pk=pk)
    if not selectors.may_manage(acting_user(request), listing):
        raise AccessDenied()
    return listing


@router.post("/{pk}/close", response=ListingDetailOut, auth=AUTH, operation_id="kttc_listing_close")
def close(request: HttpRequest, pk: ApiId) -> dict[str, Any]:
    """M8.5: the unit closes the bidding after its close (the sweep does it too)."""
    listing = services.listing_close(actor=acting_user(request), listing=_managed(request, pk))
    return _out(listing, bids=True)


@router.post("/{pk}/award", response=ListingDetailOut, auth=AUTH, operation_id="kttc_listing_award")
def award(request: HttpRequest, pk: ApiId, payload: ListingAwardIn) -> dict[str, Any]:
    """M5, M8.5: the unit records the contract signed with the winner."""
    listing = services.listing_award(
        actor=acting_user(request), listing=_managed(request, pk), signed_on=payload.signed_on
    )
    return _out(listing, bids=True)
