"""Pages of researcher shareholding (M6.1): the unit's investments of results at a valuation and
a new one with its cap table. An investment's page, with the team's split and its state equity
ledger, is ``kttc.benefits.state_equity``'s, which routes the pages of both under
/office/equity/. Everything is written through the services; a refusal is shown beside the field
it names, citing its clause, and nothing is stored."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from kttc.benefits.shareholding import selectors, services
from kttc.benefits.shareholding.forms import InvestmentForm
from kttc.core import parsing, rows
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability
from kttc.registry.models import Achievement


def _recording_units(user: User) -> QuerySet[Organisation]:
    """M6.1: the municipal units whose transfer office the person is."""
    return organisations_where(user, Capability.MANAGE_CONTRACTS).filter(is_municipal=True)


@login_required
def investments(request: HttpRequest) -> HttpResponse:
    """M6.1: the unit's investments of results (every unit's for the bureau)."""
    user = acting_user(request)
    rows = selectors.equity_investments_visible_to(user)
    return render(
        request,
        "benefits/equity/investments.html",
        {
            "page": parsing.page_of(rows, request.GET),
            "can_create": _recording_units(user).exists(),
            "can_approve": user_can(user, Capability.APPROVE_STATE_EQUITY_ALL),
        },
    )


@login_required
def investment_new(request: HttpRequest) -> HttpResponse:
    """M6.1: record an investment of a result at a valuation, with its cap table."""
    user = acting_user(request)
    units = list(_recording_units(user))
    if not units:
        return forbidden(
            request, gettext("Only the transfer office of a municipal unit records investments.")
        )
    results = list(Achievement.objects.filter(unit__in=units).order_by("name")[:500])
    form = InvestmentForm(request.POST or None, units=units, results=results)
    if rows.ready(form):
        values = dict(form.cleaned_data)
        unit = next(u for u in units if u.pk == values.pop("unit"))
        achievement = next(r for r in results if r.pk == values.pop("achievement"))
        try:
            investment = services.equity_investment_record(
                actor=user, unit=unit, achievement=achievement, **values
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The investment is recorded (M6.1)."))
            return redirect("equity:detail", pk=investment.pk)
    return render(request, "benefits/equity/investment_new.html", {"form": form})
