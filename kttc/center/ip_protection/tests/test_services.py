"""IP protection cases (M11.2): a complaint filed with its evidence kept by hash, intake within
its limit, mediation, the hearing, the decision, the enforcement and the publication without
personal data; each refusal naming its field and clause; who may do what; each step audited
and its people told; the sweep's reminders and overdue notices, each once."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.center.ip_protection import selectors, services, sweep
from kttc.center.ip_protection.models import IpCase, IpCaseEvidence, MediationSession
from kttc.center.ip_protection.tests.factories import (
    DAY,
    DECISION,
    accepted,
    decided,
    evidence,
    filed,
    filing,
    heard,
    to_hearing,
)
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Notification
from kttc.core.selectors import audit_chain_verify
from kttc.policy.errors import PolicyError
from kttc.policy.evidence import document_hash
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


def _refused(call, **kwargs) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        call(**kwargs)
    return refused.value


def _told(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_m11_2_a_transfer_office_files_against_an_enterprise_on_the_platform(personas):
    case = filed(personas)
    assert (case.status, case.kind, case.patent_number) == ("filed", "complaint", "201710601862.3")
    assert case.respondent == personas.organisations[Role.ENTERPRISE]
    assert case.intake_due_on == dt.date(2026, 12, 11) == case.due_on
    kept = IpCaseEvidence.objects.get(case=case)
    assert kept.sha256 == document_hash(b"%PDF-1.4 purchase receipt")
    entry = AuditEntry.objects.get(action="ip_case.file")
    assert entry.clauses == ["M11.2"] and entry.after["evidence"] == {"公证购买发票": kept.sha256}
    assert _told(personas.bureau, "ip_case.filed") == 1
    assert case.number == f"KTTC-IP-2026-{case.pk:05d}"
    assert audit_chain_verify().intact


def test_m11_2_a_respondent_off_the_platform_is_named_only(personas):
    case = filed(personas, respondent_name="昆明某贸易商行", respondent_credit_code="")
    assert case.respondent is None and case.respondent_name == "昆明某贸易商行"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "appeal"}, "kind"),
        ({"patent_number": "201710601862.4"}, "patent_number"),
        ({"respondent_name": "  "}, "respondent"),
        ({"respondent_name": "春城测试大学"}, "respondent"),
        ({"respondent_credit_code": "91530100MA6K0000X0"}, "respondent_credit_code"),
        ({"facts": "   "}, "facts"),
        ({"persons": ["x" * 201]}, "persons"),
    ],
)
def test_m11_2_a_filing_is_refused_naming_the_field_and_nothing_is_stored(personas, changes, field):
    refused = _refused(
        services.ip_case_file, actor=personas.transfer_office,
        complainant=personas.organisations[Role.TRANSFER_OFFICE],
        filing=filing(personas, **changes), evidence=[evidence()], today=DAY,
    )  # fmt: skip
    assert refused.field == field
    assert not IpCase.objects.exists() and not AuditEntry.objects.filter(action="ip_case.file")


def test_m11_2_the_complainant_cannot_name_itself_by_its_credit_code(personas):
    own = personas.organisations[Role.TRANSFER_OFFICE].credit_code
    refused = _refused(
        services.ip_case_file, actor=personas.transfer_office,
        complainant=personas.organisations[Role.TRANSFER_OFFICE],
        filing=filing(personas, respondent_credit_code=own), evidence=[evidence()], today=DAY,
    )  # fmt: skip
    assert (refused.code, refused.field) == ("ip_case.same_party", "respondent_credit_code")


def test_m11_2_a_filing_needs_evidence(personas):
    refused = _refused(
        services.ip_case_file, actor=personas.transfer_office,
        complainant=personas.organisations[Role.TRANSFER_OFFICE], filing=filing(personas),
        evidence=[], today=DAY,
    )  # fmt: skip
    assert (refused.field, refused.clauses) == ("evidence", ("M11.2",))


@pytest.mark.parametrize(
    "role", [Role.RESEARCHER, Role.BUREAU, Role.AUDITOR, Role.SERVICE_BROKER, Role.PARTNER]
)
def test_m11_2_only_an_enterprise_or_a_transfer_office_files_for_its_own(personas, role):
    with pytest.raises(AccessDenied):
        services.ip_case_file(
            actor=personas.by_role[role],
            complainant=personas.organisations[Role.TRANSFER_OFFICE],
            filing=filing(personas), evidence=[evidence()], today=DAY,
        )  # fmt: skip


def test_m11_2_an_enterprise_files_for_itself_not_for_a_unit(personas):
    case = services.ip_case_file(
        actor=personas.enterprise, complainant=personas.organisations[Role.ENTERPRISE],
        filing=filing(personas, respondent_name="某公司", respondent_credit_code="",
                      kind="adjudication"),
        evidence=[evidence()], today=DAY,
    )  # fmt: skip
    assert case.kind == "adjudication"
    with pytest.raises(AccessDenied):
        filed_for_unit = personas.organisations[Role.TRANSFER_OFFICE]
        services.ip_case_file(
            actor=personas.enterprise, complainant=filed_for_unit, filing=filing(personas),
            evidence=[evidence()], today=DAY,
        )  # fmt: skip


@pytest.mark.parametrize("role", [Role.TRANSFER_OFFICE, Role.ENTERPRISE, Role.AUDITOR])
def test_m11_2_only_the_centers_ip_staff_take_steps(personas, role):
    case = filed(personas)
    with pytest.raises(AccessDenied):
        services.ip_case_accept(actor=personas.by_role[role], case=case, today=DAY)
    case.refresh_from_db()
    assert case.status == "filed"


def test_m11_2_intake_refuses_saying_why_and_the_parties_hear(personas):
    case = filed(personas)
    assert (
        _refused(
            services.ip_case_refuse, actor=personas.bureau, case=case, reason=" ", today=DAY
        ).field
        == "reason"
    )
    case = services.ip_case_refuse(
        actor=personas.bureau, case=case, reason="不属于本中心管辖。", today=DAY
    )
    assert (case.status, case.reason, case.due_on) == ("refused", "不属于本中心管辖。", None)
    assert _told(personas.transfer_office, "ip_case.refused") == 1
    # The respondent never hears of a case the center did not take on.
    assert _told(personas.enterprise, "ip_case.refused") == 0
    assert not selectors.may_view(personas.enterprise, case)
    assert _refused(services.ip_case_accept, actor=personas.bureau, case=case).code == (
        "ip_case.status"
    )


def test_m11_2_acceptance_starts_mediation_with_its_limit(personas):
    case = accepted(personas)
    assert (case.status, case.accepted_on, case.mediation_due_on) == (
        "accepted", DAY, DAY + dt.timedelta(days=30),
    )  # fmt: skip
    assert case.due_on == case.mediation_due_on
    assert _told(personas.transfer_office, "ip_case.accepted") == 1
    assert _told(personas.enterprise, "ip_case.accepted") == 1
    assert AuditEntry.objects.get(action="ip_case.accept").clauses == ["M11.2"]


def test_m11_2_a_settlement_closes_the_case_with_its_agreement(personas):
    case = accepted(personas)
    day = DAY + dt.timedelta(days=3)
    assert _refused(
        services.ip_case_mediate, actor=personas.bureau, case=case, held_on=day,
        outcome="settled", agreement="", today=day,
    ).field == "agreement"  # fmt: skip
    assert _refused(
        services.ip_case_mediate, actor=personas.bureau, case=case,
        held_on=DAY - dt.timedelta(days=1), outcome="adjourned", today=day,
    ).field == "held_on"  # fmt: skip
    services.ip_case_mediate(
        actor=personas.bureau, case=case, held_on=day, outcome="adjourned", today=day
    )
    session = services.ip_case_mediate(
        actor=personas.bureau, case=case, held_on=day, outcome="settled",
        agreement="被请求人停止销售并赔偿 50,000 元。", today=day,
    )  # fmt: skip
    case.refresh_from_db()
    assert (case.status, case.settled_on, case.due_on) == ("settled", day, None)
    assert case.agreement.startswith("被请求人停止销售")
    assert MediationSession.objects.filter(case=case).count() == 2 and session.outcome == "settled"
    assert _told(personas.enterprise, "ip_case.adjourned") == 1
    assert _told(personas.enterprise, "ip_case.settled") == 1
    assert _refused(
        services.ip_case_mediate, actor=personas.bureau, case=case, held_on=day,
        outcome="failed", today=day,
    ).code == "ip_case.status"  # fmt: skip


def test_m11_2_failed_mediation_goes_to_a_hearing_decided_within_three_months(personas):
    case = to_hearing(personas)
    assert (case.status, case.decision_due_on) == ("hearing", dt.date(2027, 3, 4))
    assert case.due_on == case.decision_due_on
    assert _told(personas.transfer_office, "ip_case.mediation_failed") == 1


def test_m11_2_the_hearing_is_noticed_three_working_days_ahead_and_recorded_once_held(personas):
    case = to_hearing(personas)
    assert _refused(
        services.ip_case_schedule, actor=personas.bureau, case=case,
        hearing_on=DAY + dt.timedelta(days=3), place="会议室", today=DAY,
    ).field == "hearing_on"  # fmt: skip
    hearing = DAY + dt.timedelta(days=5)  # Wednesday: the third working day after Friday
    case = services.ip_case_schedule(
        actor=personas.bureau, case=case, hearing_on=hearing, place="中心第二会议室", today=DAY
    )
    assert _told(personas.enterprise, "ip_case.hearing") == 1
    assert (
        _refused(
            services.ip_case_hear, actor=personas.bureau, case=case, record="记录", today=DAY
        ).field
        == "record"
    )
    assert _refused(
        services.ip_case_decide, actor=personas.bureau, case=case, decision_text=DECISION,
        outcome="infringement_found", decided_on=hearing, today=hearing,
    ).code == "ip_case.not_heard"  # fmt: skip
    case = services.ip_case_hear(
        actor=personas.bureau, case=case, record="双方到庭。", today=hearing
    )
    assert case.hearing_record == "双方到庭。"
    assert _refused(
        services.ip_case_schedule, actor=personas.bureau, case=case, hearing_on=hearing,
        place="x", today=DAY,
    ).code == "ip_case.heard"  # fmt: skip


def test_m11_2_a_decision_has_an_outcome_of_its_kind_and_measures_only_on_infringement(personas):
    case = heard(personas)
    on = case.hearing_on
    for outcome, measures, field in (
        ("for_complainant", "", "outcome"),
        ("no_infringement", "责令停止", "measures"),
    ):
        assert _refused(
            services.ip_case_decide, actor=personas.bureau, case=case, decision_text=DECISION,
            outcome=outcome, measures=measures, decided_on=on, today=on,
        ).field == field  # fmt: skip
    assert _refused(
        services.ip_case_decide, actor=personas.bureau, case=case, decision_text=DECISION,
        outcome="no_infringement", decided_on=on - dt.timedelta(days=1), today=on,
    ).field == "decided_on"  # fmt: skip
    case = services.ip_case_decide(
        actor=personas.bureau, case=case, decision_text="不构成侵权。", outcome="no_infringement",
        decided_on=on, today=on,
    )  # fmt: skip
    assert (case.status, case.due_on) == ("closed", None)
    assert _told(personas.enterprise, "ip_case.decided") == 1


def test_m11_2_measures_are_enforced_within_their_limit_and_close_the_case(personas):
    case = decided(personas)
    assert (case.status, case.enforcement_due_on) == (
        "enforcement", case.decided_on + dt.timedelta(days=30),
    )  # fmt: skip
    assert _refused(
        services.ip_case_enforce, actor=personas.bureau, case=case, record="已停止",
        enforced_on=case.decided_on - dt.timedelta(days=1), today=case.decided_on,
    ).field == "enforced_on"  # fmt: skip
    case = services.ip_case_enforce(
        actor=personas.bureau, case=case, record="现场检查确认已停止生产并销毁库存。",
        enforced_on=case.decided_on, today=case.decided_on,
    )  # fmt: skip
    assert (case.status, case.enforced_on) == ("closed", case.decided_on)
    assert _told(personas.transfer_office, "ip_case.enforced") == 1


def test_m11_2_the_decision_is_published_once_without_personal_data(personas):
    case = decided(personas)
    case = services.ip_case_publish(actor=personas.bureau, case=case, today=case.decided_on)
    text = case.published_text
    for private in (
        "赵敏", "13812345678", "zhao.min@law.example.cn", "530102199001011234", "人民中路12号",
        personas.transfer_office.full_name, personas.bureau.full_name,
    ):  # fmt: skip
        assert private not in text
    assert "201710601862.3" in text and "责令被请求人立即停止侵权行为" in text
    assert list(selectors.published()) == [case]
    assert _told(personas.enterprise, "ip_case.published") == 1
    assert _refused(services.ip_case_publish, actor=personas.bureau, case=case).code == (
        "ip_case.published"
    )
    assert [e.action for e in AuditEntry.objects.order_by("seq") if e.action.startswith("ip_")] == [
        "ip_case.file", "ip_case.accept", "ip_case.mediate", "ip_case.schedule", "ip_case.hear",
        "ip_case.decide", "ip_case.publish",
    ]  # fmt: skip
    assert all(
        e.clauses == ["M11.2"] for e in AuditEntry.objects.filter(action__startswith="ip_case.")
    )
    assert audit_chain_verify().intact


def test_m11_2_a_natural_person_respondent_is_not_named_in_the_publication(personas):
    case = filed(personas, respondent_name="王小明", respondent_credit_code="",
                 respondent_is_person=True)  # fmt: skip
    case.status, case.decision = "closed", "被请求人王小明的行为构成侵权。"
    assert "王小明" not in services.published_text(case)


def test_m11_2_who_sees_a_case(personas):
    case = filed(personas)
    # Waiting for intake: the complainant and the staff, not yet the respondent.
    assert not selectors.may_view(personas.enterprise, case)
    assert not selectors.against(personas.enterprise).exists()
    case = services.ip_case_accept(actor=personas.bureau, case=case, today=DAY)
    for role, sees in (
        (Role.TRANSFER_OFFICE, True), (Role.ENTERPRISE, True), (Role.BUREAU, True),
        (Role.RESEARCHER, False), (Role.INVESTMENT_PLATFORM, False), (Role.PARTNER, False),
    ):  # fmt: skip
        assert selectors.may_view(personas.by_role[role], case) is sees, role
    assert list(selectors.against(personas.enterprise)) == [case]
    assert list(selectors.filed_by(personas.transfer_office)) == [case]
    assert not selectors.against(personas.transfer_office).exists()


def test_m11_2_the_sweep_reminds_before_a_limit_and_tells_of_an_overdue_step_once(personas):
    case = filed(personas)  # intake due 2026-12-11
    assert sweep.run(dt.date(2026, 12, 8))["IP cases due soon (M11.2)"] == 0
    counts = sweep.run(dt.date(2026, 12, 9))
    assert counts["IP cases due soon (M11.2)"] == 1
    assert sweep.run(dt.date(2026, 12, 10))["IP cases due soon (M11.2)"] == 0
    assert _told(personas.bureau, "ip_case.due_soon") == 1
    counts = sweep.run(dt.date(2026, 12, 12))
    assert counts["IP cases overdue (M11.2)"] == 1
    assert sweep.run(dt.date(2026, 12, 13))["IP cases overdue (M11.2)"] == 0
    assert _told(personas.transfer_office, "ip_case.overdue") == 1
    assert _told(personas.bureau, "ip_case.overdue_for_staff") == 1
    # A new step, a new limit: told again when it too runs late.
    services.ip_case_accept(actor=personas.bureau, case=case, today=dt.date(2026, 12, 14))
    assert sweep.run(dt.date(2027, 1, 14))["IP cases overdue (M11.2)"] == 1
    assert _told(personas.transfer_office, "ip_case.overdue") == 2


def test_m11_2_every_step_audited_has_a_readable_label(personas):
    from kttc.core.choices import AUDIT_ACTION_LABELS

    case = decided(personas)
    services.ip_case_enforce(
        actor=personas.bureau, case=case, record="已停止", enforced_on=case.decided_on,
        today=case.decided_on,
    )  # fmt: skip
    services.ip_case_publish(actor=personas.bureau, case=case, today=case.decided_on)
    services.ip_case_refuse(actor=personas.bureau, case=filed(personas), reason="不属于管辖")
    actions = set(AuditEntry.objects.filter(action__startswith="ip_case.").values_list(
        "action", flat=True))  # fmt: skip
    assert len(actions) == 9
    for action in actions:
        assert action in AUDIT_ACTION_LABELS, action


def test_m11_2_kttc_sweep_runs_the_ip_protection_part(personas):
    import io

    from django.core.management import call_command

    filed(personas)  # intake due 2026-12-11
    out = io.StringIO()
    call_command("sweep", "--today", "2026-12-14", "--no-mail", stdout=out)
    assert "IP cases overdue (M11.2)" in out.getvalue()
    assert _told(personas.transfer_office, "ip_case.overdue") == 1
