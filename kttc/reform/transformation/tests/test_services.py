"""M4.4: time-limited transformation. Recorded transformations and justifications (each refusal
cites M4.4, names its field and stores nothing), and the sweep that keeps the open licensing
list: set-based, each listing and notice once however often it runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kttc.core.models import AuditEntry, Notification
from kttc.core.selectors import audit_chain_verify
from kttc.core.tests.factories import OrganisationFactory
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role
from kttc.reform import sweep
from kttc.reform.licensing import services as licences
from kttc.reform.models import (
    LicenceOffer,
    OpenLicensingEntry,
    Transformation,
    TransformationJustification,
)
from kttc.reform.tests.factories import make_result
from kttc.reform.transformation import services
from kttc.reform.transformation import sweep as transformation_sweep
from kttc.registry import services as registry_services
from kttc.registry.models import Achievement, IPRight

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)  # the IP of the factory's result was granted on 2019-05-01
STORED = (Transformation, TransformationJustification, OpenLicensingEntry, LicenceOffer,
          AuditEntry, Notification)  # fmt: skip


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in STORED}


def refused(call, **kwargs) -> PolicyError:
    """Call a service that must refuse; check that nothing at all was stored."""
    before = _counts()
    with pytest.raises(PolicyError) as info:
        call(**kwargs)
    assert _counts() == before, "a refused request stored something"
    return info.value


def _published(personas, unit, **changes):
    result = make_result(personas, unit, **changes)
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    return registry_services.achievement_publish(actor=personas.bureau, achievement=result)


def _granted(result, on):
    IPRight.objects.filter(achievement=result).update(grant_date=on)


@pytest.fixture
def due(personas, unit):
    """A published result of the unit whose IP was granted over 5 years before TODAY."""
    return _published(personas, unit)


def _record(personas, result, **changes):
    values = {
        "actor": personas.transfer_office,
        "achievement": result,
        "kind": "transfer",
        "happened_on": TODAY - dt.timedelta(days=3),
        "description": "转让给云岭智造科技有限公司，合同编号2026-KM-018。",
        "today": TODAY,
    }
    values.update(changes)
    return services.transformation_record(**values)


def _file(personas, result, **changes):
    values = {
        "actor": personas.transfer_office,
        "achievement": result,
        "reason": "该成果正处于临床试验阶段，转化需待试验结束。",
        "today": TODAY,
    }
    values.update(changes)
    return services.justification_file(**values)


def _decide(personas, justification, decision="accept", **changes):
    values = {
        "actor": personas.bureau,
        "justification": justification,
        "decision": decision,
        "today": TODAY,
    }
    values.update(changes)
    return services.justification_decide(**values)


# --- the sweep lists what is due, once ---------------------------------------------------------


def test_m4_4_the_sweep_lists_a_due_result_with_a_default_offer_and_tells_the_unit_once(
    personas, unit, due
):
    counts = transformation_sweep.run(TODAY)
    assert counts["open licensing: listed"] == 1 and counts["open licensing notices"] == 1
    entry = OpenLicensingEntry.objects.get()
    assert (entry.achievement, entry.unit, entry.status) == (due, unit, "listed")
    assert entry.ip_obtained_on == dt.date(2019, 5, 1) and entry.listed_on == TODAY
    offer = entry.offer
    assert offer.open and offer.open_licensing and not offer.exclusive
    assert (offer.payment_model, offer.term_years, offer.created_by) == (
        "after_first_revenue",
        5,
        None,
    )
    assert (offer.achievement, offer.unit) == (due, unit)
    (notice,) = Notification.objects.filter(kind="reform.open_licensing_listed")
    assert notice.recipient == personas.transfer_office and notice.clauses == ["M4.4"]
    assert notice.params == {"name": due.name, "obtained": "2019-05-01"}
    audit = AuditEntry.objects.get(action="open_licensing.list")
    assert audit.actor is None and audit.clauses == ["M4.4"] and audit.object_id == str(entry.pk)
    assert audit_chain_verify().intact
    # Run twice, or the next day: nothing more is listed or told.
    again = transformation_sweep.run(TODAY)
    assert again == dict.fromkeys(counts, 0)
    assert transformation_sweep.run(TODAY + dt.timedelta(days=1)) == dict.fromkeys(counts, 0)
    assert OpenLicensingEntry.objects.count() == LicenceOffer.objects.count() == 1
    assert Notification.objects.filter(kind="reform.open_licensing_listed").count() == 1


def test_m4_4_the_reform_sweep_runs_the_open_licensing_part(personas, due):
    counts = sweep.run(TODAY)
    assert counts["open licensing: listed"] == 1 and "rights expired" in counts


def test_m4_4_the_sweep_lists_on_the_fifth_anniversary_of_the_grant_not_before(personas, due):
    _granted(due, dt.date(2021, 12, 2))
    assert transformation_sweep.run(TODAY)["open licensing: listed"] == 0
    assert transformation_sweep.run(dt.date(2026, 12, 2))["open licensing: listed"] == 1
    assert OpenLicensingEntry.objects.get().ip_obtained_on == dt.date(2021, 12, 2)


def test_m4_4_the_earliest_granted_right_counts_and_pending_or_undated_ones_do_not(personas, due):
    right = IPRight.objects.get(achievement=due)
    right.grant_date = dt.date(2022, 1, 1)
    right.save()
    IPRight.objects.create(
        achievement=due, kind="invention", number="x1", status="pending", grant_date=None
    )
    IPRight.objects.create(
        achievement=due,
        kind="invention",
        number="x2",
        status="lapsed",
        grant_date=dt.date(2015, 1, 1),
    )
    IPRight.objects.create(
        achievement=due, kind="software_copyright", number="x3", status="granted",
        grant_date=dt.date(2021, 6, 1),
    )  # fmt: skip
    transformation_sweep.run(TODAY)
    assert OpenLicensingEntry.objects.get().ip_obtained_on == dt.date(2021, 6, 1)


def test_m4_4_the_number_of_years_is_the_parameter_in_force(personas, due, monkeypatch):
    from dataclasses import replace

    from kttc.core import selectors as core_selectors

    real = core_selectors.policy_version_in_force

    def eight_years(on=None):
        version = real(on)
        return replace(
            version, parameters=replace(version.parameters, open_licensing_after_years=8)
        )

    monkeypatch.setattr(services, "policy_version_in_force", eight_years)
    assert transformation_sweep.run(TODAY)["open licensing: listed"] == 0  # 2019 + 8 = 2027
    assert transformation_sweep.run(dt.date(2027, 5, 1))["open licensing: listed"] == 1


def test_m4_4_what_is_not_listed(personas, unit, due):
    _published(personas, unit, name="机密以外的限制成果", confidentiality="restricted")
    _published(personas, unit, name="涉及重大公共利益的成果", national_interest=True)
    make_result(personas, unit, name="未发布的成果")  # a draft
    young = _published(personas, unit, name="新授权的成果")
    _granted(young, dt.date(2024, 1, 1))
    no_ip = _published(personas, unit, name="无知识产权的成果")
    IPRight.objects.filter(achievement=no_ip).delete()
    licensed = _published(personas, unit, name="已许可的成果")
    enterprise = personas.organisations[Role.ENTERPRISE]
    offer = licences.licence_offer(
        actor=personas.transfer_office,
        unit=unit,
        achievement=licensed,
        term_years=3,
        payment_model="deferred",
    )
    licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 1, 1),
        total_fee=Decimal("1000.00"),
        first_due=dt.date(2027, 1, 1),
    )
    transformed = _published(personas, unit, name="已转让的成果")
    _record(personas, transformed)
    justified = _published(personas, unit, name="理由已被接受的成果")
    _decide(personas, _file(personas, justified), valid_until=dt.date(2027, 6, 30))
    pending = _published(personas, unit, name="理由待审的成果")
    _file(personas, pending)
    transformation_sweep.run(TODAY)
    listed = set(OpenLicensingEntry.objects.values_list("achievement__name", flat=True))
    # A pending justification does not keep a due result off the list: only an accepted one.
    assert listed == {due.name, pending.name}


def test_m4_4_the_sweep_reads_set_based(personas, unit, due):
    for i in range(3):
        _published(personas, unit, name=f"另一个到期成果{i}")
    with CaptureQueriesContext(connection) as few:
        transformation_sweep.run(TODAY)
    assert OpenLicensingEntry.objects.count() == 4
    for i in range(6):
        _published(personas, unit, name=f"更多到期成果{i}")
    with CaptureQueriesContext(connection) as more:
        transformation_sweep.run(TODAY)
    assert OpenLicensingEntry.objects.count() == 10
    assert len(more.captured_queries) == len(few.captured_queries)


def test_m4_4_the_sweep_lists_in_batches_and_keeps_going(personas, unit, due):
    for i in range(4):
        _published(personas, unit, name=f"批量成果{i}")
    done = services.open_listing_refresh(today=TODAY, batch=2)
    assert done.listed == 5
    assert OpenLicensingEntry.objects.filter(offer__isnull=False).count() == 5
    assert LicenceOffer.objects.filter(open_licensing=True).count() == 5


def test_m4_4_a_result_transformed_meanwhile_comes_off_the_list_at_the_sweep(personas, unit, due):
    transformation_sweep.run(TODAY)
    enterprise = personas.organisations[Role.ENTERPRISE]
    entry = OpenLicensingEntry.objects.get()
    licences.licence_conclude(
        actor=personas.transfer_office,
        offer=entry.offer,
        licensee=enterprise,
        starts_on=TODAY,
        total_fee=Decimal("5000.00"),
    )
    later = TODAY + dt.timedelta(days=1)
    counts = transformation_sweep.run(later)
    assert counts["open licensing: taken off (transformed)"] == 1
    entry.refresh_from_db()
    assert (entry.status, entry.delisted_on) == ("transformed", later)
    assert not entry.offer.open
    assert AuditEntry.objects.filter(action="open_licensing.take_off").count() == 1
    assert transformation_sweep.run(later)["open licensing: taken off (transformed)"] == 0


def test_m4_4_a_day_before_the_measures_took_effect_is_judged_by_the_first_version(personas, due):
    counts = transformation_sweep.run(
        dt.date(2025, 12, 1)
    )  # granted 2019-05-01: due since 2024-05-01
    assert counts["open licensing: listed"] == 1
    assert OpenLicensingEntry.objects.get().achievement_id == due.pk


def test_m4_4_the_sweep_stays_quiet_on_a_day_no_policy_version_covers(personas, due):
    counts = transformation_sweep.run(dt.date(2029, 3, 1))  # KM-2026 ended on 2028-12-31
    assert counts["open licensing: listed"] == 0


# --- recording a transformation ----------------------------------------------------------------


def test_m4_4_recording_a_transformation_takes_the_result_off_the_list(personas, due):
    transformation_sweep.run(TODAY)
    row = _record(personas, due, kind="equity", description="作价投资入股云岭新材料公司。")
    assert (row.achievement, row.kind, row.recorded_by) == (due, "equity", personas.transfer_office)
    entry = OpenLicensingEntry.objects.get()
    assert (entry.status, entry.delisted_on) == ("transformed", TODAY)
    assert not entry.offer.open
    audit = AuditEntry.objects.get(action="transformation.record")
    assert audit.clauses == ["M4.4"] and audit.after["taken_off_list"] == entry.pk
    # Transformed for good: the sweep never lists it again.
    assert transformation_sweep.run(TODAY + dt.timedelta(days=400))["open licensing: listed"] == 0


def test_m4_4_a_transformation_of_an_unlisted_result_is_recorded_too(personas, due):
    _record(personas, due, kind="own")
    assert Transformation.objects.count() == 1 and not OpenLicensingEntry.objects.exists()
    assert transformation_sweep.run(TODAY)["open licensing: listed"] == 0


def test_m4_4_recording_refusals_cite_the_clause_name_the_field_and_store_nothing(
    personas, unit, due
):
    transformation_sweep.run(TODAY)
    base = {
        "achievement": due,
        "kind": "transfer",
        "happened_on": TODAY,
        "description": "转让",
        "today": TODAY,
    }
    for changes, code, field in [
        ({"kind": "gift"}, "transformation.kind", "kind"),
        ({"description": "  "}, "required", "description"),
        ({"happened_on": TODAY + dt.timedelta(days=1)}, "transformation.future", "happened_on"),
    ]:
        error = refused(
            services.transformation_record, actor=personas.transfer_office, **{**base, **changes}
        )
        assert (error.code, error.field, error.clauses) == (code, field, ("M4.4",))
        assert error.message.startswith("M4.4: ")
    for outsider in (personas.researcher, personas.enterprise, personas.bureau):
        error = refused(services.transformation_record, actor=outsider, **base)
        assert error.code == "access.denied"
    assert OpenLicensingEntry.objects.get().status == "listed"


def test_m4_4_a_unit_records_only_for_its_own_results(personas, unit):
    other = OrganisationFactory(kind="university", is_municipal=True)
    office = personas.transfer_office
    theirs = make_result(personas, unit, name="另一单位的成果")
    Achievement.objects.filter(pk=theirs.pk).update(unit=other)
    theirs.refresh_from_db()
    error = refused(
        services.transformation_record,
        actor=office,
        achievement=theirs,
        kind="transfer",
        happened_on=TODAY,
        description="转让",
        today=TODAY,
    )
    assert error.code == "access.denied"


# --- justifications ----------------------------------------------------------------------------


def test_m4_4_an_accepted_justification_takes_the_result_off_the_list_until_its_last_day(
    personas, due
):
    transformation_sweep.run(TODAY)
    filed = _file(personas, due)
    assert filed.status == "pending" and filed.unit_id == due.unit_id
    told = Notification.objects.get(kind="reform.justification_filed")
    assert told.recipient == personas.bureau
    until = dt.date(2027, 6, 30)
    decided = _decide(personas, filed, valid_until=until, reason="临床试验期间暂缓。")
    assert (decided.status, decided.valid_until, decided.decided_by) == (
        "accepted",
        until,
        personas.bureau,
    )
    entry = OpenLicensingEntry.objects.get()
    assert (entry.status, entry.delisted_on) == ("justified", TODAY)
    assert not entry.offer.open
    (notice,) = Notification.objects.filter(kind="reform.justification_accepted")
    assert notice.recipient == personas.transfer_office
    assert notice.params == {"name": due.name, "until": "2027-06-30"}
    assert AuditEntry.objects.filter(action="transformation.justification_accept").exists()
    # Valid up to its last day: not listed again before it runs out.
    assert transformation_sweep.run(until)["open licensing: listed again"] == 0
    # The day after, it is back on the list with its offer open, and the unit is told once.
    after = until + dt.timedelta(days=1)
    counts = transformation_sweep.run(after)
    assert counts["open licensing: listed again"] == 1 and counts["open licensing notices"] == 1
    entry.refresh_from_db()
    assert (entry.status, entry.listed_on, entry.delisted_on) == ("listed", after, None)
    assert entry.offer.open
    assert LicenceOffer.objects.count() == 1
    assert transformation_sweep.run(after) == dict.fromkeys(counts, 0)
    (back,) = Notification.objects.filter(kind="reform.open_licensing_listed_again")
    assert back.params == {"name": due.name, "until": "2027-06-30"}


def test_m4_4_a_justification_accepted_without_end_keeps_the_result_off(personas, due):
    _decide(personas, _file(personas, due))
    assert transformation_sweep.run(TODAY + dt.timedelta(days=3000))["open licensing: listed"] == 0
    (notice,) = Notification.objects.filter(kind="reform.justification_accepted")
    assert notice.params == {"name": due.name}


def test_m4_4_a_rejected_justification_needs_a_reason_and_leaves_the_result_listed(personas, due):
    transformation_sweep.run(TODAY)
    filed = _file(personas, due)
    error = refused(
        services.justification_decide,
        actor=personas.bureau,
        justification=filed,
        decision="reject",
        reason=" ",
        today=TODAY,
    )
    assert (error.code, error.field, error.clauses) == ("required", "reason", ("M4.4",))
    decided = _decide(personas, filed, "reject", reason="临床试验已于2025年结束。")
    assert decided.status == "rejected" and decided.decision_reason == "临床试验已于2025年结束。"
    assert OpenLicensingEntry.objects.get().status == "listed"
    (notice,) = Notification.objects.filter(kind="reform.justification_rejected")
    assert notice.params["reason"] == "临床试验已于2025年结束。"
    # Rejected: the unit may file a new one.
    assert _file(personas, due, reason="新的理由").status == "pending"


def test_m4_4_filing_refusals_cite_the_clause_name_the_field_and_store_nothing(personas, unit, due):
    kwargs = {"achievement": due, "today": TODAY}
    error = refused(
        services.justification_file, actor=personas.transfer_office, reason="", **kwargs
    )
    assert (error.code, error.field, error.clauses) == ("required", "reason", ("M4.4",))
    error = refused(services.justification_file, actor=personas.researcher, reason="理由", **kwargs)
    assert error.code == "access.denied"
    filed = _file(personas, due)
    error = refused(
        services.justification_file, actor=personas.transfer_office, reason="再次", **kwargs
    )
    assert (error.code, error.field) == ("justification.pending", "achievement")
    _decide(personas, filed, valid_until=dt.date(2027, 1, 1))
    error = refused(
        services.justification_file, actor=personas.transfer_office, reason="再次", **kwargs
    )
    assert (error.code, error.field) == ("justification.in_force", "achievement")
    # Once it ran out, a new one may be filed.
    assert _file(personas, due, today=dt.date(2027, 1, 2)).status == "pending"
    no_ip = _published(personas, unit, name="无知识产权的成果")
    IPRight.objects.filter(achievement=no_ip).delete()
    error = refused(
        services.justification_file,
        actor=personas.transfer_office,
        achievement=no_ip,
        reason="理由",
        today=TODAY,
    )
    assert (error.code, error.field, error.clauses) == (
        "justification.no_ip",
        "achievement",
        ("M4.4",),
    )
    done = _published(personas, unit, name="已转化的成果")
    _record(personas, done)
    error = refused(
        services.justification_file,
        actor=personas.transfer_office,
        achievement=done,
        reason="理由",
        today=TODAY,
    )
    assert (error.code, error.field) == ("justification.transformed", "achievement")


def test_m4_4_deciding_refusals_cite_the_clause_name_the_field_and_store_nothing(personas, due):
    filed = _file(personas, due)
    for actor in (personas.transfer_office, personas.auditor, personas.enterprise):
        assert (
            refused(
                services.justification_decide,
                actor=actor,
                justification=filed,
                decision="accept",
                today=TODAY,
            ).code
            == "access.denied"
        )
    kwargs = {"actor": personas.bureau, "justification": filed, "today": TODAY}
    error = refused(services.justification_decide, decision="maybe", **kwargs)
    assert (error.code, error.field, error.clauses) == (
        "justification.decision",
        "decision",
        ("M4.4",),
    )
    error = refused(
        services.justification_decide,
        decision="accept",
        valid_until=TODAY - dt.timedelta(days=1),
        **kwargs,
    )
    assert (error.code, error.field, error.clauses) == (
        "justification.valid_until",
        "valid_until",
        ("M4.4",),
    )
    _decide(personas, filed, "reject", reason="不成立")
    error = refused(services.justification_decide, decision="accept", **kwargs)
    assert (error.code, error.field) == ("justification.decided", "justification")
