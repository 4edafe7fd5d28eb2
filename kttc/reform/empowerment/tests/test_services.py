"""The empowerment reform through its services: each decision, each refusal with its clause, and
a refusal that stores nothing (M1.1-M1.8, M5.2, M14.1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry
from kttc.core.selectors import audit_chain_verify
from kttc.core.services import Document, policy_version_publish
from kttc.core.tests.factories import OrganisationFactory
from kttc.policy import params as policy_params
from kttc.policy.errors import PolicyError
from kttc.policy.evidence import document_hash
from kttc.reform.empowerment import grants, selectors, services
from kttc.reform.empowerment.models import (
    AgreementSignature,
    EmpowermentAgreement,
    EmpowermentApplication,
    EmpowermentDocument,
    EmpowermentGrant,
    EmpowermentNotice,
    EmpowermentRules,
    Objection,
)
from kttc.reform.tests.factories import (
    APPLIED,
    CONSENT,
    PLAN,
    PUBLISHED,
    apply,
    make_result,
    set_rules,
    to_notice,
)
from kttc.registry import services as registry_services

pytestmark = pytest.mark.django_db
END = dt.date(2026, 12, 10)
GRANT_DAY = dt.date(2026, 12, 11)
STORED = (
    EmpowermentRules,
    EmpowermentApplication,
    EmpowermentDocument,
    EmpowermentNotice,
    Objection,
    EmpowermentAgreement,
    AgreementSignature,
    EmpowermentGrant,
    AuditEntry,
)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in STORED}


def _files() -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def refused(call, **kwargs) -> PolicyError:
    """Call a service that must refuse; check that nothing at all was stored."""
    before, files = _counts(), _files()
    with pytest.raises(PolicyError) as info:
        call(**kwargs)
    assert _counts() == before, "a refused request stored something"
    assert _files() == files, "a refused request kept a file"
    return info.value


# --- the unit's rules (M1.3) -------------------------------------------------------------------


def test_m1_3_the_office_sets_its_units_rules_and_the_change_is_audited(personas, unit):
    rules = set_rules(personas.transfer_office, unit, grants_ownership=False)
    assert rules.as_policy().rights == {"long_term_use"}
    entry = AuditEntry.objects.get(action="empowerment.rules_set")
    assert entry.clauses == ["M1.3"] and entry.after["max_term_years"] == 10
    set_rules(personas.transfer_office, unit, max_term_years=15)
    assert EmpowermentRules.objects.get().max_term_years == 15
    latest = AuditEntry.objects.filter(action="empowerment.rules_set").order_by("-seq")[0]
    assert latest.before["max_term_years"] == 10


def test_m1_3_rules_without_a_right_or_a_term_are_refused(personas, unit):
    error = refused(
        services.rules_set,
        actor=personas.transfer_office,
        unit=unit,
        grants_ownership=False,
        grants_long_term_use=False,
        max_term_years=None,
    )
    assert "M1.3" in error.clauses
    error = refused(
        services.rules_set,
        actor=personas.transfer_office,
        unit=unit,
        grants_ownership=False,
        grants_long_term_use=True,
        max_term_years=None,
    )
    assert error.field == "max_term_years"


@pytest.mark.parametrize("role", ["researcher", "bureau", "auditor", "enterprise"])
def test_m1_3_only_the_units_transfer_office_sets_its_rules(personas, unit, role):
    with pytest.raises(AccessDenied):
        set_rules(getattr(personas, role), unit)


# --- applying (M1.1, M1.2, M1.4, M1.8) ---------------------------------------------------------


def test_m1_4_a_completer_applies_with_the_plan_and_its_hash_enters_the_chain(
    personas, rules, result
):
    application = apply(personas, result)
    assert application.status == "applied" and application.unit == result.unit
    assert application.team == [personas.researcher.full_name, "王强"]
    assert application.partners == ["云岭智造科技有限公司"]
    plan = application.documents.get(kind="plan")
    assert plan.sha256 == document_hash(PLAN.content) and plan.file_name == PLAN.name
    assert plan.file.read() == PLAN.content  # kept under MEDIA_ROOT
    assert str(settings.MEDIA_ROOT) in plan.file.path
    entry = AuditEntry.objects.get(action="empowerment.apply")
    assert entry.clauses == ["M1.1", "M1.2", "M1.3", "M1.4"]
    assert {d["sha256"] for d in entry.documents} == {
        document_hash(PLAN.content),
        document_hash(CONSENT.content),
    }
    assert entry.organisation_id == result.unit_id


def test_m1_1_a_result_of_a_non_municipal_unit_is_refused_and_nothing_is_stored(personas, unit):
    unit.is_municipal = False
    unit.save()
    set_rules(personas.transfer_office, unit)
    result = make_result(personas, unit)
    error = refused(apply, personas=personas, result=result)
    assert error.clauses == ("M1.1",) and error.code == "empowerment.scope"


def test_m1_1_a_municipal_fiscal_project_brings_a_non_municipal_units_result_in(personas, unit):
    unit.is_municipal = False
    unit.save()
    set_rules(personas.transfer_office, unit)
    registry_services.fiscal_project_create(
        actor=personas.bureau,
        undertaking_unit=unit,
        competent_department="昆明市科学技术局",
        programme="重点研发计划",
        project_number="KM2026-009",
        title="市级项目",
        approval_date=dt.date(2026, 3, 1),
        budget=Decimal("100000.00"),
        transformation_obligation="许可本地企业",
        transformation_deadline=dt.date(2030, 3, 1),
    )
    result = make_result(personas, unit, project_number="KM2026-009")
    assert apply(personas, result).status == "applied"


def test_m1_8_a_national_interest_result_is_refused_and_nothing_is_stored(personas, rules, unit):
    result = make_result(personas, unit, national_interest=True)
    error = refused(apply, personas=personas, result=result)
    assert error.clauses == ("M1.8",)


def test_m1_3_a_right_the_units_rules_do_not_grant_is_refused(personas, unit, result):
    set_rules(personas.transfer_office, unit, grants_ownership=False)
    error = refused(apply, personas=personas, result=result, right="ownership", term_years=None)
    assert error.code == "empowerment.right_not_offered" and "M1.3" in error.clauses


def test_m1_3_a_term_longer_than_the_units_maximum_is_refused(personas, rules, result):
    error = refused(apply, personas=personas, result=result, term_years=11)
    assert error.code == "empowerment.term_too_long" and error.clauses == ("M1.3",)
    assert "10" in error.message


def test_m1_3_a_document_the_rules_require_is_missing(personas, rules, result):
    error = refused(apply, personas=personas, result=result, attachments=[])
    assert error.code == "empowerment.documents_missing" and "团队成员知情同意书" in error.message


def test_m1_4_without_a_plan_or_its_summary_nothing_is_stored(personas, rules, result):
    assert refused(apply, personas=personas, result=result, plan=Document("x.pdf", b"")).field == (
        "plan"
    )
    assert refused(apply, personas=personas, result=result, summary=" ").field == "summary"


def test_m1_3_a_unit_without_rules_cannot_take_applications(personas, result):
    assert refused(apply, personas=personas, result=result).clauses == ("M1.3",)


def test_m1_4_only_a_completer_of_the_units_own_result_applies(personas, rules, unit):
    other = make_result(personas, unit)
    other.completers.update(name="别人")
    with pytest.raises(AccessDenied):
        apply(personas, other)
    elsewhere = OrganisationFactory()
    foreign = make_result(personas, unit)
    foreign.unit = elsewhere
    foreign.save()
    with pytest.raises(AccessDenied):
        apply(personas, foreign)
    assert not EmpowermentApplication.objects.exists()


def test_m1_4_one_application_at_a_time_per_result(personas, rules, result):
    apply(personas, result)
    error = refused(apply, personas=personas, result=result)
    assert error.code == "empowerment.already_open"


# --- review and notice (M1.5) ------------------------------------------------------------------


def test_m1_5_the_unit_approves_then_publishes_a_notice_with_the_parameter_in_force(
    personas, rules, result
):
    application = apply(personas, result)
    office = personas.transfer_office
    services.empowerment_approve(actor=office, application=application, today=APPLIED)
    notice = services.notice_publish(actor=office, application=application, today=PUBLISHED)
    assert (notice.days, notice.min_days) == (15, 15)
    assert (notice.last_day, notice.grant_from) == (END, GRANT_DAY)
    assert "2026-12-10" in notice.text and "2026-12-11" in notice.text
    assert "公示" in notice.text and result.name in notice.text
    assert notice.text_sha256 == document_hash(notice.text.encode())
    entry = AuditEntry.objects.get(action="empowerment.notice")
    assert entry.clauses == ["M1.5"] and entry.documents[0]["sha256"] == notice.text_sha256
    assert entry.policy_version == "KM-2026"


def test_m1_5_the_notice_length_is_read_on_the_day_of_publication_not_hard_coded(
    personas, rules, result
):
    values = policy_params.MEASURES_2026.to_values() | {"empowerment_notice_min_days": "20"}
    policy_version_publish(
        actor=personas.bureau,
        code="KM-2027",
        title="修订",
        effective_from=dt.date(2027, 1, 1),
        values=values,
        today=dt.date(2026, 11, 1),
    )
    application = apply(personas, result)
    office = personas.transfer_office
    services.empowerment_approve(actor=office, application=application, today=APPLIED)
    error = refused(
        services.notice_publish,
        actor=office,
        application=application,
        days=15,
        today=dt.date(2027, 1, 5),
    )
    assert error.clauses == ("M1.5",) and "20" in error.message
    notice = services.notice_publish(
        actor=office, application=application, today=dt.date(2027, 1, 5)
    )
    assert (notice.days, notice.policy_version) == (20, "KM-2027")
    assert notice.grant_from == dt.date(2027, 1, 26)


def test_m1_5_a_rejection_gives_its_reason_and_closes_the_application(personas, rules, result):
    application = apply(personas, result)
    office = personas.transfer_office
    error = refused(services.empowerment_reject, actor=office, application=application, reason="")
    assert error.code == "empowerment.reason_required"
    services.empowerment_reject(actor=office, application=application, reason="方案不完整")
    application.refresh_from_db()
    assert (application.status, application.reason) == ("rejected", "方案不完整")
    assert apply(personas, result).status == "applied"  # a new application may follow


def test_m1_5_the_notice_is_published_only_after_approval(personas, rules, result):
    application = apply(personas, result)
    error = refused(
        services.notice_publish, actor=personas.transfer_office, application=application
    )
    assert error.code == "empowerment.transition"


def test_m1_4_only_the_applicant_withdraws(personas, rules, result):
    application = apply(personas, result)
    with pytest.raises(AccessDenied):
        services.empowerment_withdraw(actor=personas.transfer_office, application=application)
    services.empowerment_withdraw(actor=personas.researcher, application=application, reason="改期")
    application.refresh_from_db()
    assert application.status == "withdrawn"


# --- objections (M1.5) -------------------------------------------------------------------------


def test_m1_5_members_object_during_the_notice_and_only_then(personas, rules, result):
    notice = to_notice(personas, result)
    objection = services.objection_raise(
        actor=personas.researcher, notice=notice, text="完成人排序有误", today=END
    )
    assert objection.is_open and objection.raised_on == END
    error = refused(
        services.objection_raise,
        actor=personas.researcher,
        notice=notice,
        text="逾期异议",
        today=GRANT_DAY,
    )
    assert error.clauses == ("M1.5",) and "2026-12-10" in error.message
    with pytest.raises(AccessDenied):
        services.objection_raise(actor=personas.enterprise, notice=notice, text="外单位", today=END)


def test_m1_5_a_grant_waits_for_every_objection_to_be_answered(personas, rules, result):
    notice = to_notice(personas, result)
    office = personas.transfer_office
    objection = services.objection_raise(
        actor=personas.researcher, notice=notice, text="完成人排序有误", today=PUBLISHED
    )
    error = refused(
        grants.right_grant,
        actor=office,
        application=notice.application,
        today=GRANT_DAY,
    )
    assert error.code == "empowerment.objections_open" and error.clauses == ("M1.5",)
    refused(services.objection_answer, actor=office, objection=objection, answer=" ")
    services.objection_answer(actor=office, objection=objection, answer="经核实，排序无误。")
    grant = grants.right_grant(actor=office, application=notice.application, today=GRANT_DAY)
    assert grant.status == "active"


# --- the grant (M1.2, M1.5, M1.6) --------------------------------------------------------------


def test_m1_5_a_grant_before_the_notice_ends_is_refused_naming_the_end_date(
    personas, rules, result
):
    notice = to_notice(personas, result)
    error = refused(
        grants.right_grant,
        actor=personas.transfer_office,
        application=notice.application,
        today=END,
    )
    assert error.clauses == ("M1.5",)
    assert "2026-12-10" in error.message and "2026-12-11" in error.message
    notice.application.refresh_from_db()
    assert notice.application.status == "in_notice"


def test_m1_2_the_grant_records_the_right_its_term_and_the_documents(personas, rules, result):
    notice = to_notice(personas, result)
    grant = grants.right_grant(
        actor=personas.transfer_office, application=notice.application, today=GRANT_DAY
    )
    assert (grant.right, grant.starts_on, grant.ends_on) == (
        "long_term_use",
        GRANT_DAY,
        dt.date(2036, 12, 11),
    )
    assert grant.holders == [personas.researcher.full_name, "王强"]
    assert grant.team_share == Decimal("0.7000")
    notice.application.refresh_from_db()
    assert notice.application.status == "granted"
    entry = AuditEntry.objects.get(action="empowerment.granted")
    assert entry.clauses == ["M1.2", "M1.5", "M1.6", "M1.1", "M1.8"]
    assert len(entry.documents) == 2 and entry.after["notice_sha256"] == notice.text_sha256
    assert list(selectors.rights_of(result)) == [grant]
    assert audit_chain_verify().intact


def test_m1_2_ownership_is_granted_without_an_end(personas, rules, result):
    notice = to_notice(personas, result, right="ownership", term_years=None)
    grant = grants.right_grant(
        actor=personas.transfer_office, application=notice.application, today=GRANT_DAY
    )
    assert grant.right == "ownership" and grant.ends_on is None


def test_m1_8_a_result_flagged_national_interest_meanwhile_is_not_granted(personas, rules, result):
    notice = to_notice(personas, result)
    type(result).objects.filter(pk=result.pk).update(national_interest=True)
    error = refused(
        grants.right_grant,
        actor=personas.transfer_office,
        application=notice.application,
        today=GRANT_DAY,
    )
    assert error.clauses == ("M1.8",)


def test_m1_5_the_team_cannot_grant_itself_a_right(personas, rules, result):
    notice = to_notice(personas, result)
    with pytest.raises(AccessDenied):
        grants.right_grant(
            actor=personas.researcher, application=notice.application, today=GRANT_DAY
        )


# --- the agreement (M1.6, M5.2) ----------------------------------------------------------------


def _approved(personas, result):
    application = apply(personas, result)
    services.empowerment_approve(
        actor=personas.transfer_office, application=application, today=APPLIED
    )
    return application


def test_m5_2_m1_6_an_agreement_below_the_minimum_share_is_refused(personas, rules, result):
    application = _approved(personas, result)
    error = refused(
        grants.agreement_draw_up,
        actor=personas.transfer_office,
        application=application,
        team_share=Decimal("0.69"),
        terms="其他约定",
        today=PUBLISHED,
    )
    assert error.clauses == ("M5.2", "M1.6") and "0.70" in error.message


def test_m1_6_both_sides_sign_the_text_and_its_hash(personas, rules, result):
    application = _approved(personas, result)
    office = personas.transfer_office
    agreement = grants.agreement_draw_up(
        actor=office,
        application=application,
        team_share=Decimal("0.80"),
        terms="每年报告进展",
        today=PUBLISHED,
    )
    assert "80%" in agreement.text and "每年报告进展" in agreement.text
    assert agreement.min_share == Decimal("0.70")
    with pytest.raises(AccessDenied):
        grants.agreement_sign(actor=office, agreement=agreement, side="team")
    signature = grants.agreement_sign(
        actor=personas.researcher, agreement=agreement, side="team", today=PUBLISHED
    )
    assert signature.text_sha256 == document_hash(agreement.text.encode())
    assert signature.signer == personas.researcher and signature.signed_on == PUBLISHED
    assert not agreement.fully_signed
    error = refused(
        grants.agreement_sign,
        actor=personas.researcher,
        agreement=agreement,
        side="team",
    )
    assert error.code == "empowerment.signed_twice"
    error = refused(
        grants.agreement_draw_up,
        actor=office,
        application=application,
        team_share=Decimal("0.90"),
        terms="改写",
    )
    assert error.code == "empowerment.agreement_signed"
    grants.agreement_sign(actor=office, agreement=agreement, side="unit")
    agreement.refresh_from_db()
    assert agreement.fully_signed


def test_m1_6_a_grant_without_both_signatures_is_refused(personas, rules, result):
    application = _approved(personas, result)
    office = personas.transfer_office
    services.notice_publish(actor=office, application=application, today=PUBLISHED)
    error = refused(grants.right_grant, actor=office, application=application, today=GRANT_DAY)
    assert error.code == "empowerment.agreement_unsigned" and error.clauses == ("M1.6",)


# --- after the grant (M1.7) --------------------------------------------------------------------


@pytest.fixture
def granted(personas, rules, result):
    notice = to_notice(personas, result)
    return grants.right_grant(
        actor=personas.transfer_office, application=notice.application, today=GRANT_DAY
    )


def test_m1_7_the_unit_extends_on_the_teams_report(personas, granted):
    report = Document("年度报告.pdf", "累计许可收入120万元".encode())
    extension = grants.right_extend(
        actor=personas.transfer_office,
        grant=granted,
        years=5,
        report="已许可两家企业，累计收入120万元。",
        report_document=report,
        today=dt.date(2036, 1, 1),
    )
    granted.refresh_from_db()
    assert (extension.previous_end, granted.ends_on) == (
        dt.date(2036, 12, 11),
        dt.date(2041, 12, 11),
    )
    assert extension.report_document.sha256 == document_hash(report.content)
    entry = AuditEntry.objects.get(action="empowerment.right_extend")
    assert entry.clauses == ["M1.7"] and len(entry.documents) == 2


def test_m1_7_an_extension_beyond_the_rules_or_without_a_report_is_refused(personas, granted):
    for years, report, code in [
        (11, "报告", "empowerment.extension_years"),
        (5, "", "empowerment.report_required"),
    ]:
        error = refused(
            grants.right_extend,
            actor=personas.transfer_office,
            grant=granted,
            years=years,
            report=report,
            today=dt.date(2036, 1, 1),
        )
        assert error.code == code and "M1.7" in error.clauses


def test_m1_2_expiry_is_recorded_once_after_the_last_day(personas, granted):
    assert grants.rights_expire(today=dt.date(2036, 12, 11)) == []
    assert grants.rights_expire(today=dt.date(2036, 12, 12)) == [granted.pk]
    assert grants.rights_expire(today=dt.date(2036, 12, 13)) == []
    granted.refresh_from_db()
    assert (granted.status, granted.closed_on) == ("expired", dt.date(2036, 12, 12))
    entry = AuditEntry.objects.get(action="empowerment.right_expire")
    assert entry.actor_id is None and entry.clauses == ["M1.2"]


def test_m1_6_a_revocation_gives_its_reason_and_ends_the_right(personas, granted, result):
    error = refused(grants.right_revoke, actor=personas.transfer_office, grant=granted, reason="")
    assert error.code == "empowerment.reason_required"
    grants.right_revoke(
        actor=personas.transfer_office,
        grant=granted,
        reason="团队未履行协议",
        today=dt.date(2028, 1, 1),
    )
    granted.refresh_from_db()
    assert (granted.status, granted.closed_on) == ("revoked", dt.date(2028, 1, 1))
    assert not selectors.public_rights_of(result).exists()
    assert apply(personas, result, today=dt.date(2028, 2, 1)).status == "applied"


def test_m1_2_the_expiry_command_records_each_right_once(personas, granted):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("empowerment_expire", "--today", "2036-12-12", stdout=out)
    call_command("empowerment_expire", "--today", "2036-12-13", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 right(s) recorded as expired.",
        "0 right(s) recorded as expired.",
    ]
    assert AuditEntry.objects.filter(action="empowerment.right_expire").count() == 1


def test_m1_2_kttc_sweep_records_expired_rights_once(personas, granted):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("sweep", "--today", "2036-12-12", "--no-mail", stdout=out)
    call_command("sweep", "--today", "2036-12-13", "--no-mail", stdout=out)
    lines = [line.strip() for line in out.getvalue().splitlines() if "reform:" in line]
    assert lines[0].startswith("reform: rights expired 1,")
    assert lines[1].startswith("reform: rights expired 0,")
    granted.refresh_from_db()
    assert granted.status == "expired"
    assert AuditEntry.objects.filter(action="empowerment.right_expire").count() == 1
