"""Reads of the threads on results. Only the two organisations' people read a thread: the asking
organisation's enterprise or broker people, and the unit's transfer office (anyone else is told
the thread does not exist)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kttc.center.inquiries.choices import InquiryStatus, Side
from kttc.center.inquiries.models import Inquiry, InquiryMessage
from kttc.core.models import Membership, Organisation, User
from kttc.policy.roles import Role

#: The roles that ask on behalf of their organisation, and those that answer for the unit.
ASKING_ROLES: tuple[str, ...] = (Role.ENTERPRISE.value, Role.SERVICE_BROKER.value)
ANSWERING_ROLES: tuple[str, ...] = (Role.TRANSFER_OFFICE.value,)


def _organisations(user: User, roles: tuple[str, ...]) -> QuerySet[Organisation]:
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    ids = Membership.objects.filter(user=user, role__in=roles, revoked_at__isnull=True).values(
        "organisation_id"
    )
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def askers_of(user: User) -> QuerySet[Organisation]:
    """The organisations on whose behalf ``user`` asks (enterprise or service institution)."""
    return _organisations(user, ASKING_ROLES)


def units_answering(user: User) -> QuerySet[Organisation]:
    """The units whose threads ``user`` reads and answers (their transfer office)."""
    return _organisations(user, ANSWERING_ROLES)


def inquiries_visible_to(user: User) -> QuerySet[Inquiry]:
    """The threads ``user`` may read: those of the units it answers for and those its
    organisations opened."""
    return Inquiry.objects.filter(
        Q(unit__in=units_answering(user)) | Q(asker__in=askers_of(user))
    ).select_related("achievement", "unit", "asker")


def inbox_of(user: User, *, side: str, status: str = "") -> QuerySet[Inquiry]:
    """The threads of one ``side`` of ``user`` (the unit's inbox, or the asker's "my
    questions"), newest message first; ``status`` (open or closed) filters when given."""
    if side == Side.UNIT:
        rows = Inquiry.objects.filter(unit__in=units_answering(user))
    else:
        rows = Inquiry.objects.filter(asker__in=askers_of(user))
    if status in InquiryStatus.values:
        rows = rows.filter(status=status)
    return rows.select_related("achievement", "unit", "asker")


def side_of(user: User, inquiry: Inquiry) -> str | None:
    """The side ``user`` takes in ``inquiry`` (the unit's when it is on both), or None."""
    if units_answering(user).filter(pk=inquiry.unit_id).exists():
        return Side.UNIT.value
    if askers_of(user).filter(pk=inquiry.asker_id).exists():
        return Side.ASKER.value
    return None


def messages_of(inquiry: Inquiry) -> QuerySet[InquiryMessage]:
    return inquiry.messages.select_related("author").order_by("created_at", "id")


def unread_count(user: User) -> int:
    """How many threads wait for ``user`` to read them, on either side."""
    count = 0
    for side in (Side.UNIT, Side.ASKER):
        for inquiry in inbox_of(user, side=side).exclude(last_message_side=side)[:500]:
            count += inquiry.unread_for(side)
    return count
