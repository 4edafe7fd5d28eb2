"""What waits in IP protection (see ``kttc.core.todos``, M11.2): the cases with a step for the
center's IP staff (by its limit) and the decisions to publish; for a party, the cases against
it that are still open."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.ip_protection import selectors
from kttc.center.ip_protection.choices import CaseStatus
from kttc.center.ip_protection.models import IpCase
from kttc.core.models import Membership
from kttc.core.todos import TodoSection, section
from kttc.policy.roles import Capability, Role, role_can


def _case(c: IpCase) -> tuple[str, str]:
    return (
        f"{c.number} · {c.complainant.name} / {c.respondent_name}",
        reverse("ip_protection:detail", args=[c.pk]),
    )


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    role = Role(membership.role)
    out = []
    if role_can(role, Capability.HANDLE_IP_CASES_ALL):
        out.append(
            section(
                _("IP protection cases waiting for a step"), ("M11.2",),
                selectors.handling(selectors.today()), limit=limit,
                more_link=reverse("ip_protection:handling"), describe=_case, since="filed_on",
            )
        )  # fmt: skip
        out.append(
            section(
                _("IP protection decisions to publish"), ("M11.2",), selectors.to_publish(),
                limit=limit, more_link=reverse("ip_protection:handling"), describe=_case,
                since="decided_on",
            )
        )  # fmt: skip
    if role_can(role, Capability.FILE_IP_CASES):
        open_against = IpCase.objects.filter(
            respondent=membership.organisation,
            status__in=(CaseStatus.ACCEPTED, CaseStatus.HEARING, CaseStatus.ENFORCEMENT),
        ).select_related("complainant")
        out.append(
            section(
                _("IP protection cases against us"), ("M11.2",), open_against, limit=limit,
                more_link=reverse("ip_protection:against"), describe=_case, since="filed_on",
            )
        )  # fmt: skip
    return out
