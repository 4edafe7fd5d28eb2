"""The units' reports (M13.3) through their services: the platform's figures from a small
record, corrections with their reasons, the submit / return / resubmit / accept flow with each
persona's permissions, the frozen report, who has not filed, the sweep's notices, the audit."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Notification
from kttc.core.tests.factories import OrganisationFactory
from kttc.oversight.reports import selectors, services, sweep
from kttc.oversight.reports.models import UnitReport, UnitReportEvent
from kttc.oversight.reports.tests.factories import DAY, DUE, EXPECTED, filled, period, records
from kttc.oversight.reports.tests.factories import report_of as report_in
from kttc.policy import unit_reports as rules
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


def test_m13_3_the_report_is_pre_filled_from_the_units_records(personas):
    records(personas)
    report = report_in(personas, period(personas))
    for code, value in EXPECTED.items():
        assert report.platform[code] == value, code
        assert report.figures[code] == value, code
    for field in rules.FIELDS:
        if not field.prefilled:
            assert report.platform[field.code] is None and report.figures[field.code] is None
    assert report.status == "draft"
    assert report.events.get().kind == "prepared"


def test_m13_3_opening_a_period_prepares_a_report_for_each_unit_concerned_only(personas):
    other = OrganisationFactory(kind="research_institute", name="昆明测试研究所")
    OrganisationFactory(kind="university", is_municipal=False, name="省属测试大学")
    OrganisationFactory(kind="enterprise", name="测试企业")
    OrganisationFactory(kind="medical_institution", verified_at=None, name="未核验医院")
    found = period(personas)
    units = set(UnitReport.objects.filter(period=found).values_list("unit__name", flat=True))
    assert units == {personas.organisations[Role.TRANSFER_OFFICE].name, other.name}
    told = Notification.objects.filter(kind="unit_report.opened")
    assert set(told.values_list("recipient", flat=True)) == {personas.transfer_office.pk}
    assert AuditEntry.objects.get(action="unit_report.open").clauses == ["M13.3"]
    with pytest.raises(PolicyError) as again:
        period(personas)
    assert again.value.code == "unit_report.period_exists"


def test_m13_3_a_correction_without_a_reason_is_refused_naming_the_field(personas):
    records(personas)
    report = report_in(personas, period(personas))
    with pytest.raises(PolicyError) as refused:
        services.report_save(
            actor=personas.transfer_office, report=report,
            entries={"licences_amount": ("90000", "")},
        )  # fmt: skip
    assert refused.value.field == "licences_amount"
    assert refused.value.clauses == ("M13.3",)
    assert "M13.3" in refused.value.message and "Licences (amount, yuan)" in refused.value.message
    saved = services.report_save(
        actor=personas.transfer_office, report=report,
        entries={"licences_amount": ("90000", "许可合同补充协议增加一万元，平台未录入")},
    )  # fmt: skip
    assert saved.platform["licences_amount"] == "80000.00"  # the platform's figure is kept
    assert saved.figures["licences_amount"] == "90000.00"
    assert saved.reasons["licences_amount"].startswith("许可合同补充协议")


@pytest.mark.parametrize(
    ("code", "raw", "error"),
    [
        ("rd_staff", "-1", "unit_report.negative"),
        ("rd_staff", "2.5", "unit_report.count"),
        ("income_received", "1.005", "unit_report.amount"),
        ("income_received", "abc", "unit_report.number"),
    ],
)
def test_m13_3_bad_figures_are_refused_naming_the_field(personas, code, raw, error):
    report = report_in(personas, period(personas))
    with pytest.raises(PolicyError) as refused:
        services.report_save(actor=personas.transfer_office, report=report,
                             entries={code: (raw, "原因")})  # fmt: skip
    assert (refused.value.code, refused.value.field) == (error, code)


def test_m13_3_submit_return_resubmit_accept_with_each_personas_permissions(personas):
    records(personas)
    found = period(personas)
    report = report_in(personas, found)
    office, bureau = personas.transfer_office, personas.bureau
    with pytest.raises(PolicyError) as incomplete:
        services.report_submit(actor=office, report=report, today=DAY)
    assert (incomplete.value.code, incomplete.value.field) == ("unit_report.required", "rd_staff")
    for outsider in (personas.researcher, personas.enterprise, personas.auditor, bureau):
        with pytest.raises(AccessDenied):
            services.report_submit(actor=outsider, report=report, entries=filled(), today=DAY)
    report = services.report_submit(actor=office, report=report, entries=filled(), today=DAY)
    assert (report.status, report.submitted_on) == ("submitted", DAY)
    assert Notification.objects.filter(kind="unit_report.submitted", recipient=bureau).exists()
    with pytest.raises(PolicyError):  # waiting for the bureau: the unit cannot change it
        services.report_save(actor=office, report=report, entries=filled(rd_staff=("1", "x")))
    for outsider in (office, personas.auditor, personas.enterprise):
        with pytest.raises(AccessDenied):
            services.report_accept(actor=outsider, report=report, today=DAY)
    with pytest.raises(PolicyError) as no_reason:
        services.report_return(actor=bureau, report=report, reason="  ", today=DAY)
    assert no_reason.value.field == "reason"
    report = services.report_return(
        actor=bureau, report=report, reason="研发人员数与统计年报不一致，请核实。", today=DAY
    )
    assert report.status == "returned"
    assert Notification.objects.filter(kind="unit_report.returned", recipient=office).exists()
    report = services.report_submit(
        actor=office, report=report, entries={"rd_staff": ("318", "")}, today=DAY
    )
    assert Notification.objects.filter(kind="unit_report.submitted", recipient=bureau).count() == 2
    report = services.report_accept(actor=bureau, report=report, today=DAY)
    assert (report.status, report.accepted_on) == ("accepted", DAY)
    kinds = list(UnitReportEvent.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds == ["prepared", "submitted", "returned", "submitted", "accepted"]
    returned = UnitReportEvent.objects.get(report=report, kind="returned")
    assert (
        returned.reason.startswith("研发人员数") and returned.figures["rd_staff"]["value"] == "320"
    )
    entries = AuditEntry.objects.filter(action__startswith="unit_report.", object_id=str(report.pk))
    assert all(e.clauses == ["M13.3"] for e in entries)
    actions = {e.action for e in entries}
    assert {"unit_report.submit", "unit_report.return", "unit_report.accept"} <= actions


def test_m13_3_an_accepted_report_is_frozen(personas):
    report = report_in(personas, period(personas))
    office = personas.transfer_office
    report = services.report_submit(actor=office, report=report, entries=filled(), today=DAY)
    report = services.report_accept(actor=personas.bureau, report=report, today=DAY)
    for act in (
        lambda: services.report_save(actor=office, report=report, entries=filled()),
        lambda: services.report_submit(actor=office, report=report, today=DAY),
        lambda: services.report_refresh(actor=office, report=report),
        lambda: services.report_return(actor=personas.bureau, report=report, reason="x"),
        lambda: services.report_accept(actor=personas.bureau, report=report),
    ):
        with pytest.raises(PolicyError) as frozen:
            act()
        assert frozen.value.code in ("unit_report.frozen",)
    report.refresh_from_db()
    assert report.figures["rd_staff"] == "320"


def test_m13_3_the_platforms_figures_taken_again_keep_the_corrections(personas):
    report = report_in(personas, period(personas))
    assert report.platform["contracts_count"] == "0"
    office = personas.transfer_office
    report = services.report_save(
        actor=office, report=report, entries={"licences_count": ("1", "线下签订，尚未录入平台")}
    )
    records(personas)
    report = services.report_refresh(actor=office, report=report)
    assert report.platform["contracts_count"] == report.figures["contracts_count"] == "4"
    assert report.platform["licences_count"] == "1"
    assert report.reasons["licences_count"] == "线下签订，尚未录入平台"


def test_m13_3_who_has_filed_who_has_not_and_who_is_late(personas):
    late_unit = OrganisationFactory(kind="medical_institution", name="昆明测试医院")
    found = period(personas)
    services.report_submit(
        actor=personas.transfer_office, report=report_in(personas, found), entries=filled(),
        today=DAY,
    )  # fmt: skip
    joined = OrganisationFactory(kind="research_institute", name="新加入研究所")  # no report yet
    before = {r.unit.pk: r.filing for r in selectors.overview(found, DAY)}
    assert before[personas.organisations[Role.TRANSFER_OFFICE].pk] is rules.Filing.FILED
    assert before[late_unit.pk] is before[joined.pk] is rules.Filing.NOT_FILED
    after = selectors.overview(found, DUE + dt.timedelta(days=1))
    assert selectors.counts(after) == {"not_filed": 0, "late": 2, "filed": 1, "accepted": 0}


def test_m13_3_the_sweep_reminds_once_and_tells_of_late_reports_once(personas):
    found = period(personas)
    report = report_in(personas, found)
    joined = OrganisationFactory(kind="medical_institution", name="后核验医院")  # no report yet
    assert sweep.run(DUE - dt.timedelta(days=30)) == {
        "unit_reports_prepared": 1,
        "unit_reports_reminded": 0,
        "unit_reports_late": 0,
    }
    assert UnitReport.objects.get(period=found, unit=joined).status == "draft"
    assert sweep.run(DUE - dt.timedelta(days=10))["unit_reports_reminded"] == 2
    assert sweep.run(DUE - dt.timedelta(days=9))["unit_reports_reminded"] == 0
    office = personas.transfer_office
    assert Notification.objects.filter(kind="unit_report.reminder", recipient=office).count() == 1
    assert sweep.run(DUE + dt.timedelta(days=1))["unit_reports_late"] == 2
    assert sweep.run(DUE + dt.timedelta(days=2))["unit_reports_late"] == 0
    assert Notification.objects.filter(kind="unit_report.late", recipient=office).count() == 1
    late = Notification.objects.filter(kind="unit_report.late", recipient=personas.bureau)
    assert late.count() == 2  # the bureau hears of each unit late
    report.refresh_from_db()
    assert report.overdue_notified_at is not None
