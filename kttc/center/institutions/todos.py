"""What waits in service institutions and brokers (see ``kttc.core.todos``): the bureau's
applications to decide and subsidies to record (M9.1); an institution's subsidies whose brokers'
reward is not decided yet (M9.2)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.institutions import selectors
from kttc.center.institutions.models import CertificationApplication, Subsidy
from kttc.core.models import Membership
from kttc.core.todos import TodoSection, section
from kttc.policy.roles import Capability, Role, role_can


def _application(a: CertificationApplication) -> tuple[str, str]:
    return a.institution.name, reverse("institutions:application", args=[a.pk])


def _subsidy(s: Subsidy) -> tuple[str, str]:
    return str(s.certification.institution.name), reverse("institutions:reward", args=[s.pk])


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    role = Role(membership.role)
    out = []
    if role_can(role, Capability.CERTIFY_INSTITUTIONS_ALL):
        out.append(
            section(
                _("Applications for certification waiting for the bureau"), ("M9.1",),
                selectors.certification_queue(), limit=limit,
                more_link=reverse("institutions:queue"), describe=_application,
                since="applied_on",
            )
        )  # fmt: skip
        out.append(
            section(
                _("Certified institutions whose subsidy is not recorded"), ("M9.1",),
                selectors.without_subsidy(), limit=limit,
                more_link=reverse("institutions:queue"), describe=_application,
                since="decided_on",
            )
        )  # fmt: skip
    if role_can(role, Capability.MANAGE_INSTITUTION):
        out.append(
            section(
                _("Subsidies from which to reward the brokers"), ("M9.2",),
                selectors.subsidies_to_reward(membership.organisation), limit=limit,
                more_link=reverse("institutions:home")
                + f"?institution={membership.organisation_id}",
                describe=_subsidy, since="disbursed_on",
            )
        )  # fmt: skip
    return out
