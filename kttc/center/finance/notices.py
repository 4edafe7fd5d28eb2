"""What people hear of a finance application at once (DESIGN rule 12, M12.1, M12.3): the bank's
people of each application filed or withdrawn; the applicant's people of the bank's decision,
of each repayment recorded and of the loan fully repaid (its pledge released). Each notice is
sent once per event (its dedupe key), on the platform and by e-mail after the decision commits."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.finance.models import FinanceApplication
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.policy import finance as rules
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

APPLIED = Notice(
    kind="finance.applied",
    subject=gettext_noop("Finance application: %(product)s"),
    body=gettext_noop(
        "%(applicant)s applied for “%(product)s”: %(amount)s yuan over %(term)s months. "
        "Approve it or refuse it saying why."
    ),
)
WITHDRAWN = Notice(
    kind="finance.withdrawn",
    subject=gettext_noop("Finance application withdrawn: %(product)s"),
    body=gettext_noop("%(applicant)s withdrew its application for “%(product)s”."),
)
APPROVED = Notice(
    kind="finance.decided",
    subject=gettext_noop("Finance application approved: %(product)s"),
    body=gettext_noop(
        "%(bank)s approved your application for “%(product)s”: %(amount)s yuan at %(rate)s%% a "
        "year over %(term)s months. The repayment schedule is on the application's page."
    ),
)
PLEDGE_APPROVED = Notice(
    kind=APPROVED.kind,
    subject=APPROVED.subject,
    body=gettext_noop(
        "%(bank)s approved your application for “%(product)s”: %(amount)s yuan at %(rate)s%% a "
        "year over %(term)s months; the pledge of your patents is registered under "
        "%(registration)s. The repayment schedule is on the application's page."
    ),
)
COVER_APPROVED = Notice(
    kind=APPROVED.kind,
    subject=APPROVED.subject,
    body=gettext_noop(
        "%(bank)s approved your application for “%(product)s”: number %(number)s, cover "
        "%(cover)s yuan, premium or fee %(premium)s yuan, from %(start)s to %(end)s."
    ),
)
REFUSED = Notice(
    kind=APPROVED.kind,
    subject=gettext_noop("Finance application refused: %(product)s"),
    body=gettext_noop("%(bank)s refused your application for “%(product)s”: %(reason)s"),
)
REPAYMENT = Notice(
    kind="finance.repayment",
    subject=gettext_noop("Repayment recorded: %(product)s"),
    body=gettext_noop(
        "%(bank)s recorded your repayment of %(amount)s yuan on %(date)s for “%(product)s”; "
        "%(owed)s yuan is still owed."
    ),
)
REPAID = Notice(
    kind="finance.repaid",
    subject=gettext_noop("Loan fully repaid: %(product)s"),
    body=gettext_noop(
        "The loan “%(product)s” of %(applicant)s is fully repaid (%(date)s); any pledge of its "
        "patents is released."
    ),
)

register_kind(APPLIED.kind, _("A finance application waits for the bank"))
register_kind(WITHDRAWN.kind, _("A finance application is withdrawn"))
register_kind(APPROVED.kind, _("The bank's decision on your finance application"))
register_kind(REPAYMENT.kind, _("A repayment of your loan is recorded"))
register_kind(REPAID.kind, _("A loan is fully repaid"))


def roles_with(capability: Capability) -> tuple[str, ...]:
    return tuple(r.value for r in Role if role_can(r, capability))


def application_page(application: FinanceApplication) -> str:
    """The application's page (empty where the pages are not installed)."""
    try:
        return reverse("finance:application", args=[application.pk])
    except NoReverseMatch:
        return ""


def _params(application: FinanceApplication, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "product": application.product.name,
        "applicant": application.applicant.name,
        "bank": application.bank.name,
        **params,
    }


def _send(
    notice: Notice, application: FinanceApplication, capability: Capability, key: str,
    params: dict[str, Any],
) -> int:  # fmt: skip
    organisation = (
        application.bank if capability is Capability.MANAGE_FINANCE else application.applicant
    )
    return notification_send_now(
        roles=roles_with(capability),
        organisation=organisation,
        notice=replace(
            notice, clauses=rules.clauses_of(application.kind), params=_params(application, params)
        ),
        dedupe_key=f"{notice.kind}:{application.pk}:{key}",
        about=application,
        link=application_page(application),
    )


def tell_bank(notice: Notice, application: FinanceApplication, **params: Any) -> int:
    """The bank's people hear of an application filed or withdrawn, once each."""
    return _send(notice, application, Capability.MANAGE_FINANCE, application.status, params)


def tell_applicant(
    notice: Notice, application: FinanceApplication, key: str = "", **params: Any
) -> int:
    """The applicant's people hear of the bank's step on their application, once each."""
    return _send(notice, application, Capability.APPLY_FINANCE, key or application.status, params)
