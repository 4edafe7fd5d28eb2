"""What the platform knows of a unit's transformation in a period (M13.3): each pre-filled field
of :data:`kttc.policy.unit_reports.FIELDS` computed from the platform's own records, read from
the parts below (the registry, the benefits), never written to them.

* the registry (M8.6): the unit's results published in the period, and the patents of its
  results granted in it;
* the technology contracts (M5): those signed in the period, by kind (transfers, licences, all),
  their count and amount; the income received under them in the period;
* the distributions of income (M5.1) for periods ending in the period: what they gave the
  completers and the technology transfer staff, and the people they name;
* the investments of results at a valuation (M6.1) in the period: their count and valuation, the
  completers' part of it, and the completers holding shares.

Fields the platform does not record (people, platforms) stay ``None``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from kttc.benefits.contracts.choices import Beneficiary, ContractKind
from kttc.benefits.models import (
    CapTableHolder,
    ContractIncome,
    DistributionLine,
    EquityInvestment,
    TechnologyContract,
)
from kttc.benefits.shareholding.choices import HolderKind
from kttc.core.models import Organisation
from kttc.policy import unit_reports as rules
from kttc.registry.choices import IPKind
from kttc.registry.models import Achievement, IPRight

PATENTS = (IPKind.INVENTION, IPKind.UTILITY_MODEL, IPKind.DESIGN)
REWARDED = (Beneficiary.TEAM, Beneficiary.SERVICE_STAFF)


def _amount(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0.00")


def platform_figures(unit: Organisation, starts_on: date, ends_on: date) -> dict[str, str | None]:
    """M13.3: the pre-filled figures of ``unit`` for the period from ``starts_on`` to
    ``ends_on`` (both included), as the report stores them; ``None`` for what the unit states."""
    days = (starts_on, ends_on)
    found: dict[str, Decimal] = {}
    found["results_registered"] = Decimal(
        Achievement.objects.filter(unit=unit, published_at__date__range=days).count()
    )
    found["patents_granted"] = Decimal(
        IPRight.objects.filter(
            achievement__unit=unit, kind__in=PATENTS, grant_date__range=days
        ).count()
    )
    contracts = TechnologyContract.objects.filter(unit=unit, signed_on__range=days)
    by_kind = {
        row["kind"]: (row["n"], row["total"])
        for row in contracts.values("kind").annotate(n=Count("id"), total=Sum("amount"))
    }
    for prefix, kind in (("transfers", ContractKind.TRANSFER), ("licences", ContractKind.LICENCE)):
        count, total = by_kind.get(kind, (0, None))
        found[f"{prefix}_count"] = Decimal(count)
        found[f"{prefix}_amount"] = _amount(total)
    found["contracts_count"] = Decimal(sum(n for n, _t in by_kind.values()))
    found["contracts_amount"] = sum((_amount(t) for _n, t in by_kind.values()), Decimal("0.00"))
    found["income_received"] = _amount(
        ContractIncome.objects.filter(contract__unit=unit, received_on__range=days).aggregate(
            total=Sum("amount")
        )["total"]
    )
    lines = DistributionLine.objects.filter(
        distribution__contract__unit=unit,
        distribution__period_end__range=days,
        beneficiary__in=REWARDED,
    )
    found["rewards_cash"] = _amount(lines.aggregate(total=Sum("amount"))["total"])
    investments = list(EquityInvestment.objects.filter(unit=unit, invested_on__range=days))
    found["investments_count"] = Decimal(len(investments))
    found["investments_amount"] = sum((i.valuation for i in investments), Decimal("0.00"))
    found["rewards_equity"] = sum(
        (
            rules.equity_reward(i.valuation, i.completer_shares, i.shares_issued)
            for i in investments
        ),
        Decimal("0.00"),
    )
    people = {name.strip() for name in lines.values_list("name", flat=True) if name.strip()}
    people |= {
        name.strip()
        for name in CapTableHolder.objects.filter(
            investment__in=investments, kind=HolderKind.COMPLETER
        ).values_list("name", flat=True)
        if name.strip()
    }
    found["people_rewarded"] = Decimal(len(people))
    return {
        field.code: rules.as_text(field.code, found[field.code]) if field.prefilled else None
        for field in rules.FIELDS
    }
