"""Builders of the units' reports' tests (M13.3): a small record of the test university's
transformation in 2026 (and a little in 2025, which the 2026 report must not count), and the
period the bureau opens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kttc.benefits.contracts.choices import Beneficiary, ContractKind
from kttc.benefits.models import ContractIncome, Distribution, DistributionLine
from kttc.benefits.tests.factories import EquityInvestmentFactory, TechnologyContractFactory
from kttc.oversight.reports import services
from kttc.oversight.reports.models import ReportPeriod, UnitReport
from kttc.policy.roles import Role
from kttc.registry.models import IPRight
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement

DAY = dt.date(2026, 12, 1)
DUE = dt.date(2027, 1, 31)

#: What the platform must pre-fill from :func:`records` for 2026.
EXPECTED = {
    "results_registered": "1",
    "patents_granted": "1",
    "transfers_count": "2",
    "transfers_amount": "300000.50",
    "licences_count": "1",
    "licences_amount": "80000.00",
    "investments_count": "1",
    "investments_amount": "5000000.00",
    "contracts_count": "4",
    "contracts_amount": "430000.50",
    "income_received": "120000.00",
    "rewards_cash": "70000.00",
    "rewards_equity": "3500000.00",
    "people_rewarded": "3",
}


def records(personas: Any) -> None:
    """The test university's (the transfer office's unit) records: two results (one published
    in 2026 with a patent granted in 2026), four contracts signed in 2026 (two transfers, a
    licence, a development contract) and one in 2025; income in 2026 and 2025; a distribution
    of 2026's income; an investment at a valuation in 2026. Another unit's contract too."""
    from kttc.registry import services as registry_services

    unit = personas.organisations[Role.TRANSFER_OFFICE]
    office = personas.transfer_office
    data = validate_achievement(achievement_raw(), today=dt.date(2026, 11, 1))
    published = registry_services.achievement_create(actor=office, unit=unit, data=data)
    type(published).objects.filter(pk=published.pk).update(
        status="published", published_at=dt.datetime(2026, 5, 4, 2, tzinfo=dt.UTC)
    )
    IPRight.objects.create(
        achievement=published, kind="utility_model", number="ZL202620001234.5",
        status="granted", grant_date=dt.date(2026, 7, 1),
    )  # fmt: skip
    IPRight.objects.create(  # a software copyright is not a patent
        achievement=published, kind="software_copyright", number="2026SR000001",
        status="granted", grant_date=dt.date(2026, 7, 2),
    )  # fmt: skip
    contract = TechnologyContractFactory(
        unit=unit, created_by=office, amount=Decimal("200000.50"), signed_on=dt.date(2026, 2, 1)
    )
    TechnologyContractFactory(
        unit=unit, created_by=office, amount=Decimal("100000.00"), signed_on=dt.date(2026, 12, 31)
    )
    TechnologyContractFactory(
        unit=unit, created_by=office, kind=ContractKind.LICENCE, amount=Decimal("80000.00"),
        signed_on=dt.date(2026, 1, 1),
    )  # fmt: skip
    TechnologyContractFactory(
        unit=unit, created_by=office, kind=ContractKind.DEVELOPMENT, amount=Decimal("50000.00"),
        signed_on=dt.date(2026, 6, 1),
    )  # fmt: skip
    TechnologyContractFactory(  # 2025: not in the 2026 report
        unit=unit, created_by=office, amount=Decimal("999999.00"), signed_on=dt.date(2025, 12, 31)
    )
    TechnologyContractFactory(created_by=office)  # another unit's
    ContractIncome.objects.create(
        contract=contract, amount=Decimal("120000.00"), received_on=dt.date(2026, 3, 1),
        recorded_by=office,
    )  # fmt: skip
    ContractIncome.objects.create(
        contract=contract, amount=Decimal("5000.00"), received_on=dt.date(2025, 3, 1),
        recorded_by=office,
    )  # fmt: skip
    distribution = Distribution.objects.create(
        contract=contract, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30),
        income=Decimal("120000.00"), costs=Decimal("20000.00"), net_income=Decimal("100000.00"),
        team_ratio=Decimal("0.700000"), policy_version="2026.1", decided_by=office,
    )  # fmt: skip
    for beneficiary, name, amount in (
        (Beneficiary.TEAM, "李明", "42000.00"),
        (Beneficiary.TEAM, "王强", "18000.00"),
        (Beneficiary.SERVICE_STAFF, "张丽", "10000.00"),
        (Beneficiary.UNIT, unit.name, "30000.00"),
    ):
        DistributionLine.objects.create(
            distribution=distribution, beneficiary=beneficiary, name=name, amount=Decimal(amount)
        )
    EquityInvestmentFactory(unit=unit, recorded_by=office, invested_on=dt.date(2026, 9, 1))


def period(personas: Any, *, year: int = 2026, due_on: dt.date = DUE) -> ReportPeriod:
    return services.period_open(actor=personas.bureau, year=year, due_on=due_on, today=DAY)


def report_of(personas: Any, found: ReportPeriod) -> UnitReport:
    return UnitReport.objects.get(period=found, unit=personas.organisations[Role.TRANSFER_OFFICE])


def filled(**changes: Any) -> dict[str, tuple[Any, str]]:
    """What the unit states of its people and platforms (the platform does not know them)."""
    values: dict[str, tuple[Any, str]] = {
        "rd_staff": ("320", ""),
        "transfer_staff": ("6", ""),
        "staff_on_leave": ("2", ""),
        "staff_part_time": ("11", ""),
        "transfer_offices": ("1", ""),
        "incubators": ("1", ""),
        "joint_platforms": ("4", ""),
    }
    values.update(changes)
    return values
