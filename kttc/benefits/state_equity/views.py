"""Pages of state equity (M2) from investing results: an investment's page with its cap table,
the team's split in force and the ledger of its state equity matters (recording a split, M6.1, or
a matter there); the bureau's queue of matters waiting for its approval (M2.2); a unit's value
preservation with impairment apart (M2.3). Everything is written through the services; a
refusal is shown beside the field it names, citing its clause, and nothing is stored."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from kttc.benefits.shareholding import selectors as shareholding_reads
from kttc.benefits.shareholding import services as shareholding
from kttc.benefits.shareholding.choices import HolderKind
from kttc.benefits.shareholding.forms import TeamSplitForm
from kttc.benefits.shareholding.models import EquityInvestment
from kttc.benefits.state_equity import selectors, services
from kttc.benefits.state_equity.choices import StateEquityStatus
from kttc.benefits.state_equity.forms import (
    ApproveForm,
    MatterForm,
    PreservationForm,
    RejectForm,
)
from kttc.benefits.state_equity.models import StateEquityMatter
from kttc.core import parsing, rows
from kttc.core.models import User
from kttc.core.selectors import user_can
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability

#: The rules call the kind of a matter ``matter``; the form asks it as ``kind``.
FIELD_OF_FORM = {"matter": "kind"}


def _ratio(value: Fraction | int, total: int = 1) -> Decimal:
    """An exact ratio for display, to six decimals (the ``ratio_percent`` filter shows two)."""
    exact = Fraction(value) / Fraction(total)
    quotient = Decimal(exact.numerator) / Decimal(exact.denominator)
    return quotient.quantize(Decimal("0.000001"), ROUND_HALF_UP)


def _holder_rows(investment: EquityInvestment) -> list[dict[str, Any]]:
    return [
        {"holder": h, "ratio": _ratio(h.shares, investment.shares_issued)}
        for h in investment.holders.all()
    ]


def _completers_of(investment: EquityInvestment) -> list[dict[str, Any]]:
    """The completers who hold directly, each with her part of their shares where it is an
    exact percentage (else left for the office to fill): a split starts from the cap table."""
    holders = [h for h in investment.holders.all() if h.kind == HolderKind.COMPLETER]
    total = sum(h.shares for h in holders)
    found = []
    for holder in holders:
        percent = Decimal(holder.shares * 100) / total if total else Decimal(0)
        exact = total and percent == percent.quantize(Decimal("0.000001"))
        found.append({"name": holder.name, "percent": f"{percent.normalize():f}" if exact else ""})
    return found


def _post_detail(request: HttpRequest, user: User, found: EquityInvestment,
                 forms: dict[str, Form], action: str) -> HttpResponse | None:  # fmt: skip
    """Run the posted form's service; a redirect when it is done, None to show the refusal."""
    form = forms[action]
    if not rows.ready(form):
        return None
    try:
        if action == "split":
            shareholding.team_split_record(actor=user, investment=found, **form.cleaned_data)
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
        form_error(form, exc, fields=FIELD_OF_FORM)
        return None
    messages.success(request, note)
    return redirect("equity:detail", pk=found.pk)


@login_required
def investment(request: HttpRequest, pk: int) -> HttpResponse:
    """M6.1, M2: an investment's cap table, the team's split in force and its state equity."""
    user = acting_user(request)
    found = get_object_or_404(shareholding_reads.equity_investments_visible_to(user), pk=pk)
    manages = user_can(user, Capability.MANAGE_CONTRACTS, found.unit)
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action", "") if posted else ""
    forms: dict[str, Form] = {
        "split": TeamSplitForm(
            posted if action == "split" else None,
            prefix="split",
            initial={"internal_split": _completers_of(found)},
        ),
        "matter": MatterForm(posted if action == "matter" else None, prefix="matter"),
    }
    if posted and manages and action in forms:
        done = _post_detail(request, user, found, forms, action)
        if done is not None:
            return done
    matters = parsing.page_of(found.state_equity_matters.select_related("decided_by"), request.GET)
    context: dict[str, Any] = {
        "investment": found,
        "manages": manages,
        "forms": forms,
        "holders": _holder_rows(found),
        "split": shareholding_reads.team_split_in_force(found),
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
        form_error(form, exc, fields=FIELD_OF_FORM)
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
    user = acting_user(request)
    if not user_can(user, Capability.APPROVE_STATE_EQUITY_ALL):
        return forbidden(request, gettext("Only the superior approves these matters (M2.2)."))
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
    page = parsing.page_of(queue, request.GET)
    rows = [
        {
            "matter": m,
            "approve": bound.get(f"approve-{m.pk}") or ApproveForm(prefix=f"m{m.pk}"),
            "reject": bound.get(f"reject-{m.pk}") or RejectForm(prefix=f"m{m.pk}"),
        }
        for m in page.object_list
    ]
    return render(request, "benefits/equity/approvals.html", {"page": page, "rows": rows})


@login_required
def preservation(request: HttpRequest) -> HttpResponse:
    """M2.3: value preservation and appreciation of a unit's state equity over a period, with
    the impairments of the ledger added back and reported apart."""
    user = acting_user(request)
    units = list(selectors.preservation_units(user))
    if not units:
        return forbidden(
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
            form_error(form, exc, fields=FIELD_OF_FORM)
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
