"""The bureau's page of exchange rates (publish, the rates in use, the history) and the
reader's choice of currency for indicative amounts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from kttc.center.rates import selectors, services
from kttc.center.rates.choices import COOKIE
from kttc.center.rates.forms import CurrencyForm, RatesForm
from kttc.core import rows
from kttc.core.selectors import user_can
from kttc.core.web import acting_user, forbidden, form_error, paged
from kttc.policy.errors import PolicyError

#: How long the choice of currency is remembered on a browser (a year, as the language's).
COOKIE_AGE = 365 * 24 * 3600


@login_required
def office(request: HttpRequest) -> HttpResponse:
    """M8.1: the bureau publishes rates (a line per currency) and reads those in use and the
    history; each rate published is recorded in the audit chain."""
    user = acting_user(request)
    if not user_can(user, services.PUBLISH):
        return forbidden(request, gettext("Only the bureau publishes exchange rates."))
    form = RatesForm(request.POST or None, today=timezone.localdate())
    if rows.ready(form):
        try:
            published = services.rates_publish(actor=user, rates=form.cleaned_data["rates"])
        except PolicyError as exc:
            form_error(form, exc, fields={"currency": "rates", "cny_per_unit": "rates",
                                          "rate_date": "rates", "source": "rates"})  # fmt: skip
        else:
            count = len(published)
            messages.success(
                request,
                ngettext("%(count)s rate is published.", "%(count)s rates are published.", count)
                % {"count": count},
            )
            return redirect("rates:office")
    page, querystring = paged(request, selectors.history())
    return render(
        request,
        "center/rates/office.html",
        {
            "form": form,
            "in_use": selectors.rates_in_use(),
            "page": page,
            "querystring": querystring,
        },
    )


@require_POST
def choose(request: HttpRequest) -> HttpResponse:
    """The reader's currency for indicative amounts, kept in a cookie and, signed in, as her
    choice on every device. An unknown code changes nothing."""
    form = CurrencyForm(request.POST)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if not form.is_valid():
        return response
    code = form.cleaned_data["currency"].strip().upper()
    user = getattr(request, "user", None)
    try:
        if user is not None and user.is_authenticated:
            services.reader_currency_set(user=acting_user(request), currency=code)
        elif selectors.valid_currency(code) is None:
            return response
    except PolicyError:
        return response
    response.set_cookie(COOKIE, code, max_age=COOKIE_AGE, samesite="Lax",
                        secure=request.is_secure())  # fmt: skip
    return response
