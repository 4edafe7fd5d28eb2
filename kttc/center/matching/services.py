"""Matching demands and results (M8.1, M8.3): for a published demand, the results that may meet
it, ranked by the catalog's search (words and meaning, in any language), explained, and kept.

``refresh(demand)`` searches again and keeps the first ``MATCHES``; results that were not among
them before are new, and the enterprise hears of them at once (kind ``demand.new_match``), once
per result. When results change, the demands they may meet are found by meaning (the demands'
embeddings, ``DemandVectors``) and refreshed. Either runs in the background
(``settings.KTTC_EMBED_WORKER``, like the encoding of results) and the daily sweep refreshes
every open demand, so that a missed trigger is caught up the same day.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import replace

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.center import search
from kttc.center.demands.choices import DemandStatus
from kttc.center.demands.models import Demand
from kttc.center.matching.models import DemandMatch
from kttc.center.search import embedding, segment, semantic
from kttc.center.search.base import SearchQuery
from kttc.center.search.vectors import VectorStore
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can
from kttc.registry.models import Achievement

logger = logging.getLogger(__name__)

#: How many results a demand keeps, and how many demands a changed result is tried against.
MATCHES = 10
DEMANDS_PER_RESULT = 20
#: A result this far (cosine) from a demand is not tried against it.
DEMAND_FLOOR = 0.80
QUERY_CHARS = 300

NEW_MATCH = Notice(
    kind="demand.new_match",
    subject=gettext_noop("New results may meet your demand: %(title)s"),
    body=gettext_noop(
        "%(count)s results of the catalog may meet your technology demand “%(title)s”, the "
        "first: %(first)s (M8.1, M8.3). They are listed on the demand's page with why."
    ),
    clauses=("M8.1", "M8.3"),
)
register_kind(NEW_MATCH.kind, _("New results may meet your demand"))


#: The languages the catalog's search reads best, first: results are written in Chinese and
#: its dictionary turns English into Chinese terms (``kttc.center.search.translation``).
SEARCH_LANGUAGES = ("zh-hans", "en")


def demand_text(demand: Demand) -> str:
    """What the catalog is searched with for ``demand`` (M8.4: a demand in any language): its
    Chinese text (original or translation) first, then its English, then its original, as far
    as ``QUERY_CHARS`` goes. A demand in Lao with a Chinese translation is matched by the
    Chinese."""
    texts = {demand.language: (demand.title, demand.description)}
    for t in demand.translations.filter(language__in=SEARCH_LANGUAGES):
        texts[t.language] = (t.title, t.description)
    order = [*(lang for lang in SEARCH_LANGUAGES if lang in texts), demand.language]
    parts = [f"{texts[lang][0]}\n{texts[lang][1]}" for lang in dict.fromkeys(order)]
    return "\n".join(parts)[:QUERY_CHARS]


# --- the demands' embeddings -------------------------------------------------------------------


def demand_vectors() -> VectorStore | None:
    model = embedding.encoder()
    if model is None:
        return None
    from kttc.center.search import search_dir

    return _store(search_dir() / f"demands-{model.name}.bin", model.dim)


_stores: dict[object, VectorStore] = {}
_lock = threading.Lock()


def _store(path: object, dim: int) -> VectorStore:
    with _lock:
        found = _stores.get(path)
        if found is None:
            _stores.clear()
            found = _stores[path] = VectorStore(str(path), dim)
        return found


# --- refreshing ----------------------------------------------------------------------------------


def refresh(demand: Demand) -> list[int]:
    """Search again for the results that may meet ``demand``; keep them with why; tell the
    enterprise of the new ones. Returns the ids of the new results."""
    if demand.status != DemandStatus.PUBLISHED:
        DemandMatch.objects.filter(demand=demand).delete()
        forget_demand(demand.pk)
        return []
    model, vectors = embedding.encoder(), demand_vectors()
    text = demand_text(demand)
    near: tuple[tuple[int, float], ...] = ()
    if model is not None and vectors is not None:
        query_vector = model.query(semantic.query_text(text))
        vectors.put([demand.pk], query_vector.reshape(1, -1))
        store = semantic.store()
        if store is not None:
            near = _within(
                store.nearest(query_vector, semantic.CANDIDATES, above_median=semantic.STANDOUT)
            )
    query = SearchQuery(text=text, limit=MATCHES, with_facets=False, semantic=near)
    hits = search.backend().search(query).hits
    achievements = Achievement.objects.in_bulk([h.id for h in hits])
    closeness = dict(near)
    words = [w.word for w in segment.query_words(text)]
    with transaction.atomic():
        # One refresh of a demand at a time (the thread after a change, the sweep, a command):
        # the second waits, then replaces the first's rows instead of colliding with them. No
        # audit entry is written here, so no chain lock comes before this one (DESIGN rule 9).
        Demand.objects.select_for_update().filter(pk=demand.pk).first()
        before = set(
            DemandMatch.objects.filter(demand=demand).values_list("achievement_id", flat=True)
        )
        DemandMatch.objects.filter(demand=demand).delete()
        rows = [
            DemandMatch(
                demand=demand,
                achievement=achievements[h.id],
                rank=n,
                closeness=closeness.get(h.id),
                terms=shared_words(words, achievements[h.id]),
                same_fields=shared_fields(demand, achievements[h.id]),
            )
            for n, h in enumerate(hits, start=1)
            if h.id in achievements
        ]
        DemandMatch.objects.bulk_create(rows)
        new = [r.achievement_id for r in rows if r.achievement_id not in before]
        if new:
            _tell(demand, new, rows)
    return new


def _within(found: list[tuple[int, float]]) -> tuple[tuple[int, float], ...]:
    if not found:
        return ()
    best = found[0][1]
    return tuple((pk, s) for pk, s in found if s >= best - semantic.FLOOR)


def shared_words(words: list[str], achievement: Achievement) -> list[str]:
    """The demand's words the result has (its name, keywords, abstract): the explanation."""
    text = " ".join(
        [achievement.name, " ".join(map(str, achievement.keywords or [])), achievement.abstract]
    )
    have = set(segment.tokens(text))
    return [w for w in words if w in have][:8]


def shared_fields(demand: Demand, achievement: Achievement) -> list[str]:
    shared = []
    if demand.industry and demand.industry[:1] == (achievement.industry_code or "")[:1]:
        shared.append("industry")
    if demand.discipline and demand.discipline[:3] == (achievement.discipline_code or "")[:3]:
        shared.append("discipline")
    return shared


def _tell(demand: Demand, new: list[int], rows: list[DemandMatch]) -> None:
    first = next(r for r in rows if r.achievement_id in new)
    notification_send_now(
        roles=tuple(r.value for r in Role if role_can(r, Capability.POST_DEMANDS)),
        organisation=demand.organisation,
        notice=replace(
            NEW_MATCH,
            params={"title": demand.title, "count": len(new), "first": first.achievement.name},
        ),
        dedupe_key=f"{NEW_MATCH.kind}:{demand.pk}:{min(new)}:{len(new)}:{sorted(new)[-1]}",
        about=demand,
        link=reverse("demands:detail", args=[demand.pk]),
    )


def forget_demand(pk: int) -> None:
    vectors = demand_vectors()
    if vectors is not None:
        vectors.delete([pk])


def demands_for_results(ids: Iterable[int]) -> set[int]:
    """The open demands that changed results may meet, by meaning (their embeddings)."""
    vectors, results = demand_vectors(), semantic.store()
    if vectors is None or results is None:
        return set()
    wanted = set(ids)
    found: set[int] = set()
    for _pk, vector in results.vectors_of(wanted):
        found.update(
            d for d, score in vectors.nearest(vector, DEMANDS_PER_RESULT) if score >= DEMAND_FLOOR
        )
    return found


def results_changed(ids: Iterable[int]) -> int:
    """Refresh the open demands that these (newly encoded) results may meet."""
    demands = Demand.objects.filter(pk__in=demands_for_results(ids), status=DemandStatus.PUBLISHED)
    count = 0
    for demand in demands.select_related("organisation"):
        refresh(demand)
        count += 1
    return count


def refresh_open() -> int:
    """The daily catch-up: every published demand searched again."""
    count = 0
    for demand in Demand.objects.filter(status=DemandStatus.PUBLISHED).select_related(
        "organisation"
    ):
        refresh(demand)
        count += 1
    return count


def demand_changed(demand_id: int) -> None:
    """After a demand is published, changed or closed (on commit): refresh it, in the
    background unless ``KTTC_EMBED_WORKER`` says inline."""
    if getattr(settings, "KTTC_EMBED_WORKER", "thread") == "inline":
        _refresh_id(demand_id)
        return

    def run() -> None:
        from django.db import connection

        try:
            _refresh_id(demand_id)
        finally:
            connection.close()

    threading.Thread(target=run, name="kttc-match", daemon=True).start()


def _refresh_id(demand_id: int) -> None:
    try:
        demand = Demand.objects.select_related("organisation").filter(pk=demand_id).first()
        if demand is not None:
            refresh(demand)
    except Exception:
        logger.exception("Matching of demand %s failed; the sweep catches up.", demand_id)


def on_demand_saved(sender: object, instance: Demand, **kwargs: object) -> None:
    """Receiver of ``post_save`` of a demand: its matches follow once the change commits."""
    pk = instance.pk
    transaction.on_commit(lambda: demand_changed(pk))
