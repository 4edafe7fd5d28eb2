"""Service institutions and brokers (M9.1, M9.2), without a database: brokers' qualifications,
the certification's steps and term, the subsidy's disbursement, and the brokers' reward split
to the fen (examples and properties)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import institutions as rules
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability, Role, role_can

D = Decimal
SUBSIDY = D("100000.00")
MIN = D("0.10")


def _refusal(func: Callable[..., object], *args: object, **kwargs: object) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        func(*args, **kwargs)
    return refused.value


def test_m9_2_a_broker_is_registered_with_certificate_level_fields_and_languages() -> None:
    broker = rules.check_broker(
        " km-2025/0012 ", "senior", ["新材料", " 新材料", "生物医药"], ["zh-hans", "lo", "lo"]
    )
    assert broker == rules.Broker(
        "KM-2025/0012", rules.CertificateLevel.SENIOR, ("新材料", "生物医药"), ("zh-hans", "lo")
    )
    for args, field in (
        (("12", "senior", ["a"], ["en"]), "certificate_number"),
        (("KM-1234", "master", ["a"], ["en"]), "certificate_level"),
        (("KM-1234", "junior", [" "], ["en"]), "fields"),
        (("KM-1234", "junior", [str(n) for n in range(11)], ["en"]), "fields"),
        (("KM-1234", "junior", ["a"], []), "languages"),
        (("KM-1234", "junior", ["a"], ["xx"]), "languages"),
    ):
        error = _refusal(rules.check_broker, *args)
        assert error.field == field and error.clauses == ("M9.2",)


def test_m9_1_the_bureau_certifies_or_refuses_waiting_applications_revokes_certified() -> None:
    assert rules.check_transition("submitted", rules.Decision.CERTIFY) == "certified"
    assert rules.check_transition("submitted", rules.Decision.REFUSE) == "refused"
    assert rules.check_transition("certified", rules.Decision.REVOKE) == "revoked"
    for status, decision in (
        ("certified", rules.Decision.CERTIFY),
        ("refused", rules.Decision.CERTIFY),
        ("submitted", rules.Decision.REVOKE),
        ("revoked", rules.Decision.REVOKE),
    ):
        assert _refusal(rules.check_transition, status, decision).code == "certification.status"


def test_m9_1_an_institution_applies_once_at_a_time_and_renews_near_its_term_s_end() -> None:
    day = date(2026, 3, 1)
    rules.check_may_apply(waiting=False, in_force_until=None, today=day)
    rules.check_may_apply(waiting=False, in_force_until=date(2026, 5, 30), today=day)
    assert (
        _refusal(rules.check_may_apply, waiting=True, in_force_until=None, today=day).code
        == "certification.waiting"
    )
    error = _refusal(
        rules.check_may_apply, waiting=False, in_force_until=date(2026, 6, 1), today=day
    )
    assert (error.code, error.clauses) == ("certification.in_force", ("M9.1",))


def test_m9_1_a_term_ends_after_it_starts_and_not_before_the_decision() -> None:
    day = date(2026, 3, 1)
    assert rules.check_term(day, date(2029, 2, 28), decided_on=day) == (day, date(2029, 2, 28))
    assert _refusal(rules.check_term, day, day, decided_on=day).field == "term_end"
    assert _refusal(rules.check_term, date(2025, 1, 1), date(2026, 2, 1), decided_on=day).code == (
        "certification.term_past"
    )
    assert _refusal(rules.check_term, date(2024, 1, 1), date(2027, 1, 1), decided_on=day).field == (
        "term_start"
    )
    assert rules.in_force("certified", day, date(2029, 2, 28), date(2029, 2, 28))
    assert not rules.in_force("certified", day, date(2029, 2, 28), date(2029, 3, 1))
    assert not rules.in_force("revoked", day, date(2029, 2, 28), day)


def test_m9_1_the_subsidy_is_disbursed_after_the_certification_and_recorded_once_paid() -> None:
    assert rules.subsidy_amount(D("100000.00")) == D("100000.00")
    certified = date(2026, 3, 1)
    assert rules.check_disbursement(certified, certified_on=certified, today=certified)
    error = _refusal(
        rules.check_disbursement, date(2026, 2, 1), certified_on=certified, today=certified
    )
    assert (error.code, error.field, error.clauses) == (
        "subsidy.before_certification", "disbursed_on", ("M9.1",),
    )  # fmt: skip
    assert (
        _refusal(
            rules.check_disbursement, date(2026, 3, 2), certified_on=certified, today=certified
        ).code
        == "subsidy.future"
    )


def test_m9_2_the_reward_is_split_by_agreed_shares_to_the_fen() -> None:
    split = rules.split_reward(
        SUBSIDY, D("10000.00"), {"KM-1": D("60"), "KM-2": D("40")}, min_share=MIN
    )
    assert split.minimum == D("10000.00")
    assert [(line.broker, line.share, line.amount) for line in split.lines] == [
        ("KM-1", D("0.60"), D("6000.00")),
        ("KM-2", D("0.40"), D("4000.00")),
    ]
    odd = rules.split_reward(SUBSIDY, D("10000.01"), {"A": 25, "B": 50, "C": 25}, min_share=MIN)
    assert [(line.broker, line.amount) for line in odd.lines] == [
        ("B", D("5000.01")), ("A", D("2500.00")), ("C", D("2500.00")),
    ]  # fmt: skip


def test_m9_2_below_the_minimum_or_above_the_subsidy_is_refused_naming_the_total() -> None:
    error = _refusal(rules.split_reward, SUBSIDY, D("9999.99"), {"A": 100}, min_share=MIN)
    assert (error.code, error.field, error.clauses) == ("reward.below_minimum", "total", ("M9.2",))
    assert error.message.startswith("M9.2: ") and "10%" in error.message
    error = _refusal(rules.split_reward, SUBSIDY, D("100000.01"), {"A": 100}, min_share=MIN)
    assert (error.code, error.field) == ("reward.above_subsidy", "total")
    error = _refusal(rules.split_reward, SUBSIDY, D("10000.00"), {"A": 60, "B": 30}, min_share=MIN)
    assert (error.code, error.field, error.clauses) == ("shares.sum", "shares", ("M9.2",))
    error = _refusal(rules.split_reward, SUBSIDY, D("10000.001"), {"A": 100}, min_share=MIN)
    assert error.field == "total"
    # The minimum is rounded up: 10 % of 0.05 is half a fen, so one fen is the least.
    assert rules.minimum_reward(D("0.05"), MIN) == D("0.01")


def test_m9_the_roles_that_manage_and_certify_institutions() -> None:
    assert role_can(Role.SERVICE_BROKER, Capability.MANAGE_INSTITUTION)
    assert role_can(Role.BUREAU, Capability.CERTIFY_INSTITUTIONS_ALL)
    assert not role_can(Role.ENTERPRISE, Capability.MANAGE_INSTITUTION)
    assert not role_can(Role.AUDITOR, Capability.CERTIFY_INSTITUTIONS_ALL)


# --- properties --------------------------------------------------------------------------------

fen = st.integers(0, 10**12).map(lambda n: Decimal(n).scaleb(-2))
ratios = st.integers(0, 10_000).map(lambda n: Decimal(n).scaleb(-4))
weights = st.lists(st.integers(1, 10_000), min_size=1, max_size=8)


@st.composite
def reward_cases(draw: st.DrawFn) -> tuple[Decimal, Decimal, Decimal, dict[str, Decimal]]:
    subsidy = draw(fen)
    min_share = draw(ratios)
    total = draw(st.integers(0, int(subsidy * 100)).map(lambda n: Decimal(n).scaleb(-2)))
    raw = draw(weights)
    # Percentages adding up to exactly 100: the last takes what the others leave.
    scaled = [Fraction(w * 100, sum(raw)) for w in raw]
    shares = [Decimal(int(s * 10_000)).scaleb(-4) for s in scaled[:-1]]
    shares.append(D(100) - sum(shares, D(0)))
    named = {f"KM-{n:04d}": share for n, share in enumerate(shares) if share > 0}
    return subsidy, min_share, total, named


@given(reward_cases())
def test_m9_2_an_accepted_reward_adds_up_exactly_and_respects_the_minimum(
    case: tuple[Decimal, Decimal, Decimal, dict[str, Decimal]],
) -> None:
    subsidy, min_share, total, shares = case
    exact_minimum = Fraction(subsidy) * Fraction(min_share)
    try:
        split = rules.split_reward(subsidy, total, shares, min_share=min_share)
    except PolicyError as error:
        # Refused only because the total falls below the share of the subsidy (M9.2).
        assert (error.code, error.field, error.clauses) == (
            "reward.below_minimum", "total", ("M9.2",),
        )  # fmt: skip
        assert Fraction(total) < exact_minimum
        return
    assert Fraction(split.total) >= exact_minimum
    assert (
        split.minimum - D("0.01")
        < Decimal(exact_minimum.numerator) / exact_minimum.denominator
        <= split.minimum
    )
    assert sum((line.amount for line in split.lines), D("0.00")) == split.total == total
    assert all(line.amount >= 0 and line.amount.as_tuple().exponent == -2 for line in split.lines)
    assert {line.broker for line in split.lines} == set(shares)
    # Each line is within a fen of its exact share of the total.
    for line in split.lines:
        assert abs(Fraction(line.amount) - Fraction(total) * Fraction(line.share)) < Fraction(
            1, 100
        )


@given(subsidy=fen, min_share=ratios, short=st.integers(1, 10**6))
def test_m9_2_any_total_below_the_minimum_is_refused(
    subsidy: Decimal, min_share: Decimal, short: int
) -> None:
    minimum = rules.minimum_reward(subsidy, min_share)
    total = minimum - Decimal(short).scaleb(-2)
    if total < 0:
        return
    error = _refusal(rules.split_reward, subsidy, total, {"KM-1": D(100)}, min_share=min_share)
    assert (error.code, error.field) == ("reward.below_minimum", "total")


# --- deals facilitated (M9.1, M9.2) -------------------------------------------------------------


@given(st.text(max_size=12))
def test_m9_a_deal_is_one_of_four_kinds_or_refused_naming_the_field(kind: str) -> None:
    if kind in {k.value for k in rules.DealKind}:
        assert rules.deal_kind(kind) == rules.DealKind(kind)
    else:
        refused = _refusal(rules.deal_kind, kind)
        assert (refused.field, refused.clauses) == ("deal", rules.FACILITATION_CLAUSES)


@given(st.booleans(), st.booleans())
def test_m9_a_broker_is_named_only_while_registered_and_once_per_deal(
    active: bool, already: bool
) -> None:
    if active and not already:
        rules.check_facilitation(broker_active=active, already_named=already)
        return
    refused = _refusal(rules.check_facilitation, broker_active=active, already_named=already)
    assert refused.field == "broker"
    expected = "facilitation.broker_withdrawn" if not active else "facilitation.twice"
    assert refused.code == expected
