"""Licences for the sweep benchmark: ``count`` "use first, pay later" licences (M3) on results
already in the database, each with its offer, a deferred schedule of three instalments and, for
two licences in three, a payment covering the first instalment. Due dates are spread evenly
over a year either side of ``today``, so the sweep finds instalments due soon, overdue and
covered, every day. Licensees are ``enterprises`` enterprises, each with one person.

Loaded with ``bulk_create`` in batches (a few hundred thousand rows; the results' million rows
go in through ``rawload``)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

BATCH = 5_000
INSTALMENTS = 3
STEP_DAYS = 182  # about six months between instalments
FEE = Decimal("10000.00")


def load_licences(count: int, today: date, *, enterprises: int = 500) -> dict[str, int]:
    """Insert the licences; returns the rows written per model."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from kttc.core.models import Membership, Organisation, User
    from kttc.policy.identifiers import make_uscc, organisation_code_check_char
    from kttc.reform.models import Licence, LicenceInstalment, LicenceOffer, LicencePayment
    from kttc.registry.models import Achievement

    started = time.perf_counter()
    step = max(1, Achievement.objects.count() // max(count, 1))
    targets = list(
        Achievement.objects.order_by("pk").values_list("pk", "unit_id")[: count * step : step]
    )[:count]
    if len(targets) < count:
        raise SystemExit(f"only {len(targets):,} results to license; load more results first")
    now = datetime.now(UTC)
    password = make_password(None)
    with transaction.atomic():
        firms = Organisation.objects.bulk_create(
            Organisation(
                name=f"基准企业{n}",
                name_en=f"Benchmark enterprise {n}",
                kind="enterprise",
                credit_code=make_uscc(
                    f"91530100{f'BE{n:06d}'}{organisation_code_check_char(f'BE{n:06d}')}"
                ),
                verified_at=now,
            )
            for n in range(1, enterprises + 1)
        )
        people = User.objects.bulk_create(
            User(email=f"firm{o.pk}@bench.kttc.example", full_name=f"企业{o.pk}", password=password)
            for o in firms
        )
        Membership.objects.bulk_create(
            Membership(user=p, organisation=o, role="enterprise")
            for p, o in zip(people, firms, strict=True)
        )
    actor = people[0]
    counts = {"offers": 0, "licences": 0, "instalments": 0, "payments": 0}
    for first in range(0, count, BATCH):
        chunk = targets[first : first + BATCH]
        with transaction.atomic():
            offers = LicenceOffer.objects.bulk_create(
                LicenceOffer(
                    achievement_id=pk,
                    unit_id=unit,
                    term_years=5,
                    payment_model="deferred",
                    created_by=actor,
                )
                for pk, unit in chunk
            )
            licences = []
            for n, (offer, (pk, unit)) in enumerate(zip(offers, chunk, strict=True), start=first):
                starts = today + timedelta(days=(n * 7919) % 731 - 365)
                licences.append(
                    Licence(
                        offer=offer,
                        achievement_id=pk,
                        unit_id=unit,
                        licensee=firms[n % len(firms)],
                        exclusive=False,
                        starts_on=starts,
                        ends_on=starts + timedelta(days=5 * 365),
                        payment_model="deferred",
                        total_fee=FEE * INSTALMENTS,
                        concluded_by=actor,
                    )
                )
            licences = Licence.objects.bulk_create(licences)
            instalments = LicenceInstalment.objects.bulk_create(
                LicenceInstalment(
                    licence=licence,
                    number=i,
                    amount=FEE,
                    trigger="date",
                    due=licence.starts_on + timedelta(days=STEP_DAYS * (i - 1)),
                )
                for licence in licences
                for i in range(1, INSTALMENTS + 1)
            )
            payments = LicencePayment.objects.bulk_create(
                LicencePayment(
                    licence=licence,
                    amount=FEE,
                    paid_on=licence.starts_on,
                    recorded_by=actor,
                )
                for n, licence in enumerate(licences, start=first)
                if n % 3
            )
        counts["offers"] += len(offers)
        counts["licences"] += len(licences)
        counts["instalments"] += len(instalments)
        counts["payments"] += len(payments)
        print(f"\r  licences {counts['licences']:,}", end="", flush=True)
    seconds = time.perf_counter() - started
    print(
        f"\rlicences: {counts['licences']:,} with {counts['instalments']:,} instalments and "
        f"{counts['payments']:,} payments, {enterprises} licensees, in {seconds:.1f} s"
    )
    return counts
