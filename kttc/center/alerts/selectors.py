"""Reads of saved searches and followed fields, and what is new for them."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs

from django.db.models import QuerySet
from django.utils import timezone

from kttc.center.alerts.models import FollowedField, SavedSearch
from kttc.center.catalog.selectors import catalog_query, catalog_search
from kttc.core.models import User
from kttc.registry.achievements.models import Achievement
from kttc.registry.achievements.selectors import public_achievements

#: At most this many new results are looked at per search and day (the newest).
NEW_AT_MOST = 50

#: A removed one is offered for restoring this long.
RESTORABLE = timedelta(days=7)


def searches_of(user: User) -> QuerySet[SavedSearch]:
    """The person's own saved searches; nobody reads another's."""
    return SavedSearch.objects.filter(user=user, deleted_at__isnull=True)


def follows_of(user: User) -> QuerySet[FollowedField]:
    return FollowedField.objects.filter(user=user, deleted_at__isnull=True)


def removed_of(user: User) -> tuple[QuerySet[SavedSearch], QuerySet[FollowedField]]:
    """What the person removed lately, which they may restore."""
    since = timezone.now() - RESTORABLE
    return (
        SavedSearch.objects.filter(user=user, deleted_at__gte=since),
        FollowedField.objects.filter(user=user, deleted_at__gte=since),
    )


def new_for_search(saved: SavedSearch, since: datetime, language: str) -> list[Achievement]:
    """The results the saved search finds (the catalog's own search) published after
    ``since``, newest first."""
    query = catalog_query(
        {**parse_qs(saved.query), "sort": ["newest"]},
        language=language,
        limit=NEW_AT_MOST,
        with_facets=False,
    )
    ids = [hit.id for hit in catalog_search(query).result.hits]
    return list(
        public_achievements()
        .filter(pk__in=ids, published_at__gt=since)
        .order_by("-published_at", "-id")
    )


def new_in_field(followed: FollowedField, since: datetime) -> list[Achievement]:
    """The public results of the followed field published after ``since``, newest first."""
    column = f"{followed.scheme}_code__startswith"
    return list(
        public_achievements()
        .filter(**{column: followed.code}, published_at__gt=since)
        .order_by("-published_at", "-id")[:NEW_AT_MOST]
    )


def new_demands_in_field(
    followed: FollowedField, since: datetime, language: str | None = None
) -> list[tuple[int, str]]:
    """(id, title) of the demands published in the followed field after ``since``: the
    demand hall's, when the center has one (imported here, so that alerts work without it);
    each title in ``language`` where its author translated it (M8.4), the original otherwise."""
    try:
        from kttc.center.demands.selectors import demands_open, title_in, with_reading
    except ImportError:
        return []
    rows = demands_open().filter(
        **{f"{followed.scheme}__startswith": followed.code}, published_at__gt=since
    )
    rows = with_reading(rows.order_by("-published_at", "-id"), language)
    return [(d.pk, title_in(d, language)) for d in rows[:NEW_AT_MOST]]
