"""Writes of researcher shareholding (M6.1), the state equity it forms (M2) and "invest first,
equity later" (M7): ``<thing>_<verb>`` functions, keyword-only, one transaction each, each
decision in the audit chain. The rules are ``kttc.policy.equity`` and
``kttc.policy.investment``; a refusal is a PolicyError citing its clause and naming its field,
and stores nothing.

The unit's transfer office records the investment, its cap table and the team's split (the team
decides the split; the office keeps its record) and the state equity matters; the bureau, as the
superior, approves or rejects those that touch national secrets, national security or key core
technology (M2.2). The designated investment platform records its invest-first cases: the grant
and the agreement, the rounds and the declared stable development (converting the support when
they meet the trigger) and its exits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from kttc.benefits.models_equity import (
    CapTableHolder,
    EquityInvestment,
    InvestFirstCase,
    InvestFirstConversion,
    InvestFirstExit,
    InvestFirstMilestone,
    InvestFirstStage,
    InvestFirstStatus,
    MilestoneKind,
    StateEquityMatter,
    StateEquityMatterKind,
    StateEquityStatus,
    TeamSplit,
    TeamSplitLine,
)
from kttc.core.models import Organisation, User
from kttc.core.notifications.services import Notice, notification_send
from kttc.core.selectors import policy_version_in_force
from kttc.core.services import audit_record, decision, require_capability
from kttc.policy import equity as rules
from kttc.policy import investment as invest_rules
from kttc.policy.benefits import agreed_shares
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import to_money
from kttc.policy.roles import Capability, OrganisationKind, Role
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


@decision
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


@decision
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
    if matter.status == StateEquityStatus.WAITING_APPROVAL:
        notification_send(
            roles=(Role.BUREAU.value,),
            notice=Notice(
                MATTER_WAITING.kind,
                MATTER_WAITING.subject,
                MATTER_WAITING.body,
                MATTER_WAITING.clauses,
                {
                    "unit": investment.unit.name,
                    "company": investment.company,
                    "matter": matter.kind,
                },
            ),
            dedupe_key=f"{MATTER_WAITING.kind}:{matter.pk}",
            about=matter,
            link=reverse("equity:approvals"),
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
    reason = _text(reason, "reason", _M2_2, max_length=4000)
    return _superior_decides(actor, matter, StateEquityStatus.REJECTED, reason)


# --- M7 invest first, equity later -------------------------------------------------------------

_M7_1, _M7_2, _M7_3, _M7_4 = ("M7.1",), ("M7.2",), ("M7.3",), ("M7.4",)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class MilestoneOutcome:
    """A round or declaration recorded, and the conversion it triggered (None: it did not)."""

    milestone: InvestFirstMilestone
    conversion: InvestFirstConversion | None


def _exact(value: Decimal, field: str, clauses: tuple[str, ...], *, places: int = 6,
           digits: int) -> Decimal:  # fmt: skip
    """A ratio or price as given, to at most ``places`` decimals and below ``10**digits``: one
    that its column would round or cannot hold is refused, never rounded."""
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int):
        raise TypeError(f"{field} must be a Decimal, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite() or abs(number) >= 10**digits or number != round(number, places):
        raise _refuse(
            gettext_noop("%(value)s has more digits than this field keeps (%(places)s decimals)."),
            "invest.digits",
            field,
            clauses,
            value=value,
            places=places,
        )
    return number


def _check_platform(platform: Organisation) -> None:
    if platform.kind != OrganisationKind.INVESTMENT_PLATFORM or not platform.is_municipal:
        raise _refuse(
            gettext_noop(
                "The investor is the designated municipal state-owned investment platform; "
                "%(name)s is not one."
            ),
            "invest.platform",
            "platform",
            _M7_1,
            name=platform.name,
        )


def _check_terms(support: Decimal, discount: Decimal, valuation_cap: Decimal | None,
                 return_cap_ratio: Decimal) -> None:  # fmt: skip
    """M7.3, M7.4: the agreed terms, refused now by the rules that will apply them, rather than
    at a conversion or an exit years later (a price of 1 and one share stand in for the
    round's)."""
    invest_rules.conversion(
        support,
        round_price_per_share=Decimal(1),
        discount=discount,
        valuation_cap=valuation_cap,
        pre_money_shares=None if valuation_cap is None else 1,
    )
    invest_rules.exit_allowed(
        invested=support, returned_so_far=ZERO, proceeds=ZERO, return_cap_ratio=return_cap_ratio
    )


@decision
def invest_first_grant(
    *,
    actor: User,
    platform: Organisation,
    company: str,
    project: str,
    stage: str,
    support: Decimal,
    granted_on: date,
    return_cap_ratio: Decimal,
    min_round_size: Decimal | None = None,
    on_stable_development: bool = False,
    discount: Decimal = ZERO,
    valuation_cap: Decimal | None = None,
) -> InvestFirstCase:
    """M7.1-M7.4: the designated platform received ``support`` of fiscal S&T funds for
    ``project`` and invested it into ``company`` for ``stage``, on the agreement: the support
    converts on a market equity round of at least ``min_round_size`` and/or on declared stable
    development, at the round's price less ``discount`` or the ``valuation_cap`` price,
    whichever is lower; the platform takes back at most ``return_cap_ratio`` over the support."""
    require_capability(actor, Capability.MANAGE_INVESTMENTS, platform)
    _check_platform(platform)
    if stage not in InvestFirstStage.values:
        raise _refuse(
            gettext_noop("The support pays for concept verification, a small or mid-scale pilot "
                         "or secondary development, not “%(stage)s”."),
            "invest.stage", "stage", _M7_2, stage=stage,
        )  # fmt: skip
    support = _positive_money(support, "support", _M7_2)
    trigger = invest_rules.check_trigger(
        invest_rules.ConversionTrigger(min_round_size, bool(on_stable_development))
    )
    discount = _exact(discount, "discount", _M7_3, digits=1)
    cap = None if valuation_cap is None else _positive_money(valuation_cap, "valuation_cap", _M7_3)
    ratio = _exact(return_cap_ratio, "return_cap_ratio", _M7_4, digits=3)
    _check_terms(support, discount, cap, ratio)
    case = InvestFirstCase.objects.create(
        platform=platform,
        company=_text(company, "company", _M7_2, max_length=300),
        project=_text(project, "project", _M7_2, max_length=300),
        stage=stage,
        support=support,
        granted_on=granted_on,
        min_round_size=trigger.min_round_size,
        on_stable_development=trigger.on_stable_development,
        discount=discount,
        valuation_cap=cap,
        return_cap_ratio=ratio,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        organisation=platform,
        action="invest_first.grant",
        obj=case,
        after={"company": case.company, "project": case.project, "stage": stage,
               "support": support, "min_round_size": case.min_round_size,
               "on_stable_development": case.on_stable_development, "discount": discount,
               "valuation_cap": cap, "return_cap_ratio": ratio},
        clauses=[*_M7_1, *_M7_2, *_M7_3, *_M7_4],
    )  # fmt: skip
    return case


def _convert(actor: User, case: InvestFirstCase, milestone: InvestFirstMilestone,
             trigger: invest_rules.TriggerKind) -> InvestFirstConversion:  # fmt: skip
    """M7.3: the support converts on the agreed terms at the milestone's price."""
    result = invest_rules.conversion(
        case.support,
        round_price_per_share=milestone.price_per_share,
        discount=case.discount,
        valuation_cap=case.valuation_cap,
        pre_money_shares=None if case.valuation_cap is None else milestone.pre_money_shares,
    )
    if result.shares == 0:
        raise _refuse(
            gettext_noop("At %(price)s a share, the support buys no whole share."),
            "invest.no_share", "price_per_share", _M7_3, price=milestone.price_per_share,
        )  # fmt: skip
    conversion = InvestFirstConversion.objects.create(
        case=case,
        milestone=milestone,
        trigger=trigger.value,
        converted_on=milestone.occurred_on,
        support=result.support,
        round_price=result.round_price,
        discount=result.discount,
        valuation_cap=case.valuation_cap,
        pre_money_shares=milestone.pre_money_shares,
        discounted_price=str(result.discounted_price),
        cap_price="" if result.cap_price is None else str(result.cap_price),
        effective_price=str(result.effective_price),
        shares=result.shares,
        converted=result.converted,
        remainder=result.remainder,
        recorded_by=actor,
    )
    case.status = InvestFirstStatus.CONVERTED
    case.save(update_fields=["status"])
    audit_record(
        actor=actor,
        organisation=case.platform,
        action="invest_first.convert",
        obj=conversion,
        after={"case": case.pk, "trigger": trigger.value, "milestone": milestone.pk,
               "effective_price": conversion.effective_price, "shares": result.shares,
               "converted": result.converted, "remainder": result.remainder},
        clauses=list(_M7_3),
    )  # fmt: skip
    return conversion


def _milestone(actor: User, case: InvestFirstCase, kind: MilestoneKind, occurred_on: date,
               price_per_share: Decimal, pre_money_shares: int | None,
               round_size: Decimal | None, note: str) -> MilestoneOutcome:  # fmt: skip
    """M7.3: a milestone of a case not yet converted, and the conversion when it meets the
    trigger. ``case`` is locked, and the actor's capability checked, by the caller."""
    if case.status == InvestFirstStatus.CONVERTED:
        raise _refuse(
            gettext_noop("The support converted into equity already, on %(date)s."),
            "invest.converted", "case", _M7_3, date=case.conversion.converted_on,
        )  # fmt: skip
    if occurred_on < case.granted_on:
        raise _refuse(
            gettext_noop("The support was granted on %(date)s; this is earlier."),
            "invest.date", "occurred_on", _M7_3, date=case.granted_on,
        )  # fmt: skip
    price = _exact(price_per_share, "price_per_share", _M7_3, digits=14)
    if price <= 0:
        raise _refuse(
            gettext_noop("A price per share is above 0; %(price)s is not."),
            "invest.price", "price_per_share", _M7_3, price=price,
        )  # fmt: skip
    if pre_money_shares is not None:
        _positive_int(pre_money_shares, "pre_money_shares", _M7_3)
    met = invest_rules.met_by(
        case.trigger,
        round_size=round_size,
        stable_development=kind == MilestoneKind.STABLE_DEVELOPMENT,
    )
    milestone = InvestFirstMilestone.objects.create(
        case=case, kind=kind, occurred_on=occurred_on, round_size=round_size,
        price_per_share=price, pre_money_shares=pre_money_shares, met=met is not None,
        note=note.strip(), recorded_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor,
        organisation=case.platform,
        action=f"invest_first.{kind.value}",
        obj=milestone,
        after={"case": case.pk, "round_size": round_size, "price_per_share": price,
               "pre_money_shares": pre_money_shares, "met": milestone.met},
        clauses=list(_M7_3),
    )  # fmt: skip
    conversion = None if met is None else _convert(actor, case, milestone, met)
    return MilestoneOutcome(milestone, conversion)


@decision
def invest_first_round(
    *,
    actor: User,
    case: InvestFirstCase,
    closed_on: date,
    round_size: Decimal,
    price_per_share: Decimal,
    pre_money_shares: int | None = None,
    note: str = "",
) -> MilestoneOutcome:
    """M7.3: the company closed a market equity round of ``round_size`` at ``price_per_share``,
    with ``pre_money_shares`` before it (needed where a valuation cap was agreed). A round of at
    least the agreed size converts the support (``kttc.policy.investment.conversion``); a
    smaller one is recorded and converts nothing."""
    case = InvestFirstCase.objects.select_for_update().select_related("platform").get(pk=case.pk)
    require_capability(actor, Capability.MANAGE_INVESTMENTS, case.platform)
    size = _positive_money(round_size, "round_size", _M7_3)
    return _milestone(actor, case, MilestoneKind.MARKET_ROUND, closed_on, price_per_share,
                      pre_money_shares, size, note)  # fmt: skip


@decision
def invest_first_declare_stable(
    *,
    actor: User,
    case: InvestFirstCase,
    declared_on: date,
    price_per_share: Decimal,
    grounds: str,
    pre_money_shares: int | None = None,
) -> MilestoneOutcome:
    """M7.3: the company declared the stable development the agreement converts on, on
    ``grounds``; the support converts at ``price_per_share`` (the agreed appraisal of a share on
    that date) on the agreed terms."""
    case = InvestFirstCase.objects.select_for_update().select_related("platform").get(pk=case.pk)
    require_capability(actor, Capability.MANAGE_INVESTMENTS, case.platform)
    if not case.on_stable_development:
        raise _refuse(
            gettext_noop("The agreement converts on a market equity round only, not on "
                         "declared stable development."),
            "invest.not_on_stable", "case", _M7_3,
        )  # fmt: skip
    note = _text(grounds, "grounds", _M7_3, max_length=4000)
    return _milestone(actor, case, MilestoneKind.STABLE_DEVELOPMENT, declared_on,
                      price_per_share, pre_money_shares, None, note)  # fmt: skip


@decision
def invest_first_exit(
    *,
    actor: User,
    case: InvestFirstCase,
    exited_on: date,
    shares: int,
    proceeds: Decimal,
    buyer: str = "",
) -> InvestFirstExit:
    """M7.4: the platform sold ``shares`` of the converted equity for ``proceeds``; of them,
    what fits under the appropriate return over the support (after the earlier exits) comes
    back to the fund, principal first, and the rest is above the cap
    (``kttc.policy.investment.exit_allowed``)."""
    case = InvestFirstCase.objects.select_for_update().select_related("platform").get(pk=case.pk)
    require_capability(actor, Capability.MANAGE_INVESTMENTS, case.platform)
    if case.status != InvestFirstStatus.CONVERTED:
        raise _refuse(
            gettext_noop("The support has not converted into equity; there is nothing to exit."),
            "invest.not_converted", "case", _M7_4,
        )  # fmt: skip
    conversion = case.conversion
    if exited_on < conversion.converted_on:
        raise _refuse(
            gettext_noop("The equity is held from %(date)s; this is earlier."),
            "invest.exit_date", "exited_on", _M7_4, date=conversion.converted_on,
        )  # fmt: skip
    count = _positive_int(shares, "shares", _M7_4)
    earlier = list(case.exits.all())
    left = conversion.shares - sum(e.shares for e in earlier)
    if count > left:
        raise _refuse(
            gettext_noop("The platform holds %(left)s shares of %(company)s; it cannot sell "
                         "%(shares)s."),
            "invest.shares_left", "shares", _M7_4, left=left, company=case.company, shares=count,
        )  # fmt: skip
    split = invest_rules.exit_allowed(
        invested=case.support,
        returned_so_far=sum((e.returned for e in earlier), ZERO),
        proceeds=_positive_money(proceeds, "proceeds", _M7_4),
        return_cap_ratio=case.return_cap_ratio,
    )
    exit_ = InvestFirstExit.objects.create(
        case=case,
        exited_on=exited_on,
        buyer=_text(buyer, "buyer", _M7_4, max_length=300) if buyer.strip() else "",
        shares=count,
        proceeds=split.proceeds,
        cap=split.cap,
        returned=split.returned,
        principal=split.principal,
        gain=split.gain,
        above_cap=split.above_cap,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        organisation=case.platform,
        action="invest_first.exit",
        obj=exit_,
        after={"case": case.pk, "shares": count, "proceeds": split.proceeds, "cap": split.cap,
               "returned": split.returned, "principal": split.principal, "gain": split.gain,
               "above_cap": split.above_cap},
        clauses=list(_M7_4),
    )  # fmt: skip
    return exit_
