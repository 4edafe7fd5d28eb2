"""Writes of researcher shareholding (M6.1) and the state equity it forms (M2):
``<thing>_<verb>`` functions, keyword-only, one transaction each, each decision in the audit
chain. The rules are ``kttc.policy.equity``; a refusal is a PolicyError citing its clause and
naming its field, and stores nothing.

The unit's transfer office records the investment, its cap table and the team's split (the team
decides the split; the office keeps its record) and the state equity matters; the bureau, as the
superior, approves or rejects those that touch national secrets, national security or key core
technology (M2.2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from kttc.benefits.models_equity import (
    CapTableHolder,
    EquityInvestment,
    StateEquityMatter,
    StateEquityMatterKind,
    StateEquityStatus,
    TeamSplit,
    TeamSplitLine,
)
from kttc.core.models import Organisation, User
from kttc.core.selectors import policy_version_in_force
from kttc.core.services import audit_record, require_capability
from kttc.policy import equity as rules
from kttc.policy.benefits import agreed_shares
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import to_money
from kttc.policy.roles import Capability
from kttc.registry.models import Achievement

_M6_1 = ("M6.1",)
_M2_1 = ("M2.1",)
_M2_2 = ("M2.2",)
TEAM_MEMBER_NAME_MAX = 100
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


def _refuse(template: str, code: str, field: str, clauses: tuple[str, ...],
            **params: Any) -> PolicyError:  # fmt: skip
    return PolicyError(template, code=code, field=field, clauses=clauses, params=params)


def _text(value: str, field: str, clauses: tuple[str, ...], *, max_length: int) -> str:
    text = value.strip()
    if not text or len(text) > max_length:
        raise _refuse(
            gettext_noop("Fill this in, in at most %(max)s characters."),
            "required",
            field,
            clauses,
            max=max_length,
        )
    return text


def _positive_money(value: Decimal, field: str, clauses: tuple[str, ...]) -> Decimal:
    amount = to_money(value)
    if amount <= 0 or amount != value:
        raise _refuse(
            gettext_noop("%(amount)s is not an amount above 0, to the fen."),
            "money",
            field,
            clauses,
            amount=value,
        )
    return amount


def _positive_int(value: int | None, field: str, clauses: tuple[str, ...]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _refuse(
            gettext_noop("Give a whole number of shares above 0; %(value)s is not."),
            "shares",
            field,
            clauses,
            value=value,
        )
    return value


# --- M6.1 researcher shareholding -----------------------------------------------------------


def _check_investment_parties(unit: Organisation, achievement: Achievement) -> None:
    if not unit.is_municipal:
        raise _refuse(
            gettext_noop(
                "These rules govern the investments of municipal units; %(unit)s is not one."
            ),
            "equity.unit_not_municipal",
            "unit",
            _M6_1,
            unit=unit.name,
        )
    if achievement.unit_id != unit.pk:
        raise _refuse(
            gettext_noop("The result is another unit's."), "equity.result", "achievement", _M6_1
        )


@transaction.atomic
def equity_investment_record(
    *,
    actor: User,
    unit: Organisation,
    achievement: Achievement,
    company: str,
    valuation: Decimal,
    shares_issued: int,
    invested_on: date,
    holders: Sequence[rules.Holder],
    touches_secrets: bool = False,
    touches_security: bool = False,
    key_core_technology: bool = False,
) -> EquityInvestment:
    """M6.1: the unit invested ``achievement`` at ``valuation`` into ``company`` for
    ``shares_issued`` shares, held as ``holders`` say (stakes in whole shares, adding up to the
    shares issued). The completers hold directly at least the minimum in force on
    ``invested_on`` (``completer_equity_min_share``), the rest the unit or a municipal
    state-owned company (``kttc.policy.equity.check_cap_table``). The flags mark a result that
    touches national secrets, national security or key core technology (M2.2)."""
    require_capability(actor, Capability.MANAGE_CONTRACTS, unit)
    _check_investment_parties(unit, achievement)
    company = _text(company, "company", _M6_1, max_length=300)
    valuation = _positive_money(valuation, "valuation", _M6_1)
    shares_issued = _positive_int(shares_issued, "shares_issued", _M6_1)
    if any(
        isinstance(h.stake, bool) or not isinstance(h.stake, int) or len(h.name.strip()) > 200
        for h in holders
    ):
        raise _refuse(
            gettext_noop(
                "Give every holder's name, in at most 200 characters, and stake, as a whole "
                "number of shares."
            ),
            "equity.stake_shares",
            "holders",
            _M6_1,
        )
    version = policy_version_in_force(invested_on)
    table = rules.check_cap_table(
        holders, min_completer_ratio=version.parameters.completer_equity_min_share
    )
    if table.total != shares_issued:
        raise _refuse(
            gettext_noop(
                "The cap table holds %(total)s shares; %(issued)s were issued for the result."
            ),
            "equity.cap_table_total",
            "holders",
            _M6_1,
            total=table.total,
            issued=shares_issued,
        )
    investment = EquityInvestment.objects.create(
        unit=unit,
        achievement=achievement,
        company=company,
        valuation=valuation,
        shares_issued=shares_issued,
        invested_on=invested_on,
        touches_secrets=touches_secrets,
        touches_security=touches_security,
        key_core_technology=key_core_technology,
        completer_shares=table.completers,
        unit_shares=table.unit,
        completer_ratio=table.completer_ratio_rounded(6),
        policy_version=version.code,
        recorded_by=actor,
    )
    CapTableHolder.objects.bulk_create(
        CapTableHolder(investment=investment, kind=h.kind, name=h.name.strip(), shares=h.stake)
        for h in holders
    )
    audit_record(
        actor=actor,
        organisation=unit,
        action="equity.investment_record",
        obj=investment,
        after={
            "achievement": achievement.pk,
            "company": company,
            "valuation": valuation,
            "shares_issued": shares_issued,
            "completers": table.completers,
            "unit": table.unit,
            "municipal_soe": table.municipal_soe,
            "completer_ratio": str(table.completer_ratio),
            "minimum": version.parameters.completer_equity_min_share,
            "needs_superior_approval": investment.needs_superior_approval,
        },
        clauses=list(_M6_1),
        policy_version=version.code,
    )
    return investment


def _members(internal_split: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """The members' names as they are stored: trimmed, each once, at most 100 characters."""
    members: dict[str, Decimal] = {}
    for name, share in internal_split.items():
        key = name.strip() if isinstance(name, str) else name
        if key in members or (isinstance(key, str) and len(key) > TEAM_MEMBER_NAME_MAX):
            raise _refuse(
                gettext_noop("Name each member once, in at most %(max)s characters: %(name)s."),
                "equity.split_name",
                "internal_split",
                _M6_1,
                max=TEAM_MEMBER_NAME_MAX,
                name=key,
            )
        members[key] = share
    return members


@transaction.atomic
def team_split_record(
    *,
    actor: User,
    investment: EquityInvestment,
    internal_split: Mapping[str, Decimal],
    decided_on: date,
) -> TeamSplit:
    """M6.1: the team's internal split of the completers' shares, as ratios (adding up to 1) or
    percentages (to 100), in whole shares that add up exactly to the team's shares
    (``kttc.policy.equity.team_split``). A later split is a new record; the earlier stays."""
    require_capability(actor, Capability.MANAGE_CONTRACTS, investment.unit)
    if decided_on < investment.invested_on:
        raise _refuse(
            gettext_noop("The team splits its shares once it has them, from %(date)s."),
            "equity.split_date",
            "decided_on",
            _M6_1,
            date=investment.invested_on,
        )
    members = _members(internal_split)
    parts = rules.team_split(investment.completer_shares, members)
    ratios = agreed_shares(members, field="internal_split", clauses=_M6_1)
    split = TeamSplit.objects.create(
        investment=investment,
        decided_on=decided_on,
        team_shares=investment.completer_shares,
        recorded_by=actor,
    )
    TeamSplitLine.objects.bulk_create(
        TeamSplitLine(split=split, name=name, share=ratios[name], shares=count)
        for name, count in parts.items()
    )
    audit_record(
        actor=actor,
        organisation=investment.unit,
        action="equity.team_split",
        obj=split,
        after={"investment": investment.pk, "team_shares": split.team_shares, "split": parts},
        clauses=list(_M6_1),
    )
    return split


# --- M2 state equity ------------------------------------------------------------------------


def _shares_left(investment: EquityInvestment) -> int:
    """M2.1: the unit's shares not yet disposed of, nor waiting for the superior to be."""
    taken = investment.state_equity_matters.filter(kind__in=DISPOSALS, status__in=_COMMITTED)
    return investment.unit_shares - sum(taken.values_list("shares", flat=True))


def _matter_shares(
    investment: EquityInvestment, kind: StateEquityMatterKind, shares: int | None
) -> int | None:
    if kind not in DISPOSALS:
        if shares is not None:
            raise _refuse(
                gettext_noop("An impairment is an amount, not shares."),
                "state_equity.impairment_shares",
                "shares",
                ("M2.3",),
            )
        return None
    count = _positive_int(shares, "shares", _M2_1)
    left = _shares_left(investment)
    if count > left:
        raise _refuse(
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


@transaction.atomic
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
        raise _refuse(
            gettext_noop("“%(kind)s” is not a state equity matter."),
            "state_equity.kind",
            "kind",
            _M2_1,
            kind=kind,
        )
    matter_kind = StateEquityMatterKind(kind)
    routing = rules.route(
        rules.StateEquityMatter(matter_kind.value),
        touches_secrets=touches_secrets or investment.touches_secrets,
        touches_security=touches_security or investment.touches_security,
        key_core_technology=key_core_technology or investment.key_core_technology,
    )
    if occurred_on < investment.invested_on:
        raise _refuse(
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
        amount=_positive_money(amount, "amount", routing.clauses),
        shares=_matter_shares(investment, matter_kind, shares),
        description=_text(description, "description", routing.clauses, max_length=4000),
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
        raise _refuse(
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


@transaction.atomic
def state_equity_matter_approve(
    *, actor: User, matter: StateEquityMatter, note: str = ""
) -> StateEquityMatter:
    """M2.2: the superior approves a matter that touches national secrets, national security or
    key core technology."""
    return _superior_decides(actor, matter, StateEquityStatus.APPROVED, note)


@transaction.atomic
def state_equity_matter_reject(
    *, actor: User, matter: StateEquityMatter, reason: str
) -> StateEquityMatter:
    """M2.2: the superior rejects such a matter, saying why; the shares it would have disposed
    of stay the unit's."""
    reason = _text(reason, "reason", _M2_2, max_length=4000)
    return _superior_decides(actor, matter, StateEquityStatus.REJECTED, reason)
