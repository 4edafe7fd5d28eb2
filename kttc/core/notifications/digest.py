"""The daily digest: one e-mail a day per person listing the notices of the kinds they take in
the digest (``kttc.core.notifications.preferences``), grouped by kind, in their language.

``kttc sweep`` sends it after the e-mails of the notices taken at once. The notices are claimed
first (the conditional UPDATE of ``emailed_at`` of the other deliveries), so running it twice,
or two at once, sends each notice once; a message that fails gives its notices back.
"""

from __future__ import annotations

import logging
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kttc.core.models import Notification, User
from kttc.core.notifications import kinds as notice_kinds
from kttc.core.notifications import preferences
from kttc.core.notifications.services import Delivery, claim_unsent, stamps

logger = logging.getLogger(__name__)

#: A digest lists this many notices of each kind and counts the rest.
DIGEST_LISTS_AT_MOST = 20


def notifications_digest(*, site_url: str | None = None) -> Delivery:
    """Send each person waiting for one their digest: one message with every notice of their
    digest kinds not yet e-mailed. Returns what was sent."""
    base = (site_url or settings.KTTC_SITE_URL).rstrip("/")
    preferences.settle_off_all()
    waiting = (
        Notification.objects.filter(emailed_at__isnull=True, recipient__is_active=True)
        .filter(preferences.digest_q())
        .exclude(recipient__email="")
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by()
    )
    delivery = Delivery()
    with get_connection() as mail:
        for recipient_id, stamp in zip(list(waiting), stamps(), strict=False):
            claimed = claim_unsent(recipient_id, stamp, digest=True)
            if not claimed:
                continue  # another run took them
            try:
                message = _digest(User.objects.get(pk=recipient_id), claimed, base)
                message.connection = mail
                message.send()
            except Exception:
                logger.exception("digest to person %s failed; retried next time", recipient_id)
                Notification.objects.filter(recipient_id=recipient_id, emailed_at=stamp).update(
                    emailed_at=None
                )
                delivery.failed += 1
                continue
            delivery.emails += 1
            delivery.notices += len(claimed)
    return delivery


def _digest(user: User, claimed: list[int], base: str) -> EmailMessage:
    """The digest of ``claimed`` in ``user``'s language, grouped by kind (labels ordered)."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        notices = (
            Notification.objects.filter(pk__in=claimed)
            .select_related("organisation")
            .order_by("kind", "-created_at", "-id")
        )
        groups = []
        for kind, items in groupby(notices, key=lambda n: n.kind):
            listed = list(items)
            groups.append(
                {
                    "label": notice_kinds.label_of(kind),
                    "notifications": listed[:DIGEST_LISTS_AT_MOST],
                    "more": max(len(listed) - DIGEST_LISTS_AT_MOST, 0),
                }
            )
        groups.sort(key=lambda g: str(g["label"]))
        context = {
            "user": user,
            "groups": groups,
            "count": len(claimed),
            "base": base,
            "inbox": base + reverse("office:notifications"),
            "preferences": base + reverse("office:notification_preferences"),
        }
        subject = render_to_string("core/email/digest_subject.txt", context)
        body = render_to_string("core/email/digest.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[user.email])
