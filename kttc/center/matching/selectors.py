"""What the pages read of matching (M8.1, M8.3): a demand's results with why, the open demands a
result may meet, and the results close to a result."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import get_language

from kttc.center import search
from kttc.center.catalog.selectors import achievements_by_ids
from kttc.center.demands.choices import DemandStatus
from kttc.center.demands.models import Demand, DemandTranslation
from kttc.center.matching import services
from kttc.center.matching.models import DemandMatch
from kttc.center.search import segment, semantic
from kttc.center.search.base import SearchQuery
from kttc.policy import calendar
from kttc.registry.models import Achievement


@dataclass(frozen=True)
class Found:
    """A result that may meet a demand, and why: its closeness in meaning (cosine, when found
    by meaning), the demand's words it has, the fields it shares."""

    achievement: Achievement
    closeness: float | None = None
    terms: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        return None if self.closeness is None else round(self.closeness * 100)


def _public(ids: list[int]) -> dict[int, Achievement]:
    """Those of the results ``ids`` still public, with their reading in the reader's language."""
    language = get_language() or "zh-hans"
    return {a.pk: a for a in achievements_by_ids(ids, language)}


def matches_of(demand: Demand, limit: int = services.MATCHES) -> list[Found]:
    """The kept matches of a published demand; for one not (yet) published, searched now."""
    kept = list(DemandMatch.objects.filter(demand=demand)[:limit])
    if demand.status == DemandStatus.PUBLISHED and kept:
        public = _public([m.achievement_id for m in kept])
        return [
            Found(public[m.achievement_id], m.closeness, list(m.terms), list(m.same_fields))
            for m in kept
            if m.achievement_id in public
        ]
    text = services.demand_text(demand)
    near = semantic.candidates(text)
    hits = (
        search.backend()
        .search(SearchQuery(text=text, limit=limit, with_facets=False, semantic=near))
        .hits
    )
    public = _public([h.id for h in hits])
    words = [w.word for w in segment.query_words(text)]
    closeness = dict(near)
    return [
        Found(
            public[h.id],
            closeness.get(h.id),
            services.shared_words(words, public[h.id]),
            services.shared_fields(demand, public[h.id]),
        )
        for h in hits
        if h.id in public
    ]


def demands_for(achievement: Achievement, limit: int = 5) -> list[Demand]:
    """The published, unexpired demands this result may meet, best matched first."""
    return list(
        Demand.objects.filter(
            matches__achievement=achievement,
            status=DemandStatus.PUBLISHED,
            deadline__gte=calendar.today_in_shanghai(),
        )
        .select_related("organisation")
        .prefetch_related(  # the reader's translation, as the demand hall reads it (M8.4)
            Prefetch(
                "translations",
                queryset=DemandTranslation.objects.filter(
                    language=(get_language() or "zh-hans").lower()
                ),
                to_attr="reading",
            )
        )
        .order_by("matches__rank", "-published_at")[:limit]
    )


def similar_results(achievement: Achievement, limit: int = 5) -> list[Achievement]:
    """Public results closest in meaning to this one (by its embedding), else sharing its words."""
    store = semantic.store()
    ids: list[int] = []
    if store is not None:
        mine = store.vectors_of([achievement.pk])
        if mine:
            near = store.nearest(mine[0][1], limit + 1, above_median=semantic.STANDOUT)
            ids = [pk for pk, _s in near if pk != achievement.pk]
            if not ids:
                return []  # nothing stands out as close: none is listed as similar
    if not ids:
        query = SearchQuery(text=achievement.name, limit=limit + 1, with_facets=False)
        ids = [h.id for h in search.backend().search(query).hits if h.id != achievement.pk]
    public = _public(ids)
    return [public[pk] for pk in ids if pk in public][:limit]
