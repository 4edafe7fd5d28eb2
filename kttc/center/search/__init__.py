"""Search of the public catalog (M8.2, M8.3): Chinese and English, ranked, highlighted, faceted.

``kttc.center.search.base`` defines the seam (``SearchBackend`` with ``SearchDoc``,
``SearchQuery``, ``SearchResult``); ``kttc.center.search.backend()`` returns the engine in use.
The embedded engine keeps a tantivy index under ``settings.KTTC_SEARCH_DIR`` in step with the
database; an OpenSearch backend with a Chinese analyzer can take its place behind the same seam
when one machine is outgrown (``settings.KTTC_SEARCH_BACKEND``: the dotted path of a class taking
the search directory).

Keeping in step: each change to achievements writes outbox rows in its own transaction
(``kttc.registry.outbox``) and, after the commit, the registry sends ``achievements_changed`` to
the process that made it; :func:`sync` reads those ids again through ``public_achievements()``
(rule 8) and indexes the public ones and deletes every other, so a withdrawn or restricted result
leaves the index. Every other node (each web machine has its own index) reads the outbox rows
after its cursor and syncs their ids (:mod:`kttc.center.search.follow`). Ids that could not be
written (the index was locked for too long by a rebuild in another process) are kept in
``pending.ids`` beside the index and written by the next sync.

Nothing here imports Django models at import time: the benchmarks use the engine without Django.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from kttc.center.search.base import SearchBackend, SearchDoc, SearchQuery, SearchResult

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from kttc.registry.models import Achievement

logger = logging.getLogger(__name__)

PENDING = "pending.ids"

_lock = threading.Lock()
_current: tuple[tuple[int, Path], SearchBackend] | None = None


def search_dir() -> Path:
    """Where the index lives: ``settings.KTTC_SEARCH_DIR``, else ``VAR_DIR / "search"``."""
    configured = getattr(settings, "KTTC_SEARCH_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "search"


def backend() -> SearchBackend:
    """The engine in use, one per process and search directory (an index opened before a fork
    is not used after it)."""
    global _current
    base = search_dir()
    key = (os.getpid(), base)
    with _lock:
        if _current is None or _current[0] != key:
            _current = (key, _make(base))
        return _current[1]


def _make(base: Path) -> SearchBackend:
    dotted = getattr(settings, "KTTC_SEARCH_BACKEND", None)
    if dotted:
        from django.utils.module_loading import import_string

        return import_string(dotted)(base)
    from kttc.center.search.tantivy_backend import SCHEMA_VERSION, TantivyBackend

    return TantivyBackend(base / f"tantivy-v{SCHEMA_VERSION}")


def reset() -> None:
    """Forget the engine (tests that point ``KTTC_SEARCH_DIR`` somewhere else)."""
    global _current
    from kttc.center.search import semantic

    with _lock:
        _current = None
    semantic.reset()


#: A Chinese query with every one of its words in at least this many results (a page) is
#: answered by the lexical index alone: its words are the records' own words, and encoding it
#: would cost more than it adds (Chinese demands over 10,850 records: R@1 1.000 either way, by
#: ``bench/crosslingual_bench.py``).
LEXICAL_ENOUGH = 20


def search(query: SearchQuery) -> SearchResult:
    """Search the catalog: the lexical index, and (for a query with text) the results closest in
    meaning in any language, fused into one ranking (``semantic``); a Chinese query with a page
    of results that have all its words, by the lexical index alone (``LEXICAL_ENOUGH``)."""
    from kttc.center.search import semantic

    return hybrid_search(backend(), query, semantic.candidates)


def hybrid_search(
    engine: SearchBackend,
    query: SearchQuery,
    candidates: Callable[[str], tuple[tuple[int, float], ...]],
) -> SearchResult:
    """``search`` over ``engine``, with ``candidates`` for the results close in meaning to a
    text (``bench/search_bench.py`` times the catalog's search through it)."""
    from dataclasses import replace

    from kttc.center.search import languages

    if query.text.strip() and not query.semantic:
        if languages.script(query.text) == "han":
            lexical = engine.search(query)
            if lexical.total >= LEXICAL_ENOUGH and not lexical.relaxed:
                return lexical
        try:
            found = candidates(query.text)
        except Exception:  # the lexical search still answers
            logger.exception("Semantic candidates failed for a query")
            found = ()
        if found:
            query = replace(query, semantic=found)
    return engine.search(query)


def indexable(rows: QuerySet[Achievement] | None = None) -> QuerySet[Achievement]:
    """Public achievements (of ``rows``, when given) with what a search document needs, in one
    query per batch.

    Written as ``rows`` filtered by an EXISTS on ``public_achievements()`` rather than
    ``public_achievements().filter(pk__in=…)``: without table statistics SQLite would walk the
    index of every public result instead of looking up the rows by key (about 150 ms a call
    at a million results)."""
    from django.db.models import Exists, OuterRef

    from kttc.center.catalog.models import MajorRelease, PromotionEntry
    from kttc.reform.licensing.selectors import offers_open
    from kttc.registry.models import Achievement
    from kttc.registry.selectors import public_achievements

    public = public_achievements().filter(pk=OuterRef("pk"))
    offers = offers_open().filter(achievement=OuterRef("pk")).order_by()
    base = Achievement.objects.all() if rows is None else rows
    releases = MajorRelease.achievements.through.objects.filter(achievement=OuterRef("pk"))
    return (
        base.filter(Exists(public))
        .select_related("unit")
        .prefetch_related("ip_rights", "translations")
        .annotate(
            is_promoted=Exists(PromotionEntry.objects.filter(achievement=OuterRef("pk"))),
            is_major=Exists(releases),
            has_open_offer=Exists(offers),
        )
    )


def doc_for(achievement: Achievement) -> SearchDoc:
    """The search document of a public achievement (best read through :func:`indexable`)."""
    from kttc.center.catalog.models import PromotionEntry

    licensing = list(achievement.transformation_modes or [])
    if achievement.use_first_pay_later:
        licensing.append("use_first_pay_later")
    promoted = getattr(achievement, "is_promoted", None)
    if promoted is None:
        promoted = PromotionEntry.objects.filter(achievement=achievement).exists()
    major = getattr(achievement, "is_major", None)
    if major is None:
        major = achievement.major_releases.exists()
    open_offer = getattr(achievement, "has_open_offer", None)
    if open_offer is None:
        from kttc.reform.licensing.selectors import offers_open

        open_offer = offers_open().filter(achievement=achievement).exists()
    published = achievement.published_at or achievement.updated_at
    return SearchDoc(
        id=achievement.pk,
        name=achievement.name,
        abstract=achievement.abstract,
        keywords=[str(k) for k in achievement.keywords or []],
        translations={
            t.language: (t.name, t.abstract, [str(k) for k in t.keywords or []])
            for t in achievement.translations.all()
        },
        unit_id=achievement.unit_id,
        unit_name=achievement.unit.name,
        unit_name_en=achievement.unit.name_en,
        discipline=achievement.discipline_code[:3],
        industry=achievement.industry_code[:1],
        trl=achievement.trl,
        ip_kinds=sorted({r.kind for r in achievement.ip_rights.all()}),
        licensing=licensing,
        year=achievement.formation_date.year,
        published_at=published,
        promoted=bool(promoted),
        major=bool(major),
        open_offer=bool(open_offer),
    )


def sync(achievement_ids: Iterable[int], *, ask: bool = False) -> tuple[int, int]:
    """Bring these achievements (and any pending ones) in step with the database: index the
    public ones, delete the rest. Returns (indexed, deleted). Raises when the index cannot be
    written; the ids are then kept as pending. ``ask``: this process changed them, and asks for
    their embeddings (``semantic.keep_in_step``; a node following the outbox does not)."""
    ids = {int(pk) for pk in achievement_ids} | _take_pending()
    if not ids:
        return 0, 0

    def load() -> tuple[list[SearchDoc], set[int]]:
        from kttc.registry.models import Achievement

        docs = [doc_for(a) for a in indexable(Achievement.objects.filter(pk__in=ids))]
        return docs, ids - {d.id for d in docs}

    try:
        engine: Any = backend()
        if hasattr(engine, "apply"):
            # Read the database while holding the index's writer lock, so that two processes
            # syncing the same achievement write in the order they read: never a stale one last.
            docs, gone = engine.apply(load)
        else:
            docs, gone = load()
            engine.delete(gone)
            engine.index(docs)
    except BaseException:
        _keep_pending(ids)
        raise
    from kttc.center.search import semantic

    semantic.keep_in_step(docs, gone, ask=ask)
    return len(docs), len(gone)


def on_achievements_changed(sender: Any, achievement_ids: Iterable[int], **kwargs: Any) -> None:
    """Receiver of ``registry.signals.achievements_changed`` (after commit). The change is
    committed already, so a failing index must not fail the request: it is logged, the ids stay
    pending, and the next sync or ``kttc search rebuild`` catches up."""
    try:
        sync(achievement_ids, ask=True)
    except Exception:
        logger.exception("Search index not updated for achievements %s", list(achievement_ids))


def on_offer_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Receiver of ``post_save`` of a licence offer (M3.1): made, closed or reopened, its
    result's "has an open offer" is indexed again once the change has committed (an outbox row
    in the offer's transaction, for every node)."""
    from kttc.registry import outbox

    outbox.record([instance.achievement_id])


def batches(size: int = 1000) -> Iterator[list[SearchDoc]]:
    """Every public achievement's document, in batches by primary key."""
    from kttc.registry.models import Achievement

    last = 0
    while True:
        chunk = list(indexable(Achievement.objects.filter(pk__gt=last)).order_by("pk")[:size])
        if not chunk:
            return
        last = chunk[-1].pk
        yield [doc_for(a) for a in chunk]


# --- ids waiting to be written -------------------------------------------------------------


def _pending_path(name: str = PENDING) -> Path:
    return search_dir() / name


def _keep_pending(ids: Iterable[int], name: str = PENDING) -> None:
    """Append ids to a queue file beside the index (``pending.ids``, ``embed.pending``)."""
    path = _pending_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    # One short write in append mode: concurrent writers do not interleave.
    with path.open("a", encoding="ascii") as handle:
        handle.write("".join(f"{pk}\n" for pk in sorted(ids)))


def _take_pending(name: str = PENDING) -> set[int]:
    """Take every id of a queue file, leaving it empty for the next writers."""
    path = _pending_path(name)
    if not path.exists():
        return set()
    taken = path.with_name(f"{name}.{os.getpid()}.{uuid.uuid4().hex}")
    try:
        path.rename(taken)  # atomic: a writer appending now appends to a new file
    except FileNotFoundError:
        return set()
    try:
        return {int(line) for line in taken.read_text(encoding="ascii").split() if line.isdigit()}
    finally:
        taken.unlink(missing_ok=True)
