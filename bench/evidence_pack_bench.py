"""Time and size of the demo licence's evidence pack (M14.1) as the chain proof grows.

The demo (organisations, results, grants, licences) is loaded into a scratch SQLite database;
then ``--between`` entries of other decisions are appended after the licence's conclusion before
the checkpoint is recorded, so that its chain proof carries them all. It prints the time to draw
the pack (reading its entries, documents and rows; the zip with its PDF), its size, and the time
of the pure verification (what ``verify.py`` and ``kttc evidence verify`` run).

    .venv/bin/python bench/evidence_pack_bench.py                  # 0, 1,000 and 10,000 between
    .venv/bin/python bench/evidence_pack_bench.py --between 50000
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--between", type=int, action="append")
    parser.add_argument("--db", default=str(ROOT / "var" / "bench-evidence.sqlite3"))
    args = parser.parse_args()
    Path(args.db).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{args.db}"

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kttc.core import services
    from kttc.core.demo import load_demo
    from kttc.core.models import AuditEntry, Organisation
    from kttc.oversight.evidence import pack, selectors
    from kttc.policy import evidence_pack as rules
    from kttc.reform import demo as reform_demo
    from kttc.registry import demo as registry_demo

    load_demo()
    registry_demo.load_demo()
    reform_demo.load_demo()
    licence = AuditEntry.objects.get(action="licence.conclude")
    unit = Organisation.objects.get(pk=licence.organisation_id)
    appended = 0
    print(f"{'between':>8} {'entries':>8} {'draw s':>8} {'zip KB':>8} {'verify s':>9}")
    for between in args.between or [0, 1000, 10000]:
        with services.decision_transaction():
            services.audit_record_many(
                actor=None,
                organisation=unit,
                decisions=[
                    services.Decision("bench.filler", "core.organisation", str(unit.pk), "x")
                    for _ in range(between - appended)
                ],
                clauses=("M14.1",),
            )
        appended = between
        from kttc.core import integrity

        integrity.checkpoint_record()
        # the pack of a decision whose first checkpoint is this one: a new licence-like copy is
        # not needed; the licence's first checkpoint is the first recorded, so draw against the
        # newest one as a pack drawn that late would (every entry between carried)
        checkpoint = selectors.AuditCheckpoint.objects.order_by("-seq").first()
        start = time.perf_counter()
        content = selectors.pack_content(licence, checkpoint)
        drawn = pack.draw(content, "zh-hans")
        drawn_s = time.perf_counter() - start
        start = time.perf_counter()
        report = rules.verify_files(rules.read_zip(drawn.zip))
        verify_s = time.perf_counter() - start
        print(
            f"{between:>8} {report.entries:>8} {drawn_s:>8.2f} {len(drawn.zip) / 1024:>8.0f} "
            f"{verify_s:>9.2f}"
        )


if __name__ == "__main__":
    main()
