"""Bulk actions on the results list (issue 13's lists that scale), on a throwaway SQLite database
with the demo data: the unit's office submits N drafts one at a time (the baseline: the same
service called N times, as N clicks would) and N others as one bulk action (a job with its
progress written as it goes, and the reviewers told once); the center publishes them in bulk;
then the N results are exported in the import template's format. Figures are printed, never
asserted; ratios are to the baseline measured in the same run.

    .venv/bin/python bench/bulk_bench.py            # N = 1,000
    .venv/bin/python bench/bulk_bench.py --size 5000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _setup(workdir: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bulk.sqlite3"
    os.environ.setdefault("KTTC_EMBEDDINGS", "off")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _drafts(count: int, tag: str) -> list:
    from kttc.core.models import User
    from kttc.policy import calendar
    from kttc.registry.achievements import services
    from kttc.registry.tests.factories import achievement_raw
    from kttc.registry.validation import validate_achievement

    office = User.objects.get(email="office@demo.kttc.example")
    unit = office.memberships.filter(revoked_at__isnull=True).first().organisation
    today = calendar.today_in_shanghai()
    made = []
    for n in range(count):
        data = validate_achievement(achievement_raw(name=f"{tag}{n:05d}"), today=today)
        made.append(services.achievement_create(actor=office, unit=unit, data=data))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    size = parser.parse_args().size
    with tempfile.TemporaryDirectory() as workdir:
        _setup(workdir)
        from kttc.core import jobs
        from kttc.core.models import Notification, User
        from kttc.registry.achievements import services
        from kttc.registry.importing.export import export_xlsx

        office = User.objects.get(email="office@demo.kttc.example")
        bureau = User.objects.get(email="bureau@demo.kttc.example")
        one_by_one, in_bulk = _drafts(size, "逐项汇交成果"), _drafts(size, "批量汇交成果")

        told = Notification.objects.filter(recipient=bureau).count()
        start = time.perf_counter()
        for achievement in one_by_one:
            services.achievement_submit(actor=office, achievement=achievement)
        baseline = time.perf_counter() - start
        told_singly = Notification.objects.filter(recipient=bureau).count() - told

        job = jobs.create(owner=office, kind="bench", params={}, total=size)
        told = Notification.objects.filter(recipient=bureau).count()
        start = time.perf_counter()
        services.achievements_bulk(
            actor=office, achievements=in_bulk, action="submit", progress=jobs.progress(job)
        )
        bulk = time.perf_counter() - start
        told_in_bulk = Notification.objects.filter(recipient=bureau).count() - told

        start = time.perf_counter()
        services.achievements_bulk(actor=bureau, achievements=in_bulk, action="publish")
        publish = time.perf_counter() - start

        start = time.perf_counter()
        content = export_xlsx([a.pk for a in in_bulk])
        export = time.perf_counter() - start

    print(f"results: {size:,} submitted one at a time, {size:,} in one bulk action")
    per = 1000 * baseline / size
    print(f"submit one at a time (baseline): {baseline:7.2f} s  {per:5.1f} ms a result")
    print(f"submit in bulk, with progress:   {bulk:7.2f} s  {1000 * bulk / size:5.1f} ms a result"
          f"  ratio {bulk / baseline:.2f}")  # fmt: skip
    print(f"publish in bulk:                 {publish:7.2f} s  "
          f"{1000 * publish / size:5.1f} ms a result  ratio {publish / baseline:.2f}")  # fmt: skip
    print(f"export ({len(content) / 1e6:.2f} MB xlsx):         {export:7.2f} s  "
          f"{1000 * export / size:5.1f} ms a result  ratio {export / baseline:.2f}")  # fmt: skip
    print(f"notices to a reviewer: one at a time {told_singly:,}, in bulk {told_in_bulk:,}")


if __name__ == "__main__":
    main()
