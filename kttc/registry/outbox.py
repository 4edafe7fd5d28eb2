"""The search index's outbox: each change to achievements leaves a row here in the same
transaction, so that every web node, each with its own index, learns of it (README "Search on
every node").

Every writer calls :func:`record` inside the transaction that changed the achievements: it inserts
one row per achievement (in batches, for a bulk import) and, once the transaction has committed,
sends ``achievements_changed`` so that the node that made the change updates its own index at once
(read-your-writes). The other nodes read the rows after their cursor
(``kttc.center.search.follow``). The sweep removes rows older than the retention
(:func:`prune`), always keeping the newest one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import models, transaction
from django.utils import timezone

from kttc.registry import signals

#: Rows written by one INSERT.
BATCH = 1000
#: Days a row is kept (``settings.KTTC_INDEX_OUTBOX_DAYS``): a node down for longer rebuilds its
#: index when it comes back.
RETENTION_DAYS = 7


class IndexOutbox(models.Model):
    """An achievement changed (created, edited, published, withdrawn, curated, its offers): its
    search document is to be read again. The id orders the rows for the nodes that follow."""

    id = models.BigAutoField(primary_key=True)
    # No foreign key: a row outlives nothing it names and costs its writer no lock.
    achievement_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "search index outbox row"

    def __str__(self) -> str:
        return f"{self.pk}: achievement {self.achievement_id}"


def record(achievement_ids: Iterable[int]) -> list[int]:
    """Write the outbox rows of these achievements in the caller's transaction, and tell this
    process's followers after the commit. Returns the ids, sorted and once each."""
    ids = sorted({int(pk) for pk in achievement_ids})
    if not ids:
        return ids
    now = timezone.now()
    for start in range(0, len(ids), BATCH):
        IndexOutbox.objects.bulk_create(
            [IndexOutbox(achievement_id=pk, created_at=now) for pk in ids[start : start + BATCH]]
        )

    def tell() -> None:
        from kttc.registry.achievements.models import Achievement

        signals.achievements_changed.send(sender=Achievement, achievement_ids=ids)

    transaction.on_commit(tell)
    return ids


def retention() -> timedelta:
    from django.conf import settings

    return timedelta(days=getattr(settings, "KTTC_INDEX_OUTBOX_DAYS", RETENTION_DAYS))


def prune(now: datetime | None = None) -> int:
    """Remove the rows older than the retention, but the newest row (a node tells from it that
    nothing after its cursor was removed). Returns how many were removed."""
    cutoff = (now or timezone.now()) - retention()
    rows = IndexOutbox.objects.order_by("pk").values_list("pk", flat=True)
    newest = rows.last()
    if newest is None:
        return 0
    first_kept = rows.filter(created_at__gte=cutoff).first() or newest
    removed, _ = IndexOutbox.objects.filter(pk__lt=first_kept).delete()
    return removed
