"""The person's notification preferences: per kind, at once, in the daily digest or off."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from kttc.core.api import AUTH
from kttc.core.notifications import kinds as notice_kinds
from kttc.core.notifications import preferences as notification_preferences
from kttc.core.text import Text
from kttc.core.web import acting_user

router = Router(tags=["notifications"])


class PreferenceOut(Schema):
    kind: str
    label: str
    group: str
    delivery: str
    default: str
    mandatory: bool
    choices: list[str]


class PreferencesIn(Schema):
    """Kind → ``immediate``, ``digest`` or ``off`` (never ``off`` for a mandatory kind); the
    kinds left out keep their delivery."""

    preferences: dict[Text, Text]


def _out(deliveries: dict[str, str]) -> list[PreferenceOut]:
    return [
        PreferenceOut(
            kind=k.kind,
            label=str(k.label),
            group=str(k.group),
            delivery=deliveries.get(k.kind, k.default),
            default=k.default,
            mandatory=k.mandatory,
            choices=list(k.choices),
        )
        for k in notice_kinds.kinds()
    ]


@router.get("/preferences", response=list[PreferenceOut], auth=AUTH)
def preferences_get(request: HttpRequest) -> list[PreferenceOut]:
    """Every kind of notice with the delivery in force for the person."""
    return _out(notification_preferences.deliveries_of(acting_user(request)))


@router.put("/preferences", response=list[PreferenceOut], auth=AUTH)
def preferences_put(request: HttpRequest, payload: PreferencesIn) -> list[PreferenceOut]:
    """Change the delivery of some kinds. An unknown kind or delivery, or ``off`` for a
    mandatory kind, is refused (400) naming the kind in ``field``, and nothing changes."""
    changes = {str(k): str(v) for k, v in payload.preferences.items()}
    return _out(
        notification_preferences.preferences_set(user=acting_user(request), changes=changes)
    )
