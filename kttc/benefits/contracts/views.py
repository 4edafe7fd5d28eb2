"""Pages of technology contracts and their income (M5): the unit's contracts, a new contract,
and each contract with its registration, income, deductible costs and net income."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.benefits.contracts import selectors, services, statements
from kttc.benefits.contracts.choices import ContractKind
from kttc.benefits.contracts.forms import (
    ContractForm,
    CostForm,
    DistributionForm,
    IncomeForm,
    IncomeRulesForm,
    RegistrationForm,
)
from kttc.benefits.contracts.models import Distribution, DistributionLine, TechnologyContract
from kttc.core import fonts, parsing, rows
from kttc.core.errors import translated_message
from kttc.core.selectors import parameters_in_force, user_can
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability
from kttc.registry.choices import Status
from kttc.registry.models import Achievement

#: The services' names of fields that the forms ask in other terms (ratios asked in percent).
FIELD_OF_FORM = {"team_ratio": "team_percent", "service_ratio": "service_percent"}


@login_required
def contracts(request: HttpRequest) -> HttpResponse:
    """The contracts of the units the person manages (every unit's for the bureau)."""
    user = acting_user(request)
    kind = request.GET.get("kind", "")
    registered = request.GET.get("registered", "")
    rows = selectors.contracts_listed(
        user,
        kind=kind if kind in ContractKind.values else "",
        registered={"yes": True, "no": False}.get(registered),
    )
    page = parsing.page_of(rows, request.GET)
    query = {k: v for k, v in (("kind", kind), ("registered", registered)) if v}
    units = selectors.contract_units(user)
    rules_form = IncomeRulesForm(request.POST or None, prefix="rules")
    if request.method == "POST" and rules_form.is_valid():
        unit = units.filter(pk=rules_form.cleaned_data["unit"]).first()
        if unit is None:
            return forbidden(request, gettext("Only a unit's transfer office sets its rules."))
        try:
            services.income_rules_set(
                actor=user,
                unit=unit,
                team_min_ratio=rules_form.cleaned_data["team_min_percent"] / 100,
            )
        except PolicyError as exc:
            form_error(rules_form, exc, fields={"team_min_ratio": "team_min_percent"})
        else:
            messages.success(request, gettext("The unit's rule is saved (M5.2)."))
            return redirect("contracts:list")
    return render(
        request,
        "benefits/contracts.html",
        {
            "page": page,
            "querystring": urlencode(query),
            "kinds": ContractKind.choices,
            "kind": kind,
            "registered": registered,
            "can_create": units.exists(),
            "unit_rules": selectors.income_rules_of(units),
            "rules_form": rules_form,
            "policy_minimum": parameters_in_force().completer_income_min_share,
        },
    )


@login_required
def contract_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    units = list(selectors.contract_units(user))
    if not units:
        return forbidden(request, gettext("Only a unit's transfer office records contracts."))
    results = Achievement.objects.filter(unit__in=units).exclude(status=Status.DRAFT)
    form = ContractForm(request.POST or None, units=units, results=results.order_by("name")[:500])
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        unit = next(u for u in units if u.pk == values.pop("unit"))
        chosen = values.pop("achievement")
        achievement = Achievement.objects.filter(pk=chosen).first() if chosen else None
        try:
            contract = services.contract_create(
                actor=user, unit=unit, achievement=achievement, **values
            )
        except PolicyError as exc:
            form_error(form, exc, fields=FIELD_OF_FORM)
        else:
            messages.success(request, gettext("The contract is recorded."))
            return redirect("contracts:detail", pk=contract.pk)
    return render(request, "benefits/contract_new.html", {"form": form})


def _completers_of(contract: TechnologyContract) -> list[dict[str, str]]:
    """The registered completers of the contract's result with their shares (M5.2: the team's
    agreed shares start from what the registration says)."""
    achievement = contract.achievement
    if achievement is None:
        return []
    return [
        {"name": c.name, "percent": f"{c.share.normalize():f}"}
        for c in achievement.completers.all()
    ]


@login_required
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    """A contract: registration (认定登记), income, deductible costs and net income (M5.2)."""
    user = acting_user(request)
    found = get_object_or_404(selectors.contracts_visible_to(user), pk=pk)
    manages = user_can(user, Capability.MANAGE_CONTRACTS, found.unit)
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    distribute = DistributionForm(
        posted if action == "distribute" else None,
        prefix="dist",
        initial={"team_shares": _completers_of(found)},
    )
    forms: dict[str, Form] = {
        "register": RegistrationForm(posted if action == "register" else None, prefix="reg"),
        "income": IncomeForm(posted if action == "income" else None, prefix="income"),
        "cost": CostForm(posted if action == "cost" else None, prefix="cost"),
        "distribute": distribute,
    }
    if posted and manages and action in forms and rows.ready(forms[action]):
        form, data = forms[action], forms[action].cleaned_data
        try:
            if action == "register":
                services.contract_register(actor=user, contract=found, **data)
                note = gettext("The registration is recorded (M5.2).")
            elif action == "income":
                services.income_record(actor=user, contract=found, **data)
                note = gettext("The income is recorded.")
            elif action == "distribute":
                distribution = services.distribution_decide(
                    actor=user,
                    contract=found,
                    **distribute.values(),
                )
                messages.success(request, gettext("The net income is distributed (M5.2)."))
                return redirect("contracts:distribution", pk=distribution.pk)
            else:
                services.cost_record(actor=user, contract=found, **data)
                note = gettext("The cost is recorded.")
        except PolicyError as exc:
            form_error(form, exc, fields=FIELD_OF_FORM)
        else:
            messages.success(request, note)
            return redirect("contracts:detail", pk=pk)
    context: dict[str, Any] = {
        "contract": found,
        "manages": manages,
        "forms": forms,
        "incomes": found.incomes.all(),
        "costs": found.costs.all(),
        "totals": selectors.totals_of(found),
        "distributions": found.distributions.all(),
        "minimum": selectors.minimum_team_percent(found),
    }
    return render(request, "benefits/contract.html", context)


@login_required
@require_POST
def income_from_licence(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    found = get_object_or_404(selectors.contracts_visible_to(user), pk=pk)
    try:
        taken = services.income_from_licence(actor=user, contract=found)
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(
            request,
            gettext("%(count)s licence payments taken over as income.") % {"count": len(taken)},
        )
    return redirect("contracts:detail", pk=pk)


@login_required
def distribution(request: HttpRequest, pk: int) -> HttpResponse:
    """A distribution (M5.1-M5.3): its lines to the fen, each person's cash reward apart. The
    unit's office sees it, and so does each person paid by it (her own statement only)."""
    user = acting_user(request)
    pk = parsing.id_or_404(pk)
    office = Distribution.objects.filter(
        contract__in=selectors.contracts_visible_to(user), pk=pk
    ).exists()
    found = get_object_or_404(
        Distribution.objects.all()
        if office
        else Distribution.objects.filter(lines__in=selectors.lines_of_person(user)).distinct(),
        pk=pk,
    )
    lines = list(found.lines.order_by("id"))  # the team, the service staff, the unit
    return render(
        request,
        "benefits/distribution.html",
        {
            "distribution": found,
            "contract": found.contract,
            "lines": lines,
            "team_total": sum((x.amount for x in lines if x.beneficiary == "team"), Decimal(0)),
            "service_total": sum(
                (x.amount for x in lines if x.beneficiary == "service_staff"), Decimal(0)
            ),
            "office": office,
            # M5.1: the payroll (people's bank accounts) is the unit's transfer office's alone
            "payroll_office": user_can(user, Capability.MANAGE_CONTRACTS, found.contract.unit),
            "mine": set(
                selectors.lines_of_person(user)
                .filter(distribution=found)
                .values_list("pk", flat=True)
            ),
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def statement(request: HttpRequest, pk: int, line_id: int, fmt: str) -> HttpResponse:
    """M5.1: one person's statement of a distribution, as xlsx or PDF, for the unit's office
    or the person herself."""
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    user = acting_user(request)
    line = get_object_or_404(
        DistributionLine.objects.select_related("distribution").exclude(beneficiary="unit"),
        pk=parsing.id_or_404(line_id),
        distribution_id=parsing.id_or_404(pk),
    )
    found = line.distribution
    office = selectors.contracts_visible_to(user).filter(pk=found.contract_id).exists()
    if not office and not selectors.lines_of_person(user).filter(pk=line.pk).exists():
        raise Http404  # a person reads her own statement only
    name = f"statement-{found.pk}-{line.pk}.{fmt}"
    if fmt == "xlsx":
        return _download(statements.statement_xlsx(found, line), XLSX, name)
    with translation.override(fonts.pdf_language(translation.get_language() or "")):
        content = statements.statement_pdf(found, line)
    return _download(content, "application/pdf", name)
