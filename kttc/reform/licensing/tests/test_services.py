"""M3: "use first, pay later" licences: offer, conclusion with a stored schedule, revenue reports
with royalties, payments and the balance; bad requests change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kttc.core.models import AuditEntry
from kttc.core.tests.factories import MembershipFactory, OrganisationFactory
from kttc.policy.errors import PolicyError
from kttc.policy.licensing import Stage
from kttc.policy.roles import Role
from kttc.reform.licensing import credit
from kttc.reform.licensing import services as licences
from kttc.reform.models import (
    CreditRecord,
    Licence,
    LicenceApplication,
    LicenceInstalment,
    LicenceOffer,
    LicencePayment,
    RevenueReport,
)
from kttc.reform.tests.factories import make_result
from kttc.registry import services as registry_services

pytestmark = pytest.mark.django_db
STORED = (LicenceOffer, Licence, LicenceInstalment, RevenueReport, LicencePayment, CreditRecord,
          LicenceApplication, AuditEntry)  # fmt: skip


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in STORED}


def refused(call, **kwargs) -> PolicyError:
    """Call a service that must refuse; check that nothing at all was stored."""
    before = _counts()
    with pytest.raises(PolicyError) as info:
        call(**kwargs)
    assert _counts() == before, "a refused request stored something"
    return info.value


def _publish(personas, result):
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    return registry_services.achievement_publish(actor=personas.bureau, achievement=result)


@pytest.fixture
def published(personas, unit):
    return _publish(personas, make_result(personas, unit))


@pytest.fixture
def enterprise(personas):
    return personas.organisations[Role.ENTERPRISE]


def _offer(personas, unit, result, model, **kw):
    return licences.licence_offer(
        actor=personas.transfer_office,
        unit=unit,
        achievement=result,
        term_years=5,
        payment_model=model,
        **kw,
    )


def test_m3_1_a_unit_licenses_only_a_published_result_it_holds(personas, unit, published):
    other = OrganisationFactory(kind="university", is_municipal=True)
    MembershipFactory(user=personas.transfer_office, organisation=other, role=Role.TRANSFER_OFFICE)
    theirs = _publish(personas, make_result(personas, other, name="另一单位的成果"))
    error = refused(
        licences.licence_offer,
        actor=personas.transfer_office,
        unit=unit,
        achievement=theirs,
        term_years=5,
        payment_model="deferred",
    )
    assert error.code == "licence.not_held" and error.clauses == ("M3.1",)
    draft = make_result(personas, unit, name="未发布的成果")
    kwargs = {"actor": personas.transfer_office, "unit": unit, "term_years": 5}
    error = refused(licences.licence_offer, achievement=draft, payment_model="deferred", **kwargs)
    assert error.code == "licence.not_published"
    error = refused(licences.licence_offer, achievement=published, payment_model="now", **kwargs)
    assert error.code == "licence.model" and "M3.2" in error.message
    error = refused(
        licences.licence_offer,
        actor=personas.researcher,
        unit=unit,
        achievement=published,
        term_years=5,
        payment_model="deferred",
    )
    assert error.code == "access.denied"


def test_m3_3_a_deferred_licence_stores_its_schedule_and_the_balance_follows_payments(
    personas, unit, published, enterprise
):
    offer = _offer(personas, unit, published, "deferred")
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 12, 1),
        total_fee=Decimal("100000.00"),
        first_due=dt.date(2027, 1, 1),
        instalments=3,
        every_months=12,
    )
    assert licence.ends_on == dt.date(2031, 12, 1)
    rows = list(licence.instalments.values_list("amount", "due"))
    assert rows == [
        (Decimal("33333.34"), dt.date(2027, 1, 1)),
        (Decimal("33333.33"), dt.date(2028, 1, 1)),
        (Decimal("33333.33"), dt.date(2029, 1, 1)),
    ]
    licences.payment_record(
        actor=personas.transfer_office,
        licence=licence,
        amount=Decimal("40000.00"),
        paid_on=dt.date(2027, 1, 5),
    )
    state = licences.licence_balance(licence, dt.date(2028, 2, 1))
    assert (state.due, state.paid, state.outstanding, state.overdue) == (
        Decimal("66666.67"),
        Decimal("40000.00"),
        Decimal("26666.67"),
        Decimal("26666.67"),
    )
    conclude = AuditEntry.objects.get(action="licence.conclude")
    assert conclude.clauses == ["M3.2", "M3.3"] and conclude.after["total_fee"] == "100000.00"


def test_m3_3_instalments_wait_for_the_first_revenue(
    personas, unit, published, enterprise, travel
):
    travel(dt.date(2029, 6, 1))  # the periods reported below have ended (M3.2)
    offer = _offer(personas, unit, published, "after_first_revenue")
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 12, 1),
        total_fee=Decimal("50000.00"),
        instalments=2,
        every_months=6,
        grace_months=3,
    )
    assert licences.licence_balance(licence, dt.date(2030, 1, 1)).due == 0
    report = dict(actor=personas.enterprise, licence=licence)
    licences.revenue_report(
        period_start=dt.date(2026, 12, 1),
        period_end=dt.date(2026, 12, 31),
        revenue=Decimal("0"),
        **report,
    )
    assert not licence.instalments.filter(due__isnull=False).exists()  # no revenue yet
    licences.revenue_report(
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 6, 30),
        revenue=Decimal("1200.00"),
        **report,
    )
    dues = list(licence.instalments.values_list("due", flat=True))
    assert dues == [dt.date(2027, 9, 30), dt.date(2028, 3, 30)]
    licence.refresh_from_db()
    assert licence.first_revenue_on == dt.date(2027, 6, 30)
    assert licences.licence_balance(licence, dt.date(2027, 10, 1)).overdue == Decimal("25000.00")


def test_m3_2_staged_payments_and_a_royalty_on_each_period(
    personas, unit, published, enterprise, travel
):
    travel(dt.date(2029, 6, 1))  # the periods reported below have ended (M3.2)
    offer = _offer(personas, unit, published, "staged_royalty")
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 12, 1),
        stages=[
            Stage(Decimal("100000.00"), due=dt.date(2027, 6, 1)),
            Stage(Decimal("200000.00"), milestone="中试完成"),
        ],
        royalty_rate=Decimal("0.05"),
    )
    report = licences.revenue_report(
        actor=personas.enterprise,
        licence=licence,
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
        revenue=Decimal("2000000.00"),
    )
    assert report.royalty == Decimal("100000.00")
    state = licences.licence_balance(licence, dt.date(2028, 4, 1))
    assert state.due == Decimal("200000.00") and state.overdue == Decimal("200000.00")
    error = refused(
        licences.revenue_report,
        actor=personas.enterprise,
        licence=licence,
        period_start=dt.date(2028, 1, 1),
        period_end=dt.date(2028, 12, 31),
        revenue=Decimal("-10.00"),
    )
    assert error.code == "licence.revenue_negative" and "M3.2" in error.message
    error = refused(
        licences.revenue_report,
        actor=personas.enterprise,
        licence=licence,
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
        revenue=Decimal("10.00"),
    )
    assert error.code == "licence.period_reported"
    error = refused(
        licences.revenue_report,
        actor=personas.transfer_office,  # the unit does not report the licensee's revenue
        licence=licence,
        period_start=dt.date(2028, 1, 1),
        period_end=dt.date(2028, 12, 31),
        revenue=Decimal("10.00"),
    )
    assert error.code == "access.denied"


def test_m3_1_an_exclusive_licence_excludes_any_other(personas, unit, published, enterprise):
    exclusive = _offer(personas, unit, published, "deferred", exclusive=True)
    terms = dict(starts_on=dt.date(2026, 12, 1), total_fee=Decimal("10.00"),
                 first_due=dt.date(2027, 1, 1))  # fmt: skip
    licences.licence_conclude(
        actor=personas.transfer_office, offer=exclusive, licensee=enterprise, **terms
    )
    other = _offer(personas, unit, published, "deferred")
    second = OrganisationFactory(kind="enterprise")
    for offer, code in ((exclusive, "licence.offer_closed"), (other, "licence.exclusive")):
        error = refused(
            licences.licence_conclude,
            actor=personas.transfer_office,
            offer=offer,
            licensee=second,
            **terms,
        )
        assert error.code == code and error.clauses == ("M3.1",)


def test_m3_1_a_licence_goes_to_an_enterprise_and_needs_its_terms(
    personas, unit, published, enterprise
):
    offer = _offer(personas, unit, published, "deferred")
    kwargs = dict(actor=personas.transfer_office, offer=offer, starts_on=dt.date(2026, 12, 1))
    error = refused(
        licences.licence_conclude,
        licensee=unit,
        total_fee=Decimal("10.00"),
        first_due=dt.date(2027, 1, 1),
        **kwargs,
    )
    assert error.code == "licence.licensee"
    error = refused(licences.licence_conclude, licensee=enterprise, **kwargs)
    assert error.field == "total_fee"
    error = refused(
        licences.licence_conclude, licensee=enterprise, total_fee=Decimal("10.00"), **kwargs
    )
    assert error.field == "first_due" and "M3.3" in error.message
    error = refused(
        licences.licence_conclude,
        licensee=enterprise,
        total_fee=Decimal("10.00"),
        first_due=dt.date(2027, 1, 1),
        instalments=0,
        **kwargs,
    )
    assert error.code == "licence.instalments"


# --- breaches and credit records (M3.4) --------------------------------------------------------


@pytest.fixture
def licence(personas, unit, published, enterprise):
    offer = _offer(personas, unit, published, "deferred")
    return licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 12, 1),
        total_fee=Decimal("1000.00"),
        first_due=dt.date(2027, 1, 1),
    )


def test_m3_4_a_breach_becomes_a_credit_record_units_see_until_it_is_cured(
    personas, licence, enterprise
):
    error = refused(
        credit.licence_breach_declare, actor=personas.transfer_office, licence=licence, reason=" "
    )
    assert error.field == "reason" and "M3.4" in error.message
    error = refused(
        credit.licence_breach_declare, actor=personas.enterprise, licence=licence, reason="x"
    )
    assert error.code == "access.denied"
    record = credit.licence_breach_declare(
        actor=personas.transfer_office, licence=licence, reason="逾期未付首期许可费"
    )
    licence.refresh_from_db()
    assert licence.status == "breached"
    # A unit considering a new licence to the enterprise sees the record, and so does the
    # enterprise; the enterprise answers it.
    assert credit.credit_records_of(personas.transfer_office, enterprise) == [record]
    assert credit.credit_records_of(personas.enterprise, enterprise) == [record]
    with pytest.raises(PolicyError):
        credit.credit_records_of(personas.researcher, enterprise)
    answered = credit.credit_record_answer(
        actor=personas.enterprise, record=record, answer="已于2027年1月20日补付"
    )
    assert answered.status == "answered" and answered.answer.startswith("已于")
    error = refused(
        credit.credit_record_answer, actor=personas.transfer_office, record=record, answer="x"
    )
    assert error.code == "access.denied"
    removed = credit.credit_record_remove(
        actor=personas.transfer_office, record=record, reason="许可费已付清"
    )
    assert removed.status == "removed"
    assert credit.credit_records_of(personas.transfer_office, enterprise) == []
    licence.refresh_from_db()
    assert licence.status == "active"
    error = refused(
        credit.credit_record_remove, actor=personas.transfer_office, record=record, reason="x"
    )
    assert error.code == "licence.credit_removed"
    actions = list(
        AuditEntry.objects.filter(action__startswith="licence.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == ["licence.breach", "licence.credit_answer", "licence.credit_remove"]
    m3_4 = ("licence.breach", "licence.credit_answer", "licence.credit_remove")
    assert all(e.clauses == ["M3.4"] for e in AuditEntry.objects.filter(action__in=m3_4))


# --- reminders and overdue payments in the sweep (M3.2, M3.3) ----------------------------------


def test_m3_3_the_sweep_reminds_of_payments_and_tells_of_overdue_ones_once(
    personas, unit, published, enterprise, settings
):
    from kttc.core.models import Notification
    from kttc.reform.licensing import sweep

    settings.KTTC_DUE_REMINDER_DAYS = 30
    offer = _offer(personas, unit, published, "deferred")
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 12, 1),
        total_fee=Decimal("1000.00"),
        first_due=dt.date(2027, 1, 1),
        instalments=2,
    )
    counts = sweep.run(dt.date(2026, 12, 15))
    assert counts["licence payments due soon"] == 1 and counts["payment reminders"] == 1
    assert sweep.run(dt.date(2026, 12, 16))["payment reminders"] == 0
    (reminder,) = Notification.objects.filter(
        recipient=personas.enterprise, kind="reform.licence_payment_due_soon"
    )
    assert reminder.kind == "reform.licence_payment_due_soon"
    assert reminder.params["number"] == 1 and reminder.clauses == ["M3.2", "M3.3"]

    licences.payment_record(
        actor=personas.transfer_office,
        licence=licence,
        amount=Decimal("300.00"),
        paid_on=dt.date(2026, 12, 20),
    )
    counts = sweep.run(dt.date(2027, 1, 5))  # 500 fell due, 300 paid
    assert counts["licence payments overdue"] == 1 and counts["overdue notices"] == 2
    assert sweep.run(dt.date(2027, 1, 6))["overdue notices"] == 0
    overdue = Notification.objects.filter(kind="reform.licence_payment_overdue")
    assert {n.recipient_id for n in overdue} == {
        personas.enterprise.pk,
        personas.transfer_office.pk,
    }
    # The rest is paid before the second instalment falls due: nothing more is overdue.
    licences.payment_record(
        actor=personas.transfer_office,
        licence=licence,
        amount=Decimal("700.00"),
        paid_on=dt.date(2027, 6, 1),
    )
    assert sweep.run(dt.date(2028, 1, 5))["licence payments overdue"] == 0


def test_m3_2_a_reported_royalty_joins_the_schedule_and_the_sweep_follows_it(
    personas, unit, published, enterprise, settings, travel
):
    travel(dt.date(2027, 4, 1))  # the quarter reported below has ended (M3.2)
    from kttc.reform.licensing import sweep

    settings.KTTC_DUE_REMINDER_DAYS = 30
    offer = _offer(personas, unit, published, "staged_royalty")
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2027, 1, 1),
        stages=[Stage(Decimal("100.00"), due=dt.date(2027, 12, 31))],
        royalty_rate=Decimal("0.1"),
    )
    licences.revenue_report(
        actor=personas.enterprise,
        licence=licence,
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 3, 31),
        revenue=Decimal("1234.56"),
    )
    royalty = licence.instalments.get(trigger="royalty")
    assert (royalty.number, royalty.amount, royalty.due) == (
        2,
        Decimal("123.46"),
        dt.date(2027, 4, 30),
    )
    assert licences.licence_balance(licence, dt.date(2027, 5, 1)).overdue == Decimal("123.46")
    assert sweep.run(dt.date(2027, 4, 10))["payment reminders"] == 1
    counts = sweep.run(dt.date(2027, 5, 2))
    assert counts["licence payments overdue"] == 1 and counts["overdue notices"] == 2
    # A payment goes to the royalty first (it fell due first); the stage is then not overdue.
    licences.payment_record(
        actor=personas.transfer_office,
        licence=licence,
        amount=Decimal("223.46"),
        paid_on=dt.date(2027, 12, 30),
    )
    assert sweep.run(dt.date(2028, 1, 5))["licence payments overdue"] == 0
    assert licences.licence_balance(licence, dt.date(2028, 1, 5)).outstanding == 0


# --- applications, closing, milestones and disclosure ----------------------------------------


def test_an_unverified_enterprise_cannot_apply_for_a_licence(
    personas, unit, published, enterprise
):
    offer = _offer(personas, unit, published, "deferred")
    enterprise.verified_at = None
    enterprise.save(update_fields=["verified_at"])
    error = refused(
        licences.licence_apply,
        actor=personas.enterprise, offer=offer, applicant=enterprise, plan="Pilot",
    )  # fmt: skip
    assert (error.code, error.field) == ("organisation.unverified", "organisation")
    assert "not verified" in error.message
    assert not offer.applications.exists()


def test_m3_1_applications_are_refused_with_their_clause_and_store_nothing(
    personas, unit, published, enterprise
):
    offer = _offer(personas, unit, published, "deferred")
    apply = dict(actor=personas.enterprise, offer=offer, applicant=enterprise)
    error = refused(licences.licence_apply, plan="  ", **apply)
    assert (error.field, error.clauses) == ("plan", ("M3.1",))
    error = refused(licences.licence_apply, plan="x", **{**apply, "applicant": unit})
    assert error.code in ("licence.licensee", "access.denied")
    first = licences.licence_apply(plan="Pilot", **apply)
    error = refused(licences.licence_apply, plan="Again", **apply)
    assert error.code == "licence.applied"
    error = refused(
        licences.licence_apply,
        actor=personas.transfer_office,
        offer=offer,
        applicant=enterprise,
        plan="not theirs",
    )
    assert error.code == "access.denied"
    licences.licence_application_withdraw(actor=personas.enterprise, application=first)
    error = refused(
        licences.licence_application_decline,
        actor=personas.transfer_office,
        application=first,
        reason="late",
    )
    assert error.code == "licence.application_decided"


def test_m3_1_an_exclusive_licence_closes_the_offer_and_declines_the_other_applicants(
    personas, unit, published, enterprise
):
    offer = _offer(personas, unit, published, "deferred", exclusive=True)
    rival = OrganisationFactory(kind="enterprise")
    MembershipFactory(user=personas.enterprise, organisation=rival, role=Role.ENTERPRISE)
    mine = licences.licence_apply(
        actor=personas.enterprise, offer=offer, applicant=enterprise, plan="Pilot"
    )
    theirs = licences.licence_apply(
        actor=personas.enterprise, offer=offer, applicant=rival, plan="Also"
    )
    terms = dict(
        actor=personas.transfer_office,
        offer=offer,
        starts_on=dt.date(2027, 1, 1),
        total_fee=Decimal("1000"),
        first_due=dt.date(2027, 6, 1),
    )
    error = refused(licences.licence_conclude, licensee=rival, application=mine, **terms)
    assert error.code == "licence.licensee"
    error = refused(
        licences.licence_conclude,
        licensee=enterprise,
        application=mine,
        disclosed=["licensee", "bank_account"],
        **terms,
    )
    assert error.code == "licence.disclosed" and error.clauses == ("M8.5",)
    licence = licences.licence_conclude(
        licensee=enterprise, application=mine, disclosed=["total_fee", "licensee"], **terms
    )
    assert licence.disclosed == ["licensee", "total_fee"]  # in the order of DISCLOSABLE
    mine.refresh_from_db()
    theirs.refresh_from_db()
    offer.refresh_from_db()
    assert (mine.status, theirs.status, offer.open) == ("concluded", "declined", False)
    assert theirs.decision_reason


def test_m3_1_closing_an_offer_declines_what_waits_and_a_closed_offer_takes_no_application(
    personas, unit, published, enterprise
):
    offer = _offer(personas, unit, published, "deferred")
    waiting = licences.licence_apply(
        actor=personas.enterprise, offer=offer, applicant=enterprise, plan="Pilot"
    )
    licences.offer_close(actor=personas.transfer_office, offer=offer)
    waiting.refresh_from_db()
    assert waiting.status == "declined"
    error = refused(
        licences.licence_apply,
        actor=personas.enterprise,
        offer=offer,
        applicant=enterprise,
        plan="Late",
    )
    assert error.code == "licence.offer_closed"
    assert AuditEntry.objects.filter(action="licence.offer_close").count() == 1


def test_m3_2_a_milestone_makes_its_stages_fall_due_once(personas, unit, published, enterprise):
    offer = _offer(personas, unit, published, "staged_royalty")
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2027, 1, 1),
        stages=[
            Stage(Decimal("10.00"), milestone="中试"),
            Stage(Decimal("20.00"), milestone="量产"),
        ],
    )
    record = dict(actor=personas.transfer_office, licence=licence)
    error = refused(licences.milestone_record, milestone="不存在", on=dt.date(2027, 3, 1), **record)
    assert error.code == "licence.milestone" and error.clauses == ("M3.2",)
    licences.milestone_record(milestone="中试", on=dt.date(2027, 3, 1), **record)
    assert list(licence.instalments.values_list("due", flat=True)) == [dt.date(2027, 3, 1), None]
    error = refused(licences.milestone_record, milestone="中试", on=dt.date(2027, 4, 1), **record)
    assert error.code == "licence.milestone_recorded"
    error = refused(
        licences.milestone_record,
        actor=personas.enterprise,
        licence=licence,
        milestone="量产",
        on=dt.date(2027, 4, 1),
    )
    assert error.code == "access.denied"


def test_m3_3_instalments_paid_to_the_fen_are_never_overdue(personas, unit, published, enterprise):
    """Stages of 0.10 and 0.20 yuan covered by one payment of 0.30: the sweep's sums in the
    database (floats on SQLite: 0.1 + 0.2 > 0.3) must not see a remainder as a debt."""
    from kttc.reform.licensing import sweep

    offer = _offer(personas, unit, published, "staged_royalty")
    day = dt.date(2026, 2, 1)
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 1, 1),
        stages=[Stage(Decimal("0.10"), due=day), Stage(Decimal("0.20"), due=day)],
    )
    licences.payment_record(
        actor=personas.transfer_office,
        licence=licence,
        amount=Decimal("0.30"),
        paid_on=dt.date(2026, 1, 15),
    )
    assert sweep.run(dt.date(2026, 6, 1))["licence payments overdue"] == 0


def test_m3_2_revenue_for_a_period_not_yet_over_is_refused_and_nothing_stored(
    personas, unit, published, enterprise, travel
):
    offer = _offer(personas, unit, published, "staged_royalty")
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2027, 1, 1),
        stages=[Stage(Decimal("100.00"), due=dt.date(2027, 12, 31))],
        royalty_rate=Decimal("0.1"),
    )
    travel(dt.date(2027, 6, 30))
    error = refused(
        licences.revenue_report,
        actor=personas.enterprise,
        licence=licence,
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
        revenue=Decimal("5000.00"),
    )
    assert error.code == "licence.period_future" and error.field == "period_end"
    assert not licence.revenue_reports.exists()
    assert not licence.instalments.filter(trigger="royalty").exists()


def test_m3_3_the_royalty_falls_due_the_licences_agreed_days_after_the_period(
    personas, unit, published, enterprise, travel
):
    travel(dt.date(2027, 7, 1))  # the quarter reported below has ended (M3.2)
    offer = _offer(personas, unit, published, "staged_royalty")
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2027, 1, 1),
        stages=[Stage(Decimal("100.00"), due=dt.date(2027, 12, 31))],
        royalty_rate=Decimal("0.1"),
        royalty_due_days=45,
    )
    assert licence.royalty_due_days == 45
    conclude = AuditEntry.objects.get(action="licence.conclude")
    assert conclude.after["royalty_due_days"] == 45
    report = licences.revenue_report(
        actor=personas.enterprise,
        licence=licence,
        period_start=dt.date(2027, 4, 1),
        period_end=dt.date(2027, 6, 30),
        revenue=Decimal("1000.00"),
    )
    # 45 days after 30 June, whatever the licensee would have liked
    assert report.due == dt.date(2027, 8, 14)
    assert licence.instalments.get(trigger="royalty").due == dt.date(2027, 8, 14)


def test_m3_3_a_licence_concluded_without_a_royalty_term_takes_30_days(
    personas, unit, published, enterprise
):
    offer = _offer(personas, unit, published, "deferred")
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2027, 1, 1),
        total_fee=Decimal("900.00"),
        first_due=dt.date(2027, 6, 1),
    )
    assert Licence.objects.get(pk=licence.pk).royalty_due_days == 30


@pytest.mark.parametrize("days", [0, -1, 366, 10_000])
def test_m3_3_a_royalty_term_outside_1_to_365_days_is_refused_and_nothing_stored(
    personas, unit, published, enterprise, days
):
    offer = _offer(personas, unit, published, "staged_royalty")
    error = refused(
        licences.licence_conclude,
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2027, 1, 1),
        stages=[Stage(Decimal("100.00"), due=dt.date(2027, 12, 31))],
        royalty_rate=Decimal("0.1"),
        royalty_due_days=days,
    )
    assert error.code == "licence.royalty_due_days" and error.field == "royalty_due_days"
    assert "M3.3" in error.message
