"""Bidding on a public listing (M8.5), on a throwaway SQLite database with the demo data: N open
bids placed one after another by three verified enterprises, each a decision that takes the
chain's lock and the listing's row, checks the rules, stores the bid, moves the price and the
close, appends to the audit chain and tells the outbid bidder. The baseline, measured in the
same run, is the least a decision costs: N audit entries each in its own decision transaction.
Then the listing's page and its live panel are drawn with the N bids in their history. Figures
are printed, never asserted.

    .venv/bin/python bench/bidding_bench.py            # N = 500
    .venv/bin/python bench/bidding_bench.py --size 2000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _setup(workdir: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bidding.sqlite3"
    os.environ.setdefault("KTTC_EMBEDDINGS", "off")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _listing():  # a result of the demo unit not listed yet, open for a day, step 1 yuan
    from datetime import timedelta

    from django.utils import timezone

    from kttc.center.listings import services
    from kttc.center.listings.models import Listing
    from kttc.core.models import User
    from kttc.policy import listings as rules
    from kttc.registry.choices import Confidentiality, Status
    from kttc.registry.models import Achievement

    office = User.objects.get(email="office@demo.kttc.example")
    listed = Listing.objects.values("achievement_id")
    result = (
        Achievement.objects.filter(status=Status.PUBLISHED, confidentiality=Confidentiality.PUBLIC)
        .filter(unit__memberships__user=office)
        .exclude(pk__in=listed)
        .first()
    )
    now = timezone.now()
    terms = rules.Terms(rules.Method.ASCENDING, Decimal("1000.00"), Decimal("1.00"), Decimal(0),
                        now - timedelta(minutes=1), now + timedelta(days=1), 5)  # fmt: skip
    return services.listing_publish(
        actor=office, achievement=result, mode="transfer", terms=terms, notice="bench"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=500)
    size = parser.parse_args().size
    with tempfile.TemporaryDirectory() as workdir:
        _setup(workdir)
        from django.test import Client

        from kttc.center.listings import services
        from kttc.core.models import User
        from kttc.core.services import audit_record, decision_transaction

        listing = _listing()
        emails = ("enterprise@demo.kttc.example", "nok@siambio.demo.example",
                  "somphone@laoagro.demo.example")  # fmt: skip
        bidders = [User.objects.get(email=e) for e in emails]
        for user in bidders:
            organisation = services.bidding_organisations(user)[0]
            services.listing_register(actor=user, listing=listing, organisation=organisation)

        start = time.perf_counter()
        for _n in range(size):
            with decision_transaction():
                audit_record(actor=bidders[0], organisation=listing.unit, action="bench.baseline",
                             obj=listing, after={"n": _n})  # fmt: skip
        baseline = time.perf_counter() - start

        start = time.perf_counter()
        for n in range(size):
            services.bid_place(actor=bidders[n % 3], listing=listing, amount=Decimal(1000 + n))
        bids = time.perf_counter() - start

        client = Client()
        pages, panels = [], []
        for _round in range(20):
            t = time.perf_counter()
            client.get(f"/listings/{listing.pk}/")
            pages.append(time.perf_counter() - t)
            t = time.perf_counter()
            client.get(f"/listings/{listing.pk}/panel/")
            panels.append(time.perf_counter() - t)

    per = 1000 * baseline / size
    print(f"bids: {size:,} open bids by 3 verified enterprises, SQLite, one at a time")
    print(f"a bare decision (baseline):  {baseline:6.2f} s  {per:5.2f} ms each")
    print(f"a bid:                       {bids:6.2f} s  {1000 * bids / size:5.2f} ms each"
          f"  ratio {bids / baseline:.2f}")  # fmt: skip
    print(f"the listing's page with {size:,} bids: median {1000 * statistics.median(pages):.1f} ms;"
          f" its live panel {1000 * statistics.median(panels):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
