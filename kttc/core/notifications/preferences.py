"""People's choice, per kind of notice, between at once, the daily digest and off.

* **immediate** (the default): stored on the platform and e-mailed at once, as before.
* **digest**: stored on the platform at once (unread), e-mailed in one message a day listing
  the day's notices grouped by kind (:mod:`kttc.core.notifications.digest`).
* **off**: stored, so the history and the once-only key hold, but marked read at once and
  settled (``emailed_at`` set, no e-mail): it never counts as unread nor reaches the inbox.

A kind registered ``mandatory`` (a deadline or a decision the rules require the person to hear
of) may be at once or in the digest, never off: the services refuse it naming the kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from kttc.core.models import Notification, User
from kttc.core.notifications import kinds as notice_kinds
from kttc.core.notifications.models import Delivery, NotificationPreference
from kttc.core.services import audit_record, decision
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop


def deliveries_of(user: User) -> dict[str, str]:
    """Each registered kind's delivery for ``user``: their choice, or the kind's default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    found = {}
    for kind in notice_kinds.kinds():
        delivery = chosen.get(kind.kind, kind.default)
        found[kind.kind] = delivery if delivery in kind.choices else kind.default
    return found


def _check(kind: str, delivery: str) -> notice_kinds.Kind:
    registered = notice_kinds.get_kind(kind)
    if registered is None:
        raise refuse(gettext_noop("There is no kind of notice %(kind)s."), "notice.kind", kind,
                     kind=kind)  # fmt: skip
    if delivery not in notice_kinds.DELIVERIES:
        raise refuse(
            gettext_noop("Choose at once, the daily digest or off for %(label)s."),
            "notice.delivery", kind, label=str(registered.label),
        )  # fmt: skip
    if delivery not in registered.choices:
        raise refuse(
            gettext_noop(
                "%(label)s cannot be turned off: the rules require that you receive it. Choose "
                "at once or the daily digest."
            ),
            "notice.mandatory", kind, label=str(registered.label),
        )  # fmt: skip
    return registered


@decision
def preferences_set(*, user: User, changes: Mapping[str, str]) -> dict[str, str]:
    """Record ``user``'s choice for each kind of ``changes`` (kind → delivery). Refuses an
    unknown kind, an unknown delivery or ``off`` for a mandatory kind, naming the kind, and then
    changes nothing. Returns every kind's delivery."""
    checked = {kind: (_check(kind, delivery), delivery) for kind, delivery in changes.items()}
    before = deliveries_of(user)
    for kind, (registered, delivery) in checked.items():
        if delivery == registered.default:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"delivery": delivery}
            )
    after = deliveries_of(user)
    changed = {k: after[k] for k in after if after[k] != before.get(k)}
    if changed:
        audit_record(
            actor=user, organisation=None, action="notifications.preferences_set", obj=user,
            before={k: before.get(k) for k in changed}, after=changed,
        )  # fmt: skip
    return after


# --- the deliveries' conditions, set-based over notifications ---------------------------------


def _chosen(delivery: str | None = None) -> Exists:
    """The notice's recipient chose a delivery (``delivery``, or any) for its kind."""
    chosen = NotificationPreference.objects.filter(
        user_id=OuterRef("recipient_id"), kind=OuterRef("kind")
    )
    return Exists(chosen.filter(delivery=delivery) if delivery else chosen)


def digest_q() -> Q:
    """Notices whose recipient takes their kind in the daily digest."""
    condition = Q(_chosen(Delivery.DIGEST))
    by_default = [k.kind for k in notice_kinds.kinds() if k.default == notice_kinds.DIGEST]
    if by_default:
        condition |= Q(kind__in=by_default) & ~Q(_chosen())
    return condition


def _off_recipients(kind: str) -> Q | None:
    """The recipients who turned ``kind`` off (None: nobody can, it is mandatory)."""
    registered = notice_kinds.get_kind(kind)
    if registered is not None and registered.mandatory:
        return None
    chosen = NotificationPreference.objects.filter(kind=kind)
    if registered is not None and registered.default == notice_kinds.OFF:
        kept = chosen.exclude(delivery=Delivery.OFF).values("user_id")
        return ~Q(recipient_id__in=kept)
    return Q(recipient_id__in=chosen.filter(delivery=Delivery.OFF).values("user_id"))


def settle_off(*, kind: str, dedupe_key: str | None = None, now: datetime | None = None) -> int:
    """Mark read and settled (no e-mail) the unsent notices of ``kind`` (of ``dedupe_key``)
    whose recipient turned the kind off: one UPDATE driven by the few who chose off."""
    recipients = _off_recipients(kind)
    if recipients is None:
        return 0
    unsent = Notification.objects.filter(recipients, kind=kind, emailed_at__isnull=True)
    if dedupe_key is not None:
        unsent = unsent.filter(dedupe_key=dedupe_key)
    now = now or timezone.now()
    return unsent.update(read_at=Coalesce("read_at", now), emailed_at=now)


def settle_off_all(*, now: datetime | None = None) -> int:
    """:func:`settle_off` for every kind someone turned off or that is off by default."""
    turned_off = set(
        NotificationPreference.objects.filter(delivery=Delivery.OFF)
        .values_list("kind", flat=True)
        .distinct()
        .order_by()
    )
    turned_off |= {k.kind for k in notice_kinds.kinds() if k.default == notice_kinds.OFF}
    return sum(settle_off(kind=kind, now=now) for kind in sorted(turned_off))
