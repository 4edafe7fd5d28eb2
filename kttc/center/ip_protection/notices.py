"""What people hear of an IP protection case at once (DESIGN rule 12, M11.2): the center's IP
staff of each case filed; the parties (the complainant, and the respondent when it is an
organisation on the platform, once the case is taken on) and the staff of each step taken on
it. Each notice is sent once per event (its dedupe key), on the platform and by e-mail after the
decision commits."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.ip_protection import selectors
from kttc.center.ip_protection.models import IpCase
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

CLAUSES = ("M11.2",)


def _notice(kind: str, subject: str, body: str) -> Notice:
    return Notice(kind=f"ip_case.{kind}", subject=subject, body=body, clauses=CLAUSES)


FILED = _notice(
    "filed",
    gettext_noop("IP protection case filed: %(number)s"),
    gettext_noop(
        "%(complainant)s filed a case against %(respondent)s on the patent %(patent)s (M11.2). "
        "Decide on its intake by %(due)s."
    ),
)
ACCEPTED = _notice(
    "accepted",
    gettext_noop("IP protection case accepted: %(number)s"),
    gettext_noop(
        "The center accepted the case %(number)s on the patent %(patent)s (M11.2). Mediation "
        "comes first, by %(due)s."
    ),
)
REFUSED = _notice(
    "refused",
    gettext_noop("IP protection case not taken on: %(number)s"),
    gettext_noop("The center did not take on the case %(number)s (M11.2): %(reason)s"),
)
SETTLED = _notice(
    "settled",
    gettext_noop("IP protection case settled: %(number)s"),
    gettext_noop(
        "The case %(number)s was settled in mediation on %(date)s and is closed with the "
        "agreement (M11.2)."
    ),
)
MEDIATION_FAILED = _notice(
    "mediation_failed",
    gettext_noop("Mediation failed, to a hearing: %(number)s"),
    gettext_noop(
        "Mediation of the case %(number)s failed on %(date)s (M11.2). The case will be heard "
        "and decided by %(due)s."
    ),
)
ADJOURNED = _notice(
    "adjourned",
    gettext_noop("Mediation session held: %(number)s"),
    gettext_noop(
        "A mediation session of the case %(number)s was held on %(date)s and adjourned; "
        "another session follows (M11.2)."
    ),
)
HEARING = _notice(
    "hearing",
    gettext_noop("Hearing of %(number)s on %(date)s"),
    gettext_noop("The case %(number)s will be heard on %(date)s at %(place)s (M11.2)."),
)
DECIDED = _notice(
    "decided",
    gettext_noop("IP protection case decided: %(number)s"),
    gettext_noop(
        "The case %(number)s was decided on %(date)s (M11.2). The decision is on the case's "
        "page. A party may sue within 15 days of receiving it (Patent Law art. 65)."
    ),
)
ENFORCED = _notice(
    "enforced",
    gettext_noop("Enforcement recorded, case closed: %(number)s"),
    gettext_noop(
        "The enforcement of the measures ordered in the case %(number)s was recorded on %(date)s "
        "and the case is closed (M11.2)."
    ),
)
PUBLISHED = _notice(
    "published",
    gettext_noop("Decision published: %(number)s"),
    gettext_noop(
        "The decision of the case %(number)s is published on the platform without personal "
        "data (M11.2)."
    ),
)

register_kind(FILED.kind, _("An IP protection case waits for intake"))
register_kind(ACCEPTED.kind, _("An IP protection case is accepted"))
register_kind(REFUSED.kind, _("An IP protection case is not taken on"))
register_kind(SETTLED.kind, _("An IP protection case is settled"))
register_kind(MEDIATION_FAILED.kind, _("Mediation of an IP protection case failed"))
register_kind(ADJOURNED.kind, _("A mediation session is held"))
register_kind(HEARING.kind, _("A hearing is scheduled"))
register_kind(DECIDED.kind, _("An IP protection case is decided"))
register_kind(ENFORCED.kind, _("The enforcement of a decision is recorded"))
register_kind(PUBLISHED.kind, _("A decision is published"))


def roles_with(capability: Capability) -> tuple[str, ...]:
    return tuple(r.value for r in Role if role_can(r, capability))


def case_page(case: IpCase) -> str:
    """The case's page (empty where the pages are not installed)."""
    try:
        return reverse("ip_protection:detail", args=[case.pk])
    except NoReverseMatch:
        return ""


def _params(case: IpCase, **params: Any) -> dict[str, Any]:
    return {
        "number": case.number, "patent": case.patent_number,
        "complainant": case.complainant.name, "respondent": case.respondent_name, **params,
    }  # fmt: skip


def tell(
    notice: Notice, case: IpCase, *, step: int | str, staff: bool = True, **params: Any
) -> int:
    """The parties (and the staff, unless ``staff`` is false) hear of a step of the case, once
    per ``step`` (a session's id, or the status the case reached)."""
    filled = replace(notice, params=_params(case, **params))
    key = f"{notice.kind}:{case.pk}:{step}"
    link = case_page(case)
    told = 0
    parties = [case.complainant]
    if case.respondent is not None and selectors.respondent_sees(case):
        parties.append(case.respondent)  # once the center took the case on (立案)
    for party in parties:
        told += notification_send_now(
            roles=roles_with(Capability.FILE_IP_CASES), organisation=party, notice=filled,
            dedupe_key=f"{key}:{party.pk}", about=case, link=link,
        )  # fmt: skip
    if staff:
        told += notification_send_now(
            roles=roles_with(Capability.HANDLE_IP_CASES_ALL), notice=filled,
            dedupe_key=f"{key}:staff", about=case, link=link,
        )  # fmt: skip
    return told


def tell_staff(case: IpCase) -> int:
    """The center's IP staff hear of a case waiting for intake."""
    assert case.intake_due_on is not None
    return notification_send_now(
        roles=roles_with(Capability.HANDLE_IP_CASES_ALL),
        notice=replace(FILED, params=_params(case, due=case.intake_due_on.isoformat())),
        dedupe_key=f"{FILED.kind}:{case.pk}",
        about=case,
        link=case_page(case),
    )
