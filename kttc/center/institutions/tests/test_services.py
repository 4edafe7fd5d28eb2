"""Service institutions and brokers (M9.1, M9.2): brokers registered by the institution, the
application for certification with its materials and record, the bureau's certification,
refusal and revocation, the subsidy recorded once at the parameter in force, the brokers'
reward split to the fen; each audited with its clauses and its people notified."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kttc.center.demands import services as demand_services
from kttc.center.demands.tests.factories import published
from kttc.center.institutions import selectors, services
from kttc.center.institutions.models import (
    ApplicationDocument,
    BrokerRewardLine,
    CertificationApplication,
    Subsidy,
)
from kttc.center.institutions.tests.factories import (
    DAY,
    applied,
    broker_data,
    certified,
    existing,
    institution,
    material,
    member,
    subsidised,
)
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Notification, PolicyVersion
from kttc.core.selectors import audit_chain_verify
from kttc.core.services import policy_version_publish
from kttc.policy.errors import PolicyError
from kttc.policy.evidence import document_hash
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db
D = Decimal


def _refused(call, **kwargs) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        call(**kwargs)
    return refused.value


def test_m9_2_the_institution_registers_its_members_as_brokers_once_each(personas):
    found = institution(personas)
    first = found.brokers[0]
    assert (first.person, first.certificate_number, first.certificate_level) == (
        personas.service_broker, "KM-2025-0001", "intermediate",
    )  # fmt: skip
    assert first.fields == ["新材料", "生物医药"] and first.languages == ["zh-hans", "en"]
    entry = AuditEntry.objects.filter(action="institution.broker_register").last()
    assert entry.clauses == ["M9.2"] and entry.organisation_id == found.organisation.pk
    # The same person twice, the same certificate twice, a person who is not a member: refused.
    error = _refused(
        services.broker_register, actor=found.staff, institution=found.organisation,
        person=personas.service_broker, data=broker_data("KM-9999"),
    )  # fmt: skip
    assert (error.code, error.field) == ("broker.known", "person")
    error = _refused(
        services.broker_register, actor=found.staff, institution=found.organisation,
        person=member(found.organisation, 7), data=broker_data("KM-2025-0002"),
    )  # fmt: skip
    assert (error.code, error.field) == ("broker.certificate_known", "certificate_number")
    error = _refused(
        services.broker_register, actor=found.staff, institution=found.organisation,
        person=personas.enterprise, data=broker_data("KM-9998"),
    )  # fmt: skip
    assert (error.code, error.field) == ("broker.not_member", "person")
    # Someone of another organisation registers nothing for it.
    with pytest.raises(AccessDenied):
        services.broker_register(
            actor=personas.enterprise, institution=found.organisation,
            person=personas.service_broker, data=broker_data("KM-9997"),
        )  # fmt: skip


def test_m9_2_a_broker_s_record_is_corrected_and_withdrawn_keeping_the_row(personas):
    found = institution(personas)
    profile = services.broker_update(
        actor=found.staff, profile=found.brokers[1],
        data=broker_data("KM-2025-0002", fields=["智能制造"], languages=["lo", "th"],
                         certificate_level="senior"),
    )  # fmt: skip
    assert (profile.fields, profile.languages, profile.certificate_level) == (
        ["智能制造"], ["lo", "th"], "senior",
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="institution.broker_update")
    assert entry.before["fields"] == ["新材料", "生物医药"] and entry.after["fields"] == [
        "智能制造"
    ]
    services.broker_withdraw(actor=found.staff, profile=profile)
    assert list(selectors.brokers_of(found.organisation)) == [found.brokers[0]]
    assert selectors.public_broker(profile.pk) is None
    # Their certificate is free again for a new registration.
    services.broker_register(
        actor=found.staff, institution=found.organisation, person=profile.person,
        data=broker_data("KM-2025-0002"),
    )  # fmt: skip


def test_m9_1_an_application_keeps_its_materials_by_hash_and_its_record_and_tells_the_bureau(
    personas, django_capture_on_commit_callbacks
):
    found = institution(personas)
    # The institution answered two demands; one was met.
    demands = [published(personas, title=f"需求{n}") for n in range(2)]
    for demand in demands:
        demand_services.answer_create(
            actor=found.staff, demand=demand, organisation=found.organisation, proposal="方案"
        )
    demand_services.demand_close(actor=personas.enterprise, demand=demands[0], met=True)
    with django_capture_on_commit_callbacks(execute=True):
        application = applied(personas, found)
    assert application.status == "submitted" and application.applied_on == DAY
    assert (application.answers_count, application.deals_count, application.brokers_count) == (
        2, 1, 2,
    )  # fmt: skip
    kept = ApplicationDocument.objects.get(application=application)
    assert kept.sha256 == document_hash(b"%PDF-1.4 application") and kept.title == "申请表"
    entry = AuditEntry.objects.get(action="institution.apply")
    assert entry.clauses == ["M9.1"]
    assert entry.documents == [{"name": "申请表.pdf", "sha256": kept.sha256}]
    assert entry.after["documents"] == {"申请表": kept.sha256}
    notice = Notification.objects.get(kind="institution.applied")
    assert notice.recipient == personas.bureau and str(application.pk) in notice.link
    assert list(selectors.certification_queue()) == [application]
    # One application at a time.
    error = _refused(
        services.certification_apply, actor=found.staff, institution=found.organisation,
        statement="again", materials=[material()], today=DAY,
    )  # fmt: skip
    assert error.code == "certification.waiting"


def test_m9_1_an_application_needs_brokers_a_statement_and_materials(personas):
    organisation = personas.organisations[Role.SERVICE_BROKER]
    apply = {"actor": personas.service_broker, "institution": organisation, "today": DAY}
    error = _refused(services.certification_apply, statement="x", materials=[material()], **apply)
    assert error.code == "certification.no_brokers"
    institution(personas, brokers=1)
    error = _refused(services.certification_apply, statement=" ", materials=[material()], **apply)
    assert error.field == "statement"
    error = _refused(services.certification_apply, statement="x", materials=[], **apply)
    assert error.field == "materials"
    error = _refused(
        services.certification_apply, statement="x", materials=[material(content=b"")], **apply
    )
    assert (error.code, error.field) == ("document.empty", "materials")
    assert not CertificationApplication.objects.exists()


def test_m9_1_the_bureau_certifies_for_a_term_and_the_institution_hears_of_it(
    personas, django_capture_on_commit_callbacks
):
    application = applied(personas)
    with pytest.raises(AccessDenied):
        services.certification_certify(
            actor=personas.service_broker, application=application,
            term_start=DAY, term_end=dt.date(2029, 3, 1), today=DAY,
        )  # fmt: skip
    error = _refused(
        services.certification_certify, actor=personas.bureau, application=application,
        term_start=DAY, term_end=DAY, today=DAY,
    )  # fmt: skip
    assert error.field == "term_end"
    with django_capture_on_commit_callbacks(execute=True):
        done = services.certification_certify(
            actor=personas.bureau, application=application,
            term_start=DAY, term_end=dt.date(2029, 3, 1), today=DAY,
        )  # fmt: skip
    assert (done.status, done.decided_on, done.term_start, done.term_end) == (
        "certified", DAY, DAY, dt.date(2029, 3, 1),
    )  # fmt: skip
    assert done.in_force(DAY) and not done.in_force(dt.date(2029, 3, 2))
    entry = AuditEntry.objects.get(action="institution.certify")
    assert entry.clauses == ["M9.1"] and entry.after["status"] == "certified"
    # The institution's staff (its brokers among them) hear of it.
    told = Notification.objects.filter(kind="institution.certified")
    assert personas.service_broker in {n.recipient for n in told}
    notice = told[0]
    assert notice.params["start"] == "2026-03-02" and notice.params["end"] == "2029-03-01"
    assert [c.pk for c in selectors.certified_institutions(DAY)] == [done.pk]
    # Certified: no second application until the last 90 days of the term.
    error = _refused(
        services.certification_apply, actor=personas.service_broker,
        institution=done.institution, statement="x", materials=[material()], today=DAY,
    )  # fmt: skip
    assert error.code == "certification.in_force"


def test_m9_1_the_bureau_refuses_or_revokes_saying_why(personas):
    application = applied(personas)
    error = _refused(
        services.certification_refuse, actor=personas.bureau, application=application, reason=""
    )
    assert error.field == "reason"
    refused = services.certification_refuse(
        actor=personas.bureau, application=application, reason="材料不全", today=DAY
    )
    assert (refused.status, refused.reason) == ("refused", "材料不全")
    assert Notification.objects.filter(kind="institution.refused")[0].params["reason"] == "材料不全"
    error = _refused(
        services.certification_certify, actor=personas.bureau, application=refused,
        term_start=DAY, term_end=dt.date(2029, 3, 1), today=DAY,
    )  # fmt: skip
    assert error.code == "certification.status"
    # A new application, certified, then revoked.
    again = certified(personas, existing(personas))
    revoked = services.certification_revoke(
        actor=personas.bureau, application=again, reason="弄虚作假", today=DAY
    )
    assert (revoked.status, revoked.revoked_on, revoked.revoke_reason) == (
        "revoked", DAY, "弄虚作假",
    )  # fmt: skip
    assert not revoked.in_force(DAY)
    assert AuditEntry.objects.get(action="institution.revoke").clauses == ["M9.1"]
    assert Notification.objects.filter(kind="institution.revoked").exists()
    error = _refused(
        services.subsidy_record, actor=personas.bureau, certification=revoked,
        disbursed_on=DAY, today=DAY,
    )  # fmt: skip
    assert error.code == "subsidy.not_certified"


def test_m9_1_the_subsidy_is_recorded_once_at_the_parameter_in_force_on_the_certification_day(
    personas, django_capture_on_commit_callbacks
):
    certification = certified(personas)
    error = _refused(
        services.subsidy_record, actor=personas.bureau, certification=certification,
        disbursed_on=DAY - dt.timedelta(days=1), today=DAY,
    )  # fmt: skip
    assert (error.code, error.field) == ("subsidy.before_certification", "disbursed_on")
    with django_capture_on_commit_callbacks(execute=True):
        subsidy = services.subsidy_record(
            actor=personas.bureau, certification=certification,
            disbursed_on=DAY + dt.timedelta(days=5), today=DAY + dt.timedelta(days=6),
        )  # fmt: skip
    in_force = PolicyVersion.objects.filter(effective_from__lte=DAY).order_by("-effective_from")[0]
    assert subsidy.amount == D("100000.00") and subsidy.policy_version == in_force.code
    entry = AuditEntry.objects.get(action="institution.subsidy_record")
    assert entry.clauses == ["M9.1"] and entry.after["amount"] == "100000.00"
    notice = Notification.objects.filter(kind="institution.subsidy").first()
    assert notice.organisation == certification.institution and notice.params["share"] == "10%"
    error = _refused(
        services.subsidy_record, actor=personas.bureau, certification=certification,
        disbursed_on=DAY, today=DAY,
    )  # fmt: skip
    assert (error.code, error.clauses) == ("subsidy.once", ("M9.1",))
    assert Subsidy.objects.count() == 1
    assert list(selectors.subsidies_to_reward(certification.institution)) == [subsidy]


def test_m9_1_a_new_subsidy_published_later_does_not_change_a_certification_of_before(personas):
    certification = certified(personas)
    later = DAY + dt.timedelta(days=30)
    values = dict(PolicyVersion.objects.order_by("-effective_from")[0].values)
    values["demonstration_institution_subsidy"] = "150000.00"
    policy_version_publish(
        actor=personas.bureau, code="test-2026b", title="更高补贴", effective_from=later,
        values=values, today=DAY,
    )  # fmt: skip
    subsidy = services.subsidy_record(
        actor=personas.bureau, certification=certification, disbursed_on=later,
        today=later,
    )  # fmt: skip
    assert subsidy.amount == D("100000.00")


def test_m9_2_the_institution_rewards_its_brokers_split_to_the_fen_and_each_sees_their_line(
    personas, django_capture_on_commit_callbacks
):
    found = institution(personas, brokers=3)
    subsidy = subsidised(personas, found)
    a, b, c = found.brokers
    with django_capture_on_commit_callbacks(execute=True):
        reward = services.reward_decide(
            actor=found.staff, subsidy=subsidy,
            reward=services.Reward(D("10000.01"), {a.pk: D("25"), b.pk: D("50"), c.pk: D("25")}),
            today=DAY,
        )  # fmt: skip
    assert (reward.total, reward.minimum, reward.min_share) == (
        D("10000.01"), D("10000.00"), D("0.1000"),
    )  # fmt: skip
    lines = {line.broker: line.amount for line in reward.lines.all()}
    assert lines == {b: D("5000.01"), a: D("2500.00"), c: D("2500.00")}
    assert sum(lines.values()) == reward.total
    entry = AuditEntry.objects.get(action="institution.reward_decide")
    assert entry.clauses == ["M9.2"] and entry.after["lines"]["KM-2025-0002"] == "5000.01"
    # Each broker is told of their own line, and sees only theirs.
    told = Notification.objects.filter(kind="institution.reward")
    assert {n.recipient for n in told} == {a.person, b.person, c.person}
    assert [line.amount for line in selectors.reward_lines_of(b.person)] == [D("5000.01")]
    assert not selectors.subsidies_to_reward(found.organisation).exists()
    error = _refused(
        services.reward_decide, actor=found.staff, subsidy=subsidy,
        reward=services.Reward(D("10000.00"), {a.pk: D("100")}), today=DAY,
    )  # fmt: skip
    assert error.code == "reward.once"
    assert audit_chain_verify().intact


def test_m9_2_a_reward_below_the_minimum_in_force_is_refused_naming_the_total(personas):
    found = institution(personas)
    subsidy = subsidised(personas, found)
    a, b = found.brokers
    error = _refused(
        services.reward_decide, actor=found.staff, subsidy=subsidy,
        reward=services.Reward(D("9999.99"), {a.pk: D("60"), b.pk: D("40")}), today=DAY,
    )  # fmt: skip
    assert (error.code, error.field, error.clauses) == ("reward.below_minimum", "total", ("M9.2",))
    error = _refused(
        services.reward_decide, actor=found.staff, subsidy=subsidy,
        reward=services.Reward(D("10000.00"), {a.pk: D("60"), b.pk: D("30")}), today=DAY,
    )  # fmt: skip
    assert (error.code, error.field) == ("shares.sum", "shares")
    error = _refused(
        services.reward_decide, actor=found.staff, subsidy=subsidy,
        reward=services.Reward(D("10000.00"), {a.pk: D("50"), 987654: D("50")}), today=DAY,
    )  # fmt: skip
    assert (error.code, error.field) == ("reward.unknown_broker", "shares")
    with pytest.raises(AccessDenied):
        services.reward_decide(
            actor=personas.enterprise, subsidy=subsidy,
            reward=services.Reward(D("10000.00"), {a.pk: D("100")}), today=DAY,
        )  # fmt: skip
    assert not BrokerRewardLine.objects.exists()


def test_m9_a_broker_s_record_counts_the_demands_they_answered_and_the_deals(personas):
    found = institution(personas)
    demand = published(personas)
    demand_services.answer_create(
        actor=found.brokers[1].person, demand=demand, organisation=found.organisation,
        proposal="方案",
    )  # fmt: skip
    demand_services.demand_close(actor=personas.enterprise, demand=demand, met=True)
    record = selectors.broker_record(found.brokers[1])
    assert (record.answers, record.deals) == (1, 1)
    assert list(selectors.broker_deals(found.brokers[1])) == [demand]
    assert selectors.broker_record(found.brokers[0]).answers == 0
