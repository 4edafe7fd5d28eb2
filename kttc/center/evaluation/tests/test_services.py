"""Evaluation of results (M10.1): who may request it and of which institution, the
institution's acceptance naming its evaluator, the declaration of interests before scoring and
the refusal of an evaluator of the unit or the requester, the scores on the rubric and the
weighted total at the weights in force, the signature freezing the report with its hash in the
audit chain (M14.1), the unit's consent to show it; each audited and its people notified."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest

from kttc.center.evaluation import report, selectors, services
from kttc.center.evaluation.models import DimensionScore, EvaluationReport
from kttc.center.evaluation.tests.factories import (
    ON,
    accepted,
    requested,
    scored,
    scores,
    setting,
    signed,
)
from kttc.center.institutions.tests.factories import certified, existing
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Membership, Notification
from kttc.core.selectors import audit_chain_verify
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


def _refused(call, **kwargs) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        call(**kwargs)
    return refused.value


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.FINANCIAL_INSTITUTION, "bank"),
        (Role.ENTERPRISE, "enterprise"),
        (Role.INVESTMENT_PLATFORM, "investor"),
        (Role.TRANSFER_OFFICE, "unit"),
    ],
)
def test_m10_1_the_unit_an_enterprise_a_bank_or_an_investor_requests(personas, publish, role, kind):
    s = setting(personas, publish)
    evaluation = requested(personas, s, role=role)
    assert (evaluation.status, evaluation.requester_kind) == ("requested", kind)
    entry = AuditEntry.objects.filter(action="evaluation.request").last()
    assert entry.clauses == ["M10.1"] and entry.after["requester_kind"] == kind
    # The institution hears of it; the unit too when another asked.
    assert Notification.objects.filter(kind="evaluation.requested", recipient=s.staff).exists()
    told_unit = Notification.objects.filter(
        kind="evaluation.requested", recipient=personas.transfer_office
    ).exists()
    assert told_unit is (kind != "unit")


def test_m10_1_a_researcher_a_broker_or_the_bureau_does_not_request(personas, publish):
    s = setting(personas, publish)
    for role in (Role.RESEARCHER, Role.BUREAU, Role.AUDITOR):
        with pytest.raises(AccessDenied):
            services.evaluation_request(
                actor=getattr(personas, role.value), requester=personas.organisations[role],
                result=s.result, institution=s.institution, purpose="x", today=ON,
            )  # fmt: skip
    # A requester acts for its own organisation only.
    with pytest.raises(AccessDenied):
        services.evaluation_request(
            actor=personas.enterprise, requester=personas.organisations[Role.FINANCIAL_INSTITUTION],
            result=s.result, institution=s.institution, purpose="x", today=ON,
        )  # fmt: skip


def test_m10_1_the_institution_must_be_certified_in_force(personas, publish):
    s = setting(personas, publish, certify=False)
    error = _refused(
        services.evaluation_request, actor=personas.financial_institution,
        requester=personas.organisations[Role.FINANCIAL_INSTITUTION], result=s.result,
        institution=s.institution, purpose="质押", today=ON,
    )  # fmt: skip
    assert (error.code, error.field) == ("evaluation.institution", "institution")
    assert "M9.1" in error.message and error.message.startswith("M10.1")
    # A certified institution's certification ends: refused after its term.
    certified(personas, existing(personas))
    error = _refused(
        services.evaluation_request, actor=personas.financial_institution,
        requester=personas.organisations[Role.FINANCIAL_INSTITUTION], result=s.result,
        institution=s.institution, purpose="质押", today=dt.date(2029, 3, 2),
    )  # fmt: skip
    assert error.code == "evaluation.institution"
    # An enterprise is no evaluation institution.
    error = _refused(
        services.evaluation_request, actor=personas.financial_institution,
        requester=personas.organisations[Role.FINANCIAL_INSTITUTION], result=s.result,
        institution=personas.organisations[Role.ENTERPRISE], purpose="质押", today=ON,
    )  # fmt: skip
    assert error.code == "evaluation.institution"


def test_m10_1_an_empty_purpose_a_duplicate_and_a_restricted_result_are_refused(personas, publish):
    s = setting(personas, publish)
    bank = personas.organisations[Role.FINANCIAL_INSTITUTION]
    error = _refused(
        services.evaluation_request, actor=personas.financial_institution, requester=bank,
        result=s.result, institution=s.institution, purpose="  ", today=ON,
    )  # fmt: skip
    assert (error.code, error.field) == ("evaluation.text_required", "purpose")
    requested(personas, s)
    error = _refused(
        services.evaluation_request, actor=personas.financial_institution, requester=bank,
        result=s.result, institution=s.institution, purpose="再次", today=ON,
    )  # fmt: skip
    assert (error.code, error.field) == ("evaluation.duplicate", "institution")
    restricted = publish(confidentiality="restricted")
    error = _refused(
        services.evaluation_request, actor=personas.financial_institution, requester=bank,
        result=restricted, institution=s.institution, purpose="质押", today=ON,
    )  # fmt: skip
    assert (error.code, error.field) == ("evaluation.result_not_public", "result")


def test_m10_1_the_institution_accepts_naming_its_evaluator_or_declines(personas, publish):
    s = setting(personas, publish)
    evaluation = accepted(personas, s)
    assert (evaluation.status, evaluation.evaluator) == ("accepted", s.evaluator)
    assert Notification.objects.filter(kind="evaluation.assigned", recipient=s.evaluator).exists()
    assert Notification.objects.filter(
        kind="evaluation.accepted", recipient=personas.financial_institution
    ).exists()
    # Accepting twice is refused, naming the status.
    error = _refused(
        services.evaluation_accept, actor=s.staff, evaluation=evaluation, evaluator=s.evaluator
    )
    assert error.code == "evaluation.step"
    other = requested(personas, s, role=Role.ENTERPRISE)
    # Someone else than the institution neither accepts nor declines.
    with pytest.raises(AccessDenied):
        services.evaluation_decline(actor=personas.enterprise, evaluation=other, reason="不")
    error = _refused(services.evaluation_decline, actor=s.staff, evaluation=other, reason="")
    assert (error.code, error.field) == ("evaluation.text_required", "reason")
    declined = services.evaluation_decline(actor=s.staff, evaluation=other, reason="排期已满")
    assert (declined.status, declined.reason) == ("declined", "排期已满")
    assert Notification.objects.filter(
        kind="evaluation.declined", recipient=personas.enterprise
    ).exists()
    # The evaluator must be one of the institution's people.
    third = requested(personas, s, role=Role.INVESTMENT_PLATFORM)
    error = _refused(
        services.evaluation_accept, actor=s.staff, evaluation=third, evaluator=personas.enterprise
    )
    assert (error.code, error.field) == ("evaluation.evaluator_not_member", "evaluator")


def test_m10_1_an_evaluator_of_the_unit_or_of_the_requester_is_refused(personas, publish):
    s = setting(personas, publish)
    evaluation = requested(personas, s)
    # The evaluator also works for the result's unit: refused at acceptance, naming M10.1.
    Membership.objects.create(user=s.evaluator, organisation=s.result.unit, role=Role.RESEARCHER)
    error = _refused(
        services.evaluation_accept, actor=s.staff, evaluation=evaluation, evaluator=s.evaluator
    )
    assert (error.code, error.field) == ("evaluation.conflict_unit", "evaluator")
    assert error.message.startswith("M10.1:")
    # The staff instead, who then joins the requester: refused at the declaration.
    services.evaluation_accept(actor=s.staff, evaluation=evaluation, evaluator=s.staff)
    Membership.objects.create(
        user=s.staff, organisation=personas.organisations[Role.FINANCIAL_INSTITUTION],
        role=Role.FINANCIAL_INSTITUTION,
    )  # fmt: skip
    error = _refused(services.evaluation_declare, actor=s.staff, evaluation=evaluation, interest="")
    assert (error.code, error.field) == ("evaluation.conflict_requester", "evaluator")
    assert "M10.1" in error.message


def test_m10_1_the_evaluator_declares_before_scoring_and_only_the_evaluator(personas, publish):
    s = setting(personas, publish)
    evaluation = accepted(personas, s)
    error = _refused(
        services.evaluation_score, actor=s.evaluator, evaluation=evaluation, data=scores(),
        today=ON,
    )  # fmt: skip
    assert (error.code, error.field) == ("evaluation.not_declared", "interest")
    with pytest.raises(AccessDenied):
        services.evaluation_declare(actor=s.staff, evaluation=evaluation, interest="")
    services.evaluation_declare(
        actor=s.evaluator, evaluation=evaluation, interest="曾为该单位提供培训服务"
    )
    entry = AuditEntry.objects.filter(action="evaluation.declare").last()
    assert entry.after == {"declared_interest": "曾为该单位提供培训服务", "conflict": True}
    with pytest.raises(AccessDenied):
        services.evaluation_score(actor=s.staff, evaluation=evaluation, data=scores(), today=ON)


def test_m10_1_scores_on_the_rubric_give_the_weighted_total_at_the_weights_in_force(
    personas, publish
):
    s = setting(personas, publish)
    evaluation = scored(personas, s)
    # Readiness level 6 scores 55; 0.20·55 + 0.20·80 + 0.20·70 + 0.15·65 + 0.10·55 + 0.15·60
    assert evaluation.total == Decimal("65.25")
    assert (evaluation.weights_version, evaluation.evaluated_on) == ("EVAL-2026", ON)
    assert evaluation.weights["readiness"] == "0.20"
    stored = {d.dimension: d for d in DimensionScore.objects.filter(evaluation=evaluation)}
    assert stored["readiness"].score == 55 and stored["readiness"].details == {"trl": 6}
    assert stored["ip"].details == {
        "claims": 12,
        "family": 3,
        "remaining_years": 15,
        "legal_status": "有效",
    }
    assert stored["market"].details["route"] == "许可"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"trl": 10}, "trl", "evaluation.trl"),
        ({"scores": {**dict.fromkeys(["advancement", "ip", "market", "team"], 50), "risk": 101}},
         "score_risk", "evaluation.score"),
        ({"scores": {"advancement": 50}}, "score_ip", "evaluation.scores_missing"),
        ({"evidence": {"readiness": "x"}}, "evidence_advancement", "evaluation.text_required"),
        ({"ip_claims": -1}, "ip_claims", "evaluation.ip_number"),
        ({"summary": "a\x00b"}, "summary", "text.control_character"),
    ],
)  # fmt: skip
def test_m10_1_bad_scores_are_refused_naming_the_field(personas, publish, changes, field, code):
    s = setting(personas, publish)
    evaluation = accepted(personas, s)
    services.evaluation_declare(actor=s.evaluator, evaluation=evaluation, interest="")
    error = _refused(
        services.evaluation_score, actor=s.evaluator, evaluation=evaluation,
        data=scores(**changes), today=ON,
    )  # fmt: skip
    assert (error.code, error.field) == (code, field)
    assert not DimensionScore.objects.filter(evaluation=evaluation).exists()


def test_m10_1_m14_1_the_signature_freezes_the_report_and_its_hash_is_in_the_chain(
    personas, publish
):
    s = setting(personas, publish)
    evaluation = scored(personas, s, interest="曾合作发表论文")
    # Only the evaluator signs; not before scoring is done (checked on a fresh one below).
    with pytest.raises(AccessDenied):
        services.evaluation_sign(actor=s.staff, evaluation=evaluation, today=ON)
    signed_report = services.evaluation_sign(actor=s.evaluator, evaluation=evaluation, today=ON)
    evaluation.refresh_from_db()
    assert evaluation.status == "signed" and evaluation.signed_at is not None
    assert signed_report.sha256 == hashlib.sha256(signed_report.content.encode()).hexdigest()
    content = json.loads(signed_report.content)
    assert content["total"] == "65.25" and content["declared_interest"] == "曾合作发表论文"
    assert content["evaluator"] == s.evaluator.full_name
    assert [d["dimension"] for d in content["dimensions"]] == [
        "readiness",
        "advancement",
        "ip",
        "market",
        "team",
        "risk",
    ]
    entry = AuditEntry.objects.filter(action="evaluation.sign").last()
    assert entry.clauses == ["M10.1", "M14.1"]
    assert entry.after["report_sha256"] == signed_report.sha256
    assert entry.documents == [
        {"name": f"evaluation-{evaluation.pk}.json", "sha256": signed_report.sha256}
    ]
    assert audit_chain_verify().intact
    # The report row is written once; nothing more can be scored or signed.
    with pytest.raises(TypeError):
        signed_report.save()
    error = _refused(services.evaluation_sign, actor=s.evaluator, evaluation=evaluation, today=ON)
    assert error.code == "evaluation.step"
    error = _refused(
        services.evaluation_score, actor=s.evaluator, evaluation=evaluation, data=scores(),
        today=ON,
    )  # fmt: skip
    assert error.code == "evaluation.step"
    assert EvaluationReport.objects.filter(evaluation=evaluation).count() == 1
    for person in (personas.financial_institution, personas.transfer_office, s.staff):
        assert Notification.objects.filter(kind="evaluation.signed", recipient=person).exists()


def test_m10_1_a_report_is_not_signed_before_the_scores(personas, publish):
    s = setting(personas, publish)
    evaluation = accepted(personas, s)
    services.evaluation_declare(actor=s.evaluator, evaluation=evaluation, interest="")
    error = _refused(services.evaluation_sign, actor=s.evaluator, evaluation=evaluation, today=ON)
    assert error.code == "evaluation.scores_missing"


def test_m10_1_the_requester_withdraws_before_the_signature(personas, publish):
    s = setting(personas, publish)
    evaluation = accepted(personas, s)
    with pytest.raises(AccessDenied):
        services.evaluation_withdraw(actor=personas.enterprise, evaluation=evaluation)
    withdrawn = services.evaluation_withdraw(
        actor=personas.financial_institution, evaluation=evaluation
    )
    assert withdrawn.status == "withdrawn"
    assert Notification.objects.filter(kind="evaluation.withdrawn", recipient=s.staff).exists()


def test_m10_1_the_unit_consents_to_show_a_signed_evaluation_and_revokes_it(personas, publish):
    s = setting(personas, publish)
    evaluation = signed(personas, s)
    assert list(selectors.public_of(s.result)) == []
    # The requester (a bank) or the institution does not decide; the unit does.
    for actor in (personas.financial_institution, s.staff):
        with pytest.raises(AccessDenied):
            services.evaluation_show(actor=actor, evaluation=evaluation, shown=True)
    services.evaluation_show(actor=personas.transfer_office, evaluation=evaluation, shown=True)
    assert list(selectors.public_of(s.result)) == [evaluation]
    assert AuditEntry.objects.filter(action="evaluation.show").count() == 1
    assert Notification.objects.filter(
        kind="evaluation.shown", recipient=personas.financial_institution
    ).exists()
    services.evaluation_show(actor=personas.transfer_office, evaluation=evaluation, shown=False)
    assert list(selectors.public_of(s.result)) == []
    assert AuditEntry.objects.filter(action="evaluation.hide").count() == 1
    # An evaluation not signed is never shown.
    other = accepted(personas, s, role=Role.ENTERPRISE)
    error = _refused(
        services.evaluation_show, actor=personas.transfer_office, evaluation=other, shown=True
    )
    assert error.code == "evaluation.not_signed"


def test_m10_1_who_reads_which_evaluation(personas, publish):
    s = setting(personas, publish)
    evaluation = signed(personas, s)
    readers = {
        Role.FINANCIAL_INSTITUTION: True, Role.TRANSFER_OFFICE: True, Role.SERVICE_BROKER: True,
        Role.BUREAU: True, Role.AUDITOR: True, Role.ENTERPRISE: False,
        Role.INVESTMENT_PLATFORM: False,
    }  # fmt: skip
    for role, may in readers.items():
        found = selectors.evaluation_for(getattr(personas, role.value), evaluation.pk)
        assert (found is not None) is may, role


def test_m12_1_a_bank_reads_the_signed_evaluations_of_a_result(personas, publish):
    s = setting(personas, publish)
    done = signed(personas, s)
    accepted(personas, s, role=Role.ENTERPRISE)  # not signed: not for the bank
    assert list(selectors.evaluations_for_bank(s.result)) == [done]


def test_m10_1_the_report_content_is_canonical(personas, publish):
    assert report.canonical({"b": 1, "a": "中"}) == '{"a":"中","b":1}'.encode()
