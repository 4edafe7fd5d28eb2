"""The public catalog's API: search with facets, detail, the promotion list (M8.2, M8.3)."""

from datetime import date
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema

from kttc.center.catalog import selectors
from kttc.center.catalog.selectors import PAGE_MAX
from kttc.center.search.base import FACETS
from kttc.core.parsing import ApiId
from kttc.core.text import Text

router = Router(tags=["catalog"])


class CatalogFilter(Schema):
    q: Text = ""
    sort: str = "relevance"
    page: Annotated[int, Field(ge=1, le=PAGE_MAX)] = 1
    discipline: list[str] = []
    industry: list[str] = []
    trl: list[Annotated[int, Field(ge=1, le=9)]] = []
    ip_kind: list[str] = []
    licensing: list[str] = []
    unit: list[ApiId] = []
    year: list[Annotated[int, Field(ge=1000, le=9999)]] = []
    open_offer: bool = Field(
        False, description="Only results with a licence offer open to applications (M3.1)."
    )


class HitOut(Schema):
    id: int
    name: str
    name_original: str
    language: str
    unit: str
    trl: int
    year: int
    snippets: dict[str, str]
    url: str


class FacetOut(Schema):
    value: str
    label: str
    count: int


class CatalogOut(Schema):
    total: int
    page: int
    items: list[HitOut]
    facets: dict[str, list[FacetOut]]


class IPOut(Schema):
    kind: str
    number: str
    status: str


class DetailOut(Schema):
    id: int
    name: str
    abstract: str
    keywords: list[str]
    language: str
    original_language: str
    name_original: str
    unit: str
    achievement_type: str
    trl: int
    stage: str
    discipline_code: str
    industry_code: str
    formation_date: date
    transformation_modes: list[str]
    use_first_pay_later: bool
    advantage: str
    target_market: str
    route_to_market: str
    ip_rights: list[IPOut]


def _language() -> str:
    return get_language() or "zh-hans"


@router.get("/achievements", response=CatalogOut, auth=None)
def search(request: HttpRequest, filters: Query[CatalogFilter]) -> dict[str, object]:
    """Public results: text in Chinese or English, facet filters (repeat a parameter for OR),
    sort (relevance, newest, trl), 20 per page."""
    params = {f: [str(v) for v in getattr(filters, f)] for f in FACETS}
    params |= {"q": [filters.q], "sort": [filters.sort]}
    if filters.open_offer:
        params[selectors.OPEN_OFFER] = ["1"]
    query = selectors.catalog_query(params, language=_language(), page=filters.page)
    found = selectors.catalog_search(query)
    snippets = {h.id: h.snippets for h in found.result.hits}
    items = []
    for a in found.achievements:
        reading = selectors.reading_of(a)
        items.append(
            {
                "id": a.pk,
                "name": reading.name if reading else a.name,
                "name_original": a.name,
                "language": reading.language if reading else a.original_language,
                "unit": a.unit.name,
                "trl": a.trl,
                "year": a.formation_date.year,
                "snippets": snippets.get(a.pk, {}),
                "url": f"/achievements/{a.pk}/",
            }
        )
    return {
        "total": found.result.total,
        "page": filters.page,
        "items": items,
        "facets": {
            facet: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for facet, _t, values in found.facets
        },
    }


@router.get("/achievements/{pk}", response=DetailOut, auth=None)
def detail(request: HttpRequest, pk: int) -> dict[str, object]:
    a = selectors.public_achievement(pk, _language())
    if a is None:
        raise Http404
    reading = selectors.reading_of(a)
    return {
        "id": a.pk,
        "name": reading.name if reading else a.name,
        "abstract": reading.abstract if reading else a.abstract,
        "keywords": reading.keywords if reading and reading.keywords else a.keywords,
        "language": reading.language if reading else a.original_language,
        "original_language": a.original_language,
        "name_original": a.name,
        "unit": a.unit.name,
        "achievement_type": a.achievement_type,
        "trl": a.trl,
        "stage": a.stage,
        "discipline_code": a.discipline_code,
        "industry_code": a.industry_code,
        "formation_date": a.formation_date,
        "transformation_modes": a.transformation_modes,
        "use_first_pay_later": a.use_first_pay_later,
        "advantage": a.advantage,
        "target_market": a.target_market,
        "route_to_market": a.route_to_market,
        "ip_rights": [
            {"kind": r.kind, "number": r.number, "status": r.status} for r in a.ip_rights.all()
        ],
    }
