"""The demand pages (M8.1, M8.4): the public hall and a demand's page; posting, editing and
closing for an enterprise; moderation for the center; answers for units and brokers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from kttc.benefits.contracts.models import TechnologyContract
from kttc.center.catalog.choices import INDUSTRY_SECTIONS
from kttc.center.demands import selectors, services
from kttc.center.demands.choices import BUDGET_BANDS, CooperationMode, country_name
from kttc.center.demands.forms import AnswerForm, CloseForm, DemandForm, TranslateForm
from kttc.center.demands.models import Demand, DemandAnswer
from kttc.core import parsing
from kttc.core.errors import translated_message
from kttc.core.text import posted_text
from kttc.core.web import acting_user, forbidden, form_error, paged
from kttc.policy.errors import PolicyError
from kttc.reform.licensing.models import Licence
from kttc.registry.models import Achievement


def hall(request: HttpRequest) -> HttpResponse:
    """The public demand hall: open demands, searched and filtered, a page at a time."""
    text = str(request.GET.get("q", ""))[:200]
    filters = selectors.HallFilters.from_params(request.GET)
    found = selectors.search_demands(text, filters, request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    modes = dict(CooperationMode.choices)
    labels = {
        "industry": lambda v: f"{v} · {INDUSTRY_SECTIONS.get(v, v)}",
        "mode": lambda v: str(modes.get(v, v)),
        "country": country_name,
    }
    facets = [
        (
            name,
            title,
            [_facet_value(request, name, v, labels[name](v), n) for v, n in found.facets[name]],
        )
        for name, title in FACET_TITLES
    ]
    budgets = [
        _facet_value(request, "budget", v, str(label), None) for v, label, *_b in BUDGET_BANDS
    ]
    return render(
        request,
        "center/demands/hall.html",
        {
            "text": text,
            "filters": filters,
            "page": found.page,
            "querystring": params.urlencode(),
            "facets": facets,
            "budgets": budgets,
            "can_post": selectors.may_post(acting_user(request)),
        },
    )


FACET_TITLES = (
    ("industry", gettext_lazy("Industry")),
    ("mode", gettext_lazy("Way of cooperation")),
    ("country", gettext_lazy("Country")),
)


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int | None
    url: str
    selected: bool


def _facet_value(
    request: HttpRequest, name: str, value: str, label: str, count: int | None
) -> FacetLink:
    """A filter's value as a link that turns it on (or off, when it is on), back to page 1."""
    params = request.GET.copy()
    params.pop("page", None)
    selected = params.get(name, "").upper() == value.upper()
    if selected:
        params.pop(name, None)
    else:
        params[name] = value
    return FacetLink(label, count, f"?{params.urlencode()}", selected)


def _visible_or_404(request: HttpRequest, pk: int) -> Demand:
    demand = selectors.demand_visible(acting_user(request), pk)
    if demand is None:
        raise Http404
    return demand


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A demand's page: what it needs (no personal data of its author), its state, its answers
    as the reader may see them, and the results that may meet it."""
    user = acting_user(request)
    demand = _visible_or_404(request, pk)
    answers, count = selectors.answers_seen(user, demand)
    can_answer = demand.status == "published" and selectors.answering_organisations(user).exists()
    return render(
        request,
        "center/demands/detail.html",
        {
            "demand": demand,
            "reading": selectors.reading_of(demand),
            "country": country_name(demand.country),
            "answers": answers,
            "answer_count": count,
            "is_owner": selectors.is_owner(user, demand),
            "can_moderate": selectors.may_moderate(user),
            "can_answer": can_answer,
            "matches": selectors.matching_results(demand),
        },
    )


def _form_page(
    request: HttpRequest, form: DemandForm, demand: Demand | None = None
) -> HttpResponse:
    return render(request, "center/demands/form.html", {"form": form, "demand": demand})


@dataclass(frozen=True)
class _Choice:
    """An enterprise in the form's list; for a partner abroad's staff, named with the partner
    that posts for it (M8.4)."""

    pk: int
    name: str


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """M8.1: a person of an enterprise posts a demand; it goes to the center's moderation.
    M8.4: a partner abroad's staff post one for an enterprise it represents."""
    user = acting_user(request)
    choices = selectors.posting_choices(user)
    if not choices:
        return forbidden(request, gettext("Only a person of an enterprise posts demands."))
    by_pk = {e.pk: (e, p) for e, p in reversed(choices)}  # its own first, when both
    listed = [_Choice(e.pk, f"{e.name} · {p.name}" if p else e.name) for e, p in choices]
    form = DemandForm(request.POST or None, organisations=_unique(listed))
    if request.method == "POST" and form.is_valid():
        organisation, partner = by_pk[form.cleaned_data["organisation"]]
        try:
            demand = services.demand_post(
                actor=user, organisation=organisation, partner=partner,
                data=form.data_for_service(),
            )  # fmt: skip
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                gettext("Your demand is posted; the center reviews it before it is public."),
            )
            return redirect("demands:detail", pk=demand.pk)
    return _form_page(request, form)


def _unique(choices: list[_Choice]) -> list[_Choice]:
    """Each enterprise once (a person of it who is also a partner's staff posts as itself)."""
    found: dict[int, _Choice] = {}
    for choice in choices:
        found.setdefault(choice.pk, choice)
    return list(found.values())


def _owned_or_404(request: HttpRequest, pk: int) -> Demand:
    demand = _visible_or_404(request, pk)
    if not selectors.is_owner(acting_user(request), demand):
        raise Http404
    return demand


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise changes its demand while it waits for moderation."""
    user = acting_user(request)
    demand = _owned_or_404(request, pk)
    if demand.status != "pending":
        return forbidden(
            request, gettext("A demand is changed only while it waits for moderation.")
        )
    initial = {f: getattr(demand, f) for f in services.FIELDS}
    initial.update(DemandForm.initial_translations(demand))
    initial["organisation"] = demand.organisation_id
    form = DemandForm(request.POST or None, initial=initial, organisations=[demand.organisation])
    if request.method == "POST" and form.is_valid():
        try:
            services.demand_update(actor=user, demand=demand, data=form.data_for_service())
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("Your demand is changed."))
            return redirect("demands:detail", pk=demand.pk)
    return _form_page(request, form, demand)


@login_required
def translate(request: HttpRequest, pk: int) -> HttpResponse:
    """M8.1, M8.4: the author gives or corrects the translations of a demand not closed."""
    user = acting_user(request)
    demand = _owned_or_404(request, pk)
    form = TranslateForm(
        request.POST or None,
        initial=TranslateForm.initial_translations(demand),
        original=demand.language,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.demand_translate(actor=user, demand=demand, translations=form.translations())
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The translations are saved."))
            return redirect("demands:detail", pk=demand.pk)
    return render(request, "center/demands/translate.html", {"form": form, "demand": demand})


@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise closes its demand: met (by a licence or a contract) or withdrawn."""
    user = acting_user(request)
    demand = _owned_or_404(request, pk)
    licences = services.licences_meeting(demand.organisation)
    contracts = services.contracts_meeting(demand.organisation)
    form = CloseForm(request.POST or None, licences=licences, contracts=contracts)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            services.demand_close(
                actor=user,
                demand=demand,
                met=values["outcome"] == "met",
                licence=Licence.objects.filter(pk=values["licence"]).first()
                if values["licence"]
                else None,
                contract=TechnologyContract.objects.filter(pk=values["contract"]).first()
                if values["contract"]
                else None,
                reason=values["reason"],
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("Your demand is closed."))
            return redirect("demands:detail", pk=demand.pk)
    return render(request, "center/demands/close.html", {"form": form, "demand": demand})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """ "My demands": those of the person's enterprises, in every state."""
    user = acting_user(request)
    if not selectors.may_post(user) and not selectors.demands_of(user).exists():
        return forbidden(request, gettext("Only a person of an enterprise posts demands."))
    page, querystring = paged(request, selectors.demands_of(user))
    return render(request, "center/demands/mine.html", {"page": page, "querystring": querystring})


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    """M8.1: the demands waiting for the center, oldest first."""
    if not selectors.may_moderate(acting_user(request)):
        return forbidden(request, gettext("Only the center's reviewers moderate demands."))
    page, querystring = paged(request, selectors.moderation_queue())
    return render(
        request, "center/demands/moderation.html", {"page": page, "querystring": querystring}
    )


def _pending_or_404(request: HttpRequest, pk: int) -> Demand | HttpResponse:
    if not selectors.may_moderate(acting_user(request)):
        return forbidden(request, gettext("Only the center's reviewers moderate demands."))
    return get_object_or_404(Demand, pk=pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = _pending_or_404(request, pk)
    if isinstance(found, HttpResponse):
        return found
    try:
        services.demand_publish(actor=acting_user(request), demand=found)
        messages.success(request, gettext("The demand is published in the demand hall."))
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    return redirect("demands:moderation")


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    found = _pending_or_404(request, pk)
    if isinstance(found, HttpResponse):
        return found
    try:
        reason = posted_text(request.POST, "reason", label=gettext("Reason"))
        services.demand_reject(actor=acting_user(request), demand=found, reason=reason)
        messages.success(request, gettext("The demand is rejected; the enterprise is told why."))
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    return redirect("demands:moderation")


def _answer_form(request: HttpRequest, organisations: list[Any]) -> AnswerForm:
    results = Achievement.objects.none()
    for organisation in organisations:
        results = results | selectors.results_to_offer(organisation)
    initial = {"achievement": parsing.parse_id(request.GET.get("achievement"))}
    return AnswerForm(
        request.POST or None,
        initial=initial,
        organisations=organisations,
        results=results.order_by("name")[:500],
    )


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """M8.1, M8.4: a unit's transfer office or a broker answers a published demand."""
    user = acting_user(request)
    demand = _visible_or_404(request, pk)
    organisations = list(selectors.answering_organisations(user))
    if not organisations:
        return forbidden(
            request, gettext("Only a unit's transfer office or a broker answers demands.")
        )
    form = _answer_form(request, organisations)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        organisation = next(o for o in organisations if o.pk == values["organisation"])
        achievement = (
            Achievement.objects.filter(pk=values["achievement"]).first()
            if values["achievement"]
            else None
        )
        try:
            services.answer_create(
                actor=user, demand=demand, organisation=organisation,
                achievement=achievement, proposal=values["proposal"],
            )  # fmt: skip
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("Your answer is sent to the enterprise."))
            return redirect("demands:detail", pk=demand.pk)
    return render(request, "center/demands/answer.html", {"form": form, "demand": demand})


@login_required
@require_POST
def answer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(DemandAnswer, pk=pk, author=acting_user(request))
    try:
        services.answer_withdraw(actor=acting_user(request), answer=answer)
        messages.success(request, gettext("Your answer is withdrawn."))
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    return redirect("demands:detail", pk=answer.demand_id)
