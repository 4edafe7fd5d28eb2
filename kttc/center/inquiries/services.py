"""Writes of the threads on results (M8.1, M8.3: the center brings enterprises and units
together).

Opening a thread and closing it are recorded in the audit chain (who contacted which unit about
which result, and who ended the exchange: the market's evidence, M14.1), without the text, which
stays between the two organisations. A reply is not a decision: it is stored, unchangeable, in
the thread and notified, but not chained. Every message tells the other side's people at once
(:mod:`kttc.center.inquiries.notices`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kttc.center.inquiries import notices
from kttc.center.inquiries import selectors as reads
from kttc.center.inquiries.choices import InquiryKind, InquiryStatus, Side
from kttc.center.inquiries.models import SUBJECT_MAX, TEXT_MAX, Inquiry, InquiryMessage
from kttc.core.errors import AccessDenied, NotFound
from kttc.core.models import Organisation, User
from kttc.core.services import audit_record, decision
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.text import check_text
from kttc.registry.models import Achievement
from kttc.registry.selectors import public_achievements

#: New threads one person may open in 24 hours (``KTTC_INQUIRIES_PER_DAY`` changes it).
PER_DAY = 20


def per_day() -> int:
    return int(getattr(settings, "KTTC_INQUIRIES_PER_DAY", PER_DAY))


def _text(value: str, *, field: str, limit: int, multiline: bool) -> str:
    """``value`` stripped, checked for control characters, present and within ``limit``."""
    text = check_text(value.strip(), field=field, multiline=multiline)
    if not text:
        raise refuse(gettext_noop("This field is required."), "required", field)
    if len(text) > limit:
        raise refuse(
            gettext_noop("At most %(limit)s characters; this text has %(length)s."),
            "text.too_long",
            field,
            limit=limit,
            length=len(text),
        )
    return text


def _check_rate(actor: User) -> None:
    since = timezone.now() - timedelta(days=1)
    limit = per_day()
    if Inquiry.objects.filter(opened_by=actor, created_at__gte=since).count() >= limit:
        raise refuse(
            gettext_noop(
                "You opened %(limit)s threads in the last 24 hours, the most one person may; "
                "write in a thread you opened already, or try again tomorrow."
            ),
            "inquiry.rate",
            None,
            limit=limit,
        )


@decision
def inquiry_open(
    *,
    actor: User,
    achievement: Achievement,
    asker: Organisation,
    kind: str,
    subject: str,
    text: str,
) -> Inquiry:
    """An enterprise or a service institution asks a question on a published result, or
    expresses its interest in it: a thread between ``asker`` and the result's unit, whose
    transfer office hears of it at once."""
    if not reads.askers_of(actor).filter(pk=asker.pk).exists():
        raise AccessDenied()
    if not public_achievements().filter(pk=achievement.pk).exists():
        raise NotFound()
    if asker.verified_at is None:
        raise refuse(
            gettext_noop(
                "The center verifies an organisation before it writes to units; yours is "
                "not verified yet."
            ),
            "inquiry.unverified",
            "asker",
        )
    if kind not in InquiryKind.values:
        raise refuse(gettext_noop("Choose a question or an expression of interest."),
                     "inquiry.kind", "kind")  # fmt: skip
    subject = _text(subject, field="subject", limit=SUBJECT_MAX, multiline=False)
    text = _text(text, field="text", limit=TEXT_MAX, multiline=True)
    _check_rate(actor)
    now = timezone.now()
    inquiry = Inquiry.objects.create(
        achievement=achievement,
        unit=achievement.unit,
        asker=asker,
        kind=kind,
        subject=subject,
        opened_by=actor,
        last_message_at=now,
        last_message_side=Side.ASKER,
        asker_read_at=now,
    )
    InquiryMessage.objects.create(inquiry=inquiry, author=actor, side=Side.ASKER, text=text)
    audit_record(
        actor=actor,
        organisation=asker,
        action="inquiry.open",
        obj=inquiry,
        after={"achievement": achievement.pk, "unit": achievement.unit_id, "kind": kind},
    )
    notices.tell_other_side(
        notices.opened_notice(kind),
        inquiry,
        sender_side=Side.ASKER,
        about=inquiry,
        asker=asker.name,
        name=achievement.name,
        subject=subject,
        text=notices.quote(text),
    )
    return inquiry


def _side(actor: User, inquiry: Inquiry) -> str:
    side = reads.side_of(actor, inquiry)
    if side is None:
        raise NotFound()
    return side


def _refuse_closed() -> Exception:
    return refuse(
        gettext_noop("This thread is closed: no more messages can be written in it. Open a "
                     "new one from the result's page if there is more to say."),
        "inquiry.closed",
        None,
    )  # fmt: skip


@transaction.atomic
def inquiry_reply(*, actor: User, inquiry: Inquiry, text: str) -> InquiryMessage:
    """A person of either side writes in an open thread; the other side hears of it at once."""
    side = _side(actor, inquiry)
    text = _text(text, field="text", limit=TEXT_MAX, multiline=True)
    inquiry = Inquiry.objects.select_for_update().select_related("achievement").get(pk=inquiry.pk)
    if inquiry.status != InquiryStatus.OPEN:
        raise _refuse_closed()
    message = InquiryMessage.objects.create(inquiry=inquiry, author=actor, side=side, text=text)
    read = {"unit_read_at" if side == Side.UNIT else "asker_read_at": message.created_at}
    Inquiry.objects.filter(pk=inquiry.pk).update(
        last_message_at=message.created_at, last_message_side=side, **read
    )
    sender = inquiry.unit if side == Side.UNIT else inquiry.asker
    notices.tell_other_side(
        notices.MESSAGE_RECEIVED,
        inquiry,
        sender_side=side,
        about=message,
        sender=sender.name,
        subject=inquiry.subject,
        name=inquiry.achievement.name,
        text=notices.quote(text),
    )
    return message


@decision
def inquiry_close(*, actor: User, inquiry: Inquiry) -> Inquiry:
    """Either side closes the thread: it stays readable, and no more messages are written in
    it; the other side hears of it at once."""
    side = _side(actor, inquiry)
    inquiry = Inquiry.objects.select_for_update().select_related("achievement").get(pk=inquiry.pk)
    if inquiry.status != InquiryStatus.OPEN:
        raise refuse(gettext_noop("This thread is closed already."), "inquiry.closed", None)
    inquiry.status = InquiryStatus.CLOSED
    inquiry.closed_at = timezone.now()
    inquiry.closed_by = actor
    inquiry.save(update_fields=["status", "closed_at", "closed_by"])
    sender = inquiry.unit if side == Side.UNIT else inquiry.asker
    audit_record(
        actor=actor,
        organisation=sender,
        action="inquiry.close",
        obj=inquiry,
        before={"status": InquiryStatus.OPEN.value},
        after={"status": InquiryStatus.CLOSED.value, "side": side},
    )
    notices.tell_other_side(
        notices.THREAD_CLOSED,
        inquiry,
        sender_side=side,
        about=inquiry,
        sender=sender.name,
        subject=inquiry.subject,
        name=inquiry.achievement.name,
    )
    return inquiry


def inquiry_mark_read(*, actor: User, inquiry: Inquiry) -> None:
    """The reader's side has read the thread up to now (its unread marker goes)."""
    side = reads.side_of(actor, inquiry)
    if side is None:
        return
    field = "unit_read_at" if side == Side.UNIT else "asker_read_at"
    Inquiry.objects.filter(pk=inquiry.pk).update(**{field: timezone.now()})
