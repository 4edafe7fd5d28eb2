"""Import benchmark: the platform's bulk import (every row read, validated, stored with its
children, events and audit entries, and indexed for search) beside a raw bulk insert of the same
rows into the same tables, in the same run, on the embedded default (SQLite).

Records come from ``generate.py`` (titles, abstracts and keywords drawn from the CSL abstracts)
and are written as a CSV file with the template's Chinese headers, then imported as
``kttc import achievements FILE`` does. Figures are printed, never asserted.

    .venv/bin/python bench/import_bench.py                    # 100,000 rows
    .venv/bin/python bench/import_bench.py --size 1000000     # the big run
    .venv/bin/python bench/import_bench.py --profile --size 5000   # where the time goes

Target: 1,000,000 rows imported (validated and indexed) in under 5 minutes.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for entry in (str(ROOT), str(ROOT / "bench")):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from generate import Generator, Record  # noqa: E402

MODE_LABELS = {"transfer": "转让", "licence": "许可", "equity": "作价投资",
               "joint_development": "合作开发"}  # fmt: skip
IP_LABELS = {"invention": "发明专利", "utility_model": "实用新型专利", "design": "外观设计专利",
             "software_copyright": "软件著作权", "plant_variety": "植物新品种权",
             "other": "其他"}  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("明", "强", "芳", "伟", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "超", "霞")
PROJECT = "KMKJ-BENCH-001"


def cells(record: Record, *, with_project: bool) -> dict[str, str]:
    """One row of the import template for ``record`` (keyed by column key)."""
    n = record.id
    first = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
    second = SURNAMES[(n // 7) % len(SURNAMES)] + GIVEN[(n // 3) % len(GIVEN)]
    rights = []
    for kind, number in record.ip_rights:
        status = "申请中"
        rights.append(f"{IP_LABELS[kind]}|{number}|{status}|")
    row = {
        "external_ref": f"B{n:08d}",
        "name": record.name,
        "achievement_type": "应用技术",
        "attribute": "原始创新",
        "keywords": "；".join(k for k in record.keywords if len(k) <= 40) or "技术",
        "abstract": record.abstract,
        "discipline_code": record.discipline_code,
        "industry_code": record.industry_code,
        "trl": str(record.trl),
        "evaluation_level": "国内领先" if n % 5 == 0 else "",
        "formation_date": f"{min(record.year, 2026)}-{1 + n % 9:02d}-{1 + n % 28:02d}",
        "project_number": PROJECT if with_project and n % 10 == 0 else "",
        "confidentiality": "公开",
        "national_interest": "否",
        "transformation_modes": "；".join(MODE_LABELS[m] for m in record.transformation_modes),
        "use_first_pay_later": "是" if record.use_first_pay_later else "否",
        "asking_terms": "面议" if n % 3 == 0 else "",
        "advantage": "",
        "target_market": "",
        "route_to_market": "",
        "units": f"{record.unit_name}:70；{record.unit_name}分部:30",
        "completers": f"{first}:60；{second}:40",
        "ip_rights": "；".join(rights),
        "name_en": record.en[0] if record.en else "",
        "abstract_en": record.en[1] if record.en else "",
        "keywords_en": "；".join(record.en[2]) if record.en else "",
    }
    return row


def write_csv(path: Path, records: Iterator[Record], *, with_project: bool = True) -> int:
    from kttc.registry.importing import COLUMNS

    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in COLUMNS])
        for record in records:
            row = cells(record, with_project=with_project)
            writer.writerow([row[c.key] for c in COLUMNS])
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="where the files go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    parser.add_argument("--profile", action="store_true", help="profile the import (cProfile)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="validating processes"
    )
    parser.add_argument("--no-index", action="store_true", help="skip publishing and indexing")
    parser.add_argument("--no-baseline", action="store_true", help="skip the raw bulk insert")
    parser.add_argument("--baseline-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_only:
        _run_baseline(args)
        return
    scratch = None if args.workdir else Path(tempfile.mkdtemp(prefix="kttc-import-bench-"))
    workdir = (args.workdir or scratch) / f"n{args.size}-s{args.seed}"
    try:
        run(args, workdir)
    finally:
        if scratch is not None and not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


def _setup(workdir: Path, name: str) -> None:
    """Point Django at a fresh SQLite database and search directory under ``workdir``."""
    # Production settings: no query log (DEBUG off), as the platform runs.
    os.environ["KTTC_ENV"] = "production"
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / name}.sqlite3"
    os.environ["KTTC_SEARCH_DIR"] = str(workdir / f"{name}-search")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def run(args: argparse.Namespace, workdir: Path) -> None:
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    _setup(workdir, "platform")
    from django.core.management import call_command

    print(f"KTTC import benchmark: {args.size:,} rows, seed {args.seed}, {os.cpu_count()} CPUs")
    start = time.perf_counter()
    source = workdir / "results.csv"
    count = write_csv(source, Generator(args.seed).records(args.size))
    print(
        f"file: {count:,} rows, {source.stat().st_size / 2**20:.0f} MB, written in "
        f"{time.perf_counter() - start:.1f} s"
    )
    call_command("migrate", verbosity=0)
    actor, unit = _people()
    before = resource.getrusage(resource.RUSAGE_SELF)
    elapsed = _import(source, actor, unit, profile=args.profile, workers=args.workers)
    after, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(
        f"  CPU: importing process {cpu:.1f} s ({100 * cpu / elapsed:.0f} % of the time), "
        f"validating workers {children.ru_utime + children.ru_stime:.1f} s"
    )
    print(f"platform import: {count / elapsed:,.0f} rows/s ({elapsed:.1f} s)")
    rows = _table_rows()
    print("  rows written: " + ", ".join(f"{t} {n:,}" for t, n in rows.items()))
    if not args.no_index:
        seconds = _publish_and_index()
        print(
            f"index of the same results once published (kttc search rebuild): "
            f"{count / seconds:,.0f} results/s ({seconds:.1f} s)"
        )
        print(f"import and index: {elapsed + seconds:.1f} s")
    if not args.no_baseline:
        baseline = _baseline(args, workdir)
        print(
            f"raw bulk insert of the same records (bench/rawload.py, no validation, audit or "
            f"index): {count / baseline:,.0f} rows/s ({baseline:.1f} s); "
            f"platform import / raw = {elapsed / baseline:.1f}x"
        )


TABLES = ("registry_achievement", "registry_achievementunit", "registry_completer",
          "registry_ipright", "registry_achievementtranslation", "registry_achievementevent",
          "core_auditentry")  # fmt: skip


def _table_rows() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (names above)
            counts[table] = cursor.fetchone()[0]
    return counts


def _publish_and_index() -> float:
    """Mark every imported result published (as the center's review would, one by one) and
    time the platform's index rebuild over them."""
    import io

    from django.core.management import call_command
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_achievement SET status = 'published', "
            "published_at = updated_at, submitted_at = updated_at"
        )
    start = time.perf_counter()
    call_command("search_rebuild", stdout=io.StringIO())
    return time.perf_counter() - start


def _baseline(args: argparse.Namespace, workdir: Path) -> float:
    """The raw bulk insert of the same records into a fresh database, in a child process (one
    Django database per process)."""
    command = [sys.executable, __file__, "--baseline-only", "--size", str(args.size),
               "--seed", str(args.seed), "--workdir", str(workdir)]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return float(output.strip().splitlines()[-1])


def _run_baseline(args: argparse.Namespace) -> None:
    workdir = args.workdir
    _setup(workdir, "raw")
    from django.core.management import call_command
    from rawload import create_units, raw_insert

    call_command("migrate", verbosity=0)
    generator = Generator(args.seed)
    units = create_units(generator.units[:1])
    records = list(generator.records(args.size))
    start = time.perf_counter()
    raw_insert(records, units, status="draft")
    print(time.perf_counter() - start)


def _people():  # type: ignore[no-untyped-def]
    from datetime import date

    from django.db import transaction

    from kttc.core.models import Membership, Organisation, User
    from kttc.policy.roles import Role
    from kttc.registry.models import FiscalProject

    with transaction.atomic():
        unit = Organisation.objects.create(
            name="春城大学", kind="university", credit_code="12530000431200456B", is_municipal=True
        )
        actor = User.objects.create_user(email="office@example.org", password="x" * 20)
        Membership.objects.create(user=actor, organisation=unit, role=Role.TRANSFER_OFFICE)
        FiscalProject.objects.create(
            undertaking_unit=unit,
            competent_department="昆明市科学技术局",
            programme="科技计划",
            project_number=PROJECT,
            title="基准项目",
            approval_date=date(2024, 1, 1),
            budget=1_000_000,
            transformation_obligation="转化",
            transformation_deadline=date(2028, 1, 1),
        )
    return actor, unit


def _import(source: Path, actor, unit, *, profile: bool, workers: int) -> float:  # type: ignore[no-untyped-def]
    from kttc.policy.calendar import today_in_shanghai
    from kttc.registry import importing

    start = time.perf_counter()
    table = importing.FileTable(source)
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    phases: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        phases.setdefault(phase, time.perf_counter())

    result = importing.run_import(
        actor=actor,
        unit=unit,
        table=table,
        today=today_in_shanghai(),
        progress=progress,
        workers=workers,
    )
    if profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    if not result.ok:
        for problem in result.check.problems[:20]:
            print(f"  row {problem.row}, {problem.column}: {problem.code} {problem.message}")
        raise SystemExit("the generated file has problems")
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
