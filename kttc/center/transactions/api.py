"""The public transactions (M8.5) in the API: the same rows and the same published terms as the
page (:func:`kttc.center.transactions.selectors.published_terms`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router, Schema

from kttc.center.transactions import selectors as reads
from kttc.core.parsing import ID_MAX, PAGE_MAX

router = Router(tags=["licences"])


class TransactionOut(Schema):
    """M8.5: a transaction as the public sees it: a licence concluded on the platform
    (``source`` "platform") or a technology transfer or licence contract a unit recorded
    (``source`` "contract"). Each term the parties did not agree to publish is null."""

    id: int
    source: str
    kind: str  # "licence" | "transfer" | "equity_transfer"
    concluded_on: date
    achievement_id: int
    achievement_name: str
    unit_id: int
    unit_name: str
    #: M8.4: the licensee's or the buyer's country (ISO 3166-1 alpha-2), "CN" at home.
    country: str
    licensee_name: str | None = None
    exclusive: bool | None = None
    field_of_use: str | None = None
    territory: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    payment_model: str | None = None
    total_fee: Decimal | None = None
    royalty_rate: Decimal | None = None
    counterparty: str | None = None
    amount: Decimal | None = None
    registration_number: str | None = None
    certified_amount: Decimal | None = None
    #: M2.1: the shares of a state equity stake sold through public listing.
    shares: int | None = None


class CountryFigureOut(Schema):
    """M8.4: the public transactions with parties of one country abroad."""

    country: str
    licences: int
    contracts: int
    stakes: int
    published_amount: Decimal


class TransactionsPage(Schema):
    items: list[TransactionOut]
    count: int


def _published(row: reads.Transaction) -> dict[str, Any]:
    """The row in the API's words: the always-public facts, then its published terms (the
    licensee by name, the term as its first and last day)."""
    item, terms = row.item, reads.published_terms(row)
    out: dict[str, Any] = {
        "id": item.pk,
        "source": {"licence": "platform", "stake": "listing"}.get(row.kind, "contract"),
        "kind": {"licence": "licence", "stake": "equity_transfer"}.get(row.kind) or item.kind,
        "concluded_on": row.day,
        "achievement_id": item.achievement_id,
        "achievement_name": item.achievement.name,
        "unit_id": item.unit_id,
        "unit_name": item.unit.name,
        "country": row.country,
    }
    if row.kind == "stake":
        out.update(counterparty=terms["buyer"].name, amount=terms["price"], shares=terms["shares"])
        return out
    if "licensee" in terms:
        out["licensee_name"] = terms.pop("licensee").name
    if "term" in terms:
        out["starts_on"], out["ends_on"] = terms.pop("term")
    return {**out, **terms}


@router.get("/transactions", response=TransactionsPage, auth=None)
def transactions(
    request: HttpRequest,
    unit: int | None = Query(None, ge=1, le=ID_MAX),
    country: str = Query("", max_length=8, description='ISO 3166-1 alpha-2, or "abroad"'),
    page: int = Query(1, ge=1, le=PAGE_MAX),
) -> dict[str, Any]:
    """M8.5: the public transaction page: every licence concluded on the platform and every
    technology transfer or licence contract of a public result, newest first, with the terms
    their parties agreed to publish (the others are null)."""
    rows_of = reads.transactions_rows(unit, reads.country_filter(country))
    paginator = Paginator(rows_of, settings.NINJA_PAGINATION_PER_PAGE)
    rows = paginator.get_page(page)
    return {
        "items": [_published(row) for row in reads.transactions_of(list(rows.object_list))],
        "count": paginator.count,
    }


@router.get("/transactions/abroad", response=list[CountryFigureOut], auth=None)
def transactions_abroad(request: HttpRequest) -> list[reads.CountryFigure]:
    """M8.4, M8.5: the public transactions with a licensee or buyer abroad, by country."""
    return reads.cross_border_by_country()
