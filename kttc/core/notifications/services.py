"""Writes of notifications: send (idempotent by a dedupe key), mark read, e-mail once.

Notices are written set-based: one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per call, whatever
the number of recipients or of objects, so a sweep over a million results costs a few
statements, not a Python loop over rows. The unique (recipient, dedupe key) index makes a second
send of the same notice a no-op (DESIGN rule 5); e-mails are claimed with a conditional
``UPDATE`` before they are sent, so two deliveries running at once never send a notice twice.
A notice someone waits for (:func:`notification_send_now`) is e-mailed as soon as its
transaction commits, not only by the daily sweep (DESIGN rule 12).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, models, transaction
from django.db.models import CharField, DateTimeField, F, JSONField, Value
from django.db.models.functions import Cast, Concat, JSONObject
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kttc.core.models import Membership, Notification, Organisation, User
from kttc.core.notifications import preferences

logger = logging.getLogger(__name__)

#: Columns written by a send, in this order (read_at and emailed_at stay NULL).
_COLUMNS = ("recipient_id", "organisation_id", "kind", "subject", "body", "params", "link",
            "clauses", "object_type", "object_id", "dedupe_key", "created_at")  # fmt: skip

#: An e-mail lists this many notices and counts the rest (all of them are on the platform).
EMAIL_LISTS_AT_MOST = 20


@dataclass(frozen=True)
class Notice:
    """What a notification says. ``subject`` and ``body`` are English gettext templates (marked
    with ``gettext_noop``) filled from ``params`` in each reader's language."""

    kind: str
    subject: str
    body: str = ""
    clauses: Sequence[str] = ()
    params: Mapping[str, Any] = field(default_factory=dict)


def stamps() -> Iterator[datetime]:
    """Strictly increasing "now"s: each claim of a run is told apart by its own stamp."""
    last = None
    while True:
        now = timezone.now()
        if last is not None and now <= last:
            now = last + timedelta(microseconds=1)
        last = now
        yield now


def link_with_pk(viewname: str, pk_field: str = "pk") -> Concat:
    """A database expression for ``reverse(viewname, args=[pk])`` of each row (the URL of the
    object a notice is about), for a query that writes many notices at once."""
    marker = 987654321987654321
    before, after = reverse(viewname, args=[marker]).split(str(marker))
    return Concat(
        Value(before), Cast(pk_field, output_field=CharField()), Value(after),
        output_field=CharField(),
    )  # fmt: skip


def _recipients_sql(roles: Sequence[str]) -> tuple[str, list[Any]]:
    """The join from a selection's ``n_organisation`` to the active people holding ``roles``."""
    membership, user = Membership._meta.db_table, User._meta.db_table
    marks = ", ".join(["%s"] * len(roles))
    sql = (
        f'INNER JOIN "{membership}" m ON m."organisation_id" = s."n_organisation" '
        f'INNER JOIN "{user}" u ON u."id" = m."user_id" '
        f'WHERE m."role" IN ({marks}) AND m."revoked_at" IS NULL AND u."is_active" = %s'
    )
    return sql, [*roles, True]


def _insert(select_sql: str, params: Sequence[Any]) -> int:
    """Insert the rows of ``select_sql`` (the :data:`_COLUMNS`, in order) once: a row whose
    (recipient, dedupe key) exists already is skipped. Returns how many were written."""
    table = Notification._meta.db_table
    columns = ", ".join(f'"{c}"' for c in _COLUMNS)
    # SQLite needs the SELECT to have a WHERE clause before ON CONFLICT (it has one).
    sql = f'INSERT INTO "{table}" ({columns}) {select_sql} ON CONFLICT DO NOTHING'
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _constant_columns(notice: Notice, object_type: str, now: datetime) -> dict[str, Any]:
    return {
        "n_kind": Value(notice.kind),
        "n_subject": Value(notice.subject),
        "n_body": Value(notice.body),
        "n_clauses": Value(list(notice.clauses), output_field=JSONField()),
        "n_object_type": Value(object_type),
        "n_created_at": Value(now, output_field=DateTimeField()),
    }


def _select_sql(selection: models.QuerySet[Any], roles: Sequence[str]) -> tuple[str, list[Any]]:
    """``SELECT`` of the :data:`_COLUMNS` for each person holding ``roles`` in each row's
    ``n_organisation`` of ``selection`` (annotated with the ``n_*`` columns)."""
    names = ["n_organisation", "n_kind", "n_subject", "n_body", "n_params", "n_link", "n_clauses",
             "n_object_type", "n_object_id", "n_dedupe_key", "n_created_at"]  # fmt: skip
    inner, inner_params = selection.order_by().values(*names).query.sql_with_params()
    join, join_params = _recipients_sql(roles)
    outer = ", ".join(f's."{n}"' for n in names)
    # In recipient order, so that each person's notices share pages: marking them e-mailed
    # then rewrites few pages (SQLite rewrites whole pages).
    sql = f'SELECT m."user_id", {outer} FROM ({inner}) s {join} ORDER BY m."user_id"'  # noqa: S608
    return sql, [*inner_params, *join_params]


def notification_send(
    *,
    roles: Sequence[str],
    notice: Notice,
    dedupe_key: str,
    organisation: Organisation | None = None,
    about: models.Model | None = None,
    link: str = "",
    now: datetime | None = None,
) -> int:
    """Notify the people holding one of ``roles`` in ``organisation`` (in any organisation when
    it is None: the bureau, the auditors) of ``notice``, once per ``dedupe_key``: sending it
    again writes nothing. Returns how many notifications were written."""
    if not roles:
        return 0
    people = Membership.objects.filter(
        role__in=roles, revoked_at__isnull=True, user__is_active=True
    )
    if organisation is not None:
        people = people.filter(organisation=organisation)
    selection = people.annotate(
        n_recipient=F("user_id"),
        # Typed, so that PostgreSQL takes a NULL for the bigint column.
        n_organisation=Cast(
            Value(organisation.pk if organisation else None), models.BigIntegerField()
        ),
        n_params=Value(dict(notice.params), output_field=JSONField()),
        n_link=Value(link),
        n_object_id=Value(str(about.pk) if about is not None else ""),
        n_dedupe_key=Value(dedupe_key),
        **_constant_columns(
            notice, about._meta.label_lower if about is not None else "", now or timezone.now()
        ),
    )
    names = ["n_recipient", "n_organisation", "n_kind", "n_subject", "n_body", "n_params",
             "n_link", "n_clauses", "n_object_type", "n_object_id", "n_dedupe_key",
             "n_created_at"]  # fmt: skip
    inner, params = selection.order_by().values(*names).query.sql_with_params()
    outer = ", ".join(f's."{n}"' for n in names)
    # A person holding two of the roles gives two equal rows: the second is skipped as a
    # conflict. The WHERE keeps SQLite's parser from reading ON CONFLICT as part of the FROM.
    written = _insert(f"SELECT {outer} FROM ({inner}) s WHERE 1 = 1", params)  # noqa: S608
    if written:  # those who turned the kind off: read at once, never e-mailed
        preferences.settle_off(kind=notice.kind, dedupe_key=dedupe_key)
    return written


def notification_send_now(
    *,
    roles: Sequence[str],
    notice: Notice,
    dedupe_key: str,
    organisation: Organisation | None = None,
    about: models.Model | None = None,
    link: str = "",
) -> int:
    """:func:`notification_send` for a state change someone waits for (DESIGN rule 12): the
    notices written are e-mailed as soon as the transaction commits, one message per person in
    their language (:func:`notifications_email_now`). Mail that fails never undoes the decision:
    its notices wait for the sweep's delivery. Returns how many notifications were written."""
    written = notification_send(
        roles=roles,
        notice=notice,
        dedupe_key=dedupe_key,
        organisation=organisation,
        about=about,
        link=link,
    )
    if written:
        _email_after_commit(dedupe_key)
    return written


def notification_send_to(
    *,
    user: User,
    notice: Notice,
    dedupe_key: str,
    about: models.Model | None = None,
    link: str = "",
) -> int:
    """Notify one person (the owner of a saved search, say) of ``notice`` at once, once per
    ``dedupe_key``, as :func:`notification_send_now` does for the people of a role: e-mailed
    after the transaction commits unless they take its kind in the digest or turned it off.
    Returns 1 when written, 0 when it was sent already."""
    try:
        with transaction.atomic():  # a savepoint: a second send only meets the unique key
            Notification.objects.create(
                recipient=user,
                kind=notice.kind,
                subject=notice.subject,
                body=notice.body,
                params=dict(notice.params),
                link=link,
                clauses=list(notice.clauses),
                object_type=about._meta.label_lower if about is not None else "",
                object_id=str(about.pk) if about is not None else "",
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return 0
    preferences.settle_off(kind=notice.kind, dedupe_key=dedupe_key)
    _email_after_commit(dedupe_key)
    return 1


def notification_send_many(
    *,
    about: models.QuerySet[Any],
    organisation_field: str,
    roles: Sequence[str],
    notice: Notice,
    params: Mapping[str, Any],
    link: Any = "",
    now: datetime | None = None,
) -> int:
    """Notify, for each object of ``about``, the people holding one of ``roles`` in the
    organisation named by the object's ``organisation_field``, in one statement (set-based:
    no Python loop over the objects). ``params`` maps each parameter of the notice's templates
    to a database expression over the object (``F("name")``); ``link`` is an expression too
    (see :func:`link_with_pk`). The dedupe key is the notice's kind and the object's id, so an
    object is notified of a kind once. Returns how many notifications were written."""
    object_id = Cast("pk", output_field=CharField())
    selection = about.annotate(
        n_organisation=F(organisation_field),
        n_params=JSONObject(**params),
        n_link=link if isinstance(link, models.Expression) else Value(link),
        n_object_id=object_id,
        n_dedupe_key=Concat(Value(f"{notice.kind}:"), object_id, output_field=CharField()),
        **_constant_columns(notice, about.model._meta.label_lower, now or timezone.now()),
    )
    sql, sql_params = _select_sql(selection, roles)
    written = _insert(sql, sql_params)
    if written:  # those who turned the kind off: read at once, never e-mailed
        preferences.settle_off(kind=notice.kind)
    return written


def notification_mark_read(
    *, user: User, ids: Sequence[int] | None = None, now: datetime | None = None
) -> int:
    """Mark ``user``'s own notifications read (those of ``ids``, or all); returns how many
    changed. Someone else's ids are ignored."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=now or timezone.now())


@dataclass
class Delivery:
    """What an e-mail delivery did."""

    emails: int = 0
    notices: int = 0
    failed: int = 0


def notifications_email(*, site_url: str | None = None) -> Delivery:
    """E-mail each person their notifications not yet e-mailed, in one message per person, in
    their language, but those of the kinds the person takes in the daily digest
    (:mod:`kttc.core.notifications.digest`) or turned off (settled first, without e-mail).
    Each person's notices are claimed first (a conditional UPDATE of ``emailed_at``), so two
    deliveries at once never send the same notice twice; a message that fails to send gives
    its notices back for the next delivery."""
    base = (site_url or settings.KTTC_SITE_URL).rstrip("/")
    preferences.settle_off_all()
    waiting = (
        Notification.objects.filter(emailed_at__isnull=True, recipient__is_active=True)
        .exclude(preferences.digest_q())
        .exclude(recipient__email="")
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by()
    )
    delivery = Delivery()
    with get_connection() as mail:
        for recipient_id, stamp in zip(list(waiting), stamps(), strict=False):
            claimed = claim_unsent(recipient_id, stamp)
            if not claimed:
                continue  # another delivery took them
            message = _email(User.objects.get(pk=recipient_id), claimed, base)
            try:
                message.connection = mail
                message.send()
            except Exception:
                logger.exception("e-mail to person %s failed; retried next time", recipient_id)
                Notification.objects.filter(recipient_id=recipient_id, emailed_at=stamp).update(
                    emailed_at=None
                )
                delivery.failed += 1
                continue
            delivery.emails += 1
            delivery.notices += len(claimed)
    return delivery


def _email_after_commit(dedupe_key: str) -> None:
    """E-mail the notices of ``dedupe_key`` once the transaction commits: by a worker of the task
    queue with a broker (``kttc.notifications.email_now``), else in this process."""
    if settings.KTTC_BROKER_URL:
        from kttc.core import tasks
        from kttc.core.notifications.tasks import email_now

        tasks.enqueue(email_now, dedupe_key)
    else:
        transaction.on_commit(functools.partial(notifications_email_now, dedupe_key), robust=True)


def notifications_email_now(dedupe_key: str, *, site_url: str | None = None) -> Delivery:
    """E-mail the notifications of ``dedupe_key`` not yet e-mailed, each on its own, to its
    recipient in their language. They are claimed first (a conditional UPDATE of ``emailed_at``),
    so the sweep's delivery running at once never sends them twice; one that fails to send is
    given back to it. Never raises: the decision that sent them is committed already."""
    delivery = Delivery()
    try:
        base = (site_url or settings.KTTC_SITE_URL).rstrip("/")
        stamp = next(stamps())
        waiting = list(
            Notification.objects.filter(
                dedupe_key=dedupe_key, emailed_at__isnull=True, recipient__is_active=True
            )
            .exclude(preferences.digest_q())  # they wait for the person's daily digest
            .exclude(recipient__email="")
            .values_list("pk", flat=True)
        )
        if not waiting:
            return delivery
        Notification.objects.filter(pk__in=waiting, emailed_at__isnull=True).update(
            emailed_at=stamp
        )
        claimed = list(
            Notification.objects.filter(pk__in=waiting, emailed_at=stamp).select_related(
                "recipient", "organisation"
            )
        )
    except Exception:
        logger.exception("notices %s not e-mailed at once; the sweep sends them", dedupe_key)
        return delivery
    with get_connection() as mail:
        for notification in claimed:
            try:
                message = _email_one(notification, base)
                message.connection = mail
                message.send()
            except Exception:
                logger.exception("e-mail of notice %s failed; retried next time", notification.pk)
                Notification.objects.filter(pk=notification.pk, emailed_at=stamp).update(
                    emailed_at=None
                )
                delivery.failed += 1
                continue
            delivery.emails += 1
            delivery.notices += 1
    return delivery


def _email_one(notification: Notification, base: str) -> EmailMessage:
    """One message with one notice, in its recipient's language; its subject is the notice's."""
    user = notification.recipient
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "n": notification,
            "base": base,
            "inbox": base + reverse("office:notifications"),
        }
        subject = "KTTC: " + " ".join(notification.subject_text.split())
        body = render_to_string("core/email/notice.txt", context)
    return EmailMessage(subject, body, to=[user.email])


def claim_unsent(recipient_id: int, stamp: datetime, *, digest: bool = False) -> list[int]:
    """Claim a person's notifications not yet e-mailed, those taken at once (or, ``digest``,
    those taken in the daily digest), with one conditional UPDATE (committed at once, so a
    second delivery skips them); returns the ids claimed."""
    unsent = Notification.objects.filter(recipient_id=recipient_id, emailed_at__isnull=True)
    in_digest = preferences.digest_q()
    unsent = unsent.filter(in_digest) if digest else unsent.exclude(in_digest)
    unsent.update(emailed_at=stamp)
    # The stamp is this claim's own (``stamps``): the rows carrying it are the ones it took.
    claimed = Notification.objects.filter(recipient_id=recipient_id, emailed_at=stamp)
    return list(claimed.values_list("pk", flat=True))


def _email(user: User, claimed: list[int], base: str) -> EmailMessage:
    """One message listing the newest of the ``claimed`` notifications, in ``user``'s language."""
    newest = sorted(claimed)[-EMAIL_LISTS_AT_MOST:]
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        listed = list(
            Notification.objects.filter(pk__in=newest)
            .select_related("organisation")
            .order_by("-created_at", "-id")
        )
        context = {
            "user": user,
            "notifications": listed,
            "count": len(claimed),
            "more": len(claimed) - len(listed),
            "base": base,
            "inbox": base + reverse("office:notifications"),
        }
        subject = render_to_string("core/email/notifications_subject.txt", context)
        body = render_to_string("core/email/notifications.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[user.email])
