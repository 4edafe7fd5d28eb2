"""What people hear of certifications at once (DESIGN rule 12, M9.1, M9.2): the bureau of an
application waiting for it; the institution of its certification, refusal (with the reason),
revocation (with the reason) and its subsidy's disbursement; each broker of their reward line.
Each notice is sent once per event (its dedupe key), on the platform and by e-mail after the
decision commits."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.institutions.models import (
    BrokerRewardLine,
    CertificationApplication,
    Facilitation,
)
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import (
    Notice,
    notification_send_now,
    notification_send_to,
)
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

APPLIED = Notice(
    kind="institution.applied",
    subject=gettext_noop("Application for certification: %(institution)s"),
    body=gettext_noop(
        "%(institution)s applies for certification as a key demonstration service institution "
        "(M9.1). Read its materials and its record, then certify it for a term or refuse it "
        "saying why."
    ),
    clauses=("M9.1",),
)
CERTIFIED = Notice(
    kind="institution.certified",
    subject=gettext_noop("Certified as a key demonstration service institution"),
    body=gettext_noop(
        "The bureau certified %(institution)s as a key demonstration service institution from "
        "%(start)s to %(end)s (M9.1). Its subsidy is recorded when disbursed."
    ),
    clauses=("M9.1",),
)
REFUSED = Notice(
    kind="institution.refused",
    subject=gettext_noop("Certification refused: %(institution)s"),
    body=gettext_noop(
        "The bureau did not certify %(institution)s as a key demonstration service institution "
        "(M9.1). The reason given: %(reason)s"
    ),
    clauses=("M9.1",),
)
REVOKED = Notice(
    kind="institution.revoked",
    subject=gettext_noop("Certification revoked: %(institution)s"),
    body=gettext_noop(
        "The bureau revoked the certification of %(institution)s as a key demonstration service "
        "institution on %(date)s (M9.1). The reason given: %(reason)s"
    ),
    clauses=("M9.1",),
)
SUBSIDISED = Notice(
    kind="institution.subsidy",
    subject=gettext_noop("Subsidy disbursed: %(institution)s"),
    body=gettext_noop(
        "The bureau disbursed the subsidy of %(amount)s yuan to %(institution)s on %(date)s "
        "(M9.1). If the institution rewards its brokers from it, at least %(share)s goes to "
        "them (M9.2)."
    ),
    clauses=("M9.1", "M9.2"),
)
REWARDED = Notice(
    kind="institution.reward",
    subject=gettext_noop("Your reward as a technology broker: %(amount)s yuan"),
    body=gettext_noop(
        "%(institution)s rewards its technology brokers from its subsidy (M9.2): your share "
        "is %(share)s, %(amount)s yuan of %(total)s."
    ),
    clauses=("M9.2",),
)
FACILITATED = Notice(
    kind="institution.facilitated",
    subject=gettext_noop("You are named as the broker of a deal"),
    body=gettext_noop(
        "%(party)s named you as the technology broker who facilitated “%(deal)s”. Where the "
        "deal is public it now counts in your record on your public profile (M9.2)."
    ),
    clauses=("M9.1", "M9.2"),
)

register_kind(APPLIED.kind, _("A service institution applies for certification"))
register_kind(CERTIFIED.kind, _("Your institution is certified"))
register_kind(REFUSED.kind, _("Your institution's certification is refused"))
register_kind(REVOKED.kind, _("Your institution's certification is revoked"))
register_kind(SUBSIDISED.kind, _("Your institution's subsidy is disbursed"))
register_kind(REWARDED.kind, _("Your reward as a technology broker"))
register_kind(FACILITATED.kind, _("You are named as the broker of a deal"))


def roles_with(capability: Capability) -> tuple[str, ...]:
    return tuple(r.value for r in Role if role_can(r, capability))


def _filled(notice: Notice, **params: Any) -> Notice:
    return Notice(notice.kind, notice.subject, notice.body, notice.clauses, params)


def tell_bureau(application: CertificationApplication) -> int:
    """The bureau hears of an application waiting for it, once."""
    return notification_send_now(
        roles=roles_with(Capability.CERTIFY_INSTITUTIONS_ALL),
        notice=_filled(APPLIED, institution=application.institution.name),
        dedupe_key=f"{APPLIED.kind}:{application.pk}",
        about=application,
        link=reverse("institutions:application", args=[application.pk]),
    )


def tell_institution(notice: Notice, application: CertificationApplication, **params: Any) -> int:
    """The institution's staff hear of the bureau's decision on its application, once."""
    return notification_send_now(
        roles=roles_with(Capability.MANAGE_INSTITUTION),
        organisation=application.institution,
        notice=_filled(notice, institution=application.institution.name, **params),
        dedupe_key=f"{notice.kind}:{application.pk}",
        about=application,
        link=reverse("institutions:home") + f"?institution={application.institution_id}",
    )


def tell_broker(line: BrokerRewardLine, **params: Any) -> int:
    """A broker hears of their own line of a reward, once."""
    return notification_send_to(
        user=line.broker.person,
        notice=_filled(REWARDED, **params),
        dedupe_key=f"{REWARDED.kind}:{line.pk}",
        about=line,
        link=reverse("institutions:my_rewards"),
    )


def tell_facilitated(link: Facilitation, **params: Any) -> int:
    """The broker hears that a party named them on its deal, once per name."""
    return notification_send_to(
        user=link.broker.person,
        notice=_filled(FACILITATED, **params),
        dedupe_key=f"{FACILITATED.kind}:{link.pk}",
        about=link,
        link=reverse("service_institutions:broker", args=[link.broker_id]),
    )
