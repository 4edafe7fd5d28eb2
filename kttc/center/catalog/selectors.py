"""Reads of the catalog: the public search, the curated lists, a result in the reader's
language. Everything here starts from ``registry.selectors.public_achievements`` (rule 8)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext

from kttc.center import search
from kttc.center.catalog import choices
from kttc.center.catalog.models import MajorRelease, PromotionEntry
from kttc.center.search.base import FACETS, SearchQuery, SearchResult
from kttc.core import countries, parsing
from kttc.core.models import Organisation
from kttc.policy import classifications
from kttc.reform.licensing.models import LicenceOffer
from kttc.reform.licensing.selectors import offers_open
from kttc.reform.transformation.selectors import open_list
from kttc.registry.choices import IPKind, TransformationMode
from kttc.registry.models import Achievement, AchievementTranslation
from kttc.registry.selectors import public_achievements

PAGE_SIZE = 20
EXPORT_LIMIT = 5000
PAGE_MAX = 500  # the catalog's last page: a search is refined, not paged through further
#: The filter "has a licence offer open to applications" (M3.1), and the values that turn it on
#: (anything else leaves it off).
OPEN_OFFER = "open_offer"
TRUE = frozenset({"1", "true", "on"})
# The facets whose values are numbers, with their bounds: a malformed value is ignored.
NUMERIC_FACETS = {"unit": (1, parsing.ID_MAX), "trl": (1, 9), "year": (1000, 9999)}


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    code: str = ""  # the code a label in words stands for, shown as a tooltip


@dataclass(frozen=True)
class CatalogPage:
    result: SearchResult
    achievements: list[Achievement]
    facets: list[tuple[str, str, list[FacetValue]]]  # (facet, title, values)


def catalog_query(
    params: Mapping[str, Sequence[str]],
    *,
    language: str,
    page: int = 1,
    limit: int = PAGE_SIZE,
    with_facets: bool = True,
) -> SearchQuery:
    """The query a catalog URL stands for (shareable: everything is in the URL)."""
    text = (params.get("q") or [""])[0][:200]
    sort = (params.get("sort") or ["relevance"])[0]
    if sort not in choices.SORTS:
        sort = "relevance"
    filters = {f: [str(v) for v in params.get(f, []) if v][:20] for f in FACETS}
    for facet, (low, high) in NUMERIC_FACETS.items():
        numbers = (parsing.integer(v, minimum=low, maximum=high) for v in filters[facet])
        filters[facet] = [str(n) for n in numbers if n is not None]
    return SearchQuery(
        text=text,
        filters={k: v for k, v in filters.items() if v},
        open_offer=(params.get(OPEN_OFFER) or [""])[0] in TRUE,
        sort=sort,
        offset=(min(max(page, 1), PAGE_MAX) - 1) * limit,
        limit=limit,
        language=language,
        with_facets=with_facets,
    )


def _with_reading(qs: QuerySet[Achievement], language: str) -> QuerySet[Achievement]:
    return qs.select_related("unit").prefetch_related(
        Prefetch(
            "translations",
            queryset=AchievementTranslation.objects.filter(language=language),
            to_attr="reading",
        ),
        "ip_rights",
    )


def reading_of(achievement: Achievement) -> AchievementTranslation | None:
    """The translation into the reader's language that ``_with_reading`` prefetched into
    ``reading`` (a list of at most one), or None: the result is read in its original."""
    found: list[AchievementTranslation] = getattr(achievement, "reading", [])
    return found[0] if found else None


def achievements_by_ids(ids: Sequence[int], language: str) -> list[Achievement]:
    """Public achievements in the given order (an id that is no longer public is skipped).

    Read by primary key, each row checked against ``public_achievements()``: written as
    ``public_achievements().filter(pk__in=ids)``, SQLite (no table statistics) walks the
    (status, confidentiality, published_at) index over every public result instead of looking
    up the ids, which grows with the catalog (about 200 ms per page at a million results)."""
    public = public_achievements().filter(pk=OuterRef("pk"))
    rows = Achievement.objects.filter(pk__in=ids).filter(Exists(public)).order_by()
    found = {a.pk: a for a in _with_reading(rows, language)}
    return [found[i] for i in ids if i in found]


def _facet_label(facet: str, value: str, units: Mapping[str, Organisation], language: str) -> str:
    """A facet value in words, in the reader's language: the discipline (GB/T 13745) and the
    industry (GB/T 4754) by their names, the readiness level (GB/T 22900) by its name, the IP
    kind and the licensing model by their labels, a unit by its name. The code stays in the
    page's ``title`` (:func:`facet_code`)."""
    if facet == "discipline":
        return classifications.discipline_name(value, language) or value
    if facet == "industry":
        return classifications.industry_name(value, language) or value
    if facet == "ip_kind":
        return str(dict(IPKind.choices).get(value, value))
    if facet == "licensing":
        if value == choices.USE_FIRST_PAY_LATER:
            return gettext("Use first, pay later")
        return str(dict(TransformationMode.choices).get(value, value))
    if facet == "unit":
        org = units.get(value)
        if org is None:
            return value
        return countries.name_for_reader(org.name, org.name_en, org.country, language)[0]
    if facet == "trl":
        name = classifications.readiness_name(value, language)
        return f"{value} · {name}" if name else value
    return value


def facet_code(facet: str, value: str) -> str:
    """The code behind a facet value named in words (a tooltip), or "" when there is none."""
    return value if facet in ("discipline", "industry", "trl") else ""


def catalog_search(query: SearchQuery) -> CatalogPage:
    result = search.search(query)
    achievements = achievements_by_ids([h.id for h in result.hits], query.language)
    unit_ids = [v for v, _n in result.facets.get("unit", [])]
    units = {str(o.pk): o for o in Organisation.objects.filter(pk__in=unit_ids)}
    facets = []
    for facet in FACETS:
        values = result.facets.get(facet, [])
        selected = set(query.filters.get(facet, []))
        facets.append(
            (
                facet,
                str(choices.FACET_TITLES[facet]),
                [
                    FacetValue(
                        v,
                        _facet_label(facet, v, units, query.language),
                        n,
                        v in selected,
                        facet_code(facet, v),
                    )
                    for v, n in values
                ],
            )
        )
    return CatalogPage(result, achievements, facets)


def public_achievement(pk: int, language: str) -> Achievement | None:
    return _with_reading(public_achievements().filter(pk=pk), language).first()


def open_offers_of(achievement: Achievement) -> list[LicenceOffer]:
    """M3.1: the offers an enterprise may apply for on this result (open offers of public,
    published results only: ``offers_open``), newest first."""
    return list(offers_open().filter(achievement=achievement))


def on_open_licensing_list(achievement: Achievement) -> bool:
    """M4.4: whether the result is on the public open licensing list."""
    return open_list().filter(achievement=achievement).exists()


def promotion_list() -> QuerySet[PromotionEntry]:
    """M8.3: the promotion list, public entries only."""
    return PromotionEntry.objects.filter(achievement__in=public_achievements()).select_related(
        "achievement__unit"
    )


def major_releases() -> QuerySet[MajorRelease]:
    return MajorRelease.objects.all()


def release_achievements(release: MajorRelease) -> QuerySet[Achievement]:
    """M8.2: the public achievements of a release (a restricted one never shows)."""
    return public_achievements().filter(major_releases=release).select_related("unit")
