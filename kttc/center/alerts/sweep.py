"""The daily alerts of saved searches and followed fields, for ``kttc sweep`` (through
``kttc.center.sweep``): for each person, what their saved searches find (the catalog's own
search) and what was published in their followed fields (results, and demands of the demand
hall) since the last look, in one notice (``search.new_results``) a day.

Once: the notice's dedupe key is the person and the day, and ``checked_at`` moves on only with
a notice written, in the same transaction, so running it twice (or two at once) notifies once
and loses nothing: what a second run of the day finds waits for the next day's notice.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation

from kttc.center.alerts import selectors
from kttc.center.alerts.choices import FieldScheme
from kttc.center.alerts.models import FollowedField, SavedSearch
from kttc.center.alerts.notices import NEW_RESULTS
from kttc.core import dates
from kttc.core.models import User
from kttc.core.notifications.services import notification_send_to

#: Titles named per line of the notice (the rest are counted).
TITLES = 3


def _line(label: str, titles: list[str]) -> str:
    shown = "; ".join(titles[:TITLES]) + ("…" if len(titles) > TITLES else "")
    return f"- {label} ({len(titles)}): {shown}"


def _lines(user: User, now: datetime) -> tuple[list[str], int, datetime | None]:
    """The notice's lines, how many things are new, and the earliest last look."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    lines, count, since = [], 0, None
    for saved in selectors.searches_of(user):
        since = min(since or saved.checked_at, saved.checked_at)
        found = [a.name for a in selectors.new_for_search(saved, saved.checked_at, language)]
        if found:
            lines.append(_line(saved.name, found))
            count += len(found)
    for followed in selectors.follows_of(user):
        since = min(since or followed.checked_at, followed.checked_at)
        found = [a.name for a in selectors.new_in_field(followed, followed.checked_at)]
        found += [
            t for _pk, t in selectors.new_demands_in_field(followed, followed.checked_at, language)
        ]
        if found:
            label = f"{FieldScheme(followed.scheme).label} {followed.code}"
            lines.append(_line(label, found))
            count += len(found)
    return lines, count, since


def alert(user: User, today: date, now: datetime | None = None) -> int:
    """Tell ``user`` of what is new for their searches and fields; returns 1 when told."""
    now = now or timezone.now()
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        lines, count, since = _lines(user, now)
        if not count or since is None:
            return 0
        when = dates.moment(since)
    notice = NEW_RESULTS.__class__(
        NEW_RESULTS.kind, NEW_RESULTS.subject, NEW_RESULTS.body, NEW_RESULTS.clauses,
        {"count": count, "since": when, "lines": "\n".join(lines)},
    )  # fmt: skip
    with transaction.atomic():
        written = notification_send_to(
            user=user,
            notice=notice,
            dedupe_key=f"{NEW_RESULTS.kind}:{today.isoformat()}",
            link=reverse("alerts:list"),
        )
        if written:
            selectors.searches_of(user).update(checked_at=now)
            selectors.follows_of(user).update(checked_at=now)
    return written


def run(today: date) -> dict[str, int]:
    """Each person with a saved search or a followed field: one notice when something is new."""
    searching = Exists(SavedSearch.objects.filter(user=OuterRef("pk"), deleted_at=None))
    following = Exists(FollowedField.objects.filter(user=OuterRef("pk"), deleted_at=None))
    people = User.objects.filter(Q(searching) | Q(following), is_active=True).order_by("pk")
    now = timezone.now()
    told = sum(alert(user, today, now) for user in people.iterator())
    return {"people told of new results for their searches and fields": told}
