"""The API of the threads on results: list mine (either side), open one on a published result,
read one with its messages, write in it, close it. The same use cases and services as the pages;
only the two organisations' people see a thread (404 for anyone else); failures answer the one
error shape."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kttc.center.inquiries import selectors as reads
from kttc.center.inquiries import services
from kttc.center.inquiries.choices import InquiryKind
from kttc.center.inquiries.models import SUBJECT_MAX, TEXT_MAX, Inquiry, InquiryMessage
from kttc.core.api import AUTH
from kttc.core.errors import AccessDenied
from kttc.core.parsing import ApiId, Pages
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user
from kttc.registry.selectors import public_achievements

router = Router(tags=["inquiries"])


class InquiryOpenIn(Schema):
    achievement_id: ApiId
    #: The asking organisation; may be left out by a person who asks for one organisation only.
    asker_id: ApiId | None = None
    kind: Literal["question", "interest"] = "question"
    subject: Text = Field(..., max_length=SUBJECT_MAX)
    text: LongText = Field(..., max_length=TEXT_MAX)


class InquiryReplyIn(Schema):
    text: LongText = Field(..., max_length=TEXT_MAX)


class InquiryOut(Schema):
    id: int
    achievement_id: int
    unit_id: int
    asker_id: int
    kind: str
    subject: str
    status: str
    created_at: datetime
    last_message_at: datetime
    closed_at: datetime | None


class MessageOut(Schema):
    id: int
    inquiry_id: int
    side: str
    author_name: str
    text: str
    created_at: datetime

    @staticmethod
    def resolve_author_name(obj: InquiryMessage) -> str:
        return obj.author.full_name


class InquiryDetailOut(InquiryOut):
    messages: list[MessageOut]


def _visible(request: HttpRequest, pk: int) -> Inquiry:
    return get_object_or_404(reads.inquiries_visible_to(acting_user(request)), pk=pk)


def _detail(inquiry: Inquiry) -> dict[str, Any]:
    return {
        **{f: getattr(inquiry, f) for f in InquiryOut.model_fields},
        "messages": list(reads.messages_of(inquiry)),
    }


@router.get("/inquiries", response=list[InquiryOut], auth=AUTH)
@paginate(Pages)
def inquiries(request: HttpRequest, side: Literal["", "unit", "asker"] = "",
              status: Literal["", "open", "closed"] = ""):  # fmt: skip
    """The caller's threads: those on its unit's results (``side=unit``), those its
    organisations opened (``side=asker``), or both; newest message first."""
    user = acting_user(request)
    if side:
        return reads.inbox_of(user, side=side, status=status)
    rows = reads.inquiries_visible_to(user)
    return rows.filter(status=status) if status else rows


@router.post("/inquiries", response={201: InquiryDetailOut}, auth=AUTH)
def inquiry_open(request: HttpRequest, payload: InquiryOpenIn):
    """Ask a question on a published result, or express interest in it (``kind``); the unit's
    transfer office hears of it at once."""
    user = acting_user(request)
    achievement = get_object_or_404(public_achievements(), pk=payload.achievement_id)
    askers = reads.askers_of(user)
    if payload.asker_id is not None:
        asker = askers.filter(pk=payload.asker_id).first()
    else:
        asker = askers.first() if askers.count() == 1 else None
    if asker is None:
        raise AccessDenied(field="asker_id")
    inquiry = services.inquiry_open(
        actor=user,
        achievement=achievement,
        asker=asker,
        kind=InquiryKind(payload.kind).value,
        subject=payload.subject,
        text=payload.text,
    )
    return Status(201, _detail(inquiry))


@router.get("/inquiries/{pk}", response=InquiryDetailOut, auth=AUTH)
def inquiry(request: HttpRequest, pk: ApiId) -> dict[str, Any]:
    """A thread with its messages, oldest first; reading it clears the caller's unread mark."""
    found = _visible(request, pk)
    services.inquiry_mark_read(actor=acting_user(request), inquiry=found)
    return _detail(found)


@router.post("/inquiries/{pk}/messages", response={201: MessageOut}, auth=AUTH)
def inquiry_reply(request: HttpRequest, pk: ApiId, payload: InquiryReplyIn):
    """Write in an open thread; the other side hears of it at once (a closed thread refuses)."""
    message = services.inquiry_reply(
        actor=acting_user(request), inquiry=_visible(request, pk), text=payload.text
    )
    return Status(201, message)


@router.post("/inquiries/{pk}/close", response=InquiryOut, auth=AUTH)
def inquiry_close(request: HttpRequest, pk: ApiId) -> Inquiry:
    """Close the thread (either side); the other side hears of it at once."""
    return services.inquiry_close(actor=acting_user(request), inquiry=_visible(request, pk))


__all__ = ["router"]
