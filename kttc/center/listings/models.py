"""Public listing with bidding (公开挂牌竞价, M4.4, M8.5): a unit lists a result for transfer or
an exclusive licence; verified enterprises register to bid; the bids; the award."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.benefits.contracts.models import TechnologyContract
from kttc.benefits.shareholding.models import EquityInvestment
from kttc.benefits.state_equity.models import StateEquityMatter
from kttc.center.listings.choices import ListingMethod, ListingMode, ListingStatus
from kttc.core.fields import MoneyField
from kttc.core.models import Organisation
from kttc.registry.models import Achievement


class Listing(models.Model):
    """A result on public listing: its notice, reserve price and period, its bids' state."""

    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="listings")
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="listings")
    mode = models.CharField(_("what is offered"), max_length=24, choices=ListingMode.choices)
    method = models.CharField(_("bidding"), max_length=16, choices=ListingMethod.choices)
    reserve = MoneyField(_("reserve price (yuan)"))
    step = MoneyField(_("bid step (yuan)"), default=0)
    deposit = MoneyField(_("deposit (yuan)"), default=0)
    opens_at = models.DateTimeField(_("bidding opens"))
    closes_at = models.DateTimeField(_("bidding closes"), db_index=True)
    #: The close as stated in the notice; ``closes_at`` moves when a late bid extends it.
    closes_as_listed = models.DateTimeField(_("close as listed"))
    extension_minutes = models.PositiveSmallIntegerField(_("late-bid extension (minutes)"))
    conditions = models.TextField(_("conditions for bidders"), blank=True)
    notice = models.TextField(_("notice"))
    status = models.CharField(
        _("status"), max_length=16, choices=ListingStatus.choices, default=ListingStatus.LISTED
    )
    #: Open bidding: the highest bid so far (sealed bids stay hidden until the close).
    current_price = MoneyField(_("current price (yuan)"), null=True, blank=True)
    bids_count = models.PositiveIntegerField(default=0)
    winning_bid = models.OneToOneField(
        "center.Bid", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    contract = models.OneToOneField(
        TechnologyContract, on_delete=models.PROTECT, related_name="listing", null=True, blank=True
    )
    #: M2.1: a state equity stake formed by investing the result: the investment, the shares
    #: offered, and the public market transfer recorded at the award.
    investment = models.ForeignKey(
        EquityInvestment, on_delete=models.PROTECT, related_name="listings", null=True, blank=True
    )
    shares = models.PositiveBigIntegerField(_("shares offered"), null=True, blank=True)
    equity_matter = models.OneToOneField(
        StateEquityMatter, on_delete=models.PROTECT, related_name="listing", null=True, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    listed_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ("-listed_at", "-id")
        indexes = (models.Index(fields=("status", "closes_at")),)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(reserve__gt=0), name="listing_reserve_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="listing_closes_after_it_opens",
            ),
            # One live listing of a result at a time.
            models.UniqueConstraint(
                fields=("achievement",),
                condition=models.Q(status__in=("listed", "closed")),
                name="listing_one_live_per_result",
            ),
        )

    def __str__(self) -> str:
        return f"{self.achievement} ({self.get_status_display()})"

    @property
    def is_equity(self) -> bool:
        return self.mode == ListingMode.EQUITY_TRANSFER

    @property
    def is_sealed(self) -> bool:
        return self.method == ListingMethod.SEALED


class Registration(models.Model):
    """A verified enterprise registered to bid on a listing, with its deposit when one is
    asked; its number (竞买人编号) names it on the public bid history."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="registrations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="listing_registrations"
    )
    number = models.PositiveIntegerField(_("bidder number"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    deposit_received_at = models.DateTimeField(_("deposit received"), null=True, blank=True)
    deposit_reference = models.CharField(
        _("deposit's payment reference"), max_length=100, blank=True
    )
    deposit_refunded_at = models.DateTimeField(_("deposit refunded"), null=True, blank=True)

    class Meta:
        verbose_name = _("bidder registration")
        ordering = ("listing", "number")
        constraints = (
            models.UniqueConstraint(
                fields=("listing", "organisation"), name="registration_once_per_bidder"
            ),
            models.UniqueConstraint(fields=("listing", "number"), name="registration_number_once"),
        )

    def __str__(self) -> str:
        return f"{self.listing_id} #{self.number} {self.organisation}"


class Bid(models.Model):
    """One bid, never changed: the audit chain holds it too."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="bids")
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="bids")
    amount = MoneyField(_("amount (yuan)"))
    #: A sealed bid: hidden until the close, one per bidder.
    sealed = models.BooleanField(default=False)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("bid")
        ordering = ("-amount", "placed_at", "id")
        indexes = (models.Index(fields=("listing", "-amount")),)
        constraints = (
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="bid_amount_positive"),
            # Open bidding: two bids at one price can never both stand (the row lock orders
            # them; this holds even if it did not).
            models.UniqueConstraint(
                fields=("listing", "amount"),
                condition=models.Q(sealed=False),
                name="bid_open_amount_once",
            ),
            models.UniqueConstraint(
                fields=("registration",),
                condition=models.Q(sealed=True),
                name="bid_sealed_once_per_bidder",
            ),
        )

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.amount}"
