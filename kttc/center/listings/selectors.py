"""Reads of public listing with bidding (M8.5): what the public sees of a listing (its notice,
terms, price and bid history under bidder numbers, sealed bids only after the close), and what
the unit and a bidder see of their own."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from kttc.benefits.shareholding.models import EquityInvestment
from kttc.center.listings.choices import ListingMethod, ListingStatus
from kttc.center.listings.models import Bid, Listing, Registration
from kttc.core.models import Organisation, User
from kttc.core.selectors import user_can
from kttc.policy import listings as rules
from kttc.policy.roles import Capability
from kttc.registry.choices import Confidentiality, Status
from kttc.registry.models import Achievement

#: How the public filters the listings.
OPEN, ENDED = "open", "ended"


def listings_public(state: str = "") -> QuerySet[Listing]:
    """The listings of published public results, live ones first by their close."""
    listings = Listing.objects.filter(
        achievement__status=Status.PUBLISHED,
        achievement__confidentiality=Confidentiality.PUBLIC,
    ).select_related("achievement", "unit", "winning_bid__registration__organisation")
    if state == OPEN:
        return listings.filter(status=ListingStatus.LISTED).order_by("closes_at", "pk")
    if state == ENDED:
        listings = listings.exclude(status=ListingStatus.LISTED)
    return listings.order_by("-listed_at", "-pk")


def listing_public(pk: int) -> Listing | None:
    return listings_public().filter(pk=pk).first()


def live_listing_of(achievement_id: int) -> Listing | None:
    """The result's listing that is live or awaiting its contract, for the result's page."""
    return (
        Listing.objects.filter(
            achievement_id=achievement_id, status__in=(ListingStatus.LISTED, ListingStatus.CLOSED)
        )
        .order_by("-pk")
        .first()
    )


#: The bids a listing's page shows, the highest first (the count of all is beside them).
HISTORY_SHOWN = 50


def bids_shown(listing: Listing, limit: int = HISTORY_SHOWN) -> list[Bid]:
    """The bid history as the public reads it, under bidder numbers, the highest ``limit``:
    every open bid at once; sealed bids only once the listing is no longer live (they are
    opened together)."""
    if listing.method == ListingMethod.SEALED and listing.status == ListingStatus.LISTED:
        return []
    bids = listing.bids.select_related("registration").order_by("-amount", "placed_at")
    return list(bids[:limit])


def next_minimum(listing: Listing) -> Decimal:
    current = None if listing.method == ListingMethod.SEALED else listing.current_price
    return rules.minimum_bid(reserve=listing.reserve, step=listing.step, current=current)


@dataclass(frozen=True)
class BidderView:
    """What one person may do on a listing as a bidder."""

    organisations: list[Organisation]  # the enterprises in which they may bid
    registration: Registration | None
    may_bid: bool
    sealed_bid: Bid | None  # their sealed bid, which only they and the unit see before the close


def bidder_view(listing: Listing, user: User, organisations: list[Organisation]) -> BidderView:
    ids = [o.pk for o in organisations]
    registration = (
        listing.registrations.filter(organisation_id__in=ids).select_related("organisation").first()
        if ids
        else None
    )
    deposit_ok = registration is not None and (
        not listing.deposit or registration.deposit_received_at is not None
    )
    sealed = (
        listing.bids.filter(registration=registration).first()
        if registration and listing.method == ListingMethod.SEALED
        else None
    )
    return BidderView(
        organisations=organisations,
        registration=registration,
        may_bid=bool(deposit_ok and listing.status == ListingStatus.LISTED and sealed is None),
        sealed_bid=sealed,
    )


def may_manage(user: User, listing: Listing) -> bool:
    return user.is_authenticated and user_can(user, Capability.MANAGE_LICENCES, listing.unit)


def listings_of_units(user: User) -> QuerySet[Listing]:
    """The listings of the units whose licences ``user`` manages."""
    units = [
        m.organisation_id
        for m in user.memberships.filter(revoked_at__isnull=True).select_related("organisation")
        if user_can(user, Capability.MANAGE_LICENCES, m.organisation)
    ]
    return Listing.objects.filter(unit_id__in=units).select_related("achievement", "unit")


def registrations_of(user: User) -> QuerySet[Registration]:
    """The listings ``user``'s enterprises registered to bid on."""
    orgs = user.memberships.filter(revoked_at__isnull=True).values("organisation_id")
    return Registration.objects.filter(organisation_id__in=orgs).select_related(
        "listing__achievement", "organisation"
    )


def may_manage_unit(user: User, unit: Organisation) -> bool:
    return user.is_authenticated and user_can(user, Capability.MANAGE_LICENCES, unit)


def investments_of(achievement: Achievement) -> QuerySet[EquityInvestment]:
    """M2.1: the unit's investments of the result, whose shares a listing may offer."""
    return EquityInvestment.objects.filter(unit_id=achievement.unit_id, achievement=achievement)
