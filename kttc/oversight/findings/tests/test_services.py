"""Findings shared between supervising departments (M14.2): recorded once per department and
reference, a draft until issued and never changed after (amendments with their reason, the
history kept), each step audited with M14.2; who reads what (department A reads B's issued
findings, never its drafts; a unit its own only); the unit rectifies with evidence and the
department marks it; the other departments' recent records of a unit are shown before
recording; and the auditor writes nothing else anywhere."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.core import services as core_services
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Notification
from kttc.core.selectors import audit_chain_verify, user_can
from kttc.core.services import Document
from kttc.oversight.findings import selectors, services
from kttc.oversight.findings.models import Amendment, Finding, Inspection, RectificationDocument
from kttc.oversight.findings.tests.factories import DAY, departments, issued, plan, recorded, scope
from kttc.oversight.meeting import services as meeting_services
from kttc.policy.errors import PolicyError
from kttc.policy.evidence import document_hash
from kttc.policy.roles import READ_ONLY_EXCEPTIONS, Capability, Role

pytestmark = pytest.mark.django_db


def _refused(call, *args, **kwargs) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        call(*args, **kwargs)
    return refused.value


def _told(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


@pytest.fixture
def world(personas):
    return departments(personas)


@pytest.fixture
def unit(personas):
    return personas.organisations[Role.TRANSFER_OFFICE]


def test_m14_2_recorded_once_per_department_and_reference(personas, world, unit):
    first = recorded(world.auditor_a, world.a, unit)
    assert (first.status, first.clauses) == ("draft", ["M5.2", "M5.3"])
    assert first.documents.get().sha256 == document_hash(b"%PDF audit")
    entry = AuditEntry.objects.get(action="findings.record")
    assert entry.clauses == ["M14.2"] and entry.after["findings"][0]["clause"] == "M5.2"
    again = _refused(recorded, world.auditor_a, world.a, unit)
    assert (again.code, again.field) == ("findings.reference_taken", "reference")
    assert "昆审〔2026〕12号" in again.message and "M14.2" in again.message
    # Another department may use the same number: it is its own.
    recorded(world.auditor_b, world.b, unit)
    assert Inspection.objects.count() == 2
    assert audit_chain_verify().intact


def test_m14_2_the_scope_and_findings_are_checked_on_their_fields(world, unit):
    bad_clause = _refused(
        recorded, world.auditor_a, world.a, unit, scope=scope(unit, clauses=("M99.1",))
    )
    assert (bad_clause.code, bad_clause.field) == ("findings.clause", "clauses")
    outside = _refused(
        recorded, world.auditor_a, world.a, unit, findings=[plan(unit, clause="M3.2")]
    )
    assert outside.field == "clause"
    late = _refused(recorded, world.auditor_a, world.a, unit, findings=[plan(unit, deadline=DAY)])
    assert late.field == "deadline"
    link = _refused(
        recorded, world.auditor_a, world.a, unit, findings=[plan(unit, links=["https://x"])]
    )
    assert link.field == "links"
    period = _refused(
        recorded, world.auditor_a, world.a, unit,
        scope=scope(unit, period_start=dt.date(2026, 1, 1), period_end=dt.date(2025, 1, 1)),
    )  # fmt: skip
    assert period.field == "period_end"
    itself = _refused(recorded, world.auditor_a, world.a, unit, scope=scope(world.a))
    assert itself.field == "subjects"
    assert not Inspection.objects.exists()


def test_m14_2_an_auditor_records_for_its_own_department_only(personas, world, unit):
    with pytest.raises(AccessDenied):
        recorded(world.auditor_b, world.a, unit)
    draft = recorded(world.auditor_a, world.a, unit)
    for call in (
        lambda: services.inspection_issue(actor=world.auditor_b, inspection=draft, today=DAY),
        lambda: services.finding_add(
            actor=world.auditor_b, inspection=draft, plan=plan(unit), today=DAY
        ),
        lambda: services.inspection_issue(actor=personas.bureau, inspection=draft, today=DAY),
        lambda: recorded(personas.bureau, personas.organisations[Role.BUREAU], unit),
    ):
        with pytest.raises(AccessDenied):
            call()
    assert Inspection.objects.get().status == "draft"


def test_m14_2_issue_freezes_the_record_and_tells_the_unit(personas, world, unit):
    draft = recorded(world.auditor_a, world.a, unit, findings=[])
    assert (
        _refused(services.inspection_issue, actor=world.auditor_a, inspection=draft, today=DAY).code
        == "findings.no_findings"
    )
    services.finding_add(actor=world.auditor_a, inspection=draft, plan=plan(unit), today=DAY)
    done = services.inspection_issue(actor=world.auditor_a, inspection=draft, today=DAY)
    assert (done.status, done.issued_on, done.issued_by) == ("issued", DAY, world.auditor_a)
    assert _told(personas.transfer_office, "findings.issued") == 1
    assert (
        _refused(services.inspection_issue, actor=world.auditor_a, inspection=done, today=DAY).code
        == "findings.issued"
    )
    assert (
        _refused(
            services.finding_add, actor=world.auditor_a, inspection=done, plan=plan(unit), today=DAY
        ).code
        == "findings.issued"
    )
    entries = AuditEntry.objects.filter(action__startswith="findings.").order_by("seq")
    assert [e.action for e in entries] == [
        "findings.record", "findings.add_finding", "findings.issue",
    ]  # fmt: skip
    assert all(
        e.clauses == ["M14.2"] for e in AuditEntry.objects.filter(action__startswith="findings.")
    )


def test_m14_2_an_issued_record_is_amended_with_a_reason_never_edited(personas, world, unit):
    done = issued(world.auditor_a, world.a, unit)
    finding = done.findings.get()
    refused = _refused(
        services.inspection_amend, actor=world.auditor_a, inspection=done, reason=" ",
        correction=services.Correction({"severity": "minor"}), finding=finding, today=DAY,
    )  # fmt: skip
    assert refused.field == "reason"
    draft = recorded(world.auditor_a, world.a, unit, reference="昆审〔2026〕13号")
    assert _refused(
        services.inspection_amend, actor=world.auditor_a, inspection=draft, reason="更正",
        correction=services.Correction({"title": "新"}), today=DAY,
    ).code == "findings.not_issued"  # fmt: skip
    amendment = services.inspection_amend(
        actor=world.auditor_a, inspection=done, reason="复核后认定为一般问题",
        correction=services.Correction({"severity": "minor", "description": "比例为68%。"}),
        finding=finding, today=DAY,
    )  # fmt: skip
    finding.refresh_from_db()
    assert (finding.severity, finding.description) == ("minor", "比例为68%。")
    assert amendment.before == {"severity": "significant", "description": plan(unit).description}
    assert amendment.after == {"severity": "minor", "description": "比例为68%。"}
    services.inspection_amend(
        actor=world.auditor_a, inspection=done, reason="标题更正",
        correction=services.Correction({"title": "春城大学许可收入分配审计"}), today=DAY,
    )  # fmt: skip
    assert Amendment.objects.filter(inspection=done).count() == 2  # the history, in order
    with pytest.raises(TypeError):
        amendment.save()
    entry = AuditEntry.objects.filter(action="findings.amend").order_by("seq").first()
    assert entry.after["reason"] == "复核后认定为一般问题" and entry.clauses == ["M14.2"]
    assert _told(personas.transfer_office, "findings.amended") == 2
    with pytest.raises(AccessDenied):
        services.inspection_amend(
            actor=world.auditor_b, inspection=done, reason="x",
            correction=services.Correction({"title": "y"}), today=DAY,
        )  # fmt: skip


def test_m14_2_who_reads_which_records(personas, world, unit):
    a_issued = issued(world.auditor_a, world.a, unit)
    b_draft = recorded(world.auditor_b, world.b, unit, reference="昆财监〔2026〕3号")
    b_issued = issued(
        world.auditor_b, world.b, personas.organisations[Role.ENTERPRISE],
        reference="昆财监〔2026〕4号",
        scope=scope(personas.organisations[Role.ENTERPRISE]),
        findings=[plan(personas.organisations[Role.ENTERPRISE])],
    )  # fmt: skip

    def sees(user) -> set[int]:
        return set(selectors.inspections_for(user).values_list("pk", flat=True))

    assert sees(world.auditor_a) == {a_issued.pk, b_issued.pk}  # B's draft: not A's to read
    assert sees(world.auditor_b) == {a_issued.pk, b_issued.pk, b_draft.pk}
    assert sees(personas.bureau) == {a_issued.pk, b_issued.pk}
    assert sees(personas.transfer_office) == {a_issued.pk}  # about itself only
    assert sees(personas.enterprise) == {b_issued.pk}
    assert sees(personas.service_broker) == set()  # another unit: nothing
    assert sees(personas.researcher) == set()
    assert set(
        selectors.findings_for(personas.transfer_office).values_list("inspection", flat=True)
    ) == {a_issued.pk}


def test_m14_2_the_unit_rectifies_with_evidence_and_the_department_marks_it(personas, world, unit):
    finding = issued(world.auditor_a, world.a, unit).findings.get()
    evidence = [services.Attachment("补发奖励凭证", Document("凭证.pdf", b"%PDF paid"))]
    with pytest.raises(AccessDenied):  # another unit
        services.rectification_submit(
            actor=personas.enterprise, finding=finding, text="x", today=DAY
        )
    with pytest.raises(PolicyError):  # nothing submitted yet
        services.rectification_review(
            actor=world.auditor_a, finding=finding, rectified=True, today=DAY
        )
    services.rectification_submit(
        actor=personas.transfer_office,
        finding=finding,
        text="已补发奖励。",
        documents=evidence,
        today=DAY,
    )
    assert RectificationDocument.objects.get(finding=finding).sha256 == document_hash(b"%PDF paid")
    assert _told(world.auditor_a, "findings.rectification_submitted") == 1
    assert _told(world.auditor_b, "findings.rectification_submitted") == 0
    with pytest.raises(AccessDenied):  # another department
        services.rectification_review(
            actor=world.auditor_b, finding=finding, rectified=True, today=DAY
        )
    assert (
        _refused(
            services.rectification_review,
            actor=world.auditor_a,
            finding=finding,
            rectified=False,
            note="",
            today=DAY,
        ).field
        == "note"
    )
    services.rectification_review(
        actor=world.auditor_a, finding=finding, rectified=False, note="缺少银行回单。", today=DAY
    )
    assert _told(personas.transfer_office, "findings.not_rectified") == 1
    services.rectification_submit(
        actor=personas.transfer_office, finding=finding, text="附银行回单。", today=DAY
    )
    assert _told(world.auditor_a, "findings.rectification_submitted") == 2
    services.rectification_review(actor=world.auditor_a, finding=finding, rectified=True, today=DAY)
    finding.refresh_from_db()
    assert finding.rectification == "rectified"
    assert _told(personas.transfer_office, "findings.rectified") == 1
    assert (
        _refused(
            services.rectification_submit,
            actor=personas.transfer_office,
            finding=finding,
            text="再次",
            today=DAY,
        ).code
        == "findings.rectification_status"
    )
    assert AuditEntry.objects.filter(action="findings.rectify").count() == 2
    assert AuditEntry.objects.filter(action="findings.review").count() == 2
    assert audit_chain_verify().intact


def test_m14_2_a_draft_is_not_rectified(personas, world, unit):
    finding = recorded(world.auditor_a, world.a, unit).findings.get()
    with pytest.raises(AccessDenied):
        services.rectification_submit(
            actor=personas.transfer_office, finding=finding, text="x", today=DAY
        )


def test_m14_2_other_departments_recent_records_of_the_unit_on_the_same_clauses(
    personas, world, unit
):
    earlier = issued(
        world.auditor_b,
        world.b,
        unit,
        reference="昆财监〔2026〕1号",
        scope=scope(unit, clauses=("M5.2", "M6.1")),
    )
    issued(
        world.auditor_b, world.b, unit, reference="昆财监〔2026〕2号",
        scope=scope(unit, clauses=("M3.1",)), findings=[plan(unit, clause="M3.1")],
    )  # fmt: skip
    found = selectors.overlapping(
        subjects=[unit], clauses=["M5.2", "M5.3"], department=world.a, on=DAY
    )
    assert [(o.inspection.pk, o.clauses) for o in found] == [(earlier.pk, ["M5.2"])]
    # Its own department's records, and those older than a year, are not "the others'".
    assert (
        selectors.overlapping(subjects=[unit], clauses=["M5.2"], department=world.b, on=DAY) == []
    )
    assert (
        selectors.overlapping(
            subjects=[unit], clauses=["M5.2"], department=world.a, on=DAY + dt.timedelta(days=400)
        )
        == []
    )
    # A warning, not a block: department A still records its own.
    assert recorded(world.auditor_a, world.a, unit).status == "draft"


def _reads(capability: Capability) -> bool:
    """What a person may read (viewing, verifying the chain, using the API to read); every
    other capability changes something."""
    return capability == Capability.USE_API or capability.value.startswith(("view_", "verify_"))


def test_m14_2_the_auditor_writes_its_findings_and_nothing_else(personas, world):
    """The auditor holds no capability that changes anything but RECORD_FINDINGS, for no
    organisation; the write services of the platform refuse it."""
    assert {Capability.RECORD_FINDINGS} == READ_ONLY_EXCEPTIONS
    organisations = [*list(personas.organisations.values()), world.b]
    for capability in set(Capability) - READ_ONLY_EXCEPTIONS:
        if _reads(capability):
            continue
        for organisation in organisations:
            assert not user_can(personas.auditor, capability, organisation), capability
    assert user_can(personas.auditor, Capability.RECORD_FINDINGS, world.a)
    assert not user_can(personas.auditor, Capability.RECORD_FINDINGS, world.b)
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    before = AuditEntry.objects.count()
    writes = [
        lambda: core_services.organisation_update(
            actor=personas.auditor, organisation=unit, name="改"
        ),
        lambda: core_services.organisation_verify(actor=personas.auditor, organisation=unit),
        lambda: core_services.membership_grant(
            actor=personas.auditor, organisation=world.a, user=personas.researcher, role="auditor"
        ),
        lambda: meeting_services.difficulty_raise(
            actor=personas.auditor, organisation=world.a, title="t", description="d"
        ),
        lambda: meeting_services.session_convene(
            actor=personas.auditor, held_on=DAY, title="t", attendees=["a"], agenda=[]
        ),
        lambda: services.rectification_submit(
            actor=personas.auditor,
            finding=issued(world.auditor_b, world.b, unit, reference="x-1").findings.get(),
            text="x",
        ),
    ]
    for write in writes:
        with pytest.raises(AccessDenied):
            write()
    assert AuditEntry.objects.exclude(action__startswith="findings.").count() == before
    assert not Finding.objects.exclude(rectification="required").exists()


def test_m14_2_a_unit_sees_neither_the_other_units_inspected_nor_their_amendments(
    personas, world, unit
):
    other = personas.organisations[Role.ENTERPRISE]
    done = issued(
        world.auditor_a, world.a, unit, scope=scope(unit, subjects=[unit, other]),
        findings=[plan(unit), plan(other)],
    )  # fmt: skip
    theirs = done.findings.get(subject=other)
    services.inspection_amend(
        actor=world.auditor_a, inspection=done, reason="更正", finding=theirs,
        correction=services.Correction({"severity": "minor"}), today=DAY,
    )  # fmt: skip
    assert list(selectors.subjects_for(personas.transfer_office, done)) == [unit]
    assert list(selectors.amendments_for(personas.transfer_office, done)) == []
    assert set(selectors.subjects_for(world.auditor_b, done)) == {unit, other}
    assert selectors.amendments_for(personas.bureau, done).count() == 1
    assert list(selectors.findings_for(personas.enterprise).filter(inspection=done)) == [theirs]


def test_m14_2_a_finding_is_taken_out_of_a_draft_never_out_of_an_issued_record(world, unit):
    draft = recorded(world.auditor_a, world.a, unit, findings=[plan(unit), plan(unit)])
    first, second = draft.findings.order_by("id")
    with pytest.raises(AccessDenied):
        services.finding_remove(actor=world.auditor_b, finding=first)
    services.finding_remove(actor=world.auditor_a, finding=first)
    assert list(draft.findings.all()) == [second]
    entry = AuditEntry.objects.get(action="findings.remove_finding")
    assert entry.before["description"] == plan(unit).description and entry.clauses == ["M14.2"]
    services.inspection_issue(actor=world.auditor_a, inspection=draft, today=DAY)
    assert _refused(services.finding_remove, actor=world.auditor_a, finding=second).code == (
        "findings.issued"
    )
