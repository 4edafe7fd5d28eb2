"""M2.1, M8.5: a state equity stake formed by investing a result is sold through public listing:
the award records the unit's public market transfer of its shares (decided by the unit, no
report for approval), and the sale is disclosed on the transaction page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kttc.benefits.state_equity.models import StateEquityMatter
from kttc.benefits.tests.factories import investment_recorded
from kttc.center.listings import services
from kttc.center.listings.tests.factories import bidder, published_result, terms
from kttc.center.transactions import selectors as transactions
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


def _list_stake(personas, result, investment, shares):
    return services.listing_publish(
        actor=personas.transfer_office,
        achievement=result,
        mode="equity_transfer",
        terms=terms(),
        notice="国有股权公开挂牌转让公告",
        investment=investment,
        shares=shares,
    )


def test_m2_1_a_stake_sold_by_listing_is_the_unit_s_own_public_market_transfer(client, personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    result = published_result(personas)
    investment = investment_recorded(personas, unit, achievement=result)
    with pytest.raises(PolicyError) as refused:
        _list_stake(personas, result, investment, investment.unit_shares + 1)
    assert refused.value.field == "shares" and "M2.1" in refused.value.clauses
    with pytest.raises(PolicyError) as refused:
        _list_stake(personas, result, None, 100)
    assert refused.value.field == "investment"
    listing = _list_stake(personas, result, investment, 1500)
    user, organisation = bidder("VN", 1)
    services.listing_register(actor=user, listing=listing, organisation=organisation)
    services.bid_place(actor=user, listing=listing, amount=Decimal("900000.00"))
    closed = services.listing_close(listing=listing, now=listing.closes_at)
    awarded = services.listing_award(
        actor=personas.transfer_office, listing=closed, signed_on=timezone.localdate()
    )
    matter = StateEquityMatter.objects.get()
    assert awarded.equity_matter == matter and awarded.contract is None
    assert (matter.kind, matter.shares, matter.amount, matter.status) == (
        "public_market_transfer",
        1500,
        Decimal("900000.00"),
        "decided",
    )
    (figure,) = transactions.cross_border_by_country()
    assert (figure.country, figure.stakes, figure.published_amount) == (
        "VN",
        1,
        Decimal("900000.00"),
    )
    page = client.get(reverse("transactions:list"))
    (row,) = page.context["rows"]
    assert row.kind == "stake" and row.terms["buyer"] == organisation
    (item,) = client.get("/api/v1/transactions").json()["items"]
    assert (item["source"], item["kind"], item["shares"]) == ("listing", "equity_transfer", 1500)


def test_m2_1_a_transfer_or_licence_listing_names_no_stake(personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    result = published_result(personas)
    investment = investment_recorded(personas, unit, achievement=result)
    listing = services.listing_publish(
        actor=personas.transfer_office,
        achievement=result,
        mode="transfer",
        terms=terms(),
        notice="公告",
        investment=investment,
        shares=10,
    )
    assert listing.investment is None and listing.shares is None
