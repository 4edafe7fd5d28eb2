"""M4.4, M8.5: the rules of public listing with bidding, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import listings as rules
from kttc.policy.errors import PolicyError

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e12"), places=2)
moments = st.integers(min_value=0, max_value=10 * 24 * 3600).map(
    lambda s: T0 + timedelta(seconds=s)
)


def _terms(**changes: Any) -> rules.Terms:
    values: dict[str, Any] = {
        "method": rules.Method.ASCENDING,
        "reserve": Decimal("100000.00"),
        "step": Decimal("5000.00"),
        "deposit": Decimal("10000.00"),
        "opens_at": T0,
        "closes_at": T0 + timedelta(days=10),
        "extension_minutes": 5,
        **changes,
    }
    return rules.Terms(**values)


def test_m8_5_valid_terms_pass() -> None:
    rules.validate_terms(_terms(), now=T0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reserve": Decimal("0")}, "reserve"),
        ({"reserve": Decimal("-1")}, "reserve"),
        ({"reserve": Decimal("1.001")}, "reserve"),
        ({"reserve": Decimal("1e30")}, "reserve"),
        ({"reserve": Decimal("NaN")}, "reserve"),
        ({"step": Decimal("0")}, "step"),
        ({"deposit": Decimal("-5")}, "deposit"),
        ({"deposit": Decimal("100000.01")}, "deposit"),
        ({"closes_at": T0 + timedelta(hours=23)}, "closes_at"),
        ({"closes_at": T0 + timedelta(days=181)}, "closes_at"),
        ({"extension_minutes": 61}, "extension_minutes"),
        ({"extension_minutes": -1}, "extension_minutes"),
    ],
)
def test_m8_5_bad_terms_are_refused_naming_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(PolicyError) as refused:
        rules.validate_terms(_terms(**changes), now=T0)
    assert refused.value.field == field


def test_m8_5_a_sealed_listing_needs_no_step_and_a_past_period_is_refused() -> None:
    rules.validate_terms(_terms(method=rules.Method.SEALED, step=Decimal("0")), now=T0)
    with pytest.raises(PolicyError) as refused:
        rules.validate_terms(_terms(), now=T0 + timedelta(days=11))
    assert refused.value.field == "closes_at"


@given(reserve=prices, step=prices, current=st.none() | prices)
def test_m8_5_the_first_bid_meets_the_reserve_then_each_the_current_price_plus_the_step(
    reserve: Decimal, step: Decimal, current: Decimal | None
) -> None:
    minimum = rules.minimum_bid(reserve=reserve, step=step, current=current)
    assert minimum == (reserve if current is None else current + step)
    if current is not None:
        assert minimum > current


@given(amount=prices, minimum=prices, now=moments)
def test_m8_5_a_bid_is_accepted_exactly_when_open_and_at_least_the_minimum(
    amount: Decimal, minimum: Decimal, now: datetime
) -> None:
    opens, closes = T0 + timedelta(days=1), T0 + timedelta(days=5)
    accepted = opens <= now < closes and amount >= minimum
    try:
        rules.check_bid(amount=amount, minimum=minimum, now=now, opens_at=opens, closes_at=closes)
    except PolicyError as refused:
        assert not accepted
        assert refused.field == "amount"
    else:
        assert accepted


@given(
    minutes=st.integers(min_value=0, max_value=60),
    before_close=st.integers(min_value=0, max_value=7200),
)
def test_m8_5_a_late_bid_extends_the_close_and_an_early_one_leaves_it(
    minutes: int, before_close: int
) -> None:
    closes = T0 + timedelta(days=3)
    bid_at = closes - timedelta(seconds=before_close)
    after = rules.close_after_bid(closes_at=closes, bid_at=bid_at, extension_minutes=minutes)
    assert after >= closes  # never earlier
    if minutes and before_close < minutes * 60:
        assert after == bid_at + timedelta(minutes=minutes)
    else:
        assert after == closes


offers = st.lists(
    st.builds(rules.Offer, amount=prices, placed_at=moments, ident=st.integers(1, 10**6)),
    max_size=30,
    unique_by=lambda o: o.ident,
)


@given(offers=offers, reserve=prices)
def test_m8_5_the_highest_bid_at_or_above_the_reserve_wins_the_earliest_of_equals(
    offers: list[rules.Offer], reserve: Decimal
) -> None:
    won = rules.winner(offers, reserve=reserve)
    valid = [o for o in offers if o.amount >= reserve]
    if not valid:
        assert won is None
        return
    assert won is not None
    top = max(o.amount for o in valid)
    assert won.amount == top
    assert won.placed_at == min(o.placed_at for o in valid if o.amount == top)
    # The order bids arrive in never changes the winner.
    assert rules.winner(list(reversed(offers)), reserve=reserve) == won


@given(st.booleans(), st.none() | st.integers(-5, 2000), st.integers(0, 1000))
def test_m2_1_a_stake_offers_from_one_share_to_those_the_unit_holds(
    of_this_result: bool, shares: int | None, held: int
) -> None:
    valid = of_this_result and shares is not None and 0 < shares <= held
    if valid:
        assert rules.check_stake(of_this_result=of_this_result, shares=shares, held=held) == shares
        return
    with pytest.raises(PolicyError) as refused:
        rules.check_stake(of_this_result=of_this_result, shares=shares, held=held)
    assert refused.value.field == ("shares" if of_this_result else "investment")
    assert refused.value.clauses[0] == "M2.1"
