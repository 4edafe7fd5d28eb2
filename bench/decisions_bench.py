"""Concurrent decisions benchmark (DESIGN rule 9): writers of the money paths on one licence of
the demo data at once, on the database of ``DATABASE_URL`` (run it under
``scripts/with-postgres`` for PostgreSQL), beside one writer alone as the baseline measured in
the same run. Figures are printed, never asserted.

Each writer is a thread with its own connection calling the services as the API does: the
transfer office records payments, the enterprise reports revenue (a new period each time), the
office takes the payments over as the contract's income. Every decision takes the audit chain's
lock first, so the writers queue instead of deadlocking: the figures to read are the errors (0),
the throughput with N writers against one, and whether the sums add up to the fen.

    KTTC_ENV=test scripts/with-postgres .venv/bin/python bench/decisions_bench.py
    KTTC_ENV=test scripts/with-postgres .venv/bin/python bench/decisions_bench.py --writers 16
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _create_database() -> None:
    """The throwaway cluster of ``scripts/with-postgres`` has no database of the URL's name yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def _setup() -> None:
    import django

    _create_database()
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _run(writers: int, each: int, offset: int) -> dict[str, object]:
    from django.db import connections

    from kttc.benefits.contracts import services as benefits
    from kttc.benefits.models import TechnologyContract
    from kttc.core.models import User
    from kttc.reform.licensing import services as licences
    from kttc.reform.models import Licence

    licence = Licence.objects.select_related("unit", "licensee").order_by("pk").first()
    assert licence is not None
    office = User.objects.get(email="office@demo.kttc.example")
    firm = User.objects.get(email="enterprise@demo.kttc.example")
    contract = TechnologyContract.objects.filter(licence=licence).first()
    errors: list[str] = []
    done = [0]
    lock = threading.Lock()
    start = threading.Barrier(writers + 1)

    def write(w: int) -> None:
        try:
            start.wait()
            for i in range(each):
                n = offset + w * each + i
                kind = (w + i) % 3
                if kind == 0 or (contract is None and kind == 2):
                    licences.payment_record(
                        actor=office, licence=licence, amount=Decimal("100.01"),
                        paid_on=date(2027, 1, 1) + timedelta(days=n % 300),
                    )  # fmt: skip
                elif kind == 1:
                    month = date(2100, 1, 1) + timedelta(days=31 * n)
                    licences.revenue_report(
                        actor=firm, licence=licence, period_start=month,
                        period_end=month + timedelta(days=27), revenue=Decimal("1234.57"),
                    )  # fmt: skip
                else:
                    benefits.income_from_licence(actor=office, contract=contract)
                with lock:
                    done[0] += 1
        except Exception as exc:  # a bench counts failures instead of stopping at one
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    return {"decisions": done[0], "seconds": seconds, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--each", type=int, default=40, help="decisions per writer")
    args = parser.parse_args()
    _setup()
    from django.db import connection

    from kttc.core.selectors import audit_chain_verify
    from kttc.reform.models import LicencePayment

    print(f"database: {connection.vendor}")
    total = args.writers * args.each
    alone = _run(1, total, 0)
    together = _run(args.writers, args.each, total)
    for name, figures in (("1 writer", alone), (f"{args.writers} writers", together)):
        rate = figures["decisions"] / figures["seconds"]  # type: ignore[operator]
        print(
            f"{name:>11}: {figures['decisions']} decisions in {figures['seconds']:.2f} s "
            f"({rate:,.0f}/s), {len(figures['errors'])} errors"  # type: ignore[arg-type]
        )
        for error in sorted(set(figures["errors"]))[:5]:  # type: ignore[call-overload]
            print(f"             {error}")
    ratio = (together["decisions"] / together["seconds"]) / (  # type: ignore[operator]
        alone["decisions"] / alone["seconds"]  # type: ignore[operator]
    )
    print(f"throughput with {args.writers} writers / 1 writer: {ratio:.2f}")
    payments = LicencePayment.objects.all()
    print(f"payments stored: {payments.count()}, their sum: {sum(p.amount for p in payments)}")
    report = audit_chain_verify()
    print(f"audit chain intact: {report.intact} ({report.checked} entries)")


if __name__ == "__main__":
    main()
