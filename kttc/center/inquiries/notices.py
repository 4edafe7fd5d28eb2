"""What the two sides of a thread hear at once (DESIGN rule 12): the unit's transfer office of a
thread opened on its result, each side of every message of the other and of the thread closed.
Each notice is sent once per object (its dedupe key), on the platform and by e-mail in each
person's language, linking to the thread."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse

from kttc.center.inquiries.choices import InquiryKind, Side
from kttc.center.inquiries.models import Inquiry
from kttc.center.inquiries.selectors import ANSWERING_ROLES, ASKING_ROLES
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.policy.i18n import gettext_noop

OPENED = "inquiry.opened"
MESSAGE = "inquiry.message"
CLOSED = "inquiry.closed"

#: A message quoted in a notice is cut to this many characters (the thread has the rest).
QUOTE_MAX = 500

OPENED_QUESTION = Notice(
    kind=OPENED,
    subject=gettext_noop("Question from %(asker)s on “%(name)s”: %(subject)s"),
    body=gettext_noop(
        "%(asker)s asks about your result “%(name)s”:\n\n%(text)s\n\nAnswer on the thread's page."
    ),
)
OPENED_INTEREST = Notice(
    kind=OPENED,
    subject=gettext_noop("%(asker)s is interested in “%(name)s”: %(subject)s"),
    body=gettext_noop(
        "%(asker)s expresses its interest in your result “%(name)s”:\n\n%(text)s\n\n"
        "Answer on the thread's page."
    ),
)
MESSAGE_RECEIVED = Notice(
    kind=MESSAGE,
    subject=gettext_noop("New message from %(sender)s: %(subject)s"),
    body=gettext_noop(
        "%(sender)s wrote on “%(subject)s” (about “%(name)s”):\n\n%(text)s\n\n"
        "Answer on the thread's page."
    ),
)
THREAD_CLOSED = Notice(
    kind=CLOSED,
    subject=gettext_noop("Thread closed by %(sender)s: %(subject)s"),
    body=gettext_noop(
        "%(sender)s closed the thread “%(subject)s” about “%(name)s”. It can still be read; "
        "no more messages can be written in it."
    ),
)


def thread_page(pk: int) -> str:
    return reverse("inquiries:thread", args=[pk])


def quote(text: str) -> str:
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1] + "…"


def tell_other_side(
    notice: Notice, inquiry: Inquiry, *, sender_side: str, about: models.Model, **params: Any
) -> int:
    """The people of the side other than ``sender_side`` hear of ``notice``, once per
    ``about`` (the message, or the thread when it is opened or closed)."""
    if sender_side == Side.UNIT:
        roles, organisation = ASKING_ROLES, inquiry.asker
    else:
        roles, organisation = ANSWERING_ROLES, inquiry.unit
    return notification_send_now(
        roles=roles,
        organisation=organisation,
        notice=Notice(notice.kind, notice.subject, notice.body, notice.clauses, params),
        dedupe_key=f"{notice.kind}:{about.pk}",
        about=about,
        link=thread_page(inquiry.pk),
    )


def opened_notice(kind: str) -> Notice:
    return OPENED_INTEREST if kind == InquiryKind.INTEREST else OPENED_QUESTION


def _register() -> None:
    """Name the kinds for people's notification preferences, where the platform has them."""
    try:
        from kttc.core.notifications.kinds import register_kind
    except ImportError:  # preferences per kind not there: every notice goes out at once
        return
    from django.utils.translation import gettext_lazy as _

    register_kind(OPENED, _("A question or an expression of interest on your unit's result"))
    register_kind(MESSAGE, _("A new message in a thread on a result"))
    register_kind(CLOSED, _("A thread on a result is closed"))


_register()
