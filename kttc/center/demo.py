"""The center's demo data (``kttc demo`` finds it by this name): each mechanism's own, once."""

from __future__ import annotations

from kttc.center.demands import demo as demands_demo
from kttc.center.evaluation import demo as evaluation_demo
from kttc.center.finance import demo as finance_demo
from kttc.center.inquiries import demo as inquiries_demo
from kttc.center.institutions import demo as institutions_demo
from kttc.center.ip_protection import demo as ip_protection_demo
from kttc.center.ip_services import demo as ip_services_demo
from kttc.center.listings import demo as listings_demo
from kttc.center.partners import demo as partners_demo
from kttc.center.rates import demo as rates_demo
from kttc.center.vouchers import demo as vouchers_demo

PARTS = (
    demands_demo, inquiries_demo, rates_demo, listings_demo, partners_demo, institutions_demo,
    ip_services_demo, vouchers_demo, ip_protection_demo, evaluation_demo, finance_demo,
)  # fmt: skip


def demo_loaded() -> bool:
    return all(part.demo_loaded() for part in PARTS)


def load_demo() -> None:
    for part in PARTS:
        if not part.demo_loaded():
            part.load_demo()
