"""Evaluation of results (科技成果评价, M10.1): an industry-oriented, multi-dimensional,
standardised and replicable evaluation of a result, performed by a professional evaluation
institution.

* **Who asks** (:func:`requester_kind`): the result's unit, an enterprise, a financial
  institution (bank) or an investment platform. The requester picks the institution.
* **Who evaluates** (:func:`check_institution`): a service institution whose certification as a
  key demonstration service institution (M9.1) is in force on the day; it accepts or declines,
  and one of its people performs the evaluation.
* **Conflicts of interest** (:func:`check_conflict`): the evaluator declares before scoring; a
  person of the result's unit or of the requester may not evaluate.
* **Dimensions and rubric** (:data:`RUBRIC`): six dimensions each scored 0–100 on published bands;
  technology readiness is scored from its GB/T 22900 level (:data:`TRL_SCORES`).
* **Weights** (:data:`WEIGHT_VERSIONS`): versioned like the policy parameters; the version in force
  on the evaluation's date is used and recorded; each version's weights sum to 1
  (:func:`check_weights`). The total is the weighted sum, rounded half up to 2 decimals
  (:func:`weighted_total`).
* **Workflow** (:data:`TRANSITIONS`): requested → accepted → signed, or declined / withdrawn.

Pure Python: the services store what these functions decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import OrganisationKind
from kttc.policy.text import check_text as check_characters

CLAUSES: Final = ("M10.1",)
#: The signature makes the report evidence (M14.1): its hash goes to the audit chain.
SIGN_CLAUSES: Final = ("M10.1", "M14.1")

#: The longest free texts: a purpose, an evidence text, a declared interest, a reason.
MAX_TEXT: Final = 4000
#: Scores run from 0 to 100 on every dimension.
MAX_SCORE: Final = 100
CENT: Final = Decimal("0.01")


class EvaluationStatus(StrEnum):
    REQUESTED = "requested"  # waiting for the institution
    ACCEPTED = "accepted"  # the institution's evaluator is at work
    DECLINED = "declined"  # the institution declined, saying why
    WITHDRAWN = "withdrawn"  # the requester withdrew before the signature
    SIGNED = "signed"  # the evaluator signed the report; frozen


class Step(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    DECLARE = "declare"
    SCORE = "score"
    SIGN = "sign"


#: The statuses each step starts from, and the status it leads to.
TRANSITIONS: Final[dict[Step, tuple[frozenset[EvaluationStatus], EvaluationStatus]]] = {
    Step.ACCEPT: (frozenset({EvaluationStatus.REQUESTED}), EvaluationStatus.ACCEPTED),
    Step.DECLINE: (frozenset({EvaluationStatus.REQUESTED}), EvaluationStatus.DECLINED),
    Step.WITHDRAW: (
        frozenset({EvaluationStatus.REQUESTED, EvaluationStatus.ACCEPTED}),
        EvaluationStatus.WITHDRAWN,
    ),
    Step.DECLARE: (frozenset({EvaluationStatus.ACCEPTED}), EvaluationStatus.ACCEPTED),
    Step.SCORE: (frozenset({EvaluationStatus.ACCEPTED}), EvaluationStatus.ACCEPTED),
    Step.SIGN: (frozenset({EvaluationStatus.ACCEPTED}), EvaluationStatus.SIGNED),
}


class RequesterKind(StrEnum):
    UNIT = "unit"  # the result's own unit
    ENTERPRISE = "enterprise"
    BANK = "bank"  # a financial institution, e.g. for a pledge loan (M12.1)
    INVESTOR = "investor"  # an investment platform


class Dimension(StrEnum):
    READINESS = "readiness"  # technology readiness, GB/T 22900 levels 1–9
    ADVANCEMENT = "advancement"  # technical advancement
    IP = "ip"  # IP strength: claims, family, remaining term, legal status
    MARKET = "market"  # market size, competitors, route to market
    TEAM = "team"  # team and transformation conditions
    RISK = "risk"  # risks: a higher score is a lower risk


DIMENSION_TITLES: Final[dict[Dimension, str]] = {
    Dimension.READINESS: gettext_noop("Technology readiness"),
    Dimension.ADVANCEMENT: gettext_noop("Technical advancement"),
    Dimension.IP: gettext_noop("IP strength"),
    Dimension.MARKET: gettext_noop("Market"),
    Dimension.TEAM: gettext_noop("Team and transformation conditions"),
    Dimension.RISK: gettext_noop("Risks"),
}


@dataclass(frozen=True)
class Band:
    """One band of a dimension's rubric: the scores from ``low`` to ``high`` and what they mean."""

    low: int
    high: int
    description: str


def _bands(*descriptions: str) -> tuple[Band, ...]:
    """Five bands: 0–19, 20–39, 40–59, 60–79, 80–100."""
    lows = (0, 20, 40, 60, 80)
    return tuple(
        Band(low, (lows[i + 1] - 1) if i + 1 < len(lows) else MAX_SCORE, text)
        for i, (low, text) in enumerate(zip(lows, descriptions, strict=True))
    )


#: M10.1: the published rubric, the same for every institution, so that evaluations compare.
RUBRIC: Final[dict[Dimension, tuple[Band, ...]]] = {
    Dimension.READINESS: _bands(
        gettext_noop("Principle or concept only (levels 1–2)"),
        gettext_noop("Key function proven or validated in the lab (levels 3–4)"),
        gettext_noop("Validated in a relevant environment, pilot prototype (levels 5–6)"),
        gettext_noop("Prototype in the real environment or system qualified (levels 7–8)"),
        gettext_noop("Proven in operation, sold or in production (level 9)"),
    ),
    Dimension.ADVANCEMENT: _bands(
        gettext_noop("Behind current practice"),
        gettext_noop("At the level of common practice"),
        gettext_noop("Advanced in the province"),
        gettext_noop("Leading in China"),
        gettext_noop("Leading internationally"),
    ),
    Dimension.IP: _bands(
        gettext_noop("No right filed, or rights lapsed"),
        gettext_noop("Applications pending, narrow claims"),
        gettext_noop("Granted right with some claims, few years left"),
        gettext_noop("Granted rights, sound claims, a family, many years left"),
        gettext_noop("Strong family of granted rights, broad claims, long remaining term"),
    ),
    Dimension.MARKET: _bands(
        gettext_noop("No identified market"),
        gettext_noop("Small or unclear market, strong competitors"),
        gettext_noop("Identified market, a credible route"),
        gettext_noop("Large market, clear advantage over competitors"),
        gettext_noop("Large growing market, buyers already interested"),
    ),
    Dimension.TEAM: _bands(
        gettext_noop("No team or conditions for transformation"),
        gettext_noop("Inventors only, no transformation partner"),
        gettext_noop("Team with a partner or facilities for pilot production"),
        gettext_noop("Experienced team, partner and funding in view"),
        gettext_noop("Complete team, partner, funding and production conditions"),
    ),
    Dimension.RISK: _bands(
        gettext_noop("Very high risk: technical, legal or market risk likely to stop it"),
        gettext_noop("High risk"),
        gettext_noop("Moderate risk, with mitigations"),
        gettext_noop("Low risk"),
        gettext_noop("Very low risk"),
    ),
}

#: The score of each GB/T 22900 readiness level, inside its band of the rubric (ours, published
#: on the rubric page with the levels' meaning; the standard itself gives no scores).
TRL_SCORES: Final[dict[int, int]] = {1: 5, 2: 15, 3: 25, 4: 35, 5: 45, 6: 55, 7: 65, 8: 75, 9: 90}

#: The meaning and typical evidence of each level (GB/T 22900 general definitions).
TRL_LEVELS: Final[dict[int, tuple[str, str]]] = {
    1: (gettext_noop("Basic principle discovered or reported"), gettext_noop("paper, report")),
    2: (
        gettext_noop("Technology concept or application scheme formed"),
        gettext_noop("concept, scheme"),
    ),
    3: (
        gettext_noop("Key function proven by analysis or lab experiment"),
        gettext_noop("lab report"),
    ),
    4: (gettext_noop("Component or module validated in the lab"), gettext_noop("lab prototype")),
    5: (
        gettext_noop("Component or module validated in a relevant environment"),
        gettext_noop("test report"),
    ),
    6: (
        gettext_noop("System or subsystem prototype demonstrated in a relevant environment"),
        gettext_noop("pilot prototype"),
    ),
    7: (
        gettext_noop("System prototype demonstrated in the real environment"),
        gettext_noop("field-test report"),
    ),
    8: (
        gettext_noop("Actual system completed and qualified by test"),
        gettext_noop("type approval, small batch"),
    ),
    9: (
        gettext_noop("Actual system proven in operation; sold or in production"),
        gettext_noop("sales, production records"),
    ),
}


@dataclass(frozen=True)
class WeightVersion:
    """One version of the dimensions' weights, in force from ``effective_from`` until the next
    version starts (like the policy parameters, V.1)."""

    code: str
    effective_from: date
    weights: Mapping[Dimension, Decimal]


def _w(**values: str) -> dict[Dimension, Decimal]:
    return {Dimension(key): Decimal(value) for key, value in values.items()}


#: M10.1: the published weights. A new version is appended, never edited: an evaluation keeps the
#: code of the version it used.
WEIGHT_VERSIONS: Final[tuple[WeightVersion, ...]] = (
    WeightVersion(
        "EVAL-2026",
        date(2026, 1, 1),
        _w(
            readiness="0.20", advancement="0.20", ip="0.20", market="0.15", team="0.10", risk="0.15"
        ),
    ),
)


def check_weights(weights: Mapping[Dimension, Decimal]) -> Mapping[Dimension, Decimal]:
    """M10.1: a version's weights cover every dimension, each between 0 and 1, summing to 1."""
    if set(weights) != set(Dimension):
        raise refuse(
            gettext_noop("The weights must cover every dimension."),
            "evaluation.weights_dimensions", "weights", CLAUSES,
        )  # fmt: skip
    if any(not (Decimal(0) <= w <= Decimal(1)) for w in weights.values()):
        raise refuse(
            gettext_noop("Each weight lies between 0 and 1."),
            "evaluation.weight_range", "weights", CLAUSES,
        )  # fmt: skip
    if sum(weights.values(), Decimal(0)) != Decimal(1):
        raise refuse(
            gettext_noop("The weights must sum to 1."), "evaluation.weights_sum", "weights", CLAUSES
        )
    return weights


def weights_in_force(
    on: date, versions: Iterable[WeightVersion] = WEIGHT_VERSIONS
) -> WeightVersion:
    """M10.1, V.1: the latest version started by ``on``; a date before every version is judged
    by the first one (history is data too)."""
    ordered = sorted(versions, key=lambda v: v.effective_from)
    if not ordered:
        raise refuse(
            gettext_noop("No weights are published."), "evaluation.no_weights", None, CLAUSES
        )
    started = [v for v in ordered if v.effective_from <= on]
    return started[-1] if started else ordered[0]


def check_score(dimension: Dimension, score: int) -> int:
    """M10.1: a score is a whole number from 0 to 100."""
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= MAX_SCORE:
        raise refuse(
            gettext_noop("The score is a whole number from 0 to 100."),
            "evaluation.score", f"score_{dimension.value}", CLAUSES,
        )  # fmt: skip
    return score


def check_trl(level: int) -> int:
    """M10.1: a readiness level is one of GB/T 22900's levels 1–9."""
    if isinstance(level, bool) or not isinstance(level, int) or level not in TRL_SCORES:
        raise refuse(
            gettext_noop("The readiness level is one of the levels 1 to 9 of GB/T 22900."),
            "evaluation.trl", "trl", CLAUSES,
        )  # fmt: skip
    return level


def band_of(dimension: Dimension, score: int) -> Band:
    """The band of the rubric a score falls in."""
    check_score(dimension, score)
    return next(b for b in RUBRIC[dimension] if b.low <= score <= b.high)


def weighted_total(
    scores: Mapping[Dimension, int], weights: Mapping[Dimension, Decimal]
) -> Decimal:
    """M10.1: the weighted total of the six scores, rounded half up to 2 decimals (computed
    exactly first, rounded once)."""
    check_weights(weights)
    missing = [d for d in Dimension if d not in scores]
    if missing:
        raise refuse(
            gettext_noop("Every dimension needs its score; missing: %(missing)s."),
            "evaluation.scores_missing", f"score_{missing[0].value}", CLAUSES,
            missing=", ".join(d.value for d in missing),
        )  # fmt: skip
    exact = sum((weights[d] * check_score(d, scores[d]) for d in Dimension), Decimal(0))
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


def check_text(text: str, field: str, *, required: bool = True) -> str:
    """M10.1: a free text (evidence, purpose, interest, reason): not empty when required, bounded,
    no control characters."""
    cleaned = text.strip()
    if required and not cleaned:
        raise refuse(
            gettext_noop("This text is required."), "evaluation.text_required", field, CLAUSES
        )
    if len(cleaned) > MAX_TEXT:
        raise refuse(
            gettext_noop("At most %(max)s characters."), "evaluation.text_long", field, CLAUSES,
            max=MAX_TEXT,
        )  # fmt: skip
    return check_characters(cleaned, field=field, multiline=True)


def requester_kind(kind: OrganisationKind | str, *, is_unit: bool) -> RequesterKind:
    """M10.1: who may request: the result's unit, an enterprise, a bank or an investor."""
    if is_unit:
        return RequesterKind.UNIT
    by_kind = {
        OrganisationKind.ENTERPRISE: RequesterKind.ENTERPRISE,
        OrganisationKind.FINANCIAL_INSTITUTION: RequesterKind.BANK,
        OrganisationKind.INVESTMENT_PLATFORM: RequesterKind.INVESTOR,
    }
    try:
        return by_kind[OrganisationKind(kind)]
    except (KeyError, ValueError):
        raise refuse(
            gettext_noop(
                "An evaluation is requested by the result's unit, an enterprise, a bank or an "
                "investor."
            ),
            "evaluation.requester", "requester", CLAUSES,
        ) from None  # fmt: skip


def check_institution(kind: OrganisationKind | str, *, certified: bool) -> None:
    """M10.1 with M9.1: the evaluation institution is a service institution whose certification
    as a key demonstration service institution is in force."""
    if kind != OrganisationKind.SERVICE_INSTITUTION or not certified:
        raise refuse(
            gettext_noop(
                "The evaluation institution must be a service institution with a certification "
                "in force (M9.1)."
            ),
            "evaluation.institution", "institution", CLAUSES,
        )  # fmt: skip


def check_conflict(
    evaluator_organisations: Iterable[int], *, unit: int, requester: int, institution: int
) -> None:
    """M10.1: a person of the result's own unit, or of the requester, may not evaluate it; nor may
    an institution evaluate a result of its own or one it asked for."""
    orgs = set(evaluator_organisations)
    if institution in (unit, requester) or unit in orgs:
        raise refuse(
            gettext_noop(
                "M10.1: an evaluator of the result's own unit may not evaluate it (conflict of "
                "interest)."
            ),
            "evaluation.conflict_unit", "evaluator", CLAUSES,
        )  # fmt: skip
    if requester in orgs:
        raise refuse(
            gettext_noop(
                "M10.1: an evaluator of the requester may not evaluate its request (conflict of "
                "interest)."
            ),
            "evaluation.conflict_requester", "evaluator", CLAUSES,
        )  # fmt: skip


def check_step(step: Step, status: EvaluationStatus | str) -> EvaluationStatus:
    """M10.1: the status a step leads to, or a refusal naming the status it cannot start from."""
    starts, to = TRANSITIONS[step]
    if EvaluationStatus(status) not in starts:
        raise refuse(
            gettext_noop("M10.1: this step is not possible on an evaluation that is %(status)s."),
            "evaluation.step", "status", CLAUSES, status=str(status),
        )  # fmt: skip
    return to


def check_ready_to_sign(
    *, declared: bool, scores: Mapping[Dimension, int], evidence: Mapping[Dimension, str]
) -> None:
    """M10.1: a report is signed only after the declaration, with every dimension scored and its
    evidence written."""
    if not declared:
        raise refuse(
            gettext_noop("M10.1: the evaluator declares any conflict of interest before scoring."),
            "evaluation.not_declared", "conflict", CLAUSES,
        )  # fmt: skip
    for d in Dimension:
        if d not in scores:
            raise refuse(
                gettext_noop("Every dimension needs its score; missing: %(missing)s."),
                "evaluation.scores_missing", f"score_{d.value}", CLAUSES, missing=d.value,
            )  # fmt: skip
        if not evidence.get(d, "").strip():
            raise refuse(
                gettext_noop("Every dimension needs its evidence; missing: %(missing)s."),
                "evaluation.evidence_missing", f"evidence_{d.value}", CLAUSES, missing=d.value,
            )  # fmt: skip


def check_ip_details(
    *, claims: int, family: int, remaining_years: int, legal_status: str
) -> dict[str, object]:
    """M10.1: the IP dimension records its claims, family size, remaining term and legal status."""
    for field, value, top in (
        ("ip_claims", claims, 10000), ("ip_family", family, 1000),
        ("ip_remaining_years", remaining_years, 30),
    ):  # fmt: skip
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            raise refuse(
                gettext_noop("A whole number from 0 to %(max)s."), "evaluation.ip_number", field,
                CLAUSES, max=top,
            )  # fmt: skip
    return {
        "claims": claims,
        "family": family,
        "remaining_years": remaining_years,
        "legal_status": check_text(legal_status, "ip_legal_status", required=False)[:200],
    }
