"""Distribution of a contract's net income (M5.1-M5.3): a registered transfer or licence gives
the completers at least the minimum in force, split by their shares to the fen; the service
staff's reward comes from the unit's part; refusals cite their clause and store nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kttc.benefits.contracts import services
from kttc.benefits.contracts.models import Distribution, DistributionLine
from kttc.benefits.tests.factories import refused as refused_storing
from kttc.core.models import AuditEntry
from kttc.policy.errors import PolicyError

pytestmark = pytest.mark.django_db
STORED = (Distribution, DistributionLine, AuditEntry)
JAN, DEC = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


refused = partial(refused_storing, STORED)


def _contract(personas, unit, *, kind="licence", registered=True, income="100000.00",
              cost="1000.01"):  # fmt: skip
    office = personas.transfer_office
    contract = services.contract_create(
        actor=office,
        unit=unit,
        kind=kind,
        title="专利实施许可合同",
        counterparty="云岭智造科技有限公司",
        signed_on=dt.date(2026, 1, 5),
        amount=Decimal("200000"),
    )
    if registered:
        services.contract_register(
            actor=office,
            contract=contract,
            registration_number=f"R-{contract.pk}",
            registered_on=dt.date(2026, 1, 20),
            certified_amount=Decimal("200000"),
        )
    services.income_record(
        actor=office, contract=contract, amount=Decimal(income), received_on=dt.date(2026, 3, 1)
    )
    if cost:
        services.cost_record(
            actor=office,
            contract=contract,
            amount=Decimal(cost),
            reason="专利维持费",
            incurred_on=dt.date(2026, 2, 1),
        )
    return contract


def _decide(personas, contract, **changes):
    values = dict(
        actor=personas.transfer_office,
        contract=contract,
        period_start=JAN,
        period_end=DEC,
        team_ratio=Decimal("0.70"),
        team_shares={"李明": Decimal("60"), "赵华": Decimal("40")},
        service_ratio=Decimal("0.10"),
        service_shares={"王芳": Decimal("1")},
    )
    values.update(changes)
    return services.distribution_decide(**values)


def test_m5_2_a_licence_income_is_distributed_to_the_fen(personas, unit):
    contract = _contract(personas, unit)
    distribution = _decide(personas, contract)
    assert distribution.net_income == Decimal("98999.99")
    lines = {(line.beneficiary, line.name): line.amount for line in distribution.lines.all()}
    team = lines[("team", "李明")] + lines[("team", "赵华")]
    assert team == Decimal("69300.00")  # 70 % of 98,999.99 rounded up to the fen
    assert lines[("team", "李明")] == Decimal("41580.00")
    assert lines[("service_staff", "王芳")] == Decimal("2970.00")  # 10 % of the unit's 29,699.99
    assert lines[("unit", unit.name)] == Decimal("26729.99")
    assert sum(lines.values()) == distribution.net_income
    entry = AuditEntry.objects.get(action="distribution.decide")
    assert set(entry.clauses) == {"M5.1", "M5.2", "M5.3"}


def test_m5_2_refusals_cite_their_clause_and_store_nothing(personas, unit):
    contract = _contract(personas, unit)
    error = refused(_decide, personas=personas, contract=contract, team_ratio=Decimal("0.69"))
    assert error.clauses == ("M5.2",) and error.field == "team_ratio"
    error = refused(_decide, personas=personas, contract=contract, service_ratio=Decimal("0.05"))
    assert "M5.3" in error.clauses
    unregistered = _contract(personas, unit, registered=False)
    error = refused(_decide, personas=personas, contract=unregistered)
    assert error.code == "distribution.unregistered" and error.clauses == ("M5.2",)
    error = refused(
        _decide, personas=personas, contract=contract, team_shares={"李明": Decimal("50")}
    )
    assert error.field == "team_shares"
    _decide(personas, contract, period_end=dt.date(2026, 6, 30))
    error = refused(_decide, personas=personas, contract=contract, period_start=dt.date(2026, 6, 1))
    assert error.code == "distribution.overlap"
    error = refused(
        _decide,
        personas=personas,
        contract=contract,
        period_start=dt.date(2026, 7, 1),
        period_end=DEC,
    )
    assert error.code == "distribution.no_income"
    error = refused(_decide, personas=personas, contract=contract, actor=personas.enterprise)
    assert error.code == "access.denied"


def test_m5_2_a_unit_rule_may_ask_more_and_other_kinds_have_no_minimum(personas, unit):
    service = _contract(personas, unit, kind="service", registered=False)
    distribution = _decide(personas, service, team_ratio=Decimal("0.30"), service_ratio=None,
                           service_shares={})  # fmt: skip
    assert distribution.team_ratio == Decimal("0.30")
    contract = _contract(personas, unit)
    office = personas.transfer_office
    services.income_rules_set(actor=office, unit=unit, team_min_ratio=Decimal("0.80"))
    error = refused(_decide, personas=personas, contract=contract, team_ratio=Decimal("0.75"))
    assert error.field == "team_ratio"
    decided = _decide(personas, contract, team_ratio=Decimal("0.80"))
    entry = AuditEntry.objects.filter(action="distribution.decide").latest("seq")
    applied = (entry.after["min_team_ratio"], entry.after["unit_min_team_ratio"])
    assert tuple(map(Decimal, applied)) == (Decimal("0.80"), Decimal("0.80"))
    assert decided.team_ratio == Decimal("0.80")


def test_m5_costs_above_the_income_are_refused(personas, unit):
    contract = _contract(personas, unit, income="100.00", cost="100.01")
    error = refused(_decide, personas=personas, contract=contract)
    assert error.code == "income.costs_exceed_income"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    income=st.integers(min_value=1, max_value=10**10),
    cost_ratio=st.fractions(min_value=0, max_value=1),
    team=st.integers(min_value=70, max_value=100),
    shares=st.lists(st.integers(min_value=1, max_value=19), min_size=0, max_size=5),
)
def test_m5_2_stored_lines_always_add_up_and_respect_the_minimum(
    personas, unit, income, cost_ratio, team, shares
):
    fen = Decimal("0.01")
    amount = Decimal(income) * fen
    cost = (amount * Decimal(cost_ratio.numerator) / Decimal(cost_ratio.denominator)).quantize(fen)
    contract = _contract(personas, unit, income=str(amount), cost=str(cost) if cost > 0 else "")
    percents = [*shares, 100 - sum(shares)]  # at most 95 given, the last one the rest
    distribution = _decide(
        personas,
        contract,
        team_ratio=Decimal(team) / 100,
        team_shares={f"p{i}": Decimal(s) for i, s in enumerate(percents)},
        service_ratio=None,
        service_shares={},
    )
    lines = list(distribution.lines.all())
    assert sum(line.amount for line in lines) == distribution.net_income
    team_total = sum(line.amount for line in lines if line.beneficiary == "team")
    assert team_total >= (distribution.net_income * Decimal("0.70")).quantize(fen)
    assert all(line.amount >= 0 for line in lines)


def test_m5_2_the_units_own_rule_gives_the_team_more_and_never_less(personas, unit):
    from kttc.benefits.contracts.models import IncomeRules

    office = personas.transfer_office
    with pytest.raises(PolicyError) as info:
        services.income_rules_set(actor=office, unit=unit, team_min_ratio=Decimal("0.65"))
    assert (info.value.field, info.value.clauses) == ("team_min_ratio", ("M5.2",))
    assert not IncomeRules.objects.exists()
    services.income_rules_set(actor=office, unit=unit, team_min_ratio=Decimal("0.80"))
    contract = _contract(personas, unit)
    error = refused(_decide, personas=personas, contract=contract, team_ratio=Decimal("0.75"))
    assert error.field == "team_ratio" and "80%" in error.message
    assert _decide(personas, contract, team_ratio=Decimal("0.80")).team_ratio == Decimal("0.80")
    with pytest.raises(PolicyError):
        services.income_rules_set(
            actor=personas.enterprise, unit=unit, team_min_ratio=Decimal("0.9")
        )


def test_a_recorded_cost_is_named_by_its_reason_in_the_audit_record(personas, unit):
    from kttc.core.models import AuditEntry

    contract = _contract(personas, unit)
    entry = AuditEntry.objects.filter(action="contract.cost").latest("seq")
    assert entry.object_repr == f"{contract}: 专利维持费 (2026-02-01)"
