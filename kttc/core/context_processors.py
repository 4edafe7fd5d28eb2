from __future__ import annotations

from django.http import HttpRequest

from kttc.core import selectors


def kttc(request: HttpRequest) -> dict[str, object]:
    """What every page's shell needs: the person's active memberships and how many of their
    notifications are unread (asked only when a page shows it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"memberships": []}
    return {
        "memberships": list(selectors.active_memberships(user)),
        "notifications_unread": lambda: selectors.notifications_unread_count(user),
    }
