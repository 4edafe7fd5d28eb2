"""Pages of researcher shareholding (M6.1) and the state equity it forms (M2): the unit's
investments of results at a valuation with their cap tables, the team's split and the ledger of
state equity matters; the bureau's queue of matters waiting for its approval (M2.2); a unit's
value preservation with impairment apart (M2.3). Everything is written through the services;
a refusal is shown beside the field it names, citing its clause, and nothing is stored."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from kttc.benefits import selectors_equity as selectors
from kttc.benefits import services_equity as services
from kttc.benefits.forms_equity import (
    ApproveForm,
    InvestmentForm,
    MatterForm,
    PreservationForm,
    RejectForm,
    TeamSplitForm,
)
from kttc.benefits.models_equity import EquityInvestment, StateEquityMatter, StateEquityStatus
from kttc.core import parsing
from kttc.core.errors import translated_message
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.core.web import acting_user as _user
from kttc.core.web import forbidden as _forbidden
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability
from kttc.registry.models import Achievement


def _form_error(form: Form, exc: PolicyError) -> None:
    """The refusal beside the field it names (the rules call the kind of matter ``matter``)."""
    field = "kind" if exc.field == "matter" else exc.field
    form.add_error(field if field in form.fields else None, translated_message(exc))


def _ratio(value: Fraction | int, total: int = 1) -> Decimal:
    """An exact ratio for display, to six decimals (the ``ratio_percent`` filter shows two)."""
    exact = Fraction(value) / Fraction(total)
    quotient = Decimal(exact.numerator) / Decimal(exact.denominator)
    return quotient.quantize(Decimal("0.000001"), ROUND_HALF_UP)


def _recording_units(user: User) -> QuerySet[Organisation]:
    """M6.1: the municipal units whose transfer office the person is."""
    return organisations_where(user, Capability.MANAGE_CONTRACTS).filter(is_municipal=True)


def _page(request: HttpRequest, rows: Any) -> Any:
    return parsing.page_of(rows, request.GET)


@login_required
def investments(request: HttpRequest) -> HttpResponse:
    """M6.1: the unit's investments of results (every unit's for the bureau)."""
    user = _user(request)
    rows = selectors.equity_investments_visible_to(user)
    return render(
        request,
        "benefits/equity/investments.html",
        {
            "page": _page(request, rows),
            "can_create": _recording_units(user).exists(),
            "can_approve": user_can(user, Capability.APPROVE_STATE_EQUITY_ALL),
        },
    )


@login_required
def investment_new(request: HttpRequest) -> HttpResponse:
    """M6.1: record an investment of a result at a valuation, with its cap table."""
    user = _user(request)
    units = list(_recording_units(user))
    if not units:
        return _forbidden(
            request, gettext("Only the transfer office of a municipal unit records investments.")
        )
    results = list(Achievement.objects.filter(unit__in=units).order_by("name")[:500])
    form = InvestmentForm(request.POST or None, units=units, results=results)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        unit = next(u for u in units if u.pk == values.pop("unit"))
        achievement = next(r for r in results if r.pk == values.pop("achievement"))
        try:
            investment = services.equity_investment_record(
                actor=user, unit=unit, achievement=achievement, **values
            )
        except PolicyError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, gettext("The investment is recorded (M6.1)."))
            return redirect("equity:detail", pk=investment.pk)
    return render(request, "benefits/equity/investment_new.html", {"form": form})


def _holder_rows(investment: EquityInvestment) -> list[dict[str, Any]]:
    return [
        {"holder": h, "ratio": _ratio(h.shares, investment.shares_issued)}
        for h in investment.holders.all()
    ]


def _post_detail(request: HttpRequest, user: User, found: EquityInvestment,
                 forms: dict[str, Form], action: str) -> HttpResponse | None:  # fmt: skip
    """Run the posted form's service; a redirect when it is done, None to show the refusal."""
    form = forms[action]
    if not form.is_valid():
        return None
    try:
        if action == "split":
            services.team_split_record(actor=user, investment=found, **form.cleaned_data)
            note = gettext("The team's split is recorded (M6.1).")
        else:
            matter = services.state_equity_matter_record(
                actor=user, investment=found, **form.cleaned_data
            )
            note = (
                gettext("The matter is recorded; it waits for the superior's approval (M2.2).")
                if matter.status == StateEquityStatus.WAITING_APPROVAL
                else gettext("The matter is recorded as the unit's decision (M2.1).")
            )
    except PolicyError as exc:
        _form_error(form, exc)
        return None
    messages.success(request, note)
    return redirect("equity:detail", pk=found.pk)


@login_required
def investment(request: HttpRequest, pk: int) -> HttpResponse:
    """M6.1, M2: an investment's cap table, the team's split in force and its state equity."""
    user = _user(request)
    found = get_object_or_404(selectors.equity_investments_visible_to(user), pk=pk)
    manages = user_can(user, Capability.MANAGE_CONTRACTS, found.unit)
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action", "") if posted else ""
    forms: dict[str, Form] = {
        "split": TeamSplitForm(posted if action == "split" else None, prefix="split"),
        "matter": MatterForm(posted if action == "matter" else None, prefix="matter"),
    }
    if posted and manages and action in forms:
        done = _post_detail(request, user, found, forms, action)
        if done is not None:
            return done
    matters = _page(request, found.state_equity_matters.select_related("decided_by"))
    context: dict[str, Any] = {
        "investment": found,
        "manages": manages,
        "forms": forms,
        "holders": _holder_rows(found),
        "split": selectors.team_split_in_force(found),
        "page": matters,
    }
    return render(request, "benefits/equity/investment.html", context)


def _decide(request: HttpRequest, user: User, matter: StateEquityMatter,
            form: Form, approve: bool) -> bool:  # fmt: skip
    if not form.is_valid():
        return False
    try:
        if approve:
            services.state_equity_matter_approve(actor=user, matter=matter, **form.cleaned_data)
        else:
            services.state_equity_matter_reject(actor=user, matter=matter, **form.cleaned_data)
    except PolicyError as exc:
        _form_error(form, exc)
        return False
    messages.success(
        request,
        gettext("The matter is approved (M2.2).")
        if approve
        else gettext("The matter is rejected (M2.2)."),
    )
    return True


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """M2.2: the bureau's queue of state equity matters waiting for its approval."""
    user = _user(request)
    if not user_can(user, Capability.APPROVE_STATE_EQUITY_ALL):
        return _forbidden(request, gettext("Only the superior approves these matters (M2.2)."))
    queue = selectors.state_equity_awaiting_approval()
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action", "") if posted else ""
    chosen = posted.get("matter", "") if posted else ""
    bound: dict[str, Form] = {}
    if posted and action in ("approve", "reject"):
        matter = get_object_or_404(queue, pk=parsing.id_or_404(chosen))
        prefix = f"m{matter.pk}"
        form: Form = (ApproveForm if action == "approve" else RejectForm)(posted, prefix=prefix)
        bound[f"{action}-{matter.pk}"] = form
        if _decide(request, user, matter, form, approve=action == "approve"):
            return redirect("equity:approvals")
    page = _page(request, queue)
    rows = [
        {
            "matter": m,
            "approve": bound.get(f"approve-{m.pk}") or ApproveForm(prefix=f"m{m.pk}"),
            "reject": bound.get(f"reject-{m.pk}") or RejectForm(prefix=f"m{m.pk}"),
        }
        for m in page.object_list
    ]
    return render(request, "benefits/equity/approvals.html", {"page": page, "rows": rows})


def _report_units(user: User) -> QuerySet[Organisation]:
    """M2.3: the units whose preservation the person reads: the units whose transfer office
    they are, and every unit with investments they see (all of them for the bureau)."""
    own = organisations_where(user, Capability.MANAGE_CONTRACTS).values("pk")
    invested = selectors.equity_investments_visible_to(user).values("unit")
    return Organisation.objects.filter(Q(pk__in=own) | Q(pk__in=invested)).order_by("name")


@login_required
def preservation(request: HttpRequest) -> HttpResponse:
    """M2.3: value preservation and appreciation of a unit's state equity over a period, with
    the impairments of the ledger added back and reported apart."""
    user = _user(request)
    units = list(_report_units(user))
    if not units:
        return _forbidden(
            request, gettext("Only a unit's transfer office or the bureau reads this report.")
        )
    asked = "period_start" in request.GET
    form = PreservationForm(request.GET if asked else None, units=units)
    report, impairments = None, []
    if asked and form.is_valid():
        values = dict(form.cleaned_data)
        values["unit"] = next(u for u in units if u.pk == values["unit"])
        try:
            report = selectors.state_equity_preservation(**values)
        except PolicyError as exc:
            _form_error(form, exc)
        else:
            impairments = selectors.state_equity_impairments(
                unit=values["unit"],
                period_start=values["period_start"],
                period_end=values["period_end"],
            )
    context: dict[str, Any] = {
        "form": form,
        "report": report,
        "impairments": impairments,
        "ratio": _ratio(report.ratio) if report else None,
        "ratio_with_impairment": _ratio(report.ratio_with_impairment) if report else None,
    }
    return render(request, "benefits/equity/preservation.html", context)
