"""Reads of the public transaction page (M8.5): every licence concluded on the platform and
every technology transfer or licence contract of a public result, with the terms the parties
agreed to publish. The center sits above the reform and the benefits parts and reads their
records directly. Which terms of a transaction are public is decided once, in
:func:`published_terms`, for the page and the API alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, QuerySet, Value
from django.db.models.functions import TruncDate

from kttc.benefits.models import DISCLOSABLE as CONTRACT_DISCLOSABLE
from kttc.benefits.models import TechnologyContract
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


@dataclass(frozen=True)
class Transaction:
    """One row of the transaction page: a licence concluded on the platform or a contract."""

    kind: str  # "licence" (on the platform) or "contract"
    day: date
    item: Any

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
    item, shown = row.item, set(row.item.disclosed)
    if row.kind == "licence":
        order: Sequence[str] = LICENCE_DISCLOSABLE
        values = {"licensee": item.licensee, "term": (item.starts_on, item.ends_on)}
    else:
        order, values = CONTRACT_DISCLOSABLE, {}
    return {f: values[f] if f in values else getattr(item, f) for f in order if f in shown}


def transactions_rows(unit_id: int | None = None) -> QuerySet[Any]:
    """M8.5: (source, pk, day) of every public transaction, newest first, as one query that a
    paginator can count and slice."""
    licences = transactions_public()
    contracts = contracts_public()
    if unit_id is not None:
        licences, contracts = licences.filter(unit_id=unit_id), contracts.filter(unit_id=unit_id)
    first = licences.annotate(source=Value("licence"), day=TruncDate("concluded_at"))
    second = contracts.annotate(source=Value("contract"), day=F("signed_on"))
    return (
        first.order_by()
        .values_list("source", "pk", "day")
        .union(second.order_by().values_list("source", "pk", "day"))
        .order_by("-day", "-pk")
    )


def transactions_of(rows: Sequence[tuple[str, int, date]]) -> list[Transaction]:
    """The licences and contracts of ``rows`` (a page of :func:`transactions_rows`), in order."""
    licences = transactions_public().in_bulk([pk for source, pk, _d in rows if source == "licence"])
    contracts = contracts_public().in_bulk([pk for source, pk, _d in rows if source == "contract"])
    found: dict[str, dict[int, Any]] = {"licence": licences, "contract": contracts}
    return [
        Transaction(source, day, found[source][pk])
        for source, pk, day in rows
        if pk in found[source]
    ]
