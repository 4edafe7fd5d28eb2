"""M4.4: the open licensing part of ``kttc sweep`` (called from ``kttc.reform.sweep.run``).

Each day, :func:`kttc.reform.transformation.services.open_listing_refresh` puts on the open
licensing list the published results whose IP was obtained N or more years ago (N in force that
day), not transformed and without an accepted justification valid that day, each with a default
"use first, pay later" offer; takes off those transformed meanwhile; and puts back those whose
accepted justification ran out. The unit's transfer office hears once of each result listed, and
once of each result put back (about the justification that ran out).

DESIGN rule 5: entries and offers are written with INSERT … SELECT, a batch of results at a
time, and the notices of a batch are one INSERT … SELECT inside the batch's transaction. An
entry is unique per result and a notice per person and object, so two runs, or two sweeps at
once, list and notify nothing twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_many
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Role
from kttc.reform.transformation.choices import JustificationStatus
from kttc.reform.transformation.models import TransformationJustification
from kttc.reform.transformation.services import open_listing_refresh

LISTED = Notice(
    kind="reform.open_licensing_listed",
    subject=gettext_noop("On the open licensing list: %(name)s"),
    body=gettext_noop(
        "The IP of “%(name)s” was obtained on %(obtained)s, and the result is not transformed "
        "without an accepted justification (M4.4). It is now on the public open licensing list, "
        "offered on “use first, pay later” terms. Record its transformation, or file a "
        "justification, to take it off."
    ),
    clauses=("M4.4",),
)
LISTED_AGAIN = Notice(
    kind="reform.open_licensing_listed_again",
    subject=gettext_noop("Back on the open licensing list: %(name)s"),
    body=gettext_noop(
        "The accepted justification of “%(name)s” ran out on %(until)s and the result is still "
        "not transformed (M4.4): it is back on the public open licensing list."
    ),
    clauses=("M4.4",),
)

# The kinds of notices sent here, for people's preferences (kttc.core.notifications.kinds).
register_kind(LISTED.kind, gettext_lazy("A result goes on the open licensing list"), mandatory=True)
register_kind(
    LISTED_AGAIN.kind, gettext_lazy("A result goes back on the open licensing list"), mandatory=True
)

OFFICE = (Role.TRANSFER_OFFICE.value,)


def run(today: date) -> dict[str, int]:
    """M4.4: keep the open licensing list; tell the units of what went on it, once."""
    done = open_listing_refresh(
        today=today, notify_listed=_notify_listed, notify_listed_again=_notify_listed_again
    )
    return {
        "open licensing: listed": done.listed,
        "open licensing: listed again": done.listed_again,
        "open licensing: taken off (transformed)": done.taken_off,
        "open licensing notices": done.notices,
    }


def _notify_listed(entries: QuerySet[Any]) -> int:
    return notification_send_many(
        about=entries,
        organisation_field="unit_id",
        roles=OFFICE,
        notice=LISTED,
        params={"name": F("achievement__name"), "obtained": F("ip_obtained_on")},
        link=reverse("transformation:home"),
    )


def _notify_listed_again(entries: QuerySet[Any]) -> int:
    """About the justification that ran out (the newest accepted one of each result), so that a
    result put back again years later is told again."""
    newest = (
        TransformationJustification.objects.filter(
            achievement_id=OuterRef("achievement_id"), status=JustificationStatus.ACCEPTED
        )
        .order_by("-decided_at", "-pk")
        .values("pk")[:1]
    )
    lapsed = TransformationJustification.objects.filter(
        achievement_id__in=entries.values("achievement_id"), pk=Subquery(newest)
    )
    return notification_send_many(
        about=lapsed,
        organisation_field="unit_id",
        roles=OFFICE,
        notice=LISTED_AGAIN,
        params={"name": F("achievement__name"), "until": F("valid_until")},
        link=reverse("transformation:home"),
    )
