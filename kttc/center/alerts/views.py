"""The person's saved searches and followed fields: list, save, follow, remove with undo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.center.alerts import selectors, services
from kttc.center.alerts.forms import FollowForm, SaveSearchForm
from kttc.center.alerts.models import FollowedField, SavedSearch
from kttc.core import parsing
from kttc.core.web import acting_user, form_error
from kttc.policy.errors import PolicyError

#: The two kinds of alert in URLs.
KINDS: dict[str, type[SavedSearch] | type[FollowedField]] = {
    "searches": SavedSearch,
    "fields": FollowedField,
}


def _own(request: HttpRequest, kind: str, pk: object) -> SavedSearch | FollowedField:
    """One of the person's own alerts, removed or not; anyone else's is not found."""
    model = KINDS.get(kind)
    number = parsing.parse_id(pk)
    if model is None or number is None:
        raise Http404
    found = model.objects.filter(user=acting_user(request), pk=number).first()
    if found is None:
        raise Http404
    return found


def _page(
    request: HttpRequest, follow: FollowForm | None = None, status: int = 200
) -> HttpResponse:
    user = acting_user(request)
    removed_searches, removed_fields = selectors.removed_of(user)
    undo = None  # the one just removed, offered back at the top of the page
    kind, _sep, pk = request.GET.get("removed", "").partition("-")
    number = parsing.parse_id(pk)
    if kind in KINDS and number is not None:
        removed = KINDS[kind].objects.filter(user=user, pk=number).first()
        undo = (kind, removed) if removed is not None and removed.deleted_at else None
    context = {
        "searches": selectors.searches_of(user),
        "follows": selectors.follows_of(user),
        "removed_searches": removed_searches,
        "removed_fields": removed_fields,
        "follow_form": follow or FollowForm(),
        "undo": undo,
    }
    return render(request, "center/alerts/list.html", context, status=status)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def search_save(request: HttpRequest) -> HttpResponse:
    form = SaveSearchForm(request.POST)
    if form.is_valid():
        try:
            saved = services.search_save(
                user=acting_user(request),
                query=form.cleaned_data["query"],
                name=form.cleaned_data["name"],
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, gettext("Search saved: %(name)s. You will hear of new results daily.")
                % {"name": saved.name},
            )  # fmt: skip
            return redirect("alerts:list")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect(reverse("catalog:list") + "?" + services.normalized_query(
        request.POST.get("query", "")[:1000]))  # fmt: skip


@login_required
@require_POST
def field_follow(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST)
    if form.is_valid():
        try:
            services.field_follow(
                user=acting_user(request),
                scheme=form.cleaned_data["scheme"],
                code=form.cleaned_data["code"],
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("You follow this field now."))
            return redirect("alerts:list")
    return _page(request, follow=form, status=400)


@login_required
@require_POST
def alert_remove(request: HttpRequest, kind: str, pk: str) -> HttpResponse:
    alert = _own(request, kind, pk)
    services.alert_remove(user=acting_user(request), alert=alert)
    return redirect(reverse("alerts:list") + f"?removed={kind}-{alert.pk}")


@login_required
@require_POST
def alert_restore(request: HttpRequest, kind: str, pk: str) -> HttpResponse:
    alert = _own(request, kind, pk)
    services.alert_restore(user=acting_user(request), alert=alert)
    messages.success(request, gettext("Restored."))
    return redirect("alerts:list")
