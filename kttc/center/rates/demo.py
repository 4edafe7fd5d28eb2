"""The demo's exchange rates: a few currencies of the region, published by the bureau. The
figures are illustrative (their source says so), not market rates."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kttc.center.rates import services
from kttc.center.rates.models import ExchangeRate
from kttc.core.models import User

BUREAU = "bureau@demo.kttc.example"
SOURCE = "演示用示意汇率，非市场牌价 (illustrative demo rate, not a market rate)"

#: Yuan per unit, rounded figures of the order of late 2026's: illustrative only.
RATES = {
    "USD": "7.1", "EUR": "7.7", "VND": "0.00028", "THB": "0.205", "LAK": "0.00033",
    "MMK": "0.0034", "KHR": "0.00177",
}  # fmt: skip


def demo_loaded() -> bool:
    return ExchangeRate.objects.filter(source=SOURCE).exists()


def load_demo() -> None:
    bureau = User.objects.get(email=BUREAU)
    day = timezone.localdate() - timedelta(days=1)
    services.rates_publish(
        actor=bureau,
        rates=[
            services.RateInput(
                currency=code, cny_per_unit=Decimal(rate), rate_date=day, source=SOURCE
            )
            for code, rate in RATES.items()
        ],
    )
