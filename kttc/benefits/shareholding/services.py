"""Writes of researcher shareholding (M6.1): ``<thing>_<verb>`` functions, keyword-only, one
transaction each, each decision in the audit chain. The rules are ``kttc.policy.equity``; a
refusal is a PolicyError citing its clause and naming its field, and stores nothing.

The unit's transfer office records the investment of a result at a valuation, its cap table and
the team's split (the team decides the split; the office keeps its record)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import cast

from kttc.benefits import checks
from kttc.benefits.shareholding.models import (
    CapTableHolder,
    EquityInvestment,
    TeamSplit,
    TeamSplitLine,
)
from kttc.core.models import Organisation, User
from kttc.core.selectors import policy_version_in_force
from kttc.core.services import audit_record, decision, require_capability
from kttc.policy import equity as equity_rules
from kttc.policy.benefits import agreed_shares
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.registry.models import Achievement

_M6_1 = ("M6.1",)
TEAM_MEMBER_NAME_MAX = 100


def _check_investment_parties(unit: Organisation, achievement: Achievement) -> None:
    if not unit.is_municipal:
        raise refuse(
            gettext_noop(
                "These rules govern the investments of municipal units; %(unit)s is not one."
            ),
            "equity.unit_not_municipal",
            "unit",
            _M6_1,
            unit=unit.name,
        )
    if achievement.unit_id != unit.pk:
        raise refuse(
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
    holders: Sequence[equity_rules.Holder],
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
    company = checks.text(company, "company", _M6_1, max_length=300)
    valuation = checks.positive_money(valuation, "valuation", _M6_1)
    shares_issued = checks.positive_shares(shares_issued, "shares_issued", _M6_1)
    if any(
        isinstance(h.stake, bool) or not isinstance(h.stake, int) or len(h.name.strip()) > 200
        for h in holders
    ):
        raise refuse(
            gettext_noop(
                "Give every holder's name, in at most 200 characters, and stake, as a whole "
                "number of shares."
            ),
            "equity.stake_shares",
            "holders",
            _M6_1,
        )
    version = policy_version_in_force(invested_on)
    table = equity_rules.check_cap_table(
        holders, min_completer_ratio=version.parameters.completer_equity_min_share
    )
    if table.total != shares_issued:
        raise refuse(
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
        # whole shares: every stake is an int (checked above), so are the table's sums
        completer_shares=cast(int, table.completers),
        unit_shares=cast(int, table.unit),
        completer_ratio=table.completer_ratio_rounded(6),
        policy_version=version.code,
        recorded_by=actor,
    )
    CapTableHolder.objects.bulk_create(
        CapTableHolder(
            investment=investment, kind=h.kind, name=h.name.strip(), shares=cast(int, h.stake)
        )
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
            raise refuse(
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
        raise refuse(
            gettext_noop("The team splits its shares once it has them, from %(date)s."),
            "equity.split_date",
            "decided_on",
            _M6_1,
            date=investment.invested_on,
        )
    members = _members(internal_split)
    parts = equity_rules.team_split(investment.completer_shares, members)
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
