"""Reads of the public transaction page (M8.5): every licence concluded on the platform and
every technology transfer or licence contract of a public result, with the terms the parties
agreed to publish. The center sits above the reform and the benefits parts and reads their
records directly. Which terms of a transaction are public is decided once, in
:func:`published_terms`, for the page and the API alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncDate

from kttc.benefits.models import DISCLOSABLE as CONTRACT_DISCLOSABLE
from kttc.benefits.models import TechnologyContract
from kttc.center.listings.choices import ListingMode, ListingStatus
from kttc.center.listings.models import Listing
from kttc.core import countries
from kttc.reform.licensing.models import DISCLOSABLE as LICENCE_DISCLOSABLE
from kttc.reform.licensing.models import Licence
from kttc.registry.choices import Confidentiality, Status


def transactions_public() -> QuerySet[Licence]:
    """M8.5: the concluded licences of public results, newest first."""
    return (
        Licence.objects.filter(
            achievement__status=Status.PUBLISHED,
            achievement__confidentiality=Confidentiality.PUBLIC,
        )
        .select_related("achievement", "unit", "licensee")
        .order_by("-concluded_at", "-id")
    )


def contracts_public() -> QuerySet[TechnologyContract]:
    """M8.5: the technology transfer and licence contracts of public results recorded by their
    units, except the contracts of licences concluded on the platform, which are listed as
    those licences."""
    return TechnologyContract.objects.filter(
        kind__in=("transfer", "licence"),
        licence__isnull=True,
        achievement__status=Status.PUBLISHED,
        achievement__confidentiality=Confidentiality.PUBLIC,
    ).select_related("achievement", "unit")


CHINA = "CN"


def country_filter(value: str) -> str:
    """A country of ISO 3166-1 (``LA``) or ``abroad``; anything else filters nothing."""
    value = value.strip()[:8]
    if value == "abroad":
        return value
    return value.upper() if countries.is_country(value.upper()) else ""


def _of_country(
    licences: QuerySet[Licence], contracts: QuerySet[TechnologyContract], country: str
) -> tuple[QuerySet[Licence], QuerySet[TechnologyContract]]:
    """Only the transactions with a party of ``country``, or with any party abroad for
    ``"abroad"`` (M8.4)."""
    if country == "abroad":
        return (
            licences.exclude(licensee__country=CHINA),
            contracts.exclude(counterparty_country=CHINA),
        )
    return (
        licences.filter(licensee__country=country),
        contracts.filter(counterparty_country=country),
    )


def stakes_public() -> QuerySet[Listing]:
    """M2.1, M8.5: the state equity stakes sold through public listing of public results (a
    listing's result, its winner and price are public by the listing itself)."""
    return Listing.objects.filter(
        status=ListingStatus.AWARDED,
        mode=ListingMode.EQUITY_TRANSFER,
        equity_matter__isnull=False,
        achievement__status=Status.PUBLISHED,
        achievement__confidentiality=Confidentiality.PUBLIC,
    ).select_related(
        "achievement", "unit", "equity_matter", "winning_bid__registration__organisation"
    )


@dataclass(frozen=True)
class CountryFigure:
    """M8.4: the public transactions with licensees or buyers of one country abroad: how many
    licences concluded on the platform, how many transfer or licence contracts, and the sum of
    the amounts their parties agreed to publish (the others are counted, not summed)."""

    country: str
    licences: int
    contracts: int
    published_amount: Decimal
    #: M2.1: state equity stakes sold through public listing to buyers of the country.
    stakes: int = 0

    @property
    def transactions(self) -> int:
        return self.licences + self.contracts + self.stakes


def cross_border_by_country() -> list[CountryFigure]:
    """M8.4, M8.5: the public transactions with a party abroad, by the licensee's or the
    buyer's country, the most first; two grouped queries."""
    licences = (
        transactions_public()
        .exclude(licensee__country=CHINA)
        .order_by()
        .values("licensee__country")
        .annotate(
            n=Count("pk"),
            published=Sum("total_fee", filter=Q(disclosed__icontains='"total_fee"')),
        )
    )
    contracts = (
        contracts_public()
        .exclude(counterparty_country=CHINA)
        .order_by()
        .values("counterparty_country")
        .annotate(n=Count("pk"), published=Sum("amount", filter=Q(disclosed__icontains='"amount"')))
    )
    stakes = (
        stakes_public()
        .exclude(winning_bid__registration__organisation__country=CHINA)
        .order_by()
        .values("winning_bid__registration__organisation__country")
        .annotate(n=Count("pk"), published=Sum("winning_bid__amount"))
    )
    figures: dict[str, list[Any]] = {}
    for row in licences:
        figures.setdefault(row["licensee__country"], [0, 0, Decimal(0)])
        figures[row["licensee__country"]][0] += row["n"]
        figures[row["licensee__country"]][2] += row["published"] or 0
    for row in contracts:
        figures.setdefault(row["counterparty_country"], [0, 0, Decimal(0)])
        figures[row["counterparty_country"]][1] += row["n"]
        figures[row["counterparty_country"]][2] += row["published"] or 0
    for row in stakes:
        country = row["winning_bid__registration__organisation__country"]
        figures.setdefault(country, [0, 0, Decimal(0)])
        figures[country].append(row["n"])
        figures[country][2] += row["published"] or 0
    rows = [
        CountryFigure(c, n[0], n[1], n[2], n[3] if len(n) > 3 else 0) for c, n in figures.items()
    ]
    return sorted(rows, key=lambda f: (-f.transactions, f.country))


@dataclass(frozen=True)
class Transaction:
    """One row of the transaction page: a licence concluded on the platform or a contract."""

    kind: str  # "licence" (on the platform), "contract", or "stake" (M2.1, sold by listing)
    day: date
    item: Any

    @property
    def country(self) -> str:
        """M8.4: the licensee's or the buyer's country (ISO 3166-1), public like the kind."""
        if self.kind == "licence":
            return str(self.item.licensee.country)
        if self.kind == "stake":
            return str(self.item.winning_bid.registration.organisation.country)
        return str(self.item.counterparty_country)

    @property
    def terms(self) -> dict[str, Any]:
        """The terms its parties agreed to publish (see :func:`published_terms`)."""
        return published_terms(self)


def published_terms(row: Transaction) -> dict[str, Any]:
    """M8.5: the terms of the transaction its parties agreed to publish, in the order of the
    disclosable terms, each with its value. Of a licence: ``licensee`` (the organisation),
    ``exclusive``, ``field_of_use``, ``territory``, ``term`` (its first and last day),
    ``payment_model``, ``total_fee``, ``royalty_rate``; of a contract: ``counterparty``,
    ``amount``, ``registration_number``, ``certified_amount``. The result, the unit, the kind
    and the day are always public and are not among them."""
    if row.kind == "stake":  # public by the listing: the buyer, the price, the shares
        bid = row.item.winning_bid
        return {
            "buyer": bid.registration.organisation,
            "price": bid.amount,
            "shares": row.item.shares,
        }
    item, shown = row.item, set(row.item.disclosed)
    if row.kind == "licence":
        order: Sequence[str] = LICENCE_DISCLOSABLE
        values = {"licensee": item.licensee, "term": (item.starts_on, item.ends_on)}
    else:
        order, values = CONTRACT_DISCLOSABLE, {}
    return {f: values[f] if f in values else getattr(item, f) for f in order if f in shown}


def transactions_rows(unit_id: int | None = None, country: str = "") -> QuerySet[Any]:
    """M8.5: (source, pk, day) of every public transaction, newest first, as one query that a
    paginator can count and slice; of one unit, and of one country of the licensee or buyer (or
    ``"abroad"``: every country but China) when given."""
    licences = transactions_public()
    contracts = contracts_public()
    if unit_id is not None:
        licences, contracts = licences.filter(unit_id=unit_id), contracts.filter(unit_id=unit_id)
    stakes = stakes_public()
    if unit_id is not None:
        stakes = stakes.filter(unit_id=unit_id)
    if country:
        licences, contracts = _of_country(licences, contracts, country)
        buyer = "winning_bid__registration__organisation__country"
        stakes = (
            stakes.exclude(**{buyer: CHINA})
            if country == "abroad"
            else stakes.filter(**{buyer: country})
        )
    first = licences.annotate(source=Value("licence"), day=TruncDate("concluded_at"))
    second = contracts.annotate(source=Value("contract"), day=F("signed_on"))
    third = stakes.annotate(source=Value("stake"), day=F("equity_matter__occurred_on"))
    return (
        first.order_by()
        .values_list("source", "pk", "day")
        .union(
            second.order_by().values_list("source", "pk", "day"),
            third.order_by().values_list("source", "pk", "day"),
        )
        .order_by("-day", "-pk")
    )


def transactions_of(rows: Sequence[tuple[str, int, date]]) -> list[Transaction]:
    """The licences and contracts of ``rows`` (a page of :func:`transactions_rows`), in order."""
    licences = transactions_public().in_bulk([pk for source, pk, _d in rows if source == "licence"])
    contracts = contracts_public().in_bulk([pk for source, pk, _d in rows if source == "contract"])
    stakes = stakes_public().in_bulk([pk for source, pk, _d in rows if source == "stake"])
    found: dict[str, dict[int, Any]] = {
        "licence": licences,
        "contract": contracts,
        "stake": stakes,
    }
    return [
        Transaction(source, day, found[source][pk])
        for source, pk, day in rows
        if pk in found[source]
    ]
