"""M3: payment schedules, royalties and balances of "use first, pay later" licences, to the fen."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import licensing
from kttc.policy.errors import PolicyError
from kttc.policy.licensing import Instalment, Stage, Trigger

amounts = st.integers(min_value=1, max_value=10**12).map(lambda fen: Decimal(fen).scaleb(-2))
revenues = st.integers(min_value=0, max_value=10**12).map(lambda fen: Decimal(fen).scaleb(-2))
rates = st.integers(min_value=1, max_value=10_000).map(lambda bp: Decimal(bp).scaleb(-4))
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2060, 12, 31))


# --- schedules add up --------------------------------------------------------------------------


@given(total=amounts, count=st.integers(1, 120), step=st.integers(1, 24), first=days)
def test_m3_3_a_deferred_schedule_never_loses_or_invents_a_fen(
    total: Decimal, count: int, step: int, first: date
) -> None:
    schedule = licensing.deferred_schedule(
        total, first_due=first, instalments=count, every_months=step
    )
    assert sum(i.amount for i in schedule) == total
    assert [i.number for i in schedule] == list(range(1, count + 1))
    amounts_ = [i.amount for i in schedule]
    assert max(amounts_) - min(amounts_) <= Decimal("0.01")  # equal to the fen
    assert all(i.amount.as_tuple().exponent == -2 for i in schedule)
    dues = [i.due for i in schedule if i.due is not None]
    assert len(dues) == count and dues[0] == first
    assert dues == sorted(dues) and len(set(dues)) == count


@given(total=amounts, count=st.integers(1, 60), grace=st.integers(0, 24), first=days)
def test_m3_3_nothing_is_due_before_the_first_revenue_then_all_adds_up(
    total: Decimal, count: int, grace: int, first: date
) -> None:
    schedule = licensing.after_first_revenue_schedule(total, instalments=count, every_months=6)
    assert all(i.due is None and i.trigger is Trigger.FIRST_REVENUE for i in schedule)
    assert licensing.balance(schedule, [], date(2099, 1, 1)).due == 0
    fixed = licensing.on_first_revenue(schedule, first, grace_months=grace, every_months=6)
    assert sum(i.amount for i in fixed) == total
    assert all(i.due is not None for i in fixed)
    assert all(i.due >= first for i in fixed if i.due is not None)
    assert licensing.balance(fixed, [], date(2200, 1, 1)).due == total


def test_m3_2_staged_payments_fall_due_by_date_or_milestone() -> None:
    schedule = licensing.staged_schedule(
        [
            Stage(Decimal("100000.00"), due=date(2027, 1, 1)),
            Stage(Decimal("200000.00"), milestone="中试完成"),
        ]
    )
    assert [i.trigger for i in schedule] == [Trigger.DATE, Trigger.MILESTONE]
    assert licensing.balance(schedule, [], date(2027, 6, 1)).due == Decimal("100000.00")
    reached = licensing.milestone_reached(schedule, "中试完成", date(2027, 3, 1))
    assert reached[1].due == date(2027, 3, 1)
    assert licensing.balance(reached, [], date(2027, 6, 1)).due == Decimal("300000.00")


@pytest.mark.parametrize(
    ("stages", "fee", "code"),
    [
        ([Stage(Decimal("1.00"), due=date(2027, 1, 1))], Decimal("1.00"), "licence.entry_fee"),
        ([], Decimal("0"), "licence.stages"),
        ([Stage(Decimal("1.00"))], Decimal("0"), "licence.stage_trigger"),
        ([Stage(Decimal("1.00"), due=date(2027, 1, 1), milestone="x")], 0, "licence.stage_trigger"),
        ([Stage(Decimal("0.00"), due=date(2027, 1, 1))], Decimal("0"), "licence.amount"),
    ],
)
def test_m3_2_a_staged_schedule_is_refused_with_its_clause(
    stages: list[Stage], fee: Decimal, code: str
) -> None:
    with pytest.raises(PolicyError) as info:
        licensing.staged_schedule(stages, entry_fee=fee)
    assert info.value.code == code and info.value.clauses == ("M3.2",)


def test_an_unknown_milestone_and_bad_counts_are_refused() -> None:
    schedule = licensing.staged_schedule([Stage(Decimal("5.00"), milestone="投产")])
    with pytest.raises(PolicyError, match=r"M3\.2"):
        licensing.milestone_reached(schedule, "上市", date(2027, 1, 1))
    with pytest.raises(PolicyError) as info:
        licensing.deferred_schedule(Decimal("10.00"), first_due=date(2027, 1, 1), instalments=0)
    assert info.value.code == "licence.instalments"
    with pytest.raises(PolicyError) as info:
        licensing.deferred_schedule(Decimal("10.00"), first_due=date(2027, 1, 1), every_months=0)
    assert info.value.code == "licence.interval"
    with pytest.raises(PolicyError) as info:
        licensing.deferred_schedule(Decimal("-1.00"), first_due=date(2027, 1, 1))
    assert info.value.code == "licence.amount"


# --- royalties ---------------------------------------------------------------------------------


@given(revenue=revenues, rate=rates)
def test_m3_2_a_royalty_is_the_revenue_times_the_rate_rounded_once_half_up(
    revenue: Decimal, rate: Decimal
) -> None:
    due = licensing.royalty(revenue, rate)
    exact = Fraction(revenue) * Fraction(rate) * 100  # in fen
    assert abs(Fraction(due) * 100 - exact) <= Fraction(1, 2)
    assert 0 <= due <= revenue and due.as_tuple().exponent == -2


@pytest.mark.parametrize("revenue", [Decimal("-0.01"), Decimal("-100")])
def test_m3_2_a_royalty_on_negative_revenue_is_refused(revenue: Decimal) -> None:
    with pytest.raises(PolicyError) as info:
        licensing.royalty(revenue, Decimal("0.05"))
    assert info.value.code == "licence.revenue_negative" and info.value.field == "revenue"
    assert "M3.2" in info.value.message


@pytest.mark.parametrize("rate", [Decimal("0"), Decimal("-0.1"), Decimal("1.01"), Decimal("NaN")])
def test_m3_2_a_royalty_rate_outside_0_to_1_is_refused(rate: Decimal) -> None:
    with pytest.raises(PolicyError) as info:
        licensing.royalty(Decimal("100.00"), rate)
    assert info.value.code == "licence.rate"


def test_royalty_examples() -> None:
    assert licensing.royalty(Decimal("1000000.00"), Decimal("0.05")) == Decimal("50000.00")
    assert licensing.royalty(Decimal("0.10"), Decimal("0.05")) == Decimal("0.01")  # 0.005 up
    assert licensing.royalty(Decimal("0.09"), Decimal("0.05")) == Decimal("0.00")


# --- balances ----------------------------------------------------------------------------------


@given(
    total=amounts,
    count=st.integers(1, 36),
    payments=st.lists(amounts, max_size=10),
    offset=st.integers(-400, 4000),
)
def test_m3_3_a_balance_accounts_for_every_fen(
    total: Decimal, count: int, payments: list[Decimal], offset: int
) -> None:
    first = date(2027, 1, 1)
    schedule = licensing.deferred_schedule(
        total, first_due=first, instalments=count, every_months=1
    )
    on = first + timedelta(days=offset)
    state = licensing.balance(schedule, payments, on)
    paid = sum(payments, Decimal("0.00"))
    fallen = (i.amount for i in schedule if i.due is not None and i.due <= on)
    assert state.due == sum(fallen, Decimal("0.00"))
    assert state.paid + state.credit == paid
    assert state.paid + state.outstanding == state.due
    assert 0 <= state.overdue <= state.outstanding
    assert state.credit == 0 or state.outstanding == 0


def test_m3_3_overdue_is_what_is_owed_on_instalments_due_before_the_day() -> None:
    schedule = [
        Instalment(1, Decimal("100.00"), Trigger.DATE, date(2027, 1, 1)),
        Instalment(2, Decimal("100.00"), Trigger.DATE, date(2027, 2, 1)),
        Instalment(3, Decimal("100.00"), Trigger.DATE, date(2027, 3, 1)),
    ]
    state = licensing.balance(schedule, [Decimal("150.00")], date(2027, 2, 1))
    # Due: 200; paid 150 (the first in full, half of the second); the second falls due today.
    assert (state.due, state.paid, state.outstanding, state.overdue) == (
        Decimal("200.00"), Decimal("150.00"), Decimal("50.00"), Decimal("0.00"),
    )  # fmt: skip
    later = licensing.balance(schedule, [Decimal("150.00")], date(2027, 2, 2))
    assert later.overdue == Decimal("50.00")
    early = licensing.balance(schedule, [Decimal("400.00")], date(2027, 3, 1))
    assert early.outstanding == 0 and early.credit == Decimal("100.00")


@given(
    stages=st.lists(st.tuples(amounts, st.integers(0, 400), st.booleans()), min_size=1, max_size=8),
    payments=st.lists(amounts, max_size=6),
    offset=st.integers(-30, 500),
)
def test_m3_3_instalment_states_agree_with_the_balance(
    stages: list[tuple[Decimal, int, bool]], payments: list[Decimal], offset: int
) -> None:
    start = date(2027, 1, 1)
    schedule = [
        Instalment(n, amount, Trigger.DATE, start + timedelta(days=d))
        if dated
        else Instalment(n, amount, Trigger.MILESTONE, None, "m")
        for n, (amount, d, dated) in enumerate(stages, start=1)
    ]
    on = start + timedelta(days=offset)
    states = licensing.instalment_states(schedule, payments, on)
    state = licensing.balance(schedule, payments, on)
    assert set(states) == {i.number for i in schedule}
    paid_in_full = sum((i.amount for i in schedule if states[i.number] == "paid"), Decimal(0))
    assert paid_in_full <= sum(payments, Decimal("0.00"))
    assert (state.overdue > 0) == any(s == "overdue" for s in states.values())
    assert all(states[i.number] == "waiting" for i in schedule if i.due is None)
    late = [i for i in schedule if i.due is not None and i.due < on]
    assert all(states[i.number] in ("paid", "overdue") for i in late)
    # named for what they are: only today's can be "due", only a later one "upcoming"
    assert all(i.due == on for i in schedule if states[i.number] == "due")
    assert all(i.due is not None and i.due > on for i in schedule if states[i.number] == "upcoming")


def test_instalment_states_example() -> None:
    schedule = [
        Instalment(1, Decimal("100.00"), Trigger.DATE, date(2027, 1, 1)),
        Instalment(2, Decimal("100.00"), Trigger.DATE, date(2027, 3, 1)),
        Instalment(3, Decimal("100.00"), Trigger.DATE, date(2027, 4, 1)),
        Instalment(4, Decimal("50.00"), Trigger.MILESTONE, None, "pilot"),
    ]
    states = licensing.instalment_states(schedule, [Decimal("150.00")], date(2027, 2, 1))
    assert states == {1: "paid", 2: "part", 3: "upcoming", 4: "waiting"}
    later = licensing.instalment_states(schedule, [Decimal("150.00")], date(2027, 3, 2))
    assert later[2] == "overdue"
    on_the_day = licensing.instalment_states(schedule, [Decimal("150.00")], date(2027, 4, 1))
    assert on_the_day[3] == "due"


@pytest.mark.parametrize("years", [0, 51, -1])
def test_m3_1_a_licence_term_outside_1_to_50_years_is_refused(years: int) -> None:
    with pytest.raises(PolicyError) as info:
        licensing.check_term(years)
    assert info.value.code == "licence.term" and info.value.clauses == ("M3.1",)
    assert licensing.check_term(50) == 50


@pytest.mark.parametrize(
    ("exclusive", "active", "active_exclusive", "refused"),
    [(False, 3, 0, False), (True, 0, 0, False), (True, 1, 0, True), (False, 1, 1, True)],
)
def test_m3_1_an_exclusive_licence_excludes_any_other(
    exclusive: bool, active: int, active_exclusive: int, refused: bool
) -> None:
    if refused:
        with pytest.raises(PolicyError, match=r"M3\.1"):
            licensing.check_exclusivity(
                exclusive=exclusive, active=active, active_exclusive=active_exclusive
            )
    else:
        licensing.check_exclusivity(
            exclusive=exclusive, active=active, active_exclusive=active_exclusive
        )


# --- the schedule a licence is concluded on (licence_plan) --------------------------------------

models = st.sampled_from(list(licensing.PaymentModel))
fees = st.one_of(st.none(), amounts)
maybe_days = st.one_of(st.none(), days)
stage_lists = st.lists(st.builds(Stage, amounts, days), min_size=1, max_size=6)


@given(
    model=models,
    fee=fees,
    first=maybe_days,
    count=st.integers(1, 24),
    step=st.integers(1, 24),
    stages=stage_lists,
)
def test_m3_2_m3_3_the_payment_model_chooses_the_schedule(
    model: licensing.PaymentModel,
    fee: Decimal | None,
    first: date | None,
    count: int,
    step: int,
    stages: list[Stage],
) -> None:
    """Whatever the terms: a staged licence is its stages; a deferred one its fee from the first
    day; one paid after the first revenue its fee waiting for it; a missing fee or first day is
    refused citing the clause and naming the field."""
    terms = licensing.Terms(stages, None, fee, first, count, step)
    if model is not licensing.PaymentModel.STAGED_ROYALTY and fee is None:
        with pytest.raises(PolicyError) as refused:
            licensing.licence_plan(model, terms)
        assert (refused.value.field, refused.value.clauses) == ("total_fee", ("M3.2",))
        return
    if model is licensing.PaymentModel.DEFERRED and first is None:
        with pytest.raises(PolicyError) as refused:
            licensing.licence_plan(model, terms)
        assert (refused.value.field, refused.value.clauses) == ("first_due", ("M3.3",))
        return
    plan = licensing.licence_plan(model, terms)
    if model is licensing.PaymentModel.STAGED_ROYALTY:
        assert plan.fee is None and plan.schedule == licensing.staged_schedule(stages)
        return
    assert fee is not None
    if model is licensing.PaymentModel.DEFERRED:
        assert first is not None
        assert plan.schedule == licensing.deferred_schedule(
            fee, first_due=first, instalments=count, every_months=step
        )
        assert sum(i.amount for i in plan.schedule) == plan.fee
    else:
        assert plan.schedule == licensing.after_first_revenue_schedule(
            fee, instalments=count, every_months=step
        )
        assert all(i.due is None for i in plan.schedule) and plan.fee is not None
        assert sum(i.amount for i in plan.schedule) == plan.fee


@given(model=models, rate=rates)
def test_m3_2_a_royalty_rate_goes_with_every_payment_model(
    model: licensing.PaymentModel, rate: Decimal
) -> None:
    terms = licensing.Terms(
        [Stage(Decimal("100"), date(2027, 1, 1))], rate, Decimal("100"), date(2027, 1, 1)
    )
    assert licensing.licence_plan(model, terms).rate == licensing.check_rate(rate)


@given(
    today=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    start_back=st.integers(min_value=0, max_value=800),
    length=st.integers(min_value=0, max_value=800),
)
def test_m3_2_only_a_period_that_has_ended_is_reported(
    today: date, start_back: int, length: int
) -> None:
    start = today - timedelta(days=start_back)
    end = start + timedelta(days=length)
    if end <= today:
        licensing.check_period(start, end, today=today)  # ended (today included): accepted
        return
    with pytest.raises(PolicyError) as info:
        licensing.check_period(start, end, today=today)
    assert info.value.code == "licence.period_future" and info.value.field == "period_end"
    assert info.value.clauses == ("M3.2",)


def test_m3_2_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(PolicyError) as info:
        licensing.check_period(date(2026, 3, 1), date(2026, 2, 28), today=date(2026, 6, 1))
    assert info.value.code == "licence.period"


# --- the royalty's due date is the licence's term, not the licensee's choice -------------------


@given(period_end=days, due_days=st.integers(1, licensing.MAX_ROYALTY_DUE_DAYS))
def test_m3_2_m3_3_a_royalty_falls_due_exactly_the_agreed_days_after_the_period(
    period_end: date, due_days: int
) -> None:
    due = licensing.royalty_due(period_end, due_days)
    assert due > period_end  # never on or before the day the period ends
    assert due - period_end == timedelta(days=due_days)  # exactly the licence's term after it
    # a longer term never makes the royalty fall due sooner
    if due_days < licensing.MAX_ROYALTY_DUE_DAYS:
        assert licensing.royalty_due(period_end, due_days + 1) > due


def test_m3_3_a_royalty_due_example() -> None:
    # 30 days after a quarter ending on 31 March: 30 April (the last day is not counted)
    assert licensing.royalty_due(date(2027, 3, 31), 30) == date(2027, 4, 30)
    assert licensing.royalty_due(date(2027, 12, 31), 1) == date(2028, 1, 1)
    assert licensing.DEFAULT_ROYALTY_DUE_DAYS == 30


@given(
    st.one_of(st.integers(max_value=0), st.integers(min_value=licensing.MAX_ROYALTY_DUE_DAYS + 1))
)
def test_m3_3_a_royalty_term_outside_1_to_365_days_is_refused(due_days: int) -> None:
    with pytest.raises(PolicyError) as info:
        licensing.check_royalty_due_days(due_days)
    assert info.value.code == "licence.royalty_due_days"
    assert info.value.field == "royalty_due_days"
    assert info.value.clauses == ("M3.2", "M3.3")
    with pytest.raises(PolicyError):
        licensing.royalty_due(date(2027, 3, 31), due_days)


@pytest.mark.parametrize("due_days", [True, 30.0, "30", None])
def test_a_royalty_term_that_is_not_a_whole_number_is_a_programming_error(due_days: object) -> None:
    with pytest.raises(TypeError):
        licensing.check_royalty_due_days(due_days)  # type: ignore[arg-type]
