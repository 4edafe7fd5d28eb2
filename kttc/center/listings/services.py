"""Writes of public listing with bidding (M4.4, M8.5). Each is a decision: it takes the audit
chain's lock first, then the listing's row lock (DESIGN rule 9), so simultaneous bids on one
listing are ordered and never both win; each appends to the chain and tells whoever waits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone

from kttc.benefits.contracts import services as contracts
from kttc.benefits.shareholding.models import EquityInvestment
from kttc.benefits.state_equity import services as state_equity
from kttc.center.listings import notices
from kttc.center.listings.choices import ListingMethod, ListingMode, ListingStatus
from kttc.center.listings.models import Bid, Listing, Registration
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.selectors import user_can
from kttc.core.services import audit_record, decision, require_capability
from kttc.policy import listings as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, OrganisationKind
from kttc.policy.text import check_text
from kttc.reform.transformation.selectors import open_list
from kttc.registry.choices import Confidentiality, Status
from kttc.registry.models import Achievement

NOTICE_MAX = 5000


def _clauses(listing_of: Achievement) -> tuple[str, ...]:
    """M4.4 where the result is on the open licensing list, M8.5 always."""
    on_list = open_list().filter(achievement=listing_of).exists()
    return ("M4.4", "M8.5") if on_list else ("M8.5",)


def _audit(actor: User | None, listing: Listing, action: str, **after: Any) -> None:
    audit_record(
        actor=actor,
        organisation=listing.unit,
        action=f"listing.{action}",
        obj=listing,
        after={"status": listing.status, **after},
        clauses=("M2.1", *_clauses(listing.achievement))
        if listing.is_equity
        else _clauses(listing.achievement),
    )


def _locked(listing: Listing) -> Listing:
    return (
        Listing.objects.select_for_update().select_related("unit", "achievement").get(pk=listing.pk)
    )


@decision
def listing_publish(
    *,
    actor: User,
    achievement: Achievement,
    mode: str,
    terms: rules.Terms,
    notice: str,
    conditions: str = "",
    investment: EquityInvestment | None = None,
    shares: int | None = None,
    now: datetime | None = None,
) -> Listing:
    """M4.4, M8.5: the unit's transfer office lists a published public result of the unit for
    transfer or an exclusive licence at a reserve price, with its listing period, conditions
    for bidders and a notice that the public reads at once."""
    unit = achievement.unit
    require_capability(actor, Capability.MANAGE_LICENCES, unit)
    now = now or timezone.now()
    if (
        achievement.status != Status.PUBLISHED
        or achievement.confidentiality != Confidentiality.PUBLIC
    ):
        raise refuse(
            gettext_noop("Only a published public result can be listed."),
            "listing.result",
            "achievement",
            rules.CLAUSES,
        )
    if mode not in ListingMode.values:
        raise refuse(
            gettext_noop("Choose what the listing offers."), "listing.mode", "mode", rules.CLAUSES
        )
    rules.validate_terms(terms, now=now)
    investment, shares = _stake(achievement, mode, investment, shares)
    if Listing.objects.filter(
        achievement=achievement, status__in=(ListingStatus.LISTED, ListingStatus.CLOSED)
    ).exists():
        raise refuse(
            gettext_noop("The result is already listed."),
            "listing.duplicate",
            "achievement",
            rules.CLAUSES,
        )
    listing = Listing.objects.create(
        unit=unit,
        achievement=achievement,
        mode=mode,
        method=terms.method.value,
        reserve=terms.reserve,
        step=terms.step if terms.method is rules.Method.ASCENDING else Decimal(0),
        deposit=terms.deposit,
        opens_at=terms.opens_at,
        closes_at=terms.closes_at,
        closes_as_listed=terms.closes_at,
        extension_minutes=terms.extension_minutes if terms.method is rules.Method.ASCENDING else 0,
        investment=investment,
        shares=shares,
        notice=_text(notice, "notice", required=True),
        conditions=_text(conditions, "conditions"),
        listed_by=actor,
    )
    _audit(
        actor,
        listing,
        "publish",
        reserve=listing.reserve,
        method=listing.method,
        mode=listing.mode,
        closes_at=listing.closes_at.isoformat(),
    )
    return listing


def clean_text(value: str, *, field: str, max_length: int) -> str:
    """Typed text, stripped: no control characters (DESIGN rule 10), at most ``max_length``."""
    text = (value or "").strip()
    check_text(text, field=field, multiline=True)
    if len(text) > max_length:
        raise refuse(
            gettext_noop("At most %(max)s characters."),
            "listing.text_length",
            field,
            rules.CLAUSES,
            max=max_length,
        )
    return text


def _stake(
    achievement: Achievement, mode: str, investment: EquityInvestment | None, shares: int | None
) -> tuple[EquityInvestment | None, int | None]:
    """M2.1: a state equity stake is offered from the unit's investment of this very result, a
    number of shares the unit holds; a transfer or licence of the result names no stake."""
    if mode != ListingMode.EQUITY_TRANSFER:
        return None, None
    of_this_result = investment is not None and investment.achievement_id == achievement.pk
    held = investment.unit_shares if investment is not None else 0
    shares = rules.check_stake(of_this_result=of_this_result, shares=shares, held=held)
    return investment, shares


def _text(value: str, field: str, *, required: bool = False) -> str:
    text = clean_text(value or "", field=field, max_length=NOTICE_MAX)
    if required and not text:
        raise refuse(
            gettext_noop("Write the listing's notice."), "listing.notice", field, rules.CLAUSES
        )
    return text


def bidding_organisations(actor: User) -> list[Organisation]:
    """The verified enterprises in which ``actor`` may act as a bidder."""
    return [
        m.organisation
        for m in actor.memberships.filter(revoked_at__isnull=True).select_related("organisation")
        if m.organisation.kind == OrganisationKind.ENTERPRISE
        and m.organisation.is_verified
        and user_can(actor, Capability.HOLD_LICENCES, m.organisation)
    ]


@decision
def listing_register(
    *, actor: User, listing: Listing, organisation: Organisation, now: datetime | None = None
) -> Registration:
    """M8.5: a verified enterprise registers to bid, until the close; once."""
    if organisation not in bidding_organisations(actor):
        raise AccessDenied()
    listing = _locked(listing)
    now = now or timezone.now()
    if listing.status != ListingStatus.LISTED or now >= listing.closes_at:
        raise refuse(
            gettext_noop("Bidding on this listing is over."),
            "listing.closed",
            None,
            rules.CLAUSES,
        )
    if organisation.pk == listing.unit_id:
        raise refuse(
            gettext_noop("The unit cannot bid on its own listing."),
            "listing.own",
            None,
            rules.CLAUSES,
        )
    if listing.registrations.filter(organisation=organisation).exists():
        raise refuse(
            gettext_noop("Your enterprise is already registered to bid."),
            "listing.registered",
            None,
            rules.CLAUSES,
        )
    last = listing.registrations.aggregate(n=Max("number"))["n"] or 0
    registration = Registration.objects.create(
        listing=listing, organisation=organisation, number=last + 1, registered_by=actor
    )
    _audit(actor, listing, "register", bidder=organisation.pk, number=registration.number)
    notices.tell_unit_registered(listing, registration)
    return registration


@decision
def registration_deposit_record(
    *, actor: User, registration: Registration, reference: str
) -> Registration:
    """The unit records that a bidder's deposit arrived: the bidder may bid from then on."""
    listing = _locked(registration.listing)
    require_capability(actor, Capability.MANAGE_LICENCES, listing.unit)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.deposit_received_at is None:
        registration.deposit_received_at = timezone.now()
        registration.deposit_reference = clean_text(
            reference or "", field="deposit_reference", max_length=100
        )
        registration.save(update_fields=["deposit_received_at", "deposit_reference"])
        _audit(actor, listing, "deposit", bidder=registration.organisation_id)
        notices.tell_bidder(notices.DEPOSIT, listing, registration, "deposit")
    return registration


@decision
def registration_deposit_refund(*, actor: User, registration: Registration) -> Registration:
    """The unit records that it returned a losing bidder's deposit after the close."""
    listing = _locked(registration.listing)
    require_capability(actor, Capability.MANAGE_LICENCES, listing.unit)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    winning = listing.winning_bid
    if (
        listing.status == ListingStatus.LISTED
        or registration.deposit_received_at is None
        or (winning is not None and winning.registration_id == registration.pk)
    ):
        raise refuse(
            gettext_noop("Only a losing bidder's deposit is returned, after the close."),
            "listing.refund",
            None,
            rules.CLAUSES,
        )
    if registration.deposit_refunded_at is None:
        registration.deposit_refunded_at = timezone.now()
        registration.save(update_fields=["deposit_refunded_at"])
        _audit(actor, listing, "refund", bidder=registration.organisation_id)
    return registration


def _registration_of(listing: Listing, actor: User) -> Registration:
    mine = {o.pk for o in bidding_organisations(actor)}
    registration = (
        listing.registrations.filter(organisation_id__in=mine)
        .select_related("organisation")
        .first()
    )
    if registration is None:
        raise refuse(
            gettext_noop("Register your enterprise to bid first."),
            "listing.unregistered",
            None,
            rules.CLAUSES,
        )
    if listing.deposit and registration.deposit_received_at is None:
        raise refuse(
            gettext_noop("The unit has not yet recorded your deposit."),
            "listing.deposit_missing",
            None,
            rules.CLAUSES,
        )
    return registration


@decision
def bid_place(
    *, actor: User, listing: Listing, amount: Decimal, now: datetime | None = None
) -> Bid:
    """M8.5: a registered bidder bids. Open bidding: at least the reserve, then the current price
    plus the step; a bid in the last minutes extends the close. Sealed: one bid, at least the
    reserve, hidden until the close. Under the listing's row lock, so of simultaneous bids at
    one price one stands and the others are refused with the new minimum."""
    listing = _locked(listing)
    now = now or timezone.now()
    if listing.status != ListingStatus.LISTED:
        raise refuse(
            gettext_noop("Bidding on this listing is over."), "listing.closed", None, rules.CLAUSES
        )
    registration = _registration_of(listing, actor)
    sealed = listing.method == ListingMethod.SEALED
    if sealed and listing.bids.filter(registration=registration).exists():
        raise refuse(
            gettext_noop("A sealed bid is made once."),
            "listing.sealed_once",
            "amount",
            rules.CLAUSES,
        )
    current = None if sealed else listing.current_price
    minimum = rules.minimum_bid(reserve=listing.reserve, step=listing.step, current=current)
    rules.check_bid(
        amount=amount,
        minimum=minimum,
        now=now,
        opens_at=listing.opens_at,
        closes_at=listing.closes_at,
    )
    previous = None if sealed else listing.bids.select_related("registration").first()
    bid = Bid.objects.create(
        listing=listing,
        registration=registration,
        amount=amount,
        sealed=sealed,
        placed_by=actor,
        placed_at=now,
    )
    listing.bids_count += 1
    fields = ["bids_count"]
    if not sealed:
        listing.current_price = amount
        listing.closes_at = rules.close_after_bid(
            closes_at=listing.closes_at, bid_at=now, extension_minutes=listing.extension_minutes
        )
        fields += ["current_price", "closes_at"]
    listing.save(update_fields=fields)
    _audit(
        actor,
        listing,
        "bid",
        bid=bid.pk,
        bidder=registration.organisation_id,
        number=registration.number,
        amount=amount,
        sealed=sealed,
        closes_at=listing.closes_at.isoformat(),
    )
    if previous is not None and previous.registration_id != registration.pk:
        notices.tell_bidder(notices.OUTBID, listing, previous.registration, f"outbid:{bid.pk}")
    return bid


@decision
def listing_close(
    *, listing: Listing, actor: User | None = None, now: datetime | None = None
) -> Listing:
    """M8.5: after the close the highest bid at or above the reserve wins (sealed bids are opened
    together); without one the listing fails. Run by the sweep, or by the unit once the time
    has passed; closing twice changes nothing."""
    listing = _locked(listing)
    now = now or timezone.now()
    if listing.status != ListingStatus.LISTED:
        return listing
    if now < listing.closes_at:
        raise refuse(
            gettext_noop("Bidding is still open until %(closes)s."),
            "listing.open",
            None,
            rules.CLAUSES,
            closes=listing.closes_at.isoformat(timespec="minutes"),
        )
    if actor is not None:
        require_capability(actor, Capability.MANAGE_LICENCES, listing.unit)
    bids = list(listing.bids.all())
    won = rules.winner(
        (rules.Offer(b.amount, b.placed_at, b.pk) for b in bids), reserve=listing.reserve
    )
    winning = next((b for b in bids if won is not None and b.pk == won.ident), None)
    listing.status = ListingStatus.CLOSED if winning else ListingStatus.FAILED
    listing.winning_bid = winning
    listing.closed_at = now
    if winning is not None:
        listing.current_price = winning.amount
    listing.save(update_fields=["status", "winning_bid", "closed_at", "current_price"])
    _audit(
        actor,
        listing,
        "close",
        winning_bid=winning.pk if winning else None,
        price=winning.amount if winning else None,
        bids=len(bids),
    )
    notices.tell_closed(listing, [b.registration for b in bids])
    return listing


@decision
def listing_award(*, actor: User, listing: Listing, signed_on: date) -> Listing:
    """M5, M8.5: the unit records the contract signed with the winner at the winning price; the
    contract is disclosed on the transaction page (the winner and the price: public by the
    listing itself), as a cross-border transfer when the winner is abroad (M8.4)."""
    listing = _locked(listing)
    require_capability(actor, Capability.MANAGE_CONTRACTS, listing.unit)
    if listing.status != ListingStatus.CLOSED or listing.winning_bid is None:
        raise refuse(
            gettext_noop("Only a closed listing with a winning bid is awarded."),
            "listing.award",
            None,
            rules.CLAUSES,
        )
    winner = listing.winning_bid.registration.organisation
    if listing.is_equity and listing.investment is not None:
        return _award_stake(actor, listing, winner, signed_on)
    licence = listing.mode == ListingMode.EXCLUSIVE_LICENCE
    contract = contracts.contract_create(
        actor=actor,
        unit=listing.unit,
        kind="licence" if licence else "transfer",
        title=listing.achievement.name,
        counterparty=winner.name,
        counterparty_country=winner.country,
        signed_on=signed_on,
        amount=listing.winning_bid.amount,
        achievement=listing.achievement,
        disclosed=("counterparty", "amount"),
    )
    listing.contract = contract
    listing.status = ListingStatus.AWARDED
    listing.save(update_fields=["contract", "status"])
    _audit(actor, listing, "award", contract=contract.pk, winner=winner.pk)
    notices.tell_bidder(notices.AWARDED, listing, listing.winning_bid.registration, "awarded")
    return listing


def _award_stake(actor: User, listing: Listing, winner: Organisation, signed_on: date) -> Listing:
    """M2.1: the stake's sale is the unit's public market transfer of its state equity, decided
    by the unit without a report for approval (or routed to the superior where the result
    touches national secrets, security or key core technology, M2.2)."""
    assert listing.investment is not None and listing.winning_bid is not None
    matter = state_equity.state_equity_matter_record(
        actor=actor,
        investment=listing.investment,
        kind="public_market_transfer",
        occurred_on=signed_on,
        amount=listing.winning_bid.amount,
        shares=listing.shares,
        description=f"公开挂牌竞价成交 / Public listing {listing.pk}: {winner.name}",
    )
    listing.equity_matter = matter
    listing.status = ListingStatus.AWARDED
    listing.save(update_fields=["equity_matter", "status"])
    _audit(actor, listing, "award", equity_matter=matter.pk, winner=winner.pk)
    notices.tell_bidder(notices.AWARDED, listing, listing.winning_bid.registration, "awarded")
    return listing


@decision
def listing_withdraw(*, actor: User, listing: Listing, reason: str) -> Listing:
    """The unit withdraws a listing before any bid, saying why."""
    listing = _locked(listing)
    require_capability(actor, Capability.MANAGE_LICENCES, listing.unit)
    if listing.status != ListingStatus.LISTED or listing.bids_count:
        raise refuse(
            gettext_noop("A listing is withdrawn only before its first bid."),
            "listing.withdraw",
            None,
            rules.CLAUSES,
        )
    text = clean_text(reason or "", field="reason", max_length=NOTICE_MAX)
    if not text:
        raise refuse(gettext_noop("Say why."), "listing.reason", "reason", rules.CLAUSES)
    listing.status, listing.reason = ListingStatus.WITHDRAWN, text
    listing.closed_at = timezone.now()
    listing.save(update_fields=["status", "reason", "closed_at"])
    _audit(actor, listing, "withdraw", reason=text)
    notices.tell_closed(listing, list(listing.registrations.all()))
    return listing


def listings_close_due(*, now: datetime | None = None) -> Sequence[Listing]:
    """The sweep's part: close every listing whose close has passed (each in its own decision,
    idempotent)."""
    now = now or timezone.now()
    due = Listing.objects.filter(status=ListingStatus.LISTED, closes_at__lte=now).order_by("pk")
    return [listing_close(listing=listing, now=now) for listing in due]
