"""Findings shared between supervising departments (M14.2), on a throwaway SQLite database: four
departments have issued RECORDS records (a draft each besides) about UNITS units, FINDINGS
findings a record, half of them owing a rectification. Measured: the bureau's list of findings
(its first page, and filtered by a clause), the xlsx export of every finding, the API's list of
the records (500 of them), the check of other departments' records before recording one, a
record's page, one issue (the chain's lock, the record's row, the units told) and the sweep
over every rectification owed. Figures are printed, never asserted.

    .venv/bin/python bench/findings_bench.py                        # 2,000 records x 5 findings
    .venv/bin/python bench/findings_bench.py --records 200          # a quick look
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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REPEAT = 5
TODAY = date(2026, 11, 2)


def _timed(label: str, act: Callable[[], Any], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        act()
        times.append(time.perf_counter() - start)
    p50 = statistics.median(times)
    print(f"  {label}: p50 {p50 * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms")
    return p50


def load(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command
    from django.utils import timezone

    from kttc.core.models import Membership, Organisation, User
    from kttc.core.tests.factories import credit_code
    from kttc.oversight.findings.models import Finding, Inspection

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    now = timezone.now()
    bureau_org = Organisation.objects.create(
        name="市科技局", kind="government_department", credit_code=credit_code(0),
        verified_at=now,
    )  # fmt: skip
    bureau = User.objects.create_user("bureau@bench.example", "x", full_name="局")
    Membership.objects.create(user=bureau, organisation=bureau_org, role="bureau")
    departments, auditors = [], []
    for n, name in enumerate(("市审计局", "市财政局", "市国资委", "市科技局监督处"), start=1):
        org = Organisation.objects.create(
            name=name, kind="government_department", credit_code=credit_code(n), verified_at=now
        )
        person = User.objects.create_user(f"auditor{n}@bench.example", "x", full_name=name)
        Membership.objects.create(user=person, organisation=org, role="auditor")
        departments.append(org)
        auditors.append(person)
    units = Organisation.objects.bulk_create(
        Organisation(
            name=f"昆明测试大学{n:04d}", kind="university", is_municipal=True,
            credit_code=credit_code(n + 10), verified_at=now,
        )
        for n in range(args.units)
    )  # fmt: skip
    clauses = ["M3.2", "M5.2", "M5.3", "M6.1", "M4.3", "M12.2"]
    records = Inspection.objects.bulk_create(
        Inspection(
            department=departments[n % 4], kind="audit", reference=f"B-{n:06d}",
            title=f"专项审计{n}", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
            clauses=clauses[n % 3 : n % 3 + 3], scope="收入分配",
            fieldwork_start=TODAY - timedelta(days=n % 300 + 10),
            fieldwork_end=TODAY - timedelta(days=n % 300 + 2),
            status="issued" if n < args.records else "draft", recorded_by=auditors[n % 4],
            recorded_on=TODAY, issued_on=TODAY if n < args.records else None,
        )
        for n in range(args.records + 4)
    )  # fmt: skip
    through = Inspection.subjects.through
    through.objects.bulk_create(
        through(inspection_id=r.pk, organisation_id=units[n % len(units)].pk)
        for n, r in enumerate(records)
    )
    Finding.objects.bulk_create(
        Finding(
            inspection=r, subject=units[n % len(units)], clause=r.clauses[k % len(r.clauses)],
            severity="minor", description="问题描述" * 10,
            rectification="required" if k % 2 else "not_required",
            deadline=TODAY + timedelta(days=(n + k) % 60 - 10) if k % 2 else None,
        )
        for n, r in enumerate(records)
        for k in range(args.findings)
    )  # fmt: skip
    print(
        f"loaded {len(records):,} records and {Finding.objects.count():,} findings about "
        f"{len(units):,} units in {time.perf_counter() - start:.1f} s"
    )
    return {"bureau": bureau, "auditors": auditors, "departments": departments, "units": units,
            "records": records}  # fmt: skip


def run(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kttc.core.services import api_token_create
    from kttc.oversight.findings import selectors, services, sweep

    world = load(args)
    client = Client()
    client.force_login(world["bureau"])
    _token, key = api_token_create(user=world["bureau"], name="bench")
    print("pages and API (the bureau):")
    _timed("list of findings, first page", lambda: client.get("/office/findings/"))
    _timed("list filtered by clause M5.3", lambda: client.get("/office/findings/?clause=M5.3"))
    export = client.get("/office/findings/export.xlsx")
    _timed("xlsx export of every finding", lambda: client.get("/office/findings/export.xlsx"), 3)
    print(f"    ({len(export.content) / 1024:,.0f} KiB)")
    api = "/api/v1/findings/inspections"
    with CaptureQueriesContext(connection) as seen:
        client.get(api, HTTP_AUTHORIZATION=f"Bearer {key}")
    _timed(f"API list of 500 records ({len(seen)} queries)",
           lambda: client.get(api, HTTP_AUTHORIZATION=f"Bearer {key}"), 3)  # fmt: skip
    record = world["records"][0]
    _timed("a record's page", lambda: client.get(f"/office/findings/{record.pk}/"))
    unit = world["units"][0]
    _timed(
        "other departments' records of a unit on the same clauses",
        lambda: selectors.overlapping(
            subjects=[unit], clauses=["M5.2"], department=world["departments"][0], on=TODAY
        ),
    )
    total = len(world["records"])
    start = time.perf_counter()
    for n in range(total - 4, total):  # the drafts, one a department
        services.inspection_issue(
            actor=world["auditors"][n % 4], inspection=world["records"][n], today=TODAY
        )
    each = (time.perf_counter() - start) / 4 * 1000
    print(f"  one issue (chain lock, row lock, units told): {each:.1f} ms")
    start = time.perf_counter()
    counts = sweep.run(TODAY)
    print(f"  sweep: {counts} in {time.perf_counter() - start:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--findings", type=int, default=5, help="findings a record")
    parser.add_argument("--units", type=int, default=300)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kttc-findings-bench-"))
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
                "ALLOWED_HOSTS": "testserver,localhost",
            }
        )
        (workdir / "var").mkdir(parents=True)
        import django

        django.setup()
        run(args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
