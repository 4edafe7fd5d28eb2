"""What waits at the center (see ``kttc.core.todos``): a unit's questions whose last word is
the enterprise's (M8.1), the demands waiting for moderation (M8.1), a partner abroad's referred
enterprises waiting for verification (M8.4)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.demands.choices import DemandStatus
from kttc.center.demands.models import Demand
from kttc.center.demands.selectors import title_in, with_reading
from kttc.center.evaluation import todos as evaluation_todos
from kttc.center.finance import todos as finance_todos
from kttc.center.inquiries.choices import InquiryStatus, Side
from kttc.center.inquiries.models import Inquiry, InquiryMessage
from kttc.center.institutions import todos as institutions_todos
from kttc.center.ip_protection import todos as ip_protection_todos
from kttc.center.ip_services import todos as ip_services_todos
from kttc.center.vouchers import todos as vouchers_todos
from kttc.core.models import Membership, Organisation
from kttc.core.todos import TodoSection, section
from kttc.policy.roles import Capability, Role, role_can


def _inquiry(i: Inquiry) -> tuple[str, str]:
    return f"{i.subject} · {i.asker.name}", reverse("inquiries:thread", args=[i.pk])


def _demand(d: Demand) -> tuple[str, str]:
    title = title_in(d, None)  # the reader's language where translated (M8.4)
    return f"{title} · {d.organisation.name}", reverse("demands:detail", args=[d.pk])


def _referred(o: Organisation) -> tuple[str, str]:
    return o.name, reverse("partners:cases") + f"?partner={o.referred_by_id}"


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    role = Role(membership.role)
    out = []
    if role == Role.TRANSFER_OFFICE:
        last_side = (
            InquiryMessage.objects.filter(inquiry=OuterRef("pk"))
            .order_by("-created_at", "-id")
            .values("side")[:1]
        )
        waiting = (
            Inquiry.objects.filter(unit_id=membership.organisation_id, status=InquiryStatus.OPEN)
            .annotate(last_side=Subquery(last_side))
            .filter(last_side=Side.ASKER)
            .select_related("asker")
        )
        out.append(
            section(
                _("Questions on our results waiting for an answer"), ("M8.1",), waiting,
                limit=limit, more_link=reverse("inquiries:inbox"), describe=_inquiry,
                since="last_message_at",
            )
        )  # fmt: skip
    if role_can(role, Capability.VIEW_REFERRED_CASES):
        referred = Organisation.objects.filter(
            referred_by_id=membership.organisation_id,
            verified_at__isnull=True,
            rejected_at__isnull=True,
        )
        out.append(
            section(
                _("Referred enterprises waiting for the center's verification"), ("M8.4",),
                referred, limit=limit,
                more_link=reverse("partners:cases") + f"?partner={membership.organisation_id}",
                describe=_referred, since="referred_at",
            )
        )  # fmt: skip
    if role_can(role, Capability.MODERATE_DEMANDS_ALL):
        pending = with_reading(
            Demand.objects.filter(status=DemandStatus.PENDING).select_related("organisation")
        )
        out.append(
            section(
                _("Demands waiting for moderation"), ("M8.1",), pending, limit=limit,
                more_link=reverse("demands:moderation"), describe=_demand, since="created_at",
            )
        )  # fmt: skip
    return (
        out
        + institutions_todos.sections(membership, limit=limit)
        + ip_services_todos.sections(membership, limit=limit)
        + evaluation_todos.sections(membership, limit=limit)
        + vouchers_todos.sections(membership, limit=limit)
        + ip_protection_todos.sections(membership, limit=limit)
        + finance_todos.sections(membership, limit=limit)
    )
