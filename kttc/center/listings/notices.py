"""What people hear of a listing at once (DESIGN rule 12, M8.5): the unit of each registration;
a bidder of its deposit recorded, of being outbid, of the close and of the award. Each notice is
sent once per event (its dedupe key), on the platform and by e-mail after the decision commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.listings.models import Listing, Registration
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

REGISTERED = Notice(
    kind="listing.registered",
    subject=gettext_noop("New bidder registered: %(title)s"),
    body=gettext_noop(
        "%(organisation)s registered to bid on the listing of “%(title)s” as bidder "
        "%(number)s (M8.5). Record its deposit when it arrives, if the listing asks one."
    ),
    clauses=("M8.5",),
)
DEPOSIT = Notice(
    kind="listing.deposit",
    subject=gettext_noop("You may bid: %(title)s"),
    body=gettext_noop(
        "The unit recorded your deposit for the listing of “%(title)s” (M8.5). You may bid "
        "until the close."
    ),
    clauses=("M8.5",),
)
OUTBID = Notice(
    kind="listing.outbid",
    subject=gettext_noop("You were outbid: %(title)s"),
    body=gettext_noop(
        "A higher bid was made on the listing of “%(title)s” (M8.5). Bid again before the "
        "close if you still want it."
    ),
    clauses=("M8.5",),
)
CLOSED = Notice(
    kind="listing.closed",
    subject=gettext_noop("Listing ended: %(title)s"),
    body=gettext_noop(
        "The listing of “%(title)s” has ended and another bidder won (M8.5). Your deposit, if "
        "you paid one, is returned by the unit."
    ),
    clauses=("M8.5",),
)
#: The closing notice by how it ended for the reader (one kind, four wordings).
CLOSED_WON = Notice(
    CLOSED.kind,
    gettext_noop("You won: %(title)s"),
    gettext_noop(
        "Your enterprise made the winning bid on the listing of “%(title)s” (M8.5). The unit "
        "will sign the contract with you at the winning price."
    ),
    CLOSED.clauses,
)
CLOSED_FAILED = Notice(
    CLOSED.kind,
    gettext_noop("Listing ended without a winner: %(title)s"),
    gettext_noop(
        "No bid on the listing of “%(title)s” reached the reserve price (M8.5); the listing "
        "ended without a winner."
    ),
    CLOSED.clauses,
)
CLOSED_WITHDRAWN = Notice(
    CLOSED.kind,
    gettext_noop("Listing withdrawn: %(title)s"),
    gettext_noop("The unit withdrew the listing of “%(title)s” before any bid (M8.5)."),
    CLOSED.clauses,
)
UNIT_CLOSED = Notice(
    kind="listing.unit_closed",
    subject=gettext_noop("Bidding closed: %(title)s"),
    body=gettext_noop(
        "Bidding on the listing of “%(title)s” closed with %(bids)s bids (M8.5). Where a bid "
        "won, record the contract signed with the winner; return the other bidders' deposits."
    ),
    clauses=("M8.5",),
)
AWARDED = Notice(
    kind="listing.awarded",
    subject=gettext_noop("Contract recorded: %(title)s"),
    body=gettext_noop(
        "The unit recorded the contract for “%(title)s” with your enterprise at the winning "
        "price (M5, M8.5); the transaction is disclosed on the transaction page."
    ),
    clauses=("M5.2", "M8.5"),
)

register_kind(REGISTERED.kind, _("A bidder registered on your listing"))
register_kind(DEPOSIT.kind, _("Your deposit is recorded"))
register_kind(OUTBID.kind, _("You were outbid"))
register_kind(CLOSED.kind, _("A listing ended"))
register_kind(UNIT_CLOSED.kind, _("Bidding closed on your listing"))
register_kind(AWARDED.kind, _("A listing was awarded to you"))


def _roles(capability: Capability) -> tuple[str, ...]:
    return tuple(r.value for r in Role if role_can(r, capability))


def listing_page(listing: Listing) -> str:
    return reverse("listings:detail", args=[listing.pk])


def _notice(notice: Notice, listing: Listing, **params: object) -> Notice:
    return Notice(
        notice.kind,
        notice.subject,
        notice.body,
        notice.clauses,
        {"title": listing.achievement.name, **params},
    )


def tell_unit_registered(listing: Listing, registration: Registration) -> int:
    return notification_send_now(
        roles=_roles(Capability.MANAGE_LICENCES),
        organisation=listing.unit,
        notice=_notice(
            REGISTERED,
            listing,
            organisation=registration.organisation.name,
            number=registration.number,
        ),
        dedupe_key=f"{REGISTERED.kind}:{registration.pk}",
        about=listing,
        link=reverse("listings:manage", args=[listing.pk]),
    )


def tell_bidder(notice: Notice, listing: Listing, registration: Registration, event: str) -> int:
    """The people of a bidding enterprise hear of ``notice``, once per ``event``."""
    return notification_send_now(
        roles=_roles(Capability.HOLD_LICENCES),
        organisation=registration.organisation,
        notice=_notice(notice, listing),
        dedupe_key=f"{notice.kind}:{listing.pk}:{registration.pk}:{event}",
        about=listing,
        link=listing_page(listing),
    )


def tell_closed(listing: Listing, registrations: Iterable[Registration]) -> int:
    """Every bidder hears how the listing ended, each its own outcome."""
    winning = listing.winning_bid.registration_id if listing.winning_bid else None
    sent = 0
    if listing.status != "withdrawn":
        sent += notification_send_now(
            roles=_roles(Capability.MANAGE_LICENCES),
            organisation=listing.unit,
            notice=_notice(UNIT_CLOSED, listing, bids=listing.bids_count),
            dedupe_key=f"{UNIT_CLOSED.kind}:{listing.pk}",
            about=listing,
            link=reverse("listings:manage", args=[listing.pk]),
        )
    for registration in {r.pk: r for r in registrations}.values():
        if listing.status == "withdrawn":
            notice = CLOSED_WITHDRAWN
        elif winning is None:
            notice = CLOSED_FAILED
        else:
            notice = CLOSED_WON if registration.pk == winning else CLOSED
        sent += notification_send_now(
            roles=_roles(Capability.HOLD_LICENCES),
            organisation=registration.organisation,
            notice=_notice(notice, listing),
            dedupe_key=f"{CLOSED.kind}:{listing.pk}:{registration.pk}",
            about=listing,
            link=listing_page(listing),
        )
    return sent
