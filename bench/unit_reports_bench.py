"""Units' reports benchmark (M13.3) on the embedded default (SQLite), without DEBUG. Figures are
printed, never asserted.

It loads ``--units`` municipal universities, each with ``--contracts`` technology contracts over
two years (transfers, licences, development), one income per contract, a distribution with three
lines per ten contracts, results (one per ten contracts, half published, each with a patent) and
investments at a valuation (one per hundred contracts, with a cap table), all by bulk inserts.
Then it times:

1. the bureau opening the year's period, which pre-fills every unit's report from those records;
2. the platform's figures of one unit (what "take the platform's figures again" reads);
3. the bureau's overview of the period, its summary as xlsx, and one report as xlsx and PDF;
4. the sweep's run on the due date's reminders and the day after (late notices), twice each.

    .venv/bin/python bench/unit_reports_bench.py                      # 100 units x 2,000
    .venv/bin/python bench/unit_reports_bench.py --units 20 --contracts 200   # a quick look
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

YEAR = 2026
REPEAT = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--contracts", type=int, default=2000, help="contracts per unit")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kttc-unit-reports-bench-"))
    try:
        os.environ.update(
            {
                "KTTC_ENV": "development",
                "DEBUG": "false",
                "KTTC_VAR_DIR": str(workdir / "var"),
                "DATABASE_URL": f"sqlite:///{workdir / 'kttc.sqlite3'}",
                "KTTC_SEARCH_DIR": str(workdir / "search"),
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "DJANGO_SETTINGS_MODULE": "config.settings",
            }
        )
        (workdir / "var").mkdir(parents=True)
        import django

        django.setup()
        run(args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _timed(label: str, act: Callable[[], Any], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        act()
        times.append(time.perf_counter() - start)
    p50 = statistics.median(times)
    print(f"  {label}: p50 {p50 * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms")
    return p50


def load(args: argparse.Namespace) -> tuple[Any, list[Any]]:
    from django.core.management import call_command
    from django.utils import timezone

    from kttc.benefits.contracts.choices import Beneficiary, ContractKind
    from kttc.benefits.models import (
        CapTableHolder,
        ContractIncome,
        Distribution,
        DistributionLine,
        EquityInvestment,
        TechnologyContract,
    )
    from kttc.core.models import Membership, Organisation, User
    from kttc.core.tests.factories import credit_code
    from kttc.registry.models import Achievement, IPRight

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    bureau_org = Organisation.objects.create(
        name="市科技局",
        kind="government_department",
        credit_code=credit_code(0),
        verified_at=timezone.now(),
    )
    bureau = User.objects.create_user("bureau@bench.example", "x", full_name="局")
    Membership.objects.create(user=bureau, organisation=bureau_org, role="bureau")
    clerk = User.objects.create_user("office@bench.example", "x", full_name="办")
    units = Organisation.objects.bulk_create(
        Organisation(
            name=f"昆明测试大学{n:03d}",
            kind="university",
            is_municipal=True,
            credit_code=credit_code(n + 1),
            verified_at=timezone.now(),
        )
        for n in range(args.units)
    )
    Membership.objects.bulk_create(
        Membership(user=clerk, organisation=u, role="transfer_office") for u in units
    )
    kinds = (ContractKind.TRANSFER, ContractKind.LICENCE, ContractKind.DEVELOPMENT)
    first = date(YEAR - 1, 1, 1)
    for unit in units:
        results = Achievement.objects.bulk_create(
            Achievement(
                unit=unit,
                name=f"成果{n}",
                achievement_type="applied",
                attribute="original",
                abstract="摘要",
                discipline_code="41630",
                industry_code="C2710",
                trl=6,
                stage="middle",
                formation_date=first,
                confidentiality="public",
                status="published" if n % 2 else "draft",
                published_at=timezone.now() - timedelta(days=n % 700) if n % 2 else None,
            )
            for n in range(args.contracts // 10)
        )
        IPRight.objects.bulk_create(
            IPRight(
                achievement=r,
                kind="invention",
                number=f"ZL{r.pk:012d}",
                status="granted",
                grant_date=first + timedelta(days=r.pk % 700),
            )
            for r in results
        )
        contracts = TechnologyContract.objects.bulk_create(
            TechnologyContract(
                unit=unit,
                kind=kinds[n % 3],
                title=f"合同{n}",
                counterparty="企业",
                signed_on=first + timedelta(days=n % 700),
                amount=Decimal(10000 + n),
                created_by=clerk,
            )
            for n in range(args.contracts)
        )
        ContractIncome.objects.bulk_create(
            ContractIncome(
                contract=c, amount=Decimal("5000.00"), received_on=c.signed_on, recorded_by=clerk
            )
            for c in contracts
        )
        distributions = Distribution.objects.bulk_create(
            Distribution(
                contract=c,
                period_start=c.signed_on,
                period_end=c.signed_on,
                income=Decimal("5000.00"),
                costs=Decimal(0),
                net_income=Decimal("5000.00"),
                team_ratio=Decimal("0.7"),
                policy_version="2026.1",
                decided_by=clerk,
            )
            for c in contracts[::10]
        )
        DistributionLine.objects.bulk_create(
            DistributionLine(
                distribution=d, beneficiary=b, name=f"{b}{d.pk % 50}", amount=Decimal("1000.00")
            )
            for d in distributions
            for b in (Beneficiary.TEAM, Beneficiary.SERVICE_STAFF, Beneficiary.UNIT)
        )
        investments = EquityInvestment.objects.bulk_create(
            EquityInvestment(
                unit=unit,
                achievement=results[n],
                company=f"公司{n}",
                valuation=Decimal("1000000.00"),
                shares_issued=10000,
                invested_on=first + timedelta(days=n * 7 % 700),
                completer_shares=7000,
                unit_shares=3000,
                completer_ratio=Decimal("0.7"),
                policy_version="2026.1",
                recorded_by=clerk,
            )
            for n in range(max(1, args.contracts // 100))
        )
        CapTableHolder.objects.bulk_create(
            CapTableHolder(investment=i, kind=k, name=f"{k}{i.pk % 20}", shares=s)
            for i in investments
            for k, s in (("completer", 7000), ("unit", 3000))
        )
    total = args.units * args.contracts
    print(f"loaded {args.units} units, {total:,} contracts in {time.perf_counter() - start:.1f} s")
    return bureau, units


def run(args: argparse.Namespace) -> None:
    from kttc.core.models import User
    from kttc.oversight.reports import exports, figures, selectors, services, sweep
    from kttc.oversight.reports.models import UnitReport

    print(f"KTTC units' reports benchmark: {args.units} units x {args.contracts:,} contracts")
    bureau, units = load(args)
    today = date(YEAR, 12, 1)
    start = time.perf_counter()
    found = services.period_open(actor=bureau, year=YEAR, due_on=date(YEAR + 1, 1, 31), today=today)
    opened = time.perf_counter() - start
    print(
        f"  open the period, pre-filling {args.units} reports: {opened:.2f} s "
        f"({opened / args.units * 1000:.1f} ms a unit)"
    )
    unit = units[0]
    _timed(
        "platform's figures of one unit",
        lambda: figures.platform_figures(unit, found.starts_on, found.ends_on),
    )
    _timed("overview of the period", lambda: selectors.overview(found, today))
    rows = selectors.overview(found, today)
    _timed("period summary xlsx", lambda: exports.period_xlsx(found, rows))
    report = UnitReport.objects.select_related("period", "unit").get(period=found, unit=unit)
    _timed("one report as xlsx", lambda: exports.report_xlsx(report))
    _timed("one report as PDF", lambda: exports.report_pdf(report))
    User.objects.filter(email="office@bench.example").update(preferred_language="zh-hans")
    for label, day in (("reminders", date(YEAR + 1, 1, 20)), ("late", date(YEAR + 1, 2, 1))):
        for n in (1, 2):
            start = time.perf_counter()
            told = sweep.run(day)
            print(f"  sweep ({label}, run {n}): {time.perf_counter() - start:.2f} s, {told}")


if __name__ == "__main__":
    main()
