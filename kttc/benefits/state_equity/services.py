"""Writes of state equity (M2) from investing results: ``<thing>_<verb>`` functions,
keyword-only, one transaction each, each decision in the audit chain. The rules are
``kttc.policy.equity``; a refusal is a PolicyError citing its clause and naming its field, and
stores nothing.

The unit's transfer office records the matters of its state equity; the bureau, as the superior,
approves or rejects those that touch national secrets, national security or key core technology
(M2.2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kttc.benefits import checks
from kttc.benefits.shareholding.models import EquityInvestment
from kttc.benefits.state_equity.choices import StateEquityMatterKind, StateEquityStatus
from kttc.benefits.state_equity.models import StateEquityMatter
from kttc.core.models import User
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send
from kttc.core.services import audit_record, decision, require_capability
from kttc.policy import equity as equity_rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role

_M2_1 = ("M2.1",)
_M2_2 = ("M2.2",)
#: M2.1: the matters that dispose of some of the unit's shares (an impairment does not).
DISPOSALS = frozenset(
    {
        StateEquityMatterKind.PUBLIC_MARKET_TRANSFER,
        StateEquityMatterKind.FREE_INTERNAL_TRANSFER,
        StateEquityMatterKind.OUTWARD_INVESTMENT,
    }
)
#: The matters whose shares are gone or promised: all but those the superior rejected.
_COMMITTED = (
    StateEquityStatus.DECIDED,
    StateEquityStatus.WAITING_APPROVAL,
    StateEquityStatus.APPROVED,
)


#: M2.2: the bureau hears of each matter that waits for its approval, once.
MATTER_WAITING = Notice(
    kind="benefits.state_equity_waiting",
    subject=gettext_noop("State equity matter to approve: %(company)s"),
    body=gettext_noop(
        "%(unit)s recorded a state equity matter of its shares in %(company)s that "
        "touches national secrets, national security or key core technology: it waits for your "
        "approval (M2.2)."
    ),
    clauses=("M2.2",),
)

# The kinds of notices sent here, for people's preferences (kttc.core.notifications.kinds).
register_kind(MATTER_WAITING.kind, gettext_lazy("A state equity matter waits for approval"))


def _shares_left(investment: EquityInvestment) -> int:
    """M2.1: the unit's shares not yet disposed of, nor waiting for the superior to be."""
    taken = investment.state_equity_matters.filter(kind__in=DISPOSALS, status__in=_COMMITTED)
    # a disposal always has its shares (_matter_shares); only an impairment has none
    return investment.unit_shares - sum(
        shares for shares in taken.values_list("shares", flat=True) if shares is not None
    )


def _matter_shares(
    investment: EquityInvestment, kind: StateEquityMatterKind, shares: int | None
) -> int | None:
    if kind not in DISPOSALS:
        if shares is not None:
            raise refuse(
                gettext_noop("An impairment is an amount, not shares."),
                "state_equity.impairment_shares",
                "shares",
                ("M2.3",),
            )
        return None
    count = checks.positive_shares(shares, "shares", _M2_1)
    left = _shares_left(investment)
    if count > left:
        raise refuse(
            gettext_noop(
                "The unit holds %(left)s shares of %(company)s not yet disposed of; "
                "%(shares)s cannot be."
            ),
            "state_equity.shares_left",
            "shares",
            _M2_1,
            left=left,
            company=investment.company,
            shares=count,
        )
    return count


def _tell_the_bureau(matter: StateEquityMatter) -> None:
    """M2.2: the bureau hears, once, of a matter waiting for its approval."""
    investment = matter.investment
    notification_send(
        roles=(Role.BUREAU.value,),
        notice=Notice(
            MATTER_WAITING.kind,
            MATTER_WAITING.subject,
            MATTER_WAITING.body,
            MATTER_WAITING.clauses,
            {"unit": investment.unit.name, "company": investment.company, "matter": matter.kind},
        ),
        dedupe_key=f"{MATTER_WAITING.kind}:{matter.pk}",
        about=matter,
        link=reverse("equity:approvals"),
    )


@decision
def state_equity_matter_record(
    *,
    actor: User,
    investment: EquityInvestment,
    kind: str,
    occurred_on: date,
    amount: Decimal,
    description: str,
    shares: int | None = None,
    touches_secrets: bool = False,
    touches_security: bool = False,
    key_core_technology: bool = False,
) -> StateEquityMatter:
    """M2.1-M2.3: a matter of the unit's state equity from ``investment``: a public market
    transfer, a free internal transfer or an outward investment of ``shares`` of the unit's
    shares worth ``amount``, or an impairment of ``amount``. Routed by
    ``kttc.policy.equity.route``: the unit's own decision, recorded as decided with no report
    for approval (M2.1), unless the matter or the investment touches national secrets, national
    security or key core technology: then it waits for the superior's approval (M2.2)."""
    investment = EquityInvestment.objects.select_for_update().get(pk=investment.pk)
    require_capability(actor, Capability.MANAGE_CONTRACTS, investment.unit)
    if kind not in StateEquityMatterKind.values:
        raise refuse(
            gettext_noop("“%(kind)s” is not a state equity matter."),
            "state_equity.kind",
            "kind",
            _M2_1,
            kind=kind,
        )
    matter_kind = StateEquityMatterKind(kind)
    routing = equity_rules.route(
        equity_rules.StateEquityMatter(matter_kind.value),
        touches_secrets=touches_secrets or investment.touches_secrets,
        touches_security=touches_security or investment.touches_security,
        key_core_technology=key_core_technology or investment.key_core_technology,
    )
    if occurred_on < investment.invested_on:
        raise refuse(
            gettext_noop("The unit holds this equity from %(date)s."),
            "state_equity.date",
            "occurred_on",
            _M2_1,
            date=investment.invested_on,
        )
    matter = StateEquityMatter.objects.create(
        investment=investment,
        kind=matter_kind,
        occurred_on=occurred_on,
        amount=checks.positive_money(amount, "amount", routing.clauses),
        shares=_matter_shares(investment, matter_kind, shares),
        description=checks.text(description, "description", routing.clauses, max_length=4000),
        touches_secrets=touches_secrets,
        touches_security=touches_security,
        key_core_technology=key_core_technology,
        route=routing.route.value,
        reasons=[reason.value for reason in routing.reasons],
        status=(
            StateEquityStatus.WAITING_APPROVAL
            if routing.needs_approval
            else StateEquityStatus.DECIDED
        ),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        organisation=investment.unit,
        action="state_equity.record",
        obj=matter,
        after={
            "investment": investment.pk,
            "kind": matter.kind,
            "amount": matter.amount,
            "shares": matter.shares,
            "route": matter.route,
            "reasons": matter.reasons,
            "status": matter.status,
        },
        clauses=[
            *routing.clauses,
            *(["M2.3"] if matter_kind == StateEquityMatterKind.IMPAIRMENT else []),
        ],
    )
    if matter.status == StateEquityStatus.WAITING_APPROVAL:
        _tell_the_bureau(matter)
    return matter


def _superior_decides(
    actor: User, matter: StateEquityMatter, status: StateEquityStatus, note: str
) -> StateEquityMatter:
    matter = (
        StateEquityMatter.objects.select_for_update()
        .select_related("investment__unit")
        .get(pk=matter.pk)
    )
    require_capability(actor, Capability.APPROVE_STATE_EQUITY_ALL)
    if matter.status != StateEquityStatus.WAITING_APPROVAL:
        raise refuse(
            gettext_noop(
                "Only a matter waiting for the superior's approval is approved or rejected; "
                "this one is %(status)s."
            ),
            "state_equity.not_waiting",
            "status",
            _M2_2,
            status=matter.status,
        )
    before = matter.status
    matter.status, matter.decided_by, matter.decided_at = status, actor, timezone.now()
    matter.decision_note = note.strip()
    matter.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        organisation=matter.investment.unit,
        action=f"state_equity.{'approve' if status == StateEquityStatus.APPROVED else 'reject'}",
        obj=matter,
        before={"status": before},
        after={"status": matter.status, "note": matter.decision_note},
        clauses=list(_M2_2),
    )
    return matter


@decision
def state_equity_matter_approve(
    *, actor: User, matter: StateEquityMatter, note: str = ""
) -> StateEquityMatter:
    """M2.2: the superior approves a matter that touches national secrets, national security or
    key core technology."""
    return _superior_decides(actor, matter, StateEquityStatus.APPROVED, note)


@decision
def state_equity_matter_reject(
    *, actor: User, matter: StateEquityMatter, reason: str
) -> StateEquityMatter:
    """M2.2: the superior rejects such a matter, saying why; the shares it would have disposed
    of stay the unit's."""
    reason = checks.text(reason, "reason", _M2_2, max_length=4000)
    return _superior_decides(actor, matter, StateEquityStatus.REJECTED, reason)
