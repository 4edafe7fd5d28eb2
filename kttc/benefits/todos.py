"""What waits in Part 2 (see ``kttc.core.todos``): the state equity matters waiting for the
superior's approval (M2.2)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.benefits.state_equity.models import StateEquityMatter
from kttc.benefits.state_equity.selectors import state_equity_awaiting_approval
from kttc.core.models import Membership
from kttc.core.todos import TodoSection, section
from kttc.policy.roles import Capability, Role, role_can


def _matter(m: StateEquityMatter) -> tuple[str, str]:
    title = f"{m.get_kind_display()} · {m.investment.company} · {m.investment.unit.name}"
    return title, reverse("equity:detail", args=[m.investment_id])


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    if not role_can(Role(membership.role), Capability.APPROVE_STATE_EQUITY_ALL):
        return []
    return [
        section(
            _("State equity matters to approve"), ("M2.2",), state_equity_awaiting_approval(),
            limit=limit, more_link=reverse("equity:approvals"), describe=_matter,
            since="recorded_at",
        )
    ]  # fmt: skip
