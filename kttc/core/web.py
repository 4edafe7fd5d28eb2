"""The web kit every part's pages and API operations share (DESIGN rule 1: views only parse,
call one service and render): the acting person, the forbidden page, a refusal beside the field
it names. Ids, pages and small integers are read by :mod:`kttc.core.parsing`; exports go through
:mod:`kttc.core.spreadsheets`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Page
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kttc.core import parsing
from kttc.core.errors import translated_message
from kttc.core.models import User
from kttc.policy.errors import PolicyError


def acting_user(request: HttpRequest) -> User:
    """The person acting: the signed-in user of a page (behind ``login_required``) or the
    token's owner of an API operation (behind its auth)."""
    return cast(User, request.user)


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    """The 403 page, saying why."""
    return render(request, "error.html", {"status": 403, "message": message}, status=403)


def form_error(
    form: BaseForm, exc: PolicyError, *, fields: Mapping[str, str] | None = None
) -> None:
    """A service's refusal beside the form field it names (``fields`` maps the service's names
    to the form's where they differ, ratios asked in percent say); a refusal naming no field of
    the form goes to the top of the form, where the page shows it as a banner."""
    name = (fields or {}).get(exc.field or "", exc.field)
    form.add_error(name if name in form.fields else None, translated_message(exc))


def posted_decision(
    request: HttpRequest, form: BaseForm | None, act: Callable[[dict[str, Any]], object], done: str
) -> bool:
    """A decision posted from an object's page (accept, refuse, certify …), which then shows the
    page again: with the form valid (or no form), the service acts on the cleaned data and
    ``done`` is said; a refusal, or each error of an invalid form, is said instead. Whether the
    service acted."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return False
    try:
        act(form.cleaned_data if form is not None else {})
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
        return False
    messages.success(request, done)
    return True


def paged(request: HttpRequest, rows: Any, name: str = "page") -> tuple[Page[Any], str]:
    """The page of ``rows`` the request asks for (bounded, :func:`kttc.core.parsing.page_of`)
    and the request's other query parameters, for the links to the other pages."""
    page = parsing.page_of(rows, request.GET, name)
    params = request.GET.copy()
    params.pop(name, None)
    return page, params.urlencode()
