"""The pages of technology finance (M12.1, M12.3): the public products (by kind); a bank's back
office (the applications waiting, the repayments due and overdue, its products); an enterprise's
applications and the form to apply; an application's page, where the bank reads the pledged
results with their signed evaluations, decides, and records the repayments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.center.finance import selectors, services
from kttc.center.finance.choices import ProductKind
from kttc.center.finance.forms import (
    ApplicationForm,
    ApproveForm,
    CoverForm,
    ProductForm,
    RefuseForm,
    RepaymentForm,
)
from kttc.center.finance.models import FinanceApplication, FinanceProduct
from kttc.core import parsing
from kttc.core.errors import translated_message
from kttc.core.models import Organisation
from kttc.core.selectors import user_can
from kttc.core.web import acting_user, forbidden, form_error, paged
from kttc.policy.errors import PolicyError
from kttc.policy.identifiers import parse_patent_application_number
from kttc.policy.roles import Capability

#: The services' field names and the forms' where they differ.
APPROVE_FIELDS = {
    "approved_amount": "amount", "approved_rate": "rate", "approved_term": "term",
}  # fmt: skip
COVER_FIELDS = {"policy_number": "number", "cover_end": "end", "cover_start": "start"}


def products(request: HttpRequest) -> HttpResponse:
    """M12.1, M12.3: the products open to applications, of one kind when asked."""
    kind = request.GET.get("kind", "")
    if kind not in ProductKind.values:
        kind = ""
    page, querystring = paged(request, selectors.public_products(kind))
    user = request.user
    can_apply = user.is_authenticated and user_can(acting_user(request), Capability.APPLY_FINANCE)
    return render(
        request,
        "center/finance/products.html",
        {
            "page": page, "querystring": querystring, "kind": kind,
            "kinds": ProductKind.choices, "can_apply": can_apply,
        },
    )  # fmt: skip


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The bank's back office, or the enterprise's applications."""
    user = acting_user(request)
    if selectors.banks_of(user).exists():
        return redirect("finance:bank")
    if selectors.applicants_of(user).exists():
        return redirect("finance:mine")
    return forbidden(request, gettext("Banks and enterprises use technology finance."))


def _bank(request: HttpRequest) -> Organisation | None:
    return selectors.banks_of(acting_user(request)).first()


@login_required
def bank(request: HttpRequest) -> HttpResponse:
    """M12.1, M12.3: what waits for the bank (applications, repayments due and overdue), its
    applications and its products."""
    found = _bank(request)
    if found is None:
        return forbidden(request, gettext("Only a bank's people keep its products."))
    today = selectors.today()
    page, querystring = paged(request, selectors.applications_of_bank(found))
    return render(
        request,
        "center/finance/bank.html",
        {
            "bank": found, "waiting": selectors.waiting_for(found),
            "due": selectors.due_instalments(found, today),
            "overdue": selectors.overdue_instalments(today, found),
            "page": page, "querystring": querystring, "products": selectors.products_of(found),
        },
    )  # fmt: skip


@login_required
def product_new(request: HttpRequest) -> HttpResponse:
    """M12.1, M12.3: the bank publishes a product."""
    found = _bank(request)
    if found is None:
        return forbidden(request, gettext("Only a bank's people keep its products."))
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_publish(actor=acting_user(request), bank=found, data=form.data_())
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The product is published."))
            return redirect("finance:bank")
    return render(request, "center/finance/product_form.html", {"form": form, "bank": found})


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """M12.1, M12.3: the bank corrects its product, opens or closes it."""
    product = get_object_or_404(
        FinanceProduct.objects.select_related("bank"), pk=parsing.id_or_404(pk)
    )
    if not user_can(acting_user(request), Capability.MANAGE_FINANCE, product.bank):
        raise Http404
    initial = {f: getattr(product, f) for f in services.PRODUCT_FIELDS}
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(actor=acting_user(request), product=product, data=form.data_())
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The product is saved."))
            return redirect("finance:bank")
    return render(
        request, "center/finance/product_form.html",
        {"form": form, "bank": product.bank, "product": product},
    )  # fmt: skip


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """M12.1, M12.3: the enterprise's applications and their states."""
    user = acting_user(request)
    if not selectors.applicants_of(user).exists():
        return forbidden(request, gettext("Enterprises apply for technology finance."))
    page, querystring = paged(request, selectors.applications_for(user))
    return render(request, "center/finance/mine.html", {"page": page, "querystring": querystring})


def _patent_choices(applicant: Organisation) -> list[tuple[str, str]]:
    out = []
    for right in selectors.pledgeable_patents(applicant):
        try:
            number = parse_patent_application_number(right.number).application_number
        except PolicyError:
            continue
        out.append((number, f"ZL{number} · {right.achievement.name}"))
    return out


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """M12.1, M12.3: the enterprise applies to a product; for an IP pledge loan it chooses the
    patents of its results it pledges."""
    user = acting_user(request)
    applicant = selectors.applicants_of(user).first()
    if applicant is None:
        return forbidden(request, gettext("Enterprises apply for technology finance."))
    product = get_object_or_404(
        FinanceProduct.objects.select_related("bank"), pk=parsing.id_or_404(pk), is_open=True
    )
    pledge = product.kind == ProductKind.PLEDGE_LOAN
    choices = _patent_choices(applicant) if pledge else None
    form = ApplicationForm(request.POST or None, patents=choices)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.application_file(
                actor=user, applicant=applicant, product=product, request=form.request()
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("The application is sent to the bank."))
            return redirect("finance:application", found.pk)
    return render(
        request, "center/finance/apply.html",
        {"form": form, "product": product, "applicant": applicant, "pledge": pledge},
    )  # fmt: skip


def _application(request: HttpRequest, pk: int) -> tuple[FinanceApplication, bool]:
    """The application, for the applicant's or the bank's people; with whether it is the bank."""
    user = acting_user(request)
    found = get_object_or_404(
        FinanceApplication.objects.select_related("product", "applicant", "bank", "filed_by"),
        pk=parsing.id_or_404(pk),
    )
    if not selectors.may_view(user, found):
        raise Http404
    return found, user_can(user, Capability.MANAGE_FINANCE, found.bank)


def _context(found: FinanceApplication, is_bank: bool, **forms: Any) -> dict[str, Any]:
    pledges = list(found.pledges.select_related("achievement", "ip_right"))
    evaluations = list(found.evaluations.select_related("institution").order_by("-signed_at"))
    by_result: dict[int, list[Any]] = {}
    for evaluation in evaluations:
        by_result.setdefault(evaluation.result_id, []).append(evaluation)
    context: dict[str, Any] = {
        "app": found, "is_bank": is_bank,
        "pledges": [(p, by_result.get(p.achievement_id, [])) for p in pledges],
        "instalments": list(found.instalments.all()),
        "repayments": list(found.repayments.all()),
        "owed": selectors.outstanding(found) if found.is_loan else None,
        "today": selectors.today(),
    }  # fmt: skip
    if is_bank and found.status == "submitted":
        context["approve_form"] = forms.get("approve_form") or ApproveForm(
            prefix="approve",
            initial={
                "amount": found.amount, "term": found.term, "rate": found.product.rate,
                "registered_on": context["today"],
            },
        )  # fmt: skip
        context["cover_form"] = forms.get("cover_form") or CoverForm(
            prefix="cover", initial={"cover_amount": found.amount, "start": context["today"]}
        )
        context["refuse_form"] = forms.get("refuse_form") or RefuseForm(prefix="refuse")
    if is_bank and found.status == "approved" and found.is_loan:
        context["repayment_form"] = forms.get("repayment_form") or RepaymentForm(
            prefix="repay", initial={"paid_on": context["today"]}
        )
    return context


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """M12.1, M12.3: an application with its pledged results and their signed evaluations
    (M10.1), the decision, the schedule and the repayments; the bank acts here."""
    found, is_bank = _application(request, pk)
    return render(request, "center/finance/application.html", _context(found, is_bank))


def _act(
    request: HttpRequest, pk: int, key: str, form: Any, fields: dict[str, str], act: Any,
    done: str,
) -> HttpResponse:  # fmt: skip
    found, is_bank = _application(request, pk)
    if not is_bank:
        return forbidden(request, gettext("Only the bank decides its applications."))
    if form.is_valid():
        try:
            act(found, form)
        except PolicyError as exc:
            form_error(form, exc, fields=fields)
        else:
            messages.success(request, done)
            return redirect("finance:application", found.pk)
    context = _context(found, is_bank, **{key: form})
    return render(request, "center/finance/application.html", context, status=422)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, "approve_form", ApproveForm(request.POST, prefix="approve"), APPROVE_FIELDS,
        lambda found, form: services.application_approve(
            actor=user, application=found, grant=form.grant()
        ),
        gettext("The application is approved."),
    )  # fmt: skip


@login_required
@require_POST
def cover(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, "cover_form", CoverForm(request.POST, prefix="cover"), COVER_FIELDS,
        lambda found, form: services.cover_approve(
            actor=user, application=found, cover=form.cover()
        ),
        gettext("The application is approved."),
    )  # fmt: skip


@login_required
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, "refuse_form", RefuseForm(request.POST, prefix="refuse"), {},
        lambda found, form: services.application_refuse(
            actor=user, application=found, reason=form.cleaned_data["reason"]
        ),
        gettext("The application is refused."),
    )  # fmt: skip


@login_required
@require_POST
def repay(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return _act(
        request, pk, "repayment_form", RepaymentForm(request.POST, prefix="repay"), {},
        lambda found, form: services.repayment_record(
            actor=user, application=found, amount=form.cleaned_data["amount"],
            paid_on=form.cleaned_data["paid_on"],
        ),
        gettext("The repayment is recorded."),
    )  # fmt: skip


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise withdraws an application the bank has not decided."""
    found, _is_bank = _application(request, pk)
    try:
        services.application_withdraw(actor=acting_user(request), application=found)
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(request, gettext("The application is withdrawn."))
    return redirect("finance:application", found.pk)
