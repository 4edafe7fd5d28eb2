"""State equity (M2) from investing results: a matter is the unit's own decision unless it
touches secrets, security or key core technology, which waits for the bureau; a unit disposes of
no more shares than it holds; impairment is reported apart from value preservation. Refusals cite
their clause, name their field and store nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from functools import partial

import pytest

from kttc.benefits.shareholding.selectors import equity_investments_visible_to
from kttc.benefits.state_equity import selectors, services
from kttc.benefits.state_equity.models import StateEquityMatter
from kttc.benefits.tests.factories import investment_recorded, matter_recorded
from kttc.benefits.tests.factories import refused as refused_storing
from kttc.core.models import AuditEntry

pytestmark = pytest.mark.django_db
STORED = (StateEquityMatter, AuditEntry)
refused = partial(refused_storing, STORED)


def test_m2_1_the_unit_decides_a_transfer_alone(personas, unit):
    investment = investment_recorded(personas, unit)
    matter = matter_recorded(personas, investment)
    assert (matter.route, matter.status, matter.reasons) == ("unit_decides", "decided", [])
    assert matter.shares == 500 and matter.amount == Decimal("300000.00")
    entry = AuditEntry.objects.get(action="state_equity.record")
    assert entry.clauses == ["M2.1"] and entry.after["status"] == "decided"
    assert not selectors.state_equity_awaiting_approval().exists()
    error = refused(
        services.state_equity_matter_approve, actor=personas.bureau, matter=matter, note=""
    )
    assert error.code == "state_equity.not_waiting" and error.clauses == ("M2.2",)


def test_m2_2_a_secret_touching_transfer_waits_and_only_the_bureau_approves(personas, unit):
    investment = investment_recorded(personas, unit)
    matter = matter_recorded(personas, investment, touches_secrets=True)
    assert (matter.route, matter.status) == ("superior_approval", "waiting_approval")
    assert matter.reasons == ["national_secrets"]
    assert AuditEntry.objects.get(action="state_equity.record").clauses == ["M2.2"]
    assert list(selectors.state_equity_awaiting_approval()) == [matter]
    from kttc.core.models import Notification

    (told,) = Notification.objects.filter(kind="benefits.state_equity_waiting")
    assert told.recipient == personas.bureau and told.clauses == ["M2.2"]
    for actor in (
        personas.transfer_office,
        personas.auditor,
        personas.investment_platform,
        personas.researcher,
    ):
        error = refused(services.state_equity_matter_approve, actor=actor, matter=matter)
        assert error.code == "access.denied"
    matter.refresh_from_db()
    assert matter.status == "waiting_approval" and matter.decided_by is None
    approved = services.state_equity_matter_approve(
        actor=personas.bureau, matter=matter, note="同意"
    )
    assert approved.status == "approved" and approved.decided_by == personas.bureau
    entry = AuditEntry.objects.get(action="state_equity.approve")
    assert entry.clauses == ["M2.2"] and entry.before == {"status": "waiting_approval"}
    error = refused(
        services.state_equity_matter_reject, actor=personas.bureau, matter=matter, reason="晚了"
    )
    assert error.code == "state_equity.not_waiting"


def test_m2_2_a_key_core_result_routes_every_matter_and_a_rejection_says_why(personas, unit):
    investment = investment_recorded(personas, unit, key_core_technology=True)
    matter = matter_recorded(personas, investment, kind="outward_investment")
    assert matter.status == "waiting_approval" and matter.reasons == ["key_core_technology"]
    error = refused(
        services.state_equity_matter_reject, actor=personas.bureau, matter=matter, reason=" "
    )
    assert error.field == "reason" and error.clauses == ("M2.2",)
    rejected = services.state_equity_matter_reject(
        actor=personas.bureau, matter=matter, reason="涉及关键核心技术，不同意对外投资"
    )
    assert rejected.status == "rejected" and rejected.decision_note.startswith("涉及")
    impairment = matter_recorded(personas, investment, kind="impairment", shares=None)
    assert impairment.status == "waiting_approval"  # M2.2: none passes silently


def test_m2_1_a_unit_disposes_of_no_more_shares_than_it_holds(personas, unit):
    investment = investment_recorded(personas, unit)  # the unit holds 2,000 shares
    matter_recorded(personas, investment, shares=1500)
    waiting = matter_recorded(personas, investment, shares=400, touches_security=True)
    error = refused(matter_recorded, personas=personas, investment=investment, shares=200)
    assert error.code == "state_equity.shares_left" and error.field == "shares"
    assert error.clauses == ("M2.1",) and error.params["left"] == 100
    services.state_equity_matter_reject(actor=personas.bureau, matter=waiting, reason="不同意")
    assert matter_recorded(personas, investment, shares=200).status == "decided"
    error = refused(matter_recorded, personas=personas, investment=investment, shares=0)
    assert error.field == "shares"


def test_m2_refusals_name_their_field(personas, unit):
    investment = investment_recorded(personas, unit)
    error = refused(matter_recorded, personas=personas, investment=investment, kind="gift")
    assert error.field == "kind" and error.clauses == ("M2.1",)
    error = refused(matter_recorded, personas=personas, investment=investment, amount=Decimal("0"))
    assert error.field == "amount"
    error = refused(matter_recorded, personas=personas, investment=investment, description="")
    assert error.field == "description"
    error = refused(
        matter_recorded, personas=personas, investment=investment, occurred_on=dt.date(2026, 2, 1)
    )
    assert error.field == "occurred_on"
    error = refused(matter_recorded, personas=personas, investment=investment, kind="impairment")
    assert error.field == "shares" and error.clauses == ("M2.3",)
    error = refused(
        matter_recorded, personas=personas, investment=investment, actor=personas.bureau
    )
    assert error.code == "access.denied"


def test_m2_3_impairment_is_reported_apart_from_value_preservation(personas, unit):
    investment = investment_recorded(personas, unit)
    matter_recorded(
        personas,
        investment,
        kind="impairment",
        shares=None,
        amount=Decimal("300000.00"),
        occurred_on=dt.date(2026, 9, 30),
        description="公司估值下降",
    )
    matter_recorded(
        personas,
        investment,
        kind="impairment",
        shares=None,
        amount=Decimal("50000.00"),
        occurred_on=dt.date(2026, 10, 1),
        touches_secrets=True,
        description="待批准的减值",
    )
    matter_recorded(
        personas,
        investment,
        kind="impairment",
        shares=None,
        amount=Decimal("70000.00"),
        occurred_on=dt.date(2027, 1, 5),
        description="下一年度",
    )
    report = selectors.state_equity_preservation(
        unit=unit,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        opening=Decimal("2000000.00"),
        closing=Decimal("1800000.00"),
    )
    assert report.impairment == Decimal("300000.00")  # the waiting one and next year's apart
    assert report.closing_before_impairment == Decimal("2100000.00")
    assert report.ratio == Fraction(21, 20) and report.ratio_with_impairment == Fraction(9, 10)
    assert report.preserved and report.appreciated
    entry = AuditEntry.objects.filter(action="state_equity.record").first()
    assert "M2.3" in entry.clauses


def test_the_ledger_is_seen_by_its_unit_and_the_superior_only(personas, unit):
    investment = investment_recorded(personas, unit)
    matter = matter_recorded(personas, investment)
    assert list(selectors.state_equity_matters_visible_to(personas.transfer_office)) == [matter]
    assert list(selectors.state_equity_matters_visible_to(personas.bureau)) == [matter]
    assert list(selectors.state_equity_matters_visible_to(personas.auditor)) == [matter]
    assert not selectors.state_equity_matters_visible_to(personas.enterprise).exists()
    assert not selectors.state_equity_matters_visible_to(personas.investment_platform).exists()
    assert list(equity_investments_visible_to(personas.transfer_office)) == [investment]
    assert not equity_investments_visible_to(personas.enterprise).exists()
