"""The seam between the catalog and a search engine."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

#: Facet fields a query may filter on and count, in the order the catalog shows them.
FACETS = ("discipline", "industry", "trl", "ip_kind", "licensing", "unit", "year")


@dataclass(frozen=True)
class SearchDoc:
    """One public achievement as the index sees it. Only public achievements are ever indexed
    (``kttc.registry.selectors.public_achievements``); restricted ones never reach an engine."""

    id: int
    name: str
    abstract: str
    keywords: Sequence[str]
    #: other languages: language -> (name, abstract, keywords)
    translations: dict[str, tuple[str, str, Sequence[str]]]
    unit_id: int
    unit_name: str
    unit_name_en: str
    discipline: str  # first level of GB/T 13745, 3 digits, e.g. "520"
    industry: str  # GB/T 4754 section letter, e.g. "C"
    trl: int
    ip_kinds: Sequence[str]  # e.g. ["invention", "software_copyright"]
    licensing: Sequence[str]  # transformation modes, plus "use_first_pay_later" when willing
    year: int  # year of formation
    published_at: datetime
    promoted: bool = False  # on the promotion list (M8.3)
    major: bool = False  # a major-achievement release (M8.2)
    open_offer: bool = False  # has a licence offer open to applications (M3.1)


@dataclass(frozen=True)
class SearchQuery:
    """User text (any characters: operators and punctuation never break a query), facet filters
    (values within a facet are OR-ed, facets are AND-ed), sort and page."""

    text: str = ""
    filters: dict[str, Sequence[str]] = field(default_factory=dict)
    sort: str = "relevance"  # "relevance" | "newest" | "trl"
    offset: int = 0
    limit: int = 20
    language: str = "zh-hans"  # the reader's language, for snippets
    with_facets: bool = True
    open_offer: bool = False  # only results with a licence offer open to applications (M3.1)
    #: results close in meaning (id, cosine), best first: they match too, and are fused into the
    #: relevance ranking (``kttc.center.search.semantic``)
    semantic: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    #: field -> HTML-safe snippet with matches wrapped in <mark>…</mark>
    snippets: dict[str, str]


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    #: facet -> [(value, count)], counts over every match of the query and the other filters
    facets: dict[str, list[tuple[str, int]]]
    #: no result has every word of the query: these have some of them
    relaxed: bool = False


class SearchBackend(Protocol):
    def index(self, docs: Iterable[SearchDoc]) -> None: ...

    def delete(self, ids: Iterable[int]) -> None: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def clear(self) -> None: ...

    def count(self) -> int: ...
