"""Pages of public listing with bidding (M4.4, M8.5): the public listings and each listing's
notice, price and bid history; registering and bidding for verified enterprises; listing,
deposits, the close, the award and withdrawal for the unit's transfer office."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.center.listings import selectors, services
from kttc.center.listings.choices import ListingStatus
from kttc.center.listings.forms import (
    AwardForm,
    BidForm,
    DepositForm,
    ListingForm,
    RegisterForm,
    WithdrawForm,
)
from kttc.center.listings.models import Listing, Registration
from kttc.core import parsing
from kttc.core.errors import translated_message
from kttc.core.web import acting_user, forbidden, form_error, paged
from kttc.policy.errors import PolicyError
from kttc.registry.models import Achievement
from kttc.registry.selectors import with_readings


def listings(request: HttpRequest) -> HttpResponse:
    """The public listings: open ones by their close, or ended ones, or all."""
    state = request.GET.get("state", "")
    state = state if state in (selectors.OPEN, selectors.ENDED) else ""
    page, querystring = paged(request, selectors.listings_public(state))
    with_readings(page.object_list, attr="achievement")
    return render(
        request,
        "center/listings/list.html",
        {"page": page, "state": state, "querystring": querystring, "now": timezone.now()},
    )


def _public(pk: int) -> Listing:
    """The public listing, closed first if its close has passed since (the sweep does the same
    for every listing; closing is idempotent)."""
    listing = selectors.listing_public(pk)
    if listing is None:
        raise Http404
    if listing.status == ListingStatus.LISTED and timezone.now() >= listing.closes_at:
        listing = services.listing_close(listing=listing)
    return listing


def _context(request: HttpRequest, listing: Listing, **extra: Any) -> dict[str, Any]:
    user = request.user
    bidder = None
    if user.is_authenticated:
        bidder = selectors.bidder_view(
            listing, acting_user(request), services.bidding_organisations(acting_user(request))
        )
    register_form = None
    if bidder and bidder.organisations and bidder.registration is None:
        register_form = RegisterForm()
        field = cast(forms.TypedChoiceField, register_form.fields["organisation"])
        field.choices = [(o.pk, o.name) for o in bidder.organisations]
    return {
        "listing": listing,
        "bids": selectors.bids_shown(listing),
        "minimum": selectors.next_minimum(listing),
        "bidder": bidder,
        "register_form": register_form,
        "bid_form": BidForm(initial={"amount": selectors.next_minimum(listing)}),
        "manages": user.is_authenticated and selectors.may_manage(acting_user(request), listing),
        "now": timezone.now(),
        **extra,
    }


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _public(pk)
    return render(request, "center/listings/detail.html", _context(request, listing))


def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The live part of a listing's page (price, close, bids), refreshed while bidding runs."""
    listing = _public(pk)
    return render(request, "center/listings/_panel.html", _context(request, listing))


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _public(pk)
    user = acting_user(request)
    organisation_id = parsing.parse_id(request.POST.get("organisation"))
    organisation = next(
        (o for o in services.bidding_organisations(user) if o.pk == organisation_id), None
    )
    if organisation is None:
        return forbidden(request, gettext("Only a verified enterprise registers to bid."))
    try:
        registration = services.listing_register(
            actor=user, listing=listing, organisation=organisation
        )
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(
            request,
            gettext("Registered as bidder %(number)s.") % {"number": registration.number},
        )
    return redirect("listings:detail", pk=listing.pk)


@login_required
@require_POST
def bid(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _public(pk)
    form = BidForm(request.POST)
    if form.is_valid():
        try:
            services.bid_place(
                actor=acting_user(request), listing=listing, amount=form.cleaned_data["amount"]
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("Your bid is placed."))
            return redirect("listings:detail", pk=listing.pk)
    listing.refresh_from_db()
    response = render(
        request, "center/listings/detail.html", _context(request, listing, bid_form=form)
    )
    response.status_code = 422
    return response


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """The unit lists one of its published results (from the result's page or the open
    licensing list)."""
    user = acting_user(request)
    achievement_id = parsing.parse_id(request.GET.get("achievement"))
    achievement = get_object_or_404(Achievement.objects.select_related("unit"), pk=achievement_id)
    if not selectors.may_manage_unit(user, achievement.unit):
        return forbidden(request, gettext("Only the unit's transfer office lists its results."))
    form = ListingForm(request.POST or None)
    investments = {i.pk: i for i in selectors.investments_of(achievement)}
    field = cast(forms.TypedChoiceField, form.fields["investment"])
    field.choices = [("", "—"), *((pk, str(i)) for pk, i in investments.items())]
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_publish(
                investment=investments.get(form.cleaned_data["investment"] or 0),
                shares=form.cleaned_data["shares"],
                actor=user,
                achievement=achievement,
                mode=form.cleaned_data["mode"],
                terms=form.terms(),
                notice=form.cleaned_data["notice"],
                conditions=form.cleaned_data["conditions"],
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The listing is published."))
            return redirect("listings:detail", pk=listing.pk)
    return render(request, "center/listings/new.html", {"form": form, "achievement": achievement})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The listings of the user's units and the listings the user's enterprises bid on."""
    user = acting_user(request)
    page, querystring = paged(request, selectors.listings_of_units(user))
    return render(
        request,
        "center/listings/mine.html",
        {
            "page": page,
            "querystring": querystring,
            "registrations": selectors.registrations_of(user)[:50],
        },
    )


def _managed(request: HttpRequest, pk: int) -> Listing:
    listing = get_object_or_404(Listing.objects.select_related("unit", "achievement"), pk=pk)
    if not selectors.may_manage(acting_user(request), listing):
        raise Http404
    return listing


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _managed(request, pk)
    return render(
        request,
        "center/listings/manage.html",
        {
            "listing": listing,
            "registrations": listing.registrations.select_related("organisation"),
            "bids": listing.bids.select_related("registration__organisation")[:500],
            "award_form": AwardForm(initial={"signed_on": timezone.localdate()}),
            "withdraw_form": WithdrawForm(),
            "deposit_form": DepositForm(),
            "now": timezone.now(),
        },
    )


def _act(request: HttpRequest, listing: Listing, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(request, done)
    return redirect("listings:manage", pk=listing.pk)


@login_required
@require_POST
def deposit(request: HttpRequest, pk: int, registration: int) -> HttpResponse:
    listing = _managed(request, pk)
    row = get_object_or_404(Registration, pk=registration, listing=listing)
    form = DepositForm(request.POST)
    reference = form.cleaned_data["reference"] if form.is_valid() else ""
    user = acting_user(request)
    return _act(
        request,
        listing,
        lambda: services.registration_deposit_record(
            actor=user, registration=row, reference=reference
        ),
        gettext("The deposit is recorded; the bidder may bid."),
    )


@login_required
@require_POST
def refund(request: HttpRequest, pk: int, registration: int) -> HttpResponse:
    listing = _managed(request, pk)
    row = get_object_or_404(Registration, pk=registration, listing=listing)
    user = acting_user(request)
    return _act(
        request,
        listing,
        lambda: services.registration_deposit_refund(actor=user, registration=row),
        gettext("The deposit's return is recorded."),
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _managed(request, pk)
    user = acting_user(request)
    return _act(
        request,
        listing,
        lambda: services.listing_close(actor=user, listing=listing),
        gettext("Bidding is closed."),
    )


@login_required
@require_POST
def award(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _managed(request, pk)
    form = AwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Give the day the contract was signed."))
        return redirect("listings:manage", pk=listing.pk)
    user = acting_user(request)
    return _act(
        request,
        listing,
        lambda: services.listing_award(
            actor=user, listing=listing, signed_on=form.cleaned_data["signed_on"]
        ),
        gettext("The winner's contract is recorded and disclosed on the transaction page."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _managed(request, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    user = acting_user(request)
    return _act(
        request,
        listing,
        lambda: services.listing_withdraw(actor=user, listing=listing, reason=reason),
        gettext("The listing is withdrawn."),
    )
