"""Writes of the rates: the bureau publishes rates (audited, M8.1, M14.1); a reader chooses
her currency."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from kttc.center.rates.choices import KNOWN, YUAN_ONLY
from kttc.center.rates.models import ExchangeRate, ReaderCurrency
from kttc.core.models import User
from kttc.core.services import audit_record, decision, require_capability
from kttc.policy.errors import PolicyError
from kttc.policy.exchange import rate_check
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

#: Who publishes rates: the bureau, which curates what the public catalog shows (M8.2, M8.3).
PUBLISH = Capability.CURATE_CATALOG_ALL


@dataclass(frozen=True)
class RateInput:
    """One rate to publish: a unit of ``currency`` was worth ``cny_per_unit`` yuan on
    ``rate_date``, by ``source``."""

    currency: str
    cny_per_unit: Decimal
    rate_date: date
    source: str


def rate_refusal(rate: RateInput, today: date) -> PolicyError | None:
    """Why ``rate`` may not be published (naming the field), or None."""
    try:
        rate_check(
            currency=rate.currency,
            cny_per_unit=rate.cny_per_unit,
            rate_date=rate.rate_date,
            today=today,
            known=KNOWN,
        )
    except PolicyError as exc:
        return exc
    if not rate.source.strip():
        return PolicyError(
            gettext_noop("Say where the rate comes from."), code="required", field="source"
        )
    return None


@decision
def rates_publish(*, actor: User, rates: Sequence[RateInput]) -> list[ExchangeRate]:
    """M8.1: publish rates for the indicative conversion of amounts on public pages, each
    recorded in the audit chain (M14.1). A rate is never changed: a newer one replaces it."""
    require_capability(actor, PUBLISH)
    if not rates:
        raise PolicyError(gettext_noop("Enter at least one rate."), code="required", field="rates")
    today = timezone.localdate()
    for rate in rates:
        refusal = rate_refusal(rate, today)
        if refusal is not None:
            raise refusal
    published = []
    for rate in rates:
        row = ExchangeRate.objects.create(
            currency=rate.currency,
            cny_per_unit=rate.cny_per_unit,
            rate_date=rate.rate_date,
            source=rate.source.strip()[:200],
            published_by=actor,
        )
        audit_record(
            actor=actor,
            organisation=None,
            action="rates.publish",
            obj=row,
            after={
                "currency": row.currency,
                "cny_per_unit": str(row.cny_per_unit),
                "rate_date": row.rate_date,
                "source": row.source,
            },
            clauses=("M8.1",),
        )
        published.append(row)
    return published


def reader_currency_set(*, user: User, currency: str) -> None:
    """Keep a signed-in reader's choice of currency (a code of ISO 4217, or CNY for the yuan
    alone), as her language is kept."""
    code = currency.strip().upper()
    if code != YUAN_ONLY and code not in KNOWN:
        raise PolicyError(
            gettext_noop("%(currency)s is not a currency of ISO 4217 other than the yuan."),
            code="rates.currency",
            field="currency",
            params={"currency": currency},
        )
    ReaderCurrency.objects.update_or_create(user=user, defaults={"currency": code})
