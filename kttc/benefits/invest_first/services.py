"""Writes of "invest first, equity later" (M7): ``<thing>_<verb>`` functions, keyword-only, one
transaction each, each decision in the audit chain. The rules are ``kttc.policy.investment``; a
refusal is a PolicyError citing its clause and naming its field, and stores nothing.

The designated investment platform records its invest-first cases: the grant and the agreement,
the rounds and the declared stable development (converting the support when they meet the
trigger) and its exits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kttc.benefits import checks
from kttc.benefits.invest_first.choices import InvestFirstStage, InvestFirstStatus, MilestoneKind
from kttc.benefits.invest_first.models import (
    InvestFirstCase,
    InvestFirstConversion,
    InvestFirstExit,
    InvestFirstMilestone,
)
from kttc.core.models import Organisation, User
from kttc.core.services import audit_record, decision, require_capability
from kttc.policy import investment as invest_rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, OrganisationKind

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
        raise refuse(
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
        raise refuse(
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
        raise refuse(
            gettext_noop("The support pays for concept verification, a small or mid-scale pilot "
                         "or secondary development, not “%(stage)s”."),
            "invest.stage", "stage", _M7_2, stage=stage,
        )  # fmt: skip
    support = checks.positive_money(support, "support", _M7_2)
    trigger = invest_rules.check_trigger(
        invest_rules.ConversionTrigger(min_round_size, bool(on_stable_development))
    )
    discount = _exact(discount, "discount", _M7_3, digits=1)
    cap = (
        None
        if valuation_cap is None
        else checks.positive_money(valuation_cap, "valuation_cap", _M7_3)
    )
    ratio = _exact(return_cap_ratio, "return_cap_ratio", _M7_4, digits=3)
    _check_terms(support, discount, cap, ratio)
    case = InvestFirstCase.objects.create(
        platform=platform,
        company=checks.text(company, "company", _M7_2, max_length=300),
        project=checks.text(project, "project", _M7_2, max_length=300),
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
        raise refuse(
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
        raise refuse(
            gettext_noop("The support converted into equity already, on %(date)s."),
            "invest.converted", "case", _M7_3, date=case.conversion.converted_on,
        )  # fmt: skip
    if occurred_on < case.granted_on:
        raise refuse(
            gettext_noop("The support was granted on %(date)s; this is earlier."),
            "invest.date", "occurred_on", _M7_3, date=case.granted_on,
        )  # fmt: skip
    price = _exact(price_per_share, "price_per_share", _M7_3, digits=14)
    if price <= 0:
        raise refuse(
            gettext_noop("A price per share is above 0; %(price)s is not."),
            "invest.price", "price_per_share", _M7_3, price=price,
        )  # fmt: skip
    if pre_money_shares is not None:
        checks.positive_shares(pre_money_shares, "pre_money_shares", _M7_3)
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
    size = checks.positive_money(round_size, "round_size", _M7_3)
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
        raise refuse(
            gettext_noop("The agreement converts on a market equity round only, not on "
                         "declared stable development."),
            "invest.not_on_stable", "case", _M7_3,
        )  # fmt: skip
    note = checks.text(grounds, "grounds", _M7_3, max_length=4000)
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
        raise refuse(
            gettext_noop("The support has not converted into equity; there is nothing to exit."),
            "invest.not_converted", "case", _M7_4,
        )  # fmt: skip
    conversion = case.conversion
    if exited_on < conversion.converted_on:
        raise refuse(
            gettext_noop("The equity is held from %(date)s; this is earlier."),
            "invest.exit_date", "exited_on", _M7_4, date=conversion.converted_on,
        )  # fmt: skip
    count = checks.positive_shares(shares, "shares", _M7_4)
    earlier = list(case.exits.all())
    left = conversion.shares - sum(e.shares for e in earlier)
    if count > left:
        raise refuse(
            gettext_noop("The platform holds %(left)s shares of %(company)s; it cannot sell "
                         "%(shares)s."),
            "invest.shares_left", "shares", _M7_4, left=left, company=case.company, shares=count,
        )  # fmt: skip
    split = invest_rules.exit_allowed(
        invested=case.support,
        returned_so_far=sum((e.returned for e in earlier), ZERO),
        proceeds=checks.positive_money(proceeds, "proceeds", _M7_4),
        return_cap_ratio=case.return_cap_ratio,
    )
    exit_ = InvestFirstExit.objects.create(
        case=case,
        exited_on=exited_on,
        buyer=checks.text(buyer, "buyer", _M7_4, max_length=300) if buyer.strip() else "",
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
