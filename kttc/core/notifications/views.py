"""The person's own notifications: the list, marking read, following a link, and the
preferences (per kind: at once, in the daily digest, or off)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from kttc.core import parsing, selectors
from kttc.core.notifications import preferences as notification_preferences
from kttc.core.notifications import services as notification_services
from kttc.core.notifications.forms import PreferencesForm
from kttc.core.notifications.models import Delivery
from kttc.core.web import acting_user, form_error
from kttc.policy.errors import PolicyError


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The person's own notifications, newest first, all or only the unread ones."""
    user = acting_user(request)
    unread_only = request.GET.get("show") == "unread"
    qs = selectors.notifications_of(user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = parsing.page_of(qs, request.GET)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "core/office/notifications.html",
        {"page": page, "querystring": params.urlencode(), "unread_only": unread_only},
    )


@login_required
@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (``id``), or all of the person's (no ``id``)."""
    posted = request.POST.getlist("id")
    ids = parsing.ids(posted) or None
    if posted and (ids is None or len(ids) != len(posted)):
        raise Http404  # an id the page did not send: never "all of them"
    changed = notification_services.notification_mark_read(user=acting_user(request), ids=ids)
    if ids is None:
        messages.success(
            request,
            ngettext("%(n)s notification marked read.", "%(n)s notifications marked read.", changed)
            % {"n": changed},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = ""
    return redirect(back or "office:notifications")


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification's link; reading it marks it read."""
    user = acting_user(request)
    notification = get_object_or_404(selectors.notifications_of(user), pk=notification_id)
    notification_services.notification_mark_read(user=user, ids=[notification.pk])
    link = notification.link
    if not link or not url_has_allowed_host_and_scheme(link, {request.get_host()}):
        return redirect("office:notifications")
    return redirect(link)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """The person's choice, per kind of notice, between at once, the daily digest and off;
    a mandatory kind shows off disabled, with why."""
    user = acting_user(request)
    current = notification_preferences.deliveries_of(user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences.preferences_set(user=user, changes=form.changes())
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("Your notification preferences are saved."))
            return redirect("office:notification_preferences")
    status = 400 if form.errors else 200
    return render(
        request,
        "core/office/notification_preferences.html",
        {"form": form, "deliveries": Delivery.choices},
        status=status,
    )
