"""Technology finance (M12.1, M12.3), without a database: products, applications, pledges, the
steps, and the repayment schedules to the fen (examples and properties)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import finance as rules
from kttc.policy.errors import PolicyError
from kttc.policy.identifiers import complete_patent_application_number

PATENT = "201710601862.3"
LOAN = rules.ProductTerms(
    "pledge_loan", Decimal("100000.00"), Decimal("5000000.00"), 6, 36, Decimal("3.850")
)


def _refusal(func: Callable[..., object], *args: object, **kwargs: object) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        func(*args, **kwargs)
    return refused.value


def test_m12_1_a_product_is_checked_and_normalised() -> None:
    terms = rules.check_product(
        rules.ProductDraft("credit_loan", Decimal("1000"), Decimal("2000.005"), 1, 12, Decimal(4))
    )
    assert (terms.amount_min, terms.amount_max, terms.rate) == (
        Decimal("1000.00"),
        Decimal("2000.01"),
        Decimal("4.000"),
    )


@pytest.mark.parametrize(
    ("terms", "field", "code"),
    [
        (
            rules.ProductDraft("loan", Decimal(1), Decimal(2), 1, 2, Decimal(1)),
            "kind",
            "finance.kind",
        ),
        (
            rules.ProductDraft("credit_loan", Decimal(3), Decimal(2), 1, 2, Decimal(1)),
            "amount_max",
            "finance.amount_range",
        ),
        (
            rules.ProductDraft("credit_loan", Decimal(0), Decimal(2), 1, 2, Decimal(1)),
            "amount_min",
            "finance.amount",
        ),
        (
            rules.ProductDraft("credit_loan", Decimal(1), Decimal(2), 3, 2, Decimal(1)),
            "term_max",
            "finance.term_range",
        ),
        (
            rules.ProductDraft("credit_loan", Decimal(1), Decimal(2), 0, 2, Decimal(1)),
            "term_min",
            "finance.term",
        ),
        (
            rules.ProductDraft("credit_loan", Decimal(1), Decimal(2), 1, 2, Decimal(37)),
            "rate",
            "finance.rate",
        ),
    ],
)
def test_m12_1_a_wrong_product_is_refused_on_its_field(
    terms: rules.ProductDraft, field: str, code: str
) -> None:
    refused = _refusal(rules.check_product, terms)
    assert (refused.field, refused.code) == (field, code)
    assert "M12.1" in refused.clauses


def test_m12_3_a_cover_names_what_it_covers() -> None:
    bare = rules.ProductDraft("insurance", Decimal(1), Decimal(2), 1, 12, Decimal(1))
    refused = _refusal(rules.check_product, bare)
    assert (refused.field, refused.clauses) == ("purposes", ("M12.3",))
    covered = rules.check_product(
        rules.ProductDraft("insurance", Decimal(1), Decimal(2), 1, 12, Decimal(1), ("ip", "ip"))
    )
    assert covered.purposes == ("ip",)
    assert rules.clauses_of("guarantee") == ("M12.3",)
    assert rules.clauses_of("pledge_loan") == ("M12.1",)


def test_m12_1_a_pledge_application_within_the_ranges_names_checked_patents() -> None:
    amount, term, patents = rules.check_request(
        LOAN, amount=Decimal("800000"), term=24, patents=["ZL 201710601862.3"]
    )
    assert (amount, term, patents) == (Decimal("800000.00"), 24, [PATENT])


@pytest.mark.parametrize(
    ("amount", "term", "patents", "field", "code"),
    [
        (Decimal("99999.99"), 12, [PATENT], "amount", "finance.amount_outside"),
        (None, 12, [PATENT], "amount", "finance.required"),
        (Decimal("100000"), 37, [PATENT], "term", "finance.term_outside"),
        (Decimal("100000"), 12, [], "patents", "finance.no_pledge"),
        (Decimal("100000"), 12, [PATENT, "ZL201710601862.3"], "patents", "finance.pledge_twice"),
        (Decimal("100000"), 12, ["201710601862.4"], "patents", "patent.check_char"),
    ],
)
def test_m12_1_a_wrong_application_is_refused_on_its_field(
    amount: Decimal | None, term: int, patents: list[str], field: str, code: str
) -> None:
    refused = _refusal(rules.check_request, LOAN, amount=amount, term=term, patents=patents)
    assert (refused.field, refused.code, refused.clauses) == (field, code, ("M12.1",))


def test_m12_1_only_a_pledge_loan_takes_patents() -> None:
    credit = rules.ProductTerms("credit_loan", Decimal(1), Decimal(10), 1, 12, Decimal(1))
    refused = _refusal(rules.check_request, credit, amount=Decimal(5), term=3, patents=[PATENT])
    assert refused.code == "finance.pledge_kind"


def test_m12_1_a_patent_under_an_active_pledge_cannot_be_pledged_again() -> None:
    rules.check_not_pledged([PATENT], {})
    refused = _refusal(rules.check_not_pledged, [PATENT], {PATENT: "KM2026-001"})
    assert (refused.code, refused.field, refused.clauses) == (
        "finance.already_pledged",
        "patents",
        ("M12.1",),
    )
    assert "KM2026-001" in refused.message and refused.message.startswith("M12.1")


def test_the_steps_follow_the_table() -> None:
    assert rules.check_step("submitted", rules.Step.APPROVE) is rules.Status.APPROVED
    assert rules.check_step("approved", rules.Step.REPAY) is rules.Status.REPAID
    for step in (rules.Step.APPROVE, rules.Step.REFUSE, rules.Step.WITHDRAW):
        assert _refusal(rules.check_step, "approved", step).code == "finance.status"


def test_m12_1_an_approval_and_a_refusal_say_what_is_missing() -> None:
    refused = _refusal(
        rules.check_approval, amount=None, rate=Decimal(4), term=12, clauses=rules.FINANCING
    )
    assert (refused.field, refused.clauses) == ("approved_amount", ("M12.1",))
    refused = _refusal(
        rules.check_approval, amount=Decimal(1), rate=None, term=12, clauses=rules.FINANCING
    )
    assert refused.field == "approved_rate"
    refused = _refusal(
        rules.check_approval, amount=Decimal(1), rate=Decimal(1), term=None, clauses=rules.FINANCING
    )
    assert refused.field == "approved_term"
    assert _refusal(rules.check_reason, "  ").field == "reason"
    assert _refusal(rules.check_number, "A B", "registration", rules.FINANCING).code == (
        "finance.number"
    )
    today = date(2026, 12, 5)
    assert _refusal(rules.check_day, date(2026, 12, 6), "registered_on", today, ()).field == (
        "registered_on"
    )


def test_m12_3_a_cover_states_its_amount_premium_and_period() -> None:
    start, end = date(2026, 1, 1), date(2027, 1, 1)
    assert rules.check_cover(
        amount=Decimal("1000000"), premium=Decimal("8000"), start=start, end=end
    ) == (Decimal("1000000.00"), Decimal("8000.00"), start, end)
    refused = _refusal(
        rules.check_cover, amount=Decimal(10), premium=Decimal(11), start=start, end=end
    )
    assert (refused.field, refused.clauses) == ("premium", ("M12.3",))
    refused = _refusal(
        rules.check_cover, amount=Decimal(10), premium=Decimal(1), start=end, end=start
    )
    assert refused.field == "cover_end"


def test_m12_1_equal_instalments_example() -> None:
    # 120,000 yuan over 12 months at 6 % a year: the annuity is 10,327.97 (0.5 % a month).
    plan = rules.schedule(
        Decimal("120000"), Decimal("6"), 12, "equal_instalments", date(2026, 1, 31)
    )
    assert plan[0].interest == Decimal("600.00")
    assert plan[0].amount == Decimal("10327.97")
    assert plan[0].due_on == date(2026, 2, 28)
    assert sum(i.principal for i in plan) == Decimal("120000.00")
    assert all(i.amount == Decimal("10327.97") for i in plan[:-1])


def test_m12_1_equal_principal_example() -> None:
    plan = rules.schedule(Decimal("100000"), Decimal("3.6"), 3, "equal_principal", date(2026, 1, 1))
    assert [i.principal for i in plan] == [
        Decimal("33333.34"),
        Decimal("33333.33"),
        Decimal("33333.33"),
    ]
    assert [i.interest for i in plan] == [Decimal("300.00"), Decimal("200.00"), Decimal("100.00")]


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000000"), places=2)
rates = st.decimals(min_value=Decimal(0), max_value=Decimal(36), places=3)


@given(money, rates, st.integers(min_value=1, max_value=360), st.sampled_from(list(rules.Method)))
def test_m12_1_a_schedule_repays_the_loan_exactly_to_the_fen(
    principal: Decimal, rate: Decimal, months: int, method: rules.Method
) -> None:
    plan = rules.schedule(principal, rate, months, method, date(2026, 3, 31))
    assert len(plan) == months
    assert sum(i.principal for i in plan) == principal
    assert all(i.principal >= 0 and i.interest >= 0 for i in plan)
    assert all(i.principal == i.principal.quantize(Decimal("0.01")) for i in plan)
    assert [i.number for i in plan] == list(range(1, months + 1))
    assert all(a.due_on < b.due_on for a, b in itertools.pairwise(plan))


@given(money, rates, st.integers(min_value=2, max_value=120))
def test_m12_1_equal_principal_interest_never_grows(
    principal: Decimal, rate: Decimal, months: int
) -> None:
    plan = rules.schedule(principal, rate, months, "equal_principal", date(2026, 1, 1))
    assert all(a.interest >= b.interest for a, b in itertools.pairwise(plan))


@given(money, rates, st.integers(min_value=2, max_value=120))
def test_m12_1_equal_instalments_are_equal_but_the_last(
    principal: Decimal, rate: Decimal, months: int
) -> None:
    plan = rules.schedule(principal, rate, months, "equal_instalments", date(2026, 1, 1))
    # Every instalment but the last is the annuity to the fen, unless what was left of the loan
    # was less (then it repays all of it).
    balance = principal
    annuities = set()
    for instalment in plan[:-1]:
        if instalment.principal < balance:
            annuities.add(instalment.amount)
        balance -= instalment.principal
    assert len(annuities) <= 1


@given(st.lists(money, min_size=1, max_size=12), st.data())
def test_m12_1_a_repayment_pays_the_earliest_instalments_first(
    outstanding: list[Decimal], data: st.DataObject
) -> None:
    owed = sum(outstanding, Decimal("0.00"))
    fen = data.draw(st.integers(min_value=1, max_value=int(owed * 100)))
    paid = Decimal(fen).scaleb(-2)
    parts = rules.apply_repayment(paid, outstanding)
    assert sum(parts, Decimal("0.00")) == paid
    assert all(0 <= p <= o for p, o in zip(parts, outstanding, strict=True))
    # Nothing is paid on an instalment while an earlier one is still owed.
    for index, part in enumerate(parts):
        if part and index:
            assert all(parts[j] == outstanding[j] for j in range(index))


def test_m12_1_a_repayment_above_what_is_owed_is_refused() -> None:
    refused = _refusal(rules.apply_repayment, Decimal("10.01"), [Decimal("10.00")])
    assert (refused.code, refused.field, refused.clauses) == (
        "finance.overpaid",
        "amount",
        ("M12.1",),
    )


@given(st.integers(min_value=0, max_value=9_999_999), st.sampled_from("123"))
def test_m12_1_any_checked_patent_number_is_accepted(serial: int, kind: str) -> None:
    number = complete_patent_application_number(f"2020{kind}{serial:07d}")
    assert rules.check_patent(f"ZL{number}") == number
