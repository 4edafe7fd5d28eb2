"""Writes of evaluations (M10.1): ``<thing>_<verb>`` functions, keyword-only, each a decision
(``@decision``: the audit chain's lock first, then the evaluation's row, DESIGN rule 9) recorded
in the audit chain with its clause ids. The rules are :mod:`kttc.policy.evaluation`; a refused
step raises its PolicyError before anything is stored, and everyone waiting hears of a step at
once (:mod:`kttc.center.evaluation.notices`).

* The requester (the result's unit, an enterprise, a bank or an investor) asks a certified
  institution (:func:`evaluation_request`) and may withdraw before the signature.
* The institution accepts, naming its evaluator, or declines saying why.
* The evaluator declares any conflict of interest (:func:`evaluation_declare`), scores every
  dimension with its evidence (:func:`evaluation_score`) and signs (:func:`evaluation_sign`):
  the report's content is frozen, its SHA-256 goes to the audit chain (M14.1).
* The result's unit agrees to show a signed evaluation on the result's public page, or revokes
  that consent (:func:`evaluation_show`).

Legal dates: each service takes ``today`` (a date in Asia/Shanghai); left out, it is
:func:`kttc.center.evaluation.selectors.today`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from kttc.center.evaluation import notices, report, selectors
from kttc.center.evaluation.choices import EvaluationStatus
from kttc.center.evaluation.models import DimensionScore, Evaluation, EvaluationReport
from kttc.center.institutions import selectors as institutions
from kttc.core.errors import AccessDenied
from kttc.core.models import Membership, Organisation, User
from kttc.core.selectors import user_can
from kttc.core.services import Document, audit_record, decision, require_capability
from kttc.policy import evaluation as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role
from kttc.registry.models import Achievement


@dataclass(frozen=True)
class Scores:
    """What the evaluator enters: the readiness level found, each dimension's score and evidence
    (by dimension value), the IP's details, the market's details and a conclusion."""

    trl: int
    scores: Mapping[str, int]
    evidence: Mapping[str, str]
    ip_claims: int = 0
    ip_family: int = 0
    ip_remaining_years: int = 0
    ip_legal_status: str = ""
    market_size: str = ""
    market_competitors: str = ""
    market_route: str = ""
    summary: str = ""


def _record(actor: User, evaluation: Evaluation, action: str, **kwargs: Any) -> None:
    clauses = kwargs.pop("clauses", rules.CLAUSES)
    audit_record(
        actor=actor,
        organisation=evaluation.institution,
        action=f"evaluation.{action}",
        obj=evaluation,
        clauses=list(clauses),
        **kwargs,
    )


def _lock(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("result", "result__unit", "requester", "institution", "evaluator")
        .get(pk=evaluation.pk)
    )


def _organisations_of(user: User) -> list[int]:
    return list(
        Membership.objects.filter(user=user, revoked_at__isnull=True).values_list(
            "organisation_id", flat=True
        )
    )


@decision
def evaluation_request(
    *,
    actor: User,
    requester: Organisation,
    result: Achievement,
    institution: Organisation,
    purpose: str,
    today: date | None = None,
) -> Evaluation:
    """M10.1: the requester asks a certified institution to evaluate a result: its own as its
    unit, or a public one as an enterprise, a bank or an investor. The institution hears of it,
    and so does the result's unit when another asked."""
    on = today or selectors.today()
    require_capability(actor, Capability.REQUEST_EVALUATION, requester)
    result = Achievement.objects.select_related("unit").get(pk=result.pk)
    is_unit = result.unit_id == requester.pk
    kind = rules.requester_kind(requester.kind, is_unit=is_unit)
    if not is_unit and not result.is_public:
        raise refuse(
            gettext_noop("M10.1: another organisation may ask to evaluate only a public result."),
            "evaluation.result_not_public", "result", rules.CLAUSES,
        )  # fmt: skip
    rules.check_institution(
        institution.kind,
        certified=institutions.certification_in_force(institution, on) is not None,
    )
    rules.check_conflict(
        [], unit=result.unit_id, requester=requester.pk, institution=institution.pk
    )
    purpose = rules.check_text(purpose, "purpose")
    if Evaluation.objects.filter(
        result=result, requester=requester, institution=institution, status__in=selectors.OPEN
    ).exists():
        raise refuse(
            gettext_noop("This institution already has your open request for this result."),
            "evaluation.duplicate", "institution", rules.CLAUSES,
        )  # fmt: skip
    evaluation = Evaluation.objects.create(
        result=result, requester=requester, requester_kind=kind.value, requested_by=actor,
        institution=institution, purpose=purpose, requested_on=on,
    )  # fmt: skip
    _record(
        actor, evaluation, "request",
        after={"result": result.pk, "requester": requester.pk, "requester_kind": kind.value,
               "institution": institution.pk, "requested_on": on.isoformat()},
    )  # fmt: skip
    notices.tell_institution(notices.REQUESTED, evaluation)
    notices.tell_unit(notices.REQUESTED, evaluation)
    return evaluation


def _as_institution(actor: User, evaluation: Evaluation) -> Evaluation:
    found = _lock(evaluation)
    require_capability(actor, Capability.EVALUATE_RESULTS, found.institution)
    return found


@decision
def evaluation_accept(
    *, actor: User, evaluation: Evaluation, evaluator: User, today: date | None = None
) -> Evaluation:
    """M10.1: the institution accepts the request and names its evaluator, one of its people
    who is neither of the result's unit nor of the requester; the requester, the unit and the
    evaluator hear of it."""
    on = today or selectors.today()
    evaluation = _as_institution(actor, evaluation)
    status = rules.check_step(rules.Step.ACCEPT, evaluation.status)
    if not Membership.objects.filter(
        user=evaluator, organisation=evaluation.institution, role=Role.SERVICE_BROKER,
        revoked_at__isnull=True,
    ).exists():  # fmt: skip
        raise refuse(
            gettext_noop("The evaluator is one of the institution's people."),
            "evaluation.evaluator_not_member", "evaluator", rules.CLAUSES,
        )  # fmt: skip
    rules.check_conflict(
        _organisations_of(evaluator), unit=evaluation.result.unit_id,
        requester=evaluation.requester_id, institution=evaluation.institution_id,
    )  # fmt: skip
    evaluation.status = status.value
    evaluation.evaluator, evaluation.decided_by, evaluation.decided_on = evaluator, actor, on
    evaluation.save()
    _record(
        actor, evaluation, "accept",
        before={"status": rules.EvaluationStatus.REQUESTED.value},
        after={"status": status.value, "evaluator": evaluator.pk, "decided_on": on.isoformat()},
    )  # fmt: skip
    params = {"evaluator": evaluator.full_name}
    notices.tell_requester(notices.ACCEPTED, evaluation, **params)
    notices.tell_unit(notices.ACCEPTED, evaluation, **params)
    notices.tell_evaluator(evaluation)
    return evaluation


@decision
def evaluation_decline(
    *, actor: User, evaluation: Evaluation, reason: str, today: date | None = None
) -> Evaluation:
    """M10.1: the institution declines the request, saying why; the requester hears of it."""
    on = today or selectors.today()
    evaluation = _as_institution(actor, evaluation)
    status = rules.check_step(rules.Step.DECLINE, evaluation.status)
    reason = rules.check_text(reason, "reason")
    evaluation.status, evaluation.reason = status.value, reason
    evaluation.decided_by, evaluation.decided_on = actor, on
    evaluation.save()
    _record(
        actor, evaluation, "decline",
        before={"status": rules.EvaluationStatus.REQUESTED.value},
        after={"status": status.value, "reason": reason, "decided_on": on.isoformat()},
    )  # fmt: skip
    notices.tell_requester(notices.DECLINED, evaluation, reason=reason)
    notices.tell_unit(notices.DECLINED, evaluation, reason=reason)
    return evaluation


@decision
def evaluation_withdraw(*, actor: User, evaluation: Evaluation) -> Evaluation:
    """M10.1: the requester withdraws its request before the signature; the institution hears."""
    evaluation = _lock(evaluation)
    require_capability(actor, Capability.REQUEST_EVALUATION, evaluation.requester)
    before = evaluation.status
    status = rules.check_step(rules.Step.WITHDRAW, evaluation.status)
    evaluation.status = status.value
    evaluation.save()
    _record(actor, evaluation, "withdraw", before={"status": before}, after={"status": status})
    notices.tell_institution(notices.WITHDRAWN, evaluation)
    return evaluation


def _as_evaluator(actor: User, evaluation: Evaluation, step: rules.Step) -> Evaluation:
    evaluation = _lock(evaluation)
    rules.check_step(step, evaluation.status)
    if evaluation.evaluator_id != actor.pk:
        raise AccessDenied(
            gettext_noop("M10.1: only the named evaluator performs and signs the evaluation.")
        )
    return evaluation


@decision
def evaluation_declare(*, actor: User, evaluation: Evaluation, interest: str) -> Evaluation:
    """M10.1: the evaluator declares, before scoring, that they have no conflict of interest
    (an empty ``interest``) or describes their interest, which the report then shows. A person
    of the result's unit or of the requester is refused."""
    evaluation = _as_evaluator(actor, evaluation, rules.Step.DECLARE)
    rules.check_conflict(
        _organisations_of(actor), unit=evaluation.result.unit_id,
        requester=evaluation.requester_id, institution=evaluation.institution_id,
    )  # fmt: skip
    interest = rules.check_text(interest, "interest", required=False)
    before = {"declared_interest": evaluation.declared_interest}
    evaluation.declared_at, evaluation.declared_interest = timezone.now(), interest
    evaluation.save()
    _record(
        actor, evaluation, "declare", before=before,
        after={"declared_interest": interest, "conflict": bool(interest)},
    )  # fmt: skip
    return evaluation


def _details(dimension: rules.Dimension, data: Scores) -> dict[str, Any]:
    if dimension is rules.Dimension.READINESS:
        return {"trl": data.trl}
    if dimension is rules.Dimension.IP:
        return rules.check_ip_details(
            claims=data.ip_claims, family=data.ip_family,
            remaining_years=data.ip_remaining_years, legal_status=data.ip_legal_status,
        )  # fmt: skip
    if dimension is rules.Dimension.MARKET:
        return {
            "size": rules.check_text(data.market_size, "market_size", required=False)[:300],
            "competitors": rules.check_text(
                data.market_competitors, "market_competitors", required=False
            )[:1000],
            "route": rules.check_text(data.market_route, "market_route", required=False)[:1000],
        }
    return {}


def _checked_scores(data: Scores) -> dict[rules.Dimension, tuple[int, str, dict[str, Any]]]:
    level = rules.check_trl(data.trl)
    checked: dict[rules.Dimension, tuple[int, str, dict[str, Any]]] = {}
    for d in rules.Dimension:
        if d is rules.Dimension.READINESS:
            score = rules.TRL_SCORES[level]
        else:
            raw = data.scores.get(d.value)
            if raw is None:
                raise refuse(
                    gettext_noop("Every dimension needs its score; missing: %(missing)s."),
                    "evaluation.scores_missing", f"score_{d.value}", rules.CLAUSES,
                    missing=d.value,
                )  # fmt: skip
            score = rules.check_score(d, raw)
        evidence = rules.check_text(data.evidence.get(d.value, ""), f"evidence_{d.value}")
        checked[d] = (score, evidence, _details(d, data))
    return checked


@decision
def evaluation_score(
    *, actor: User, evaluation: Evaluation, data: Scores, today: date | None = None
) -> Evaluation:
    """M10.1: the evaluator, having declared, scores every dimension on the rubric with its
    evidence (readiness from its GB/T 22900 level); the total is computed at the weights in
    force on the day and may be revised until the signature."""
    on = today or selectors.today()
    evaluation = _as_evaluator(actor, evaluation, rules.Step.SCORE)
    if evaluation.declared_at is None:
        raise refuse(
            gettext_noop("M10.1: the evaluator declares any conflict of interest before scoring."),
            "evaluation.not_declared", "interest", rules.CLAUSES,
        )  # fmt: skip
    checked = _checked_scores(data)
    summary = rules.check_text(data.summary, "summary", required=False)
    version = rules.weights_in_force(on)
    total = rules.weighted_total({d: v[0] for d, v in checked.items()}, version.weights)
    for d, (score, evidence, details) in checked.items():
        DimensionScore.objects.update_or_create(
            evaluation=evaluation, dimension=d.value,
            defaults={"score": score, "evidence": evidence, "details": details},
        )  # fmt: skip
    evaluation.trl, evaluation.summary, evaluation.total = data.trl, summary, total
    evaluation.evaluated_on = on
    evaluation.weights_version = version.code
    evaluation.weights = {d.value: str(w) for d, w in version.weights.items()}
    evaluation.save()
    _record(
        actor, evaluation, "score",
        after={"trl": data.trl, "scores": {d.value: v[0] for d, v in checked.items()},
               "total": str(total), "weights_version": version.code,
               "evaluated_on": on.isoformat()},
    )  # fmt: skip
    return evaluation


@decision
def evaluation_sign(
    *, actor: User, evaluation: Evaluation, today: date | None = None
) -> EvaluationReport:
    """M10.1, M14.1: the named evaluator signs the report on the day: the weights in force on
    that day give the total, the content is frozen as canonical JSON and its SHA-256 recorded in
    the audit entry, so that the report verifies against the chain. The requester, the unit and
    the institution hear of it. A second signature is refused (the row is locked, then
    signed)."""
    on = today or selectors.today()
    evaluation = _as_evaluator(actor, evaluation, rules.Step.SIGN)
    scores = {rules.Dimension(s.dimension): s for s in evaluation.scores.all()}
    rules.check_ready_to_sign(
        declared=evaluation.declared_at is not None,
        scores={d: s.score for d, s in scores.items()},
        evidence={d: s.evidence for d, s in scores.items()},
    )
    version = rules.weights_in_force(on)
    evaluation.total = rules.weighted_total({d: s.score for d, s in scores.items()},
                                            version.weights)  # fmt: skip
    evaluation.evaluated_on, evaluation.weights_version = on, version.code
    evaluation.weights = {d.value: str(w) for d, w in version.weights.items()}
    now = timezone.now()
    evaluation.status, evaluation.signed_at = rules.EvaluationStatus.SIGNED.value, now
    evaluation.save()
    content = report.frozen_content(evaluation, list(scores.values()), signer=actor)
    signed = EvaluationReport.objects.create(
        evaluation=evaluation, content=content.decode(), sha256=report.content_hash(content),
        signed_by=actor, signed_at=now,
    )  # fmt: skip
    _record(
        actor, evaluation, "sign", clauses=rules.SIGN_CLAUSES,
        before={"status": rules.EvaluationStatus.ACCEPTED.value},
        after={"status": evaluation.status, "total": str(evaluation.total),
               "weights_version": version.code, "report_sha256": signed.sha256,
               "signed_at": now.isoformat()},
        documents=[Document(f"evaluation-{evaluation.pk}.json", content)],
    )  # fmt: skip
    params = {"evaluator": actor.full_name, "total": str(evaluation.total)}
    notices.tell_requester(notices.SIGNED, evaluation, **params)
    notices.tell_unit(notices.SIGNED, evaluation, **params)
    notices.tell_institution(notices.SIGNED, evaluation, **params)
    return signed


@decision
def evaluation_show(*, actor: User, evaluation: Evaluation, shown: bool) -> Evaluation:
    """M10.1: the result's unit agrees to show a signed evaluation on the result's public page
    (``shown``), or revokes that consent; recorded, and the requester and the institution hear
    of it."""
    evaluation = _lock(evaluation)
    if not (actor.is_superuser or user_can(
        actor, Capability.MANAGE_ACHIEVEMENTS, evaluation.result.unit
    )):  # fmt: skip
        raise AccessDenied(gettext_noop("M10.1: only the result's unit decides to show it."))
    if evaluation.status != EvaluationStatus.SIGNED:
        raise refuse(
            gettext_noop("M10.1: only a signed evaluation is shown publicly."),
            "evaluation.not_signed", "status", rules.CLAUSES,
        )  # fmt: skip
    if evaluation.shown_publicly == shown:
        return evaluation
    now = timezone.now()
    evaluation.shown_publicly = shown
    evaluation.consent_changed_at, evaluation.consent_changed_by = now, actor
    evaluation.save()
    audit_record(
        actor=actor, organisation=evaluation.result.unit,
        action="evaluation.show" if shown else "evaluation.hide", obj=evaluation,
        before={"shown_publicly": not shown}, after={"shown_publicly": shown},
        clauses=list(rules.CLAUSES),
    )  # fmt: skip
    notice = notices.SHOWN if shown else notices.HIDDEN
    notices.tell_requester(notice, evaluation, step=now.isoformat())
    notices.tell_institution(notice, evaluation, step=now.isoformat())
    return evaluation
