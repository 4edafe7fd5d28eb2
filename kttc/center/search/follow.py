"""Each node's index follows the outbox (README "Search on every node").

Every change to achievements leaves rows in ``kttc.registry.outbox.IndexOutbox`` in its own
transaction. A node keeps, beside its index, the id of the last row it applied (``outbox.cursor``,
written after the index has committed): :func:`catch_up` reads the rows after it in bounded
batches and syncs their achievements (``search.sync`` reads them again from the database, so
applying a row twice changes nothing).

Ids may commit out of order on PostgreSQL: a transaction holding id 100 can commit after one
holding 101. The ids below the highest seen that were not seen are kept as gaps (ranges, in the
cursor file) and looked for again at each catch-up for ``KTTC_SEARCH_GAP_SECONDS`` (5 minutes by
default), then given up: a rolled-back transaction leaves a gap for good.

A node without a cursor builds its index (or, when it has one already, adopts it); a node whose
cursor is older than the oldest row kept (the sweep removes rows after
``KTTC_INDEX_OUTBOX_DAYS``), or newer than the newest (the database was restored from a backup),
rebuilds it, as ``kttc search rebuild`` does.

Who follows: one process per node. Each web process starts :func:`start` at its first request (a
daemon thread; never under ``KTTC_ENV=test`` nor in a management command other than ``serve``),
and the thread that takes the non-blocking lock on ``follow.lock`` in the search directory polls
every ``KTTC_SEARCH_FOLLOW_SECONDS``; the others try the lock again now and then, so that another
worker takes over when the follower's process ends. ``kttc search follow`` runs it as a process of
its own. The other processes of the node see its commits at their next search (the engine reloads
when ``meta.json`` changed).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings

from kttc.center import search

logger = logging.getLogger(__name__)

CURSOR = "outbox.cursor"
LOCK = "follow.lock"
#: Rows read at once.
BATCH = 500
#: Gap ranges looked for in one query.
GAP_QUERY = 50
#: At most this many gap ranges are kept (the oldest go first).
MAX_GAPS = 10_000
#: Seconds a gap is looked for again before it is given up.
GAP_SECONDS = 300.0
#: After a rebuild, the rows of the last ids before it are applied again: a transaction that
#: held one of them and committed after the rebuild read the database is not missed.
REPLAY = 1000
#: Seconds between tries of the lock by a process that did not get it.
LOCK_RETRY_SECONDS = 5.0
#: Rows behind past which ``/health/ready`` fails (``settings.KTTC_SEARCH_LAG_LIMIT``).
LAG_LIMIT = 1000


@dataclass
class Cursor:
    """Where a node's index stands: the last row applied, the ranges of ids below it not seen
    yet ([first, last, since] with since in seconds of the epoch), and when it last caught up."""

    position: int
    gaps: list[list[float]] = field(default_factory=list)
    at: float = 0.0


def _path(name: str) -> Any:
    return search.search_dir() / name


def read_cursor() -> Cursor | None:
    try:
        raw = json.loads(_path(CURSOR).read_text(encoding="ascii"))
        return Cursor(int(raw["position"]), [list(g) for g in raw["gaps"]], float(raw["at"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        logger.warning("The search index's cursor is unreadable; the index is rebuilt")
        return None


def write_cursor(cursor: Cursor) -> None:
    """Replace the cursor file at once (a crash leaves the old one or the new one)."""
    path = _path(CURSOR)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{CURSOR}.{os.getpid()}.{threading.get_ident()}")
    temporary.write_text(
        json.dumps({"position": cursor.position, "gaps": cursor.gaps, "at": cursor.at}),
        encoding="ascii",
    )
    os.replace(temporary, path)


def _rows() -> Any:
    from kttc.registry.outbox import IndexOutbox

    return IndexOutbox.objects.order_by("pk")


def replay_from() -> int:
    """The cursor of an index built from the database as it is now: the newest row but
    ``REPLAY``, never before the oldest row kept (read this before reading the achievements)."""
    ids = _rows().values_list("pk", flat=True)
    newest = ids.last()
    if newest is None:
        return 0
    oldest = ids.first() or newest
    return max(newest - REPLAY, oldest - 1, 0)


def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """The node's index again from every public achievement, then its cursor (as ``kttc search
    rebuild``). Returns how many achievements were indexed."""
    start = replay_from()
    engine: Any = search.backend()

    def docs() -> Any:
        counted = 0
        for batch in search.batches():
            yield from batch
            counted += len(batch)
            if progress is not None:
                progress(counted)

    if hasattr(engine, "rebuild"):
        total = engine.rebuild(docs())
    else:
        engine.clear()
        total = 0
        for batch in search.batches():
            engine.index(batch)
            total += len(batch)
    search.sync(())  # changes made while the index was locked by the rebuild
    write_cursor(Cursor(start, [], time.time()))
    return int(total)


def _lost(cursor: Cursor, first: int, now: float) -> bool:
    """Whether rows after the cursor were removed by the sweep: the first row after it is not
    the next id, no row at or before it is left (the sweep removes the oldest rows first), and the
    node has not caught up within the retention."""
    from kttc.registry.outbox import retention

    if first <= cursor.position + 1:
        return False
    if _rows().filter(pk__lte=cursor.position).exists():
        return False
    return now - cursor.at > retention().total_seconds() - 3600


def _behind(cursor: Cursor) -> bool:
    """Whether the database is behind the cursor: its newest row (the sweep always keeps it) is
    older than the last one applied, as after a restore of a backup."""
    newest = _rows().values_list("pk", flat=True).last()
    return (newest or 0) < cursor.position


def _take(ranges: list[list[float]], pk: int) -> list[list[float]]:
    """The gap ranges without ``pk``."""
    out = []
    for first, last, since in ranges:
        if first <= pk <= last:
            if first < pk:
                out.append([first, pk - 1, since])
            if pk < last:
                out.append([pk + 1, last, since])
        else:
            out.append([first, last, since])
    return out


def _found_in_gaps(gaps: list[list[float]]) -> list[tuple[int, int]]:
    from django.db.models import Q

    found: list[tuple[int, int]] = []
    for start in range(0, len(gaps), GAP_QUERY):
        where = Q()
        for first, last, _since in gaps[start : start + GAP_QUERY]:
            where |= Q(pk__gte=int(first), pk__lte=int(last))
        found.extend(_rows().filter(where).values_list("pk", "achievement_id"))
    return found


def catch_up(*, batch: int = BATCH, now: Callable[[], float] = time.time) -> int:
    """Apply the rows this node has not applied yet: those found in its gaps, then those after its
    cursor, a batch at a time (the cursor written after each). Returns the rows applied; builds
    the index instead when the node has no cursor or lost rows (then returns 0)."""
    cursor = read_cursor()
    if cursor is None:
        if search.backend().count() == 0:
            rebuild()
        else:  # an index kept in step before the outbox: adopted as it is
            write_cursor(Cursor(replay_from(), [], now()))
        return 0
    gap_seconds = float(getattr(settings, "KTTC_SEARCH_GAP_SECONDS", GAP_SECONDS))
    moment = now()
    gaps = [g for g in cursor.gaps if moment - g[2] < gap_seconds]
    applied = 0
    if gaps:
        found = _found_in_gaps(gaps)
        if found:
            search.sync({achievement for _pk, achievement in found})
            for pk, _achievement in found:
                gaps = _take(gaps, pk)
            applied += len(found)
    changed = gaps != cursor.gaps
    cursor.gaps = gaps
    first_batch = True
    while True:
        rows = list(
            _rows().filter(pk__gt=cursor.position).values_list("pk", "achievement_id")[:batch]
        )
        if not rows:
            if first_batch and _behind(cursor):
                logger.warning("The outbox is behind this node's cursor (a restore?); rebuilding")
                rebuild()
                return 0
            break
        if first_batch and _lost(cursor, rows[0][0], moment):
            logger.warning("Outbox rows after this node's cursor were removed; rebuilding")
            rebuild()
            return 0
        search.sync({achievement for _pk, achievement in rows})
        expected = cursor.position + 1
        for pk, _achievement in rows:
            if pk > expected:
                cursor.gaps.append([expected, pk - 1, moment])
            expected = pk + 1
        del cursor.gaps[:-MAX_GAPS]
        cursor.position = rows[-1][0]
        cursor.at = moment
        write_cursor(cursor)
        changed = first_batch = False
        applied += len(rows)
        if len(rows) < batch:
            break
    if changed:
        cursor.at = moment
        write_cursor(cursor)
    return applied


def lag() -> int:
    """Rows this node has not applied yet (counted up to the limit and one)."""
    cursor = read_cursor()
    position = cursor.position if cursor is not None else 0
    limit = lag_limit()
    return int(_rows().filter(pk__gt=position).values("pk")[: limit + 1].count())


def lag_limit() -> int:
    return int(getattr(settings, "KTTC_SEARCH_LAG_LIMIT", LAG_LIMIT))


# --- who follows -----------------------------------------------------------------------------


def try_lock() -> IO[str] | None:
    """The node's follower lock, when no other process holds it (kept while the file is open)."""
    path = _path(LOCK)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a", encoding="ascii")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def follow(seconds: float, *, stop: threading.Event | None = None, on_poll: Any = None) -> None:
    """Take the lock (trying again every ``LOCK_RETRY_SECONDS``), then catch up every
    ``seconds`` until ``stop`` is set. A failure is logged and tried again at the next poll."""
    from django.db import connection

    from kttc.core.observability import metrics

    stop = stop or threading.Event()
    lock: IO[str] | None = None
    while not stop.is_set():
        if lock is None:
            lock = try_lock()
            if lock is None:
                if on_poll is not None:
                    on_poll(None)
                stop.wait(LOCK_RETRY_SECONDS)
                continue
        try:
            applied = catch_up()
            metrics.observe_search_lag(applied)
            if on_poll is not None:
                on_poll(applied)
        except Exception:
            logger.exception("The search index could not follow the outbox")
            connection.close()  # a broken connection is opened again at the next poll
        stop.wait(seconds)
    if lock is not None:
        lock.close()


def follow_seconds() -> float:
    """How often a web process of this node polls the outbox (0: none does)."""
    return float(getattr(settings, "KTTC_SEARCH_FOLLOW_SECONDS", 0) or 0)


_started: set[int] = set()
_start_lock = threading.Lock()


def start() -> bool:
    """Start this process's follower thread once (``KTTC_SEARCH_FOLLOW_SECONDS``; 0: none).
    Returns whether a thread was started now."""
    seconds = follow_seconds()
    if seconds <= 0:
        return False
    with _start_lock:
        if os.getpid() in _started:
            return False
        _started.add(os.getpid())
    thread = threading.Thread(
        target=follow, args=(seconds,), name="kttc-search-follow", daemon=True
    )
    thread.start()
    return True


def on_request_started(sender: Any, **kwargs: Any) -> None:
    """Receiver of ``request_started``: web processes follow, management commands do not."""
    if os.getpid() not in _started:
        start()
