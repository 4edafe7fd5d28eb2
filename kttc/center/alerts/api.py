"""The person's saved searches and followed fields (each person sees only their own)."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from kttc.center.alerts import selectors, services
from kttc.center.alerts.models import FollowedField, SavedSearch
from kttc.core import parsing
from kttc.core.api import AUTH
from kttc.core.text import Text
from kttc.core.web import acting_user

router = Router(tags=["alerts"])


class SavedSearchIn(Schema):
    """``query``: the catalog's query string (``q=…&discipline=…``), as the catalog page and
    ``/api/v1/catalog/achievements`` take it."""

    query: Text
    name: Text = ""


class SavedSearchOut(Schema):
    id: int
    name: str
    query: str
    created_at: datetime
    checked_at: datetime


class FollowIn(Schema):
    """``scheme``: ``discipline`` (GB/T 13745, digits) or ``industry`` (GB/T 4754, a section
    letter and digits)."""

    scheme: Text
    code: Text


class FollowOut(Schema):
    id: int
    scheme: str
    code: str
    created_at: datetime
    checked_at: datetime


def _own(request: HttpRequest, model: type[SavedSearch | FollowedField], pk: str):
    number = parsing.parse_id(pk)
    found = model.objects.filter(user=acting_user(request), pk=number).first() if number else None
    if found is None:
        raise Http404
    return found


@router.get("/searches", response=list[SavedSearchOut], auth=AUTH)
def searches(request: HttpRequest):
    """The person's saved searches."""
    return list(selectors.searches_of(acting_user(request)))


@router.post("/searches", response={201: SavedSearchOut}, auth=AUTH)
def search_save(request: HttpRequest, payload: SavedSearchIn):
    """Save a catalog search; a daily notice tells of new results it finds."""
    saved = services.search_save(user=acting_user(request), query=payload.query, name=payload.name)
    return Status(201, saved)


@router.delete("/searches/{pk}", response={204: None}, auth=AUTH)
def search_remove(request: HttpRequest, pk: str):
    """Remove a saved search (restorable for 7 days)."""
    services.alert_remove(user=acting_user(request), alert=_own(request, SavedSearch, pk))
    return Status(204, None)


@router.post("/searches/{pk}/restore", response=SavedSearchOut, auth=AUTH)
def search_restore(request: HttpRequest, pk: str):
    """Undo the removal of a saved search."""
    saved = _own(request, SavedSearch, pk)
    services.alert_restore(user=acting_user(request), alert=saved)
    return saved


@router.get("/fields", response=list[FollowOut], auth=AUTH)
def fields(request: HttpRequest):
    """The fields the person follows."""
    return list(selectors.follows_of(acting_user(request)))


@router.post("/fields", response={201: FollowOut}, auth=AUTH)
def field_follow(request: HttpRequest, payload: FollowIn):
    """Follow a discipline or an industry: a daily notice tells of new results and demands."""
    followed = services.field_follow(
        user=acting_user(request), scheme=payload.scheme, code=payload.code
    )
    return Status(201, followed)


@router.delete("/fields/{pk}", response={204: None}, auth=AUTH)
def field_remove(request: HttpRequest, pk: str):
    """Stop following a field (restorable for 7 days)."""
    services.alert_remove(user=acting_user(request), alert=_own(request, FollowedField, pk))
    return Status(204, None)


@router.post("/fields/{pk}/restore", response=FollowOut, auth=AUTH)
def field_restore(request: HttpRequest, pk: str):
    """Undo the removal of a followed field."""
    followed = _own(request, FollowedField, pk)
    services.alert_restore(user=acting_user(request), alert=followed)
    return followed
