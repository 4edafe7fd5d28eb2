"""Evaluation of results (M10.1), without a database: the rubric's bands, the readiness scores,
the weights' versions (each summing to 1, the version in force by date), the weighted total
rounded half up to 2 decimals, who may request, which institution, the conflicts of interest,
the steps (examples and properties)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import evaluation as rules
from kttc.policy.errors import PolicyError
from kttc.policy.roles import OrganisationKind

D = Decimal
Dim = rules.Dimension


def _refusal(func: Callable[..., object], *args: object, **kwargs: object) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        func(*args, **kwargs)
    return refused.value


def test_m10_1_every_published_weight_version_sums_to_one_over_every_dimension() -> None:
    for version in rules.WEIGHT_VERSIONS:
        assert set(version.weights) == set(Dim)
        assert sum(version.weights.values(), D(0)) == D(1)
        rules.check_weights(version.weights)


@st.composite
def weights(draw: st.DrawFn) -> dict[Dim, Decimal]:
    """Weights in hundredths summing to exactly 1."""
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=5, max_size=5)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    return {d: D(p) / 100 for d, p in zip(Dim, parts, strict=True)}


scores_st = st.fixed_dictionaries({d: st.integers(0, 100) for d in Dim})


@given(weights())
def test_m10_1_weights_summing_to_one_pass_and_any_change_is_refused(w: dict[Dim, D]) -> None:
    assert rules.check_weights(w) == w
    off = dict(w)
    off[Dim.RISK] = off[Dim.RISK] + D("0.01")
    assert _refusal(rules.check_weights, off).code in {
        "evaluation.weights_sum",
        "evaluation.weight_range",
    }


def test_m10_1_weights_missing_a_dimension_or_out_of_range_are_refused() -> None:
    w = dict(rules.WEIGHT_VERSIONS[0].weights)
    del w[Dim.RISK]
    assert _refusal(rules.check_weights, w).code == "evaluation.weights_dimensions"
    w = {d: D(0) for d in Dim} | {Dim.IP: D("1.5"), Dim.RISK: D("-0.5")}
    assert _refusal(rules.check_weights, w).code == "evaluation.weight_range"


@given(weights(), scores_st)
def test_m10_1_the_total_is_the_weighted_sum_rounded_half_up_to_two_decimals(
    w: dict[Dim, D], scores: dict[Dim, int]
) -> None:
    total = rules.weighted_total(scores, w)
    exact = sum((w[d] * scores[d] for d in Dim), D(0))
    assert total == exact.quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert total.as_tuple().exponent == -2
    assert min(scores.values()) <= total <= max(scores.values())


def test_m10_1_rounding_half_up_examples() -> None:
    # 0.125·… cases: an exact third decimal of 5 rounds up, never to even.
    w = {Dim.READINESS: D("0.125"), Dim.ADVANCEMENT: D("0.875")} | {
        d: D(0) for d in (Dim.IP, Dim.MARKET, Dim.TEAM, Dim.RISK)
    }
    s = {d: 0 for d in Dim} | {Dim.READINESS: 1}
    assert rules.weighted_total(s, w) == D("0.13")  # 0.125 → 0.13 (half even would give 0.12)
    s = {d: 0 for d in Dim} | {Dim.READINESS: 3}
    assert rules.weighted_total(s, w) == D("0.38")  # 0.375 → 0.38
    w2026 = rules.WEIGHT_VERSIONS[0].weights
    s = {Dim.READINESS: 55, Dim.ADVANCEMENT: 80, Dim.IP: 70, Dim.MARKET: 65, Dim.TEAM: 55,
         Dim.RISK: 60}  # fmt: skip
    assert rules.weighted_total(s, w2026) == D("65.25")
    assert rules.weighted_total(dict.fromkeys(Dim, 100), w2026) == D("100.00")


def test_m10_1_a_total_needs_every_score() -> None:
    error = _refusal(rules.weighted_total, {Dim.READINESS: 50}, rules.WEIGHT_VERSIONS[0].weights)
    assert (error.code, error.field) == ("evaluation.scores_missing", "score_advancement")


def test_m10_1_the_version_in_force_on_the_evaluation_s_date_is_used() -> None:
    first = rules.WeightVersion("A", date(2026, 1, 1), rules.WEIGHT_VERSIONS[0].weights)
    second = rules.WeightVersion("B", date(2027, 7, 1), rules.WEIGHT_VERSIONS[0].weights)
    versions = (second, first)
    assert rules.weights_in_force(date(2026, 6, 30), versions).code == "A"
    assert rules.weights_in_force(date(2027, 6, 30), versions).code == "A"
    assert rules.weights_in_force(date(2027, 7, 1), versions).code == "B"
    # History: a date before every version is judged by the first (V.1).
    assert rules.weights_in_force(date(2020, 1, 1), versions).code == "A"
    assert _refusal(rules.weights_in_force, date(2026, 1, 1), ()).code == "evaluation.no_weights"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_m10_1_some_version_is_always_in_force_and_it_sums_to_one(on: date) -> None:
    version = rules.weights_in_force(on)
    assert sum(version.weights.values(), D(0)) == D(1)
    later = [v for v in rules.WEIGHT_VERSIONS if on < v.effective_from]
    started = [v for v in rules.WEIGHT_VERSIONS if v.effective_from <= on]
    assert version in (started[-1:] or later[:1])
    assert rules.weights_in_force(on + timedelta(days=0)) == version


def test_m10_1_the_rubric_has_five_bands_covering_0_to_100_for_every_dimension() -> None:
    for d in Dim:
        bands = rules.RUBRIC[d]
        assert len(bands) == 5 and bands[0].low == 0 and bands[-1].high == 100
        for a, b in itertools.pairwise(bands):
            assert b.low == a.high + 1
        assert all(band.description for band in bands)
    assert set(rules.DIMENSION_TITLES) == set(Dim)


@given(st.sampled_from(list(Dim)), st.integers(0, 100))
def test_m10_1_every_score_falls_in_exactly_one_band(d: Dim, score: int) -> None:
    found = [b for b in rules.RUBRIC[d] if b.low <= score <= b.high]
    assert found == [rules.band_of(d, score)]


def test_m10_1_readiness_levels_score_inside_their_band_and_rise_with_the_level() -> None:
    assert sorted(rules.TRL_SCORES) == list(range(1, 10)) == sorted(rules.TRL_LEVELS)
    values = [rules.TRL_SCORES[level] for level in range(1, 10)]
    assert values == sorted(values)
    bands = {1: 0, 2: 0, 3: 1, 4: 1, 5: 2, 6: 2, 7: 3, 8: 3, 9: 4}
    for level, band in bands.items():
        assert (
            rules.band_of(Dim.READINESS, rules.TRL_SCORES[level])
            == rules.RUBRIC[Dim.READINESS][band]
        )
    for bad in (0, 10, True):
        assert _refusal(rules.check_trl, bad).field == "trl"


@pytest.mark.parametrize("bad", [-1, 101, True])
def test_m10_1_a_score_is_a_whole_number_from_0_to_100(bad: int) -> None:
    error = _refusal(rules.check_score, Dim.MARKET, bad)
    assert (error.code, error.field) == ("evaluation.score", "score_market")


def test_m10_1_who_may_request() -> None:
    assert (
        rules.requester_kind(OrganisationKind.UNIVERSITY, is_unit=True) is rules.RequesterKind.UNIT
    )
    expected = {
        OrganisationKind.ENTERPRISE: rules.RequesterKind.ENTERPRISE,
        OrganisationKind.FINANCIAL_INSTITUTION: rules.RequesterKind.BANK,
        OrganisationKind.INVESTMENT_PLATFORM: rules.RequesterKind.INVESTOR,
    }
    for kind, found in expected.items():
        assert rules.requester_kind(kind, is_unit=False) is found
    others: tuple[str, ...] = (
        OrganisationKind.UNIVERSITY, OrganisationKind.SERVICE_INSTITUTION, "nonsense",
    )  # fmt: skip
    for other in others:
        error = _refusal(rules.requester_kind, other, is_unit=False)
        assert (error.code, error.field) == ("evaluation.requester", "requester")


def test_m10_1_only_a_certified_service_institution_evaluates() -> None:
    rules.check_institution(OrganisationKind.SERVICE_INSTITUTION, certified=True)
    for kind, certified in (
        (OrganisationKind.SERVICE_INSTITUTION, False), (OrganisationKind.ENTERPRISE, True),
    ):  # fmt: skip
        error = _refusal(rules.check_institution, kind, certified=certified)
        assert (error.code, error.field) == ("evaluation.institution", "institution")
        assert "M9.1" in error.message


def test_m10_1_conflicts_of_interest_are_refused_naming_the_clause() -> None:
    rules.check_conflict([7, 8], unit=1, requester=2, institution=3)
    error = _refusal(rules.check_conflict, [3, 1], unit=1, requester=2, institution=3)
    assert (error.code, error.field) == ("evaluation.conflict_unit", "evaluator")
    assert error.message.startswith("M10.1:")
    error = _refusal(rules.check_conflict, [3, 2], unit=1, requester=2, institution=3)
    assert error.code == "evaluation.conflict_requester"
    # The institution itself may not be the unit or the requester.
    assert _refusal(rules.check_conflict, [], unit=3, requester=2, institution=3).code == (
        "evaluation.conflict_unit"
    )


@given(st.sampled_from(list(rules.Step)), st.sampled_from(list(rules.EvaluationStatus)))
def test_m10_1_each_step_starts_only_from_its_statuses(
    step: rules.Step, status: rules.EvaluationStatus
) -> None:
    starts, to = rules.TRANSITIONS[step]
    if status in starts:
        assert rules.check_step(step, status) is to
    else:
        assert _refusal(rules.check_step, step, status).code == "evaluation.step"


def test_m10_1_a_signed_evaluation_is_final() -> None:
    for step in rules.Step:
        for final in (rules.EvaluationStatus.SIGNED, rules.EvaluationStatus.DECLINED,
                      rules.EvaluationStatus.WITHDRAWN):  # fmt: skip
            assert _refusal(rules.check_step, step, final).field == "status"


def test_m10_1_a_report_is_signed_only_declared_scored_and_with_evidence() -> None:
    full = dict.fromkeys(Dim, 50)
    evidence = dict.fromkeys(Dim, "证据")
    rules.check_ready_to_sign(declared=True, scores=full, evidence=evidence)
    assert (
        _refusal(rules.check_ready_to_sign, declared=False, scores=full, evidence=evidence).code
        == "evaluation.not_declared"
    )
    assert _refusal(
        rules.check_ready_to_sign, declared=True, scores=full,
        evidence=evidence | {Dim.TEAM: " "},
    ).field == "evidence_team"  # fmt: skip


def test_m10_1_texts_are_bounded_and_free_of_control_characters() -> None:
    assert rules.check_text("  证据  ", "evidence_ip") == "证据"
    assert rules.check_text("", "interest", required=False) == ""
    assert _refusal(rules.check_text, " ", "purpose").code == "evaluation.text_required"
    assert _refusal(rules.check_text, "x" * 4001, "purpose").code == "evaluation.text_long"
    assert _refusal(rules.check_text, "a\x1bb", "purpose").field == "purpose"


def test_m10_1_ip_details_are_whole_numbers_in_range() -> None:
    assert rules.check_ip_details(claims=12, family=3, remaining_years=15, legal_status="有效") == {
        "claims": 12,
        "family": 3,
        "remaining_years": 15,
        "legal_status": "有效",
    }
    error = _refusal(rules.check_ip_details, claims=1, family=1, remaining_years=31,
                     legal_status="")  # fmt: skip
    assert error.field == "ip_remaining_years"
