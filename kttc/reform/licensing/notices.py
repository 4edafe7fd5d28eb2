"""What the parties of a licence hear at once (DESIGN rule 12, M3): the unit's transfer office of
an application received and of revenue reported, the enterprise of a licence concluded, of its
application declined, of a payment recorded and of a breach declared. Each notice is sent once
per object (its dedupe key) on the platform and e-mailed after the decision commits."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kttc.core.models import Organisation
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

APPLICATION_RECEIVED = Notice(
    kind="reform.licence_application_received",
    subject=gettext_noop("Licence application from %(applicant)s: %(name)s"),
    body=gettext_noop(
        "%(applicant)s applied for a licence of “%(name)s” (M3.1). Read its plan and decide: "
        "conclude the licence, or decline the application saying why."
    ),
    clauses=("M3.1",),
)
CONCLUDED = Notice(
    kind="reform.licence_concluded",
    subject=gettext_noop("Licence concluded: %(name)s"),
    body=gettext_noop(
        "%(unit)s concluded a licence of “%(name)s” with %(licensee)s, from %(starts)s to "
        "%(ends)s (M3.2, M3.3). The payment schedule is on the licence's page."
    ),
    clauses=("M3.2", "M3.3"),
)
DECLINED = Notice(
    kind="reform.licence_application_declined",
    subject=gettext_noop("Licence application declined: %(name)s"),
    body=gettext_noop(
        "%(unit)s declined the application of %(applicant)s for a licence of “%(name)s” "
        "(M3.1). The reason given: %(reason)s"
    ),
    clauses=("M3.1",),
)
DECLINED_EXCLUSIVE = Notice(
    kind="reform.licence_application_declined_exclusive",
    subject=gettext_noop("Licence application declined: %(name)s"),
    body=gettext_noop(
        "%(unit)s concluded an exclusive licence of “%(name)s” with another enterprise, so the "
        "application of %(applicant)s is declined (M3.1)."
    ),
    clauses=("M3.1",),
)
DECLINED_OFFER_CLOSED = Notice(
    kind="reform.licence_application_declined_closed",
    subject=gettext_noop("Licence application declined: %(name)s"),
    body=gettext_noop(
        "%(unit)s closed its licence offer of “%(name)s”, so the application of %(applicant)s "
        "is declined (M3.1)."
    ),
    clauses=("M3.1",),
)
REVENUE_REPORTED = Notice(
    kind="reform.licence_revenue_reported",
    subject=gettext_noop("Revenue reported under the licence of %(name)s"),
    body=gettext_noop(
        "%(licensee)s reported a revenue of %(revenue)s yuan from %(start)s to %(end)s under the "
        "licence of “%(name)s”; the royalty is %(royalty)s yuan, due on %(due)s (M3.2, M3.3)."
    ),
    clauses=("M3.2", "M3.3"),
)
PAYMENT_RECORDED = Notice(
    kind="reform.licence_payment_recorded",
    subject=gettext_noop("Payment of %(amount)s yuan recorded: %(name)s"),
    body=gettext_noop(
        "%(unit)s recorded a payment of %(amount)s yuan received on %(paid_on)s under the "
        "licence of “%(name)s” (M3.2)."
    ),
    clauses=("M3.2",),
)
BREACH_DECLARED = Notice(
    kind="reform.licence_breach_declared",
    subject=gettext_noop("Breach of the licence of %(name)s declared"),
    body=gettext_noop(
        "%(unit)s declared that %(licensee)s breached the licence of “%(name)s” (M3.4). It is "
        "now a credit record that units see when they consider a new licence; you can answer "
        "it on the licence's page. The reason given: %(reason)s"
    ),
    clauses=("M3.4",),
)

# The kinds of notices sent here, for people's preferences (kttc.core.notifications.kinds).
register_kind(APPLICATION_RECEIVED.kind, gettext_lazy("A licence application is received"))
register_kind(CONCLUDED.kind, gettext_lazy("A licence is concluded"))
register_kind(DECLINED.kind, gettext_lazy("A licence application is declined"))
register_kind(
    DECLINED_EXCLUSIVE.kind,
    gettext_lazy("A licence application is declined: an exclusive licence went to another"),
)
register_kind(
    DECLINED_OFFER_CLOSED.kind,
    gettext_lazy("A licence application is declined: the offer was closed"),
)
register_kind(REVENUE_REPORTED.kind, gettext_lazy("Revenue is reported under a licence"))
register_kind(PAYMENT_RECORDED.kind, gettext_lazy("A licence payment is recorded"))
register_kind(
    BREACH_DECLARED.kind, gettext_lazy("A breach of a licence is declared"), mandatory=True
)


def _roles(capability: Capability) -> tuple[str, ...]:
    return tuple(r.value for r in Role if role_can(r, capability))


def tell_unit(
    notice: Notice, unit: Organisation, about: models.Model, link: str, **params: Any
) -> int:
    """The unit's people who manage its licences hear of ``notice`` about ``about``, once."""
    return _tell(notice, _roles(Capability.MANAGE_LICENCES), unit, about, link, params)


def tell_enterprise(
    notice: Notice, enterprise: Organisation, about: models.Model, link: str, **params: Any
) -> int:
    """The enterprise's people who hold its licences hear of ``notice`` about ``about``, once."""
    return _tell(notice, _roles(Capability.HOLD_LICENCES), enterprise, about, link, params)


def _tell(
    notice: Notice,
    roles: tuple[str, ...],
    organisation: Organisation,
    about: models.Model,
    link: str,
    params: dict[str, Any],
) -> int:
    return notification_send_now(
        roles=roles,
        organisation=organisation,
        notice=Notice(notice.kind, notice.subject, notice.body, notice.clauses, params),
        dedupe_key=f"{notice.kind}:{about.pk}",
        about=about,
        link=link,
    )


def licence_page(pk: int) -> str:
    return reverse("licences:licence", args=[pk])


def application_page(pk: int) -> str:
    return reverse("licences:application", args=[pk])
