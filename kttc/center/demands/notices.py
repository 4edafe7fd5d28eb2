"""What people hear of a demand at once (DESIGN rule 12, M8.1): the center's reviewers of a
demand waiting for moderation; the enterprise that posted it of its publication, its rejection
(with the reason), an answer and its expiry. Each notice is sent once per event (its dedupe key),
on the platform and by e-mail after the decision commits."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.demands.models import Demand
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

SUBMITTED = Notice(
    kind="demand.submitted",
    subject=gettext_noop("Demand waiting for moderation: %(title)s"),
    body=gettext_noop(
        "%(organisation)s posted the technology demand “%(title)s” (M8.1). Read it and publish "
        "it in the demand hall, or reject it saying why."
    ),
    clauses=("M8.1",),
)
PUBLISHED = Notice(
    kind="demand.published",
    subject=gettext_noop("Demand published: %(title)s"),
    body=gettext_noop(
        "The center published your technology demand “%(title)s” in the demand hall (M8.1). "
        "Units and brokers can answer it until %(deadline)s."
    ),
    clauses=("M8.1",),
)
REJECTED = Notice(
    kind="demand.rejected",
    subject=gettext_noop("Demand not published: %(title)s"),
    body=gettext_noop(
        "The center did not publish your technology demand “%(title)s” (M8.1). The reason "
        "given: %(reason)s"
    ),
    clauses=("M8.1",),
)
ANSWERED = Notice(
    kind="demand.answered",
    subject=gettext_noop("New answer to your demand: %(title)s"),
    body=gettext_noop(
        "%(organisation)s answered your technology demand “%(title)s” (M8.1, M8.4). Read the "
        "answer on the demand's page."
    ),
    clauses=("M8.1", "M8.4"),
)
EXPIRED = Notice(
    kind="demand.expired",
    subject=gettext_noop("Demand expired: %(title)s"),
    body=gettext_noop(
        "The deadline of your technology demand “%(title)s” passed on %(deadline)s; it has left "
        "the demand hall (M8.1). Post it again if you still need it."
    ),
    clauses=("M8.1",),
)

register_kind(SUBMITTED.kind, _("A demand waits for moderation"))
register_kind(PUBLISHED.kind, _("Your demand is published"))
register_kind(REJECTED.kind, _("Your demand is rejected"))
register_kind(ANSWERED.kind, _("Your demand is answered"))
register_kind(EXPIRED.kind, _("Your demand expired"))


def roles_with(capability: Capability) -> tuple[str, ...]:
    return tuple(r.value for r in Role if role_can(r, capability))


def demand_page(demand: Demand) -> str:
    return reverse("demands:detail", args=[demand.pk])


def tell_enterprise(notice: Notice, demand: Demand, event: str, **params: Any) -> int:
    """The people of the enterprise who post its demands hear of ``notice``, once per
    ``event``."""
    return notification_send_now(
        roles=roles_with(Capability.POST_DEMANDS),
        organisation=demand.organisation,
        notice=Notice(
            notice.kind,
            notice.subject,
            notice.body,
            notice.clauses,
            {"title": demand.title, **params},
        ),
        dedupe_key=f"{notice.kind}:{demand.pk}:{event}",
        about=demand,
        link=demand_page(demand),
    )


def tell_reviewers(demand: Demand) -> int:
    """The center's reviewers hear of a demand waiting for them, once."""
    return notification_send_now(
        roles=roles_with(Capability.MODERATE_DEMANDS_ALL),
        notice=Notice(
            SUBMITTED.kind,
            SUBMITTED.subject,
            SUBMITTED.body,
            SUBMITTED.clauses,
            {"title": demand.title, "organisation": demand.organisation.name},
        ),
        dedupe_key=f"{SUBMITTED.kind}:{demand.pk}",
        about=demand,
        link=reverse("demands:moderation"),
    )
