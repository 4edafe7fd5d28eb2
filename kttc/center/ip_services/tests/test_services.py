"""Fast patent pre-examination (M11.1): a request filed with its documents kept by their hash,
eligibility by industry and registration in Kunming checked at filing, the center's queue with
its due dates, return for correction, refusal, forwarding and outcome; each step audited with
its clause and its people notified; the sweep's reminders and overdue notices, each once."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.center.ip_services import selectors, services, sweep
from kttc.center.ip_services.models import PreExamination, PreExaminationDocument
from kttc.center.ip_services.tests.factories import DAY, accepted, attachment, filed, filing
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Notification
from kttc.core.selectors import audit_chain_verify
from kttc.policy.errors import PolicyError
from kttc.policy.evidence import document_hash
from kttc.policy.identifiers import make_uscc
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


def _refused(call, **kwargs) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        call(**kwargs)
    return refused.value


def _told(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_m11_1_an_enterprise_files_and_the_staff_hear_of_it(personas):
    request = filed(personas)
    assert (request.status, request.industry, request.industry_code, request.kind) == (
        "submitted", "biological_products", "C2762", "invention",
    )  # fmt: skip
    assert request.credit_code == personas.organisations[Role.ENTERPRISE].credit_code
    document = PreExaminationDocument.objects.get(request=request)
    assert document.sha256 == document_hash(b"%PDF-1.4 claims")
    entry = AuditEntry.objects.filter(action="pre_examination.file").get()
    assert entry.clauses == ["M11.1"]
    assert entry.after["documents"] == {"权利要求书": document.sha256}
    assert _told(personas.bureau, "pre_examination.filed") == 1
    assert audit_chain_verify().intact


def test_m11_1_a_unit_transfer_office_files_for_its_unit(personas):
    request = services.pre_examination_file(
        actor=personas.transfer_office, applicant=personas.organisations[Role.TRANSFER_OFFICE],
        filing=filing(industry_code="C3491", kind="utility_model"), documents=[attachment()],
        today=DAY,
    )  # fmt: skip
    assert request.industry == "intelligent_equipment"


def test_m11_1_ineligible_requests_are_refused_naming_the_field_and_nothing_is_stored(personas):
    refused = _refused(filed, personas=personas, industry_code="C2710")
    assert (refused.field, refused.clauses) == ("industry_code", ("M11.1",))
    assert _refused(filed, personas=personas, kind="pct_invention").field == "kind"
    assert _refused(filed, personas=personas, title="  ").field == "title"
    enterprise = personas.organisations[Role.ENTERPRISE]
    enterprise.credit_code = make_uscc("91110108MA000000X")  # Beijing, Haidian
    enterprise.save()
    refused = _refused(filed, personas=personas)
    assert (refused.field, refused.code) == ("credit_code", "pre_examination.local")
    refused = _refused(
        services.pre_examination_file, actor=personas.enterprise, applicant=enterprise,
        filing=filing(), documents=[], today=DAY,
    )  # fmt: skip
    assert refused.field in ("credit_code", "documents")
    assert not PreExamination.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="pre_examination").exists()


def test_only_the_applicant_files_and_only_the_staff_decide(personas):
    with pytest.raises(AccessDenied):
        services.pre_examination_file(
            actor=personas.researcher, applicant=personas.organisations[Role.RESEARCHER],
            filing=filing(), documents=[attachment()], today=DAY,
        )  # fmt: skip
    with pytest.raises(AccessDenied):
        services.pre_examination_file(
            actor=personas.enterprise, applicant=personas.organisations[Role.TRANSFER_OFFICE],
            filing=filing(), documents=[attachment()], today=DAY,
        )  # fmt: skip
    request = filed(personas)
    for actor in (personas.enterprise, personas.auditor, personas.transfer_office):
        with pytest.raises(AccessDenied):
            services.pre_examination_accept(actor=actor, request=request, today=DAY)


def test_m11_1_accepted_with_its_due_date_kept_and_the_applicant_told(personas):
    request = accepted(personas)
    assert (request.status, request.accepted_on, request.due_on) == (
        "accepted", DAY, dt.date(2026, 12, 11),
    )  # fmt: skip
    assert _told(personas.enterprise, "pre_examination.accepted") == 1
    refused = _refused(
        services.pre_examination_accept, actor=personas.bureau, request=request, today=DAY
    )
    assert refused.clauses == ("M11.1",)


def test_m11_1_returned_corrected_filed_again_then_refused_with_reasons(personas):
    request = filed(personas)
    assert (
        _refused(
            services.pre_examination_return, actor=personas.bureau, request=request, reason=" "
        ).field
        == "reason"
    )
    request = services.pre_examination_return(
        actor=personas.bureau, request=request, reason="请补充说明书附图。", today=DAY
    )
    assert (request.status, request.reason) == ("returned", "请补充说明书附图。")
    assert _told(personas.enterprise, "pre_examination.returned") == 1
    later = DAY + dt.timedelta(days=3)
    request = services.pre_examination_resubmit(
        actor=personas.enterprise, request=request, filing=filing(title="重组蛋白疫苗纯化方法"),
        documents=[attachment(b"%PDF-1.4 drawings")], today=later,
    )  # fmt: skip
    assert (request.status, request.submissions, request.filed_on, request.reason) == (
        "submitted", 2, later, "",
    )  # fmt: skip
    assert request.documents.count() == 2
    assert _told(personas.bureau, "pre_examination.filed") == 2
    request = services.pre_examination_refuse(
        actor=personas.bureau, request=request, reason="不属于支持领域。", today=later
    )
    assert request.status == "refused"
    assert _told(personas.enterprise, "pre_examination.refused") == 1
    actions = list(
        AuditEntry.objects.filter(action__startswith="pre_examination")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "pre_examination.file", "pre_examination.return", "pre_examination.resubmit",
        "pre_examination.refuse",
    ]  # fmt: skip


def test_m11_1_forwarded_with_its_reference_then_its_outcome(personas):
    request = accepted(personas)
    assert _refused(
        services.pre_examination_forward, actor=personas.bureau, request=request,
        reference="a b", today=DAY,
    ).field == "reference"  # fmt: skip
    on = DAY + dt.timedelta(days=3)
    request = services.pre_examination_forward(
        actor=personas.bureau, request=request, reference="YS2026-0042", today=on
    )
    assert (request.status, request.forwarded_on, request.reference) == (
        "forwarded", on, "YS2026-0042",
    )  # fmt: skip
    assert _told(personas.enterprise, "pre_examination.forwarded") == 1
    refused = _refused(
        services.pre_examination_outcome, actor=personas.bureau, request=request,
        passed=True, decided_on=on - dt.timedelta(days=1), today=on,
    )  # fmt: skip
    assert refused.field == "decided_on"
    request = services.pre_examination_outcome(
        actor=personas.bureau, request=request, passed=True, decided_on=on, today=on
    )
    assert (request.status, request.outcome_on) == ("passed", on)
    assert _told(personas.enterprise, "pre_examination.outcome") == 1
    assert _refused(
        services.pre_examination_refuse, actor=personas.bureau, request=request, reason="x"
    ).clauses == ("M11.1",)
    assert audit_chain_verify().intact


def test_m11_1_the_queue_is_ordered_by_due_date_with_the_overdue_marked(personas):
    early = accepted(personas, on=DAY)
    late = accepted(personas, on=DAY + dt.timedelta(days=7))
    new = filed(personas)
    rows = list(selectors.queue(dt.date(2026, 12, 14)))
    assert [r.pk for r in rows] == [early.pk, late.pk, new.pk]
    assert [r.overdue for r in rows] == [True, False, False]


def test_m11_1_the_sweep_reminds_once_and_tells_of_the_overdue_once(personas):
    request = accepted(personas)  # due on 2026-12-11
    assert sweep.run(dt.date(2026, 12, 8))["pre-examinations due soon (M11.1)"] == 0
    counts = sweep.run(dt.date(2026, 12, 9))
    assert counts["pre-examinations due soon (M11.1)"] == 1
    assert _told(personas.bureau, "pre_examination.due_soon") == 1
    assert sweep.run(dt.date(2026, 12, 10))["pre-examinations due soon (M11.1)"] == 0
    assert sweep.run(dt.date(2026, 12, 11))["pre-examinations overdue (M11.1)"] == 0
    counts = sweep.run(dt.date(2026, 12, 12))
    assert counts["pre-examinations overdue (M11.1)"] == 1
    assert counts["applicants told of a late pre-examination"] == 1
    assert _told(personas.enterprise, "pre_examination.overdue") == 1
    assert _told(personas.bureau, "pre_examination.overdue_for_staff") == 1
    again = sweep.run(dt.date(2026, 12, 13))
    assert again["pre-examinations overdue (M11.1)"] == 0
    assert _told(personas.enterprise, "pre_examination.overdue") == 1
    request.refresh_from_db()
    assert request.reminded_at is not None and request.overdue_notified_at is not None
    # A forwarded request is no longer due.
    services.pre_examination_forward(
        actor=personas.bureau, request=request, reference="YS1", today=dt.date(2026, 12, 14)
    )
    assert not selectors.queue(dt.date(2026, 12, 14)).exists()
