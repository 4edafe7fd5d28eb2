"""Pages of the threads on results: an enterprise or a service institution asks from a result's
page; the unit's transfer office reads its inbox and answers; the asker reads "my questions";
either side writes and closes. Only the two organisations' people see a thread (404 for anyone
else); every page acts through the inquiries' services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from kttc.center.inquiries import selectors as reads
from kttc.center.inquiries import services
from kttc.center.inquiries.choices import InquiryStatus, Side
from kttc.center.inquiries.forms import InquiryOpenForm, InquiryReplyForm
from kttc.center.inquiries.models import Inquiry
from kttc.core.errors import NotFound, translated_message
from kttc.core.web import acting_user, forbidden, form_error, paged
from kttc.policy.errors import PolicyError
from kttc.registry.selectors import public_achievements

NOT_ASKER = gettext_lazy(
    "Questions on a result are asked by an enterprise or a service institution."
)


@login_required
def ask(request: HttpRequest, achievement_pk: int) -> HttpResponse:
    """Ask a question on a published result, or express interest in it."""
    user = acting_user(request)
    achievement = get_object_or_404(public_achievements().select_related("unit"), pk=achievement_pk)
    askers = list(reads.askers_of(user))
    if not askers:
        return forbidden(request, str(NOT_ASKER))
    form = InquiryOpenForm(request.POST or None, askers=askers)
    if request.method == "POST" and form.is_valid():
        asker = next(o for o in askers if o.pk == form.cleaned_data["asker"])
        try:
            inquiry = services.inquiry_open(
                actor=user,
                achievement=achievement,
                asker=asker,
                kind=form.cleaned_data["kind"],
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
            )
        except PolicyError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("Sent: the unit's transfer office is told at once."))
            return redirect("inquiries:thread", pk=inquiry.pk)
    return render(request, "center/inquiries/ask.html", {"form": form, "a": achievement})


def _inbox(request: HttpRequest, side: str) -> HttpResponse:
    user = acting_user(request)
    status = request.GET.get("status", "")
    status = status if status in InquiryStatus.values else ""
    page, querystring = paged(request, reads.inbox_of(user, side=side, status=status))
    rows = [(i, i.unread_for(side)) for i in page.object_list]
    return render(
        request,
        "center/inquiries/inbox.html",
        {
            "page": page,
            "rows": rows,
            "querystring": querystring,
            "status": status,
            "side": side,
            "statuses": InquiryStatus.choices,
        },
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The unit's transfer office: every thread on its unit's results."""
    if not reads.units_answering(acting_user(request)).exists():
        return forbidden(request, gettext("A unit's transfer office reads its questions."))
    return _inbox(request, Side.UNIT)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The enterprise or service institution: the threads its organisations opened."""
    if not reads.askers_of(acting_user(request)).exists():
        return forbidden(request, str(NOT_ASKER))
    return _inbox(request, Side.ASKER)


def _visible(request: HttpRequest, pk: int) -> Inquiry:
    return get_object_or_404(reads.inquiries_visible_to(acting_user(request)), pk=pk)


@login_required
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    """A thread: its messages, a reply form while it is open, and a button to close it."""
    user = acting_user(request)
    inquiry = _visible(request, pk)
    side = reads.side_of(user, inquiry)
    form = InquiryReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_reply(actor=user, inquiry=inquiry, text=form.cleaned_data["text"])
        except NotFound:
            raise Http404 from None
        except PolicyError as exc:
            if exc.field in form.fields:
                form_error(form, exc)
            else:
                messages.error(request, translated_message(exc))
        else:
            messages.success(request, gettext("Sent: the other side is told at once."))
            return redirect("inquiries:thread", pk=inquiry.pk)
    services.inquiry_mark_read(actor=user, inquiry=inquiry)
    return render(
        request,
        "center/inquiries/thread.html",
        {
            "inquiry": inquiry,
            "side": side,
            "thread_messages": reads.messages_of(inquiry),
            "form": form if inquiry.status == InquiryStatus.OPEN else None,
        },
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _visible(request, pk)
    try:
        services.inquiry_close(actor=acting_user(request), inquiry=inquiry)
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(request, gettext("The thread is closed."))
    return redirect("inquiries:thread", pk=inquiry.pk)
