"""Writes of saved searches and followed fields: save, follow, remove (undoable), restore."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode

from django.db.models import Model
from django.utils import timezone

from kttc.center.alerts.choices import FieldScheme
from kttc.center.alerts.models import FollowedField, SavedSearch
from kttc.center.search.base import FACETS
from kttc.core.models import User
from kttc.core.services import audit_record, decision
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.text import check_text

#: A person keeps at most this many of each (a bound on the daily work).
MOST = 50

#: The catalog's query parameters a saved search keeps (not the page, nor the sort).
KEPT = ("q", *FACETS, "open_offer")

#: A discipline is digits (GB/T 13745: 3 to 7), an industry a section letter and digits.
CODES = {
    FieldScheme.DISCIPLINE: re.compile(r"^[0-9]{3,7}$"),
    FieldScheme.INDUSTRY: re.compile(r"^[A-T][0-9]{0,4}$"),
}


def normalized_query(query: str) -> str:
    """The catalog query string ``query`` keeps: its text and filters, in a stable order."""
    params = parse_qs(query.lstrip("?"), keep_blank_values=False)
    kept = [(key, value[:200]) for key in KEPT for value in params.get(key, [])[:20]]
    return urlencode(kept)


def _audit(user: User, action: str, obj: Model, after: dict[str, object]) -> None:
    audit_record(actor=user, organisation=None, action=action, obj=obj, after=after)


@decision
def search_save(*, user: User, query: str, name: str = "") -> SavedSearch:
    """Keep the catalog search ``query`` (a query string) for ``user``, named ``name`` (its
    text when empty). Refuses an empty search, a control character, or one too many."""
    check_text(name, field="name")
    check_text(query, field="query")
    kept = normalized_query(query)
    if not kept:
        raise refuse(gettext_noop("Search for something or choose a filter first."),
                     "alerts.empty", "query")  # fmt: skip
    if SavedSearch.objects.filter(user=user, deleted_at__isnull=True).count() >= MOST:
        raise refuse(gettext_noop("You keep %(most)s saved searches already; remove one first."),
                     "alerts.too_many", "query", most=MOST)  # fmt: skip
    text = (parse_qs(kept).get("q") or [""])[0]
    saved = SavedSearch.objects.create(
        user=user, query=kept, name=(name.strip() or text or kept)[:120]
    )
    _audit(user, "alerts.search_saved", saved, {"query": kept})
    return saved


@decision
def field_follow(*, user: User, scheme: str, code: str) -> FollowedField:
    """Follow a discipline or an industry code; following it again keeps the one there."""
    code = check_text(code.strip().upper(), field="code")
    if scheme not in FieldScheme.values:
        raise refuse(gettext_noop("Choose a discipline or an industry."), "alerts.scheme",
                     "scheme")  # fmt: skip
    if not CODES[FieldScheme(scheme)].match(code):
        raise refuse(gettext_noop("%(given)s is not a code of this classification."),
                     "alerts.code", "code", given=code[:20])  # fmt: skip
    kept = FollowedField.objects.filter(user=user, scheme=scheme, code=code, deleted_at=None)
    if kept.exists():
        return kept.get()
    if FollowedField.objects.filter(user=user, deleted_at__isnull=True).count() >= MOST:
        raise refuse(gettext_noop("You follow %(most)s fields already; remove one first."),
                     "alerts.too_many", "code", most=MOST)  # fmt: skip
    followed = FollowedField.objects.create(user=user, scheme=scheme, code=code)
    _audit(user, "alerts.field_followed", followed, {"scheme": scheme, "code": code})
    return followed


@decision
def alert_remove(*, user: User, alert: SavedSearch | FollowedField) -> None:
    """Remove one of ``user``'s own (the caller found it among theirs): it can be restored."""
    if alert.deleted_at is None:
        alert.deleted_at = timezone.now()
        alert.save(update_fields=["deleted_at"])
        _audit(user, "alerts.removed", alert, {"removed": True})


@decision
def alert_restore(*, user: User, alert: SavedSearch | FollowedField) -> None:
    """Undo a removal. A field followed again meanwhile stays followed once."""
    if alert.deleted_at is None:
        return
    if (
        isinstance(alert, FollowedField)
        and FollowedField.objects.filter(
            user=user, scheme=alert.scheme, code=alert.code, deleted_at=None
        ).exists()
    ):
        return
    alert.deleted_at = None
    alert.save(update_fields=["deleted_at"])
    _audit(user, "alerts.restored", alert, {"removed": False})
