"""What waits in fast patent pre-examination (see ``kttc.core.todos``, M11.1): the center's
queue for its staff (by due date), the requests forwarded and waiting for their outcome, and an
applicant's requests returned for correction."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.ip_services import selectors
from kttc.center.ip_services.choices import PreExaminationStatus
from kttc.center.ip_services.models import PreExamination
from kttc.core.models import Membership
from kttc.core.todos import TodoSection, section
from kttc.policy.roles import Capability, Role, role_can


def _request(r: PreExamination) -> tuple[str, str]:
    return f"{r.title} · {r.applicant.name}", reverse("ip_services:detail", args=[r.pk])


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    role = Role(membership.role)
    out = []
    if role_can(role, Capability.PRE_EXAMINE_ALL):
        out.append(
            section(
                _("Pre-examination requests waiting for the center"), ("M11.1",),
                selectors.queue(selectors.today()), limit=limit,
                more_link=reverse("ip_services:queue"), describe=_request, since="filed_on",
            )
        )  # fmt: skip
        out.append(
            section(
                _("Pre-examinations forwarded, waiting for the outcome"), ("M11.1",),
                selectors.forwarded(), limit=limit,
                more_link=reverse("ip_services:queue"), describe=_request, since="forwarded_on",
            )
        )  # fmt: skip
    if role_can(role, Capability.REQUEST_PRE_EXAMINATION):
        returned = selectors.requests_of(membership.organisation).filter(
            status=PreExaminationStatus.RETURNED
        )
        out.append(
            section(
                _("Pre-examination requests returned for correction"), ("M11.1",), returned,
                limit=limit, more_link=reverse("ip_services:mine"), describe=_request,
                since="filed_on",
            )
        )  # fmt: skip
    return out
