"""The service system (Part 3, M9-M12) under load, on a throwaway SQLite database with the demo
data. Figures are printed, never asserted; each is a ratio to a baseline measured in the same
run: the least a decision costs, N audit entries each in its own decision transaction.

* Innovation vouchers (M12.2): N vouchers issued one after another from one programme, each a
  decision that takes the chain's lock and the programme's row, checks the budget, stores the
  voucher, moves the committed total and tells the enterprise; then the programme's page (its
  report) and its xlsx with the N vouchers.
* Evaluation (M10.1): the signed report of the demo drawn as a PDF in Chinese and in English.
* Brokers (M9.2): a broker's public profile with N deals named on it.

    .venv/bin/python bench/services_bench.py            # N = 300
    .venv/bin/python bench/services_bench.py --size 1000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _setup(workdir: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/services.sqlite3"
    os.environ.setdefault("KTTC_EMBEDDINGS", "off")
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # no console mail
    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _median_ms(func: Callable[[], Any], rounds: int = 10) -> float:
    times = []
    for _round in range(rounds):
        start = time.perf_counter()
        answer = func()
        times.append(time.perf_counter() - start)
        assert getattr(answer, "status_code", 200) == 200, answer
    return 1000 * statistics.median(times)


def _baseline(size: int) -> float:
    from kttc.core.models import Organisation, User
    from kttc.core.services import audit_record, decision_transaction

    bureau = User.objects.get(email="bureau@demo.kttc.example")
    organisation = Organisation.objects.first()
    assert organisation is not None
    start = time.perf_counter()
    for n in range(size):
        with decision_transaction():
            audit_record(actor=bureau, organisation=organisation, action="bench.baseline",
                         obj=organisation, after={"n": n})  # fmt: skip
    return time.perf_counter() - start


def _vouchers(size: int) -> tuple[float, Any]:
    from kttc.center.vouchers import services
    from kttc.core.models import Organisation, User
    from kttc.policy import calendar

    bureau = User.objects.get(email="bureau@demo.kttc.example")
    person = User.objects.get(email="enterprise@demo.kttc.example")
    enterprise = Organisation.objects.get(memberships__user=person, kind="enterprise")
    today = calendar.today_in_shanghai()
    programme = services.programme_open(
        actor=bureau, today=today,
        terms=services.ProgrammeTerms(
            "bench", Decimal(size) * 1000, ["testing"], "fixed", "1000", today,
            today + timedelta(days=30), today + timedelta(days=365),
        ),
    )  # fmt: skip
    issuing = 0.0
    for _n in range(size):
        application = services.voucher_apply(
            actor=person, enterprise=enterprise, programme=programme, service="testing",
            amount="1000", purpose="bench", today=today,
        )  # fmt: skip
        start = time.perf_counter()
        services.voucher_issue(actor=bureau, application=application, today=today)
        issuing += time.perf_counter() - start
    return issuing, programme


def _named_deals(size: int) -> Any:
    """A broker named on ``size`` published demands of the demo enterprise (copies of one)."""
    from kttc.center.demands.models import Demand
    from kttc.center.institutions import facilitations
    from kttc.center.institutions.models import BrokerProfile
    from kttc.core.models import User

    person = User.objects.get(email="enterprise@demo.kttc.example")
    demand = Demand.objects.filter(organisation__memberships__user=person, status="published")[0]
    broker = BrokerProfile.objects.filter(withdrawn_at__isnull=True).order_by("pk")[0]
    for _n in range(size):
        demand.pk = None
        demand.save()
        facilitations.facilitation_record(
            actor=person, broker=broker, kind="demand", deal_id=demand.pk
        )
    return broker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=300)
    size = parser.parse_args().size
    with tempfile.TemporaryDirectory() as workdir:
        _setup(workdir)
        from django.test import Client

        from kttc.center.evaluation import report
        from kttc.center.evaluation.models import Evaluation
        from kttc.center.vouchers import exporting
        from kttc.core.models import User

        baseline = _baseline(size)
        issuing, programme = _vouchers(size)
        client = Client()
        client.force_login(User.objects.get(email="bureau@demo.kttc.example"))
        page = _median_ms(lambda: client.get(f"/office/vouchers/programmes/{programme.pk}/"))
        xlsx = _median_ms(lambda: exporting.report_xlsx(programme))

        signed = Evaluation.objects.filter(status="signed").select_related("report").first()
        assert signed is not None
        content, sha = signed.report.content, signed.report.sha256
        pdf_zh = _median_ms(lambda: report.pdf(content, sha, "zh-hans"), 5)
        pdf_en = _median_ms(lambda: report.pdf(content, sha, "en"), 5)

        broker = _named_deals(size)
        client.logout()
        profile = _median_ms(lambda: client.get(f"/service-institutions/brokers/{broker.pk}/"))

    per = 1000 * baseline / size
    print(f"Part 3 services, SQLite, one request at a time, N = {size:,}")
    print(f"a bare decision (baseline):        {per:6.2f} ms each")
    print(f"a voucher issued (M12.2):          {1000 * issuing / size:6.2f} ms each"
          f"  ratio {issuing / baseline:.2f}")  # fmt: skip
    print(f"the programme's page, {size:,} vouchers: {page:6.1f} ms; its xlsx report {xlsx:.1f} ms")
    print(f"a signed evaluation's PDF (M10.1): zh {pdf_zh:.1f} ms, en {pdf_en:.1f} ms"
          f"  (ratio to a bare decision {pdf_zh / per:.1f})")  # fmt: skip
    print(f"a broker's public profile with {size:,} named deals (M9.2): {profile:.1f} ms")


if __name__ == "__main__":
    main()
