"""The shareholding API (M6.1): the same use cases as the pages, one operation each; money
travels as decimal strings, shares as whole numbers; failures answer the one error shape, citing
the clause. The operation ids stay those the operations had before the part's packages, for the
clients generated from them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from kttc.benefits.shareholding import selectors, services
from kttc.benefits.shareholding.models import CapTableHolder, EquityInvestment, TeamSplit
from kttc.core.api import AUTH
from kttc.core.models import Organisation
from kttc.core.parsing import ApiId, ApiInt, Pages
from kttc.core.text import Text
from kttc.core.web import acting_user
from kttc.policy.equity import Holder
from kttc.registry.models import Achievement

router = Router(tags=["equity"])


class HolderIn(Schema):
    kind: Text  # completer | unit | municipal_soe
    name: Text
    shares: ApiInt


class HolderOut(Schema):
    kind: str
    name: str
    shares: int


class InvestmentIn(Schema):
    unit_id: ApiId
    achievement_id: ApiId
    company: Text
    valuation: Decimal
    shares_issued: ApiInt
    invested_on: date
    holders: list[HolderIn]
    touches_secrets: bool = False
    touches_security: bool = False
    key_core_technology: bool = False


class SplitLineOut(Schema):
    name: str
    share: Decimal
    shares: int


class SplitOut(Schema):
    id: int
    investment_id: int
    decided_on: date
    team_shares: int
    lines: list[SplitLineOut]

    @staticmethod
    def resolve_lines(obj: TeamSplit) -> list[Any]:
        return list(obj.lines.all())


class InvestmentOut(Schema):
    id: int
    unit_id: int
    achievement_id: int
    company: str
    valuation: Decimal
    shares_issued: int
    invested_on: date
    touches_secrets: bool
    touches_security: bool
    key_core_technology: bool
    needs_superior_approval: bool
    completer_shares: int
    unit_shares: int
    completer_ratio: Decimal
    policy_version: str
    recorded_at: datetime


class InvestmentDetailOut(InvestmentOut):
    holders: list[HolderOut]
    team_split: SplitOut | None

    @staticmethod
    def resolve_holders(obj: EquityInvestment) -> list[CapTableHolder]:
        return list(obj.holders.all())

    @staticmethod
    def resolve_team_split(obj: EquityInvestment) -> TeamSplit | None:
        return selectors.team_split_in_force(obj)


class SplitIn(Schema):
    decided_on: date
    internal_split: dict[Text, Decimal]  # name -> ratio (adding up to 1) or percent (to 100)


def _investment(request: HttpRequest, pk: int) -> EquityInvestment:
    return get_object_or_404(selectors.equity_investments_visible_to(acting_user(request)), pk=pk)


@router.get(
    "/equity/investments",
    response=list[InvestmentOut],
    auth=AUTH,
    operation_id="kttc_benefits_api_equity_investments",
)
@paginate(Pages)
def investments(request: HttpRequest) -> QuerySet[EquityInvestment]:
    """M6.1: the investments of results of the caller's units (every unit's for the bureau)."""
    return selectors.equity_investments_visible_to(acting_user(request))


@router.post(
    "/equity/investments",
    response={201: InvestmentDetailOut},
    auth=AUTH,
    operation_id="kttc_benefits_api_equity_investment_record",
)
def investment_record(request: HttpRequest, payload: InvestmentIn) -> Status[EquityInvestment]:
    """M6.1: the unit's transfer office records an investment of a result at a valuation with
    its cap table; the completers hold directly at least the minimum in force."""
    unit = get_object_or_404(Organisation, pk=payload.unit_id)
    achievement = get_object_or_404(Achievement, pk=payload.achievement_id)
    values = payload.dict(exclude={"unit_id", "achievement_id", "holders"})
    holders = [Holder(name=h.name, kind=h.kind, stake=h.shares) for h in payload.holders]  # type: ignore[arg-type]  # the kind as sent, a str: the rules refuse an unknown one (M6.1)
    found = services.equity_investment_record(
        actor=acting_user(request), unit=unit, achievement=achievement, holders=holders, **values
    )
    return Status(201, found)


@router.get(
    "/equity/investments/{pk}",
    response=InvestmentDetailOut,
    auth=AUTH,
    operation_id="kttc_benefits_api_equity_investment",
)
def investment(request: HttpRequest, pk: int) -> EquityInvestment:
    """M6.1: an investment with its cap table and the team's split in force."""
    return _investment(request, pk)


@router.post(
    "/equity/investments/{pk}/team-splits",
    response={201: SplitOut},
    auth=AUTH,
    operation_id="kttc_benefits_api_equity_team_split",
)
def team_split(request: HttpRequest, pk: int, payload: SplitIn) -> Status[TeamSplit]:
    """M6.1: the team's internal split of its shares, in whole shares that add up."""
    split = services.team_split_record(
        actor=acting_user(request), investment=_investment(request, pk), **payload.dict()
    )
    return Status(201, split)
