"""The shareholding and state equity API (M6.1, M2): the same use cases as the pages, one
operation each; money travels as decimal strings, shares as whole numbers; failures answer the
one error shape, citing the clause."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from kttc.benefits import selectors_equity as selectors
from kttc.benefits import services_equity as services
from kttc.benefits.models_equity import (
    CapTableHolder,
    EquityInvestment,
    StateEquityMatter,
    TeamSplit,
)
from kttc.core.api import AUTH
from kttc.core.models import Organisation, User
from kttc.core.parsing import ApiId, ApiInt, Pages
from kttc.core.selectors import organisations_where
from kttc.core.text import LongText, Text
from kttc.policy.equity import Holder
from kttc.policy.roles import Capability
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


class MatterIn(Schema):
    kind: Text  # public_market_transfer | free_internal_transfer | outward_investment | impairment
    occurred_on: date
    amount: Decimal
    description: LongText
    shares: ApiInt | None = None
    touches_secrets: bool = False
    touches_security: bool = False
    key_core_technology: bool = False


class MatterOut(Schema):
    id: int
    investment_id: int
    unit_id: int
    kind: str
    occurred_on: date
    amount: Decimal
    shares: int | None
    description: str
    touches_secrets: bool
    touches_security: bool
    key_core_technology: bool
    route: str
    reasons: list[str]
    status: str
    recorded_at: datetime
    decided_at: datetime | None
    decision_note: str

    @staticmethod
    def resolve_unit_id(obj: StateEquityMatter) -> int:
        return obj.investment.unit_id


class ApproveIn(Schema):
    note: LongText = ""


class RejectIn(Schema):
    reason: LongText


class PreservationOut(Schema):
    unit_id: int
    period_start: date
    period_end: date
    opening: Decimal
    closing: Decimal
    impairment: Decimal
    impairments: list[Decimal]
    closing_before_impairment: Decimal
    ratio: Decimal  # impairment excluded (M2.3), to six decimals
    ratio_with_impairment: Decimal  # for comparison only
    preserved: bool
    appreciated: bool


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _investment(request: HttpRequest, pk: int) -> EquityInvestment:
    return get_object_or_404(selectors.equity_investments_visible_to(_user(request)), pk=pk)


def _matter(request: HttpRequest, pk: int) -> StateEquityMatter:
    return get_object_or_404(selectors.state_equity_matters_visible_to(_user(request)), pk=pk)


def _ratio(value: Fraction) -> Decimal:
    quotient = Decimal(value.numerator) / Decimal(value.denominator)
    return quotient.quantize(Decimal("0.000001"), ROUND_HALF_UP)


@router.get("/equity/investments", response=list[InvestmentOut], auth=AUTH)
@paginate(Pages)
def investments(request: HttpRequest):  # type: ignore[no-untyped-def]
    """M6.1: the investments of results of the caller's units (every unit's for the bureau)."""
    return selectors.equity_investments_visible_to(_user(request))


@router.post("/equity/investments", response={201: InvestmentDetailOut}, auth=AUTH)
def investment_record(request: HttpRequest, payload: InvestmentIn):  # type: ignore[no-untyped-def]
    """M6.1: the unit's transfer office records an investment of a result at a valuation with
    its cap table; the completers hold directly at least the minimum in force."""
    unit = get_object_or_404(Organisation, pk=payload.unit_id)
    achievement = get_object_or_404(Achievement, pk=payload.achievement_id)
    values = payload.dict(exclude={"unit_id", "achievement_id", "holders"})
    holders = [Holder(name=h.name, kind=h.kind, stake=h.shares) for h in payload.holders]  # type: ignore[arg-type]
    found = services.equity_investment_record(
        actor=_user(request), unit=unit, achievement=achievement, holders=holders, **values
    )
    return Status(201, found)


@router.get("/equity/investments/{pk}", response=InvestmentDetailOut, auth=AUTH)
def investment(request: HttpRequest, pk: int) -> EquityInvestment:
    """M6.1: an investment with its cap table and the team's split in force."""
    return _investment(request, pk)


@router.post("/equity/investments/{pk}/team-splits", response={201: SplitOut}, auth=AUTH)
def team_split(request: HttpRequest, pk: int, payload: SplitIn):  # type: ignore[no-untyped-def]
    """M6.1: the team's internal split of its shares, in whole shares that add up."""
    split = services.team_split_record(
        actor=_user(request), investment=_investment(request, pk), **payload.dict()
    )
    return Status(201, split)


@router.post("/equity/investments/{pk}/matters", response={201: MatterOut}, auth=AUTH)
def matter_record(request: HttpRequest, pk: int, payload: MatterIn):  # type: ignore[no-untyped-def]
    """M2.1-M2.3: a state equity matter, routed: the unit's decision, or waiting for the
    superior when it touches national secrets, national security or key core technology."""
    matter = services.state_equity_matter_record(
        actor=_user(request), investment=_investment(request, pk), **payload.dict()
    )
    return Status(201, matter)


@router.get("/equity/investments/{pk}/matters", response=list[MatterOut], auth=AUTH)
def matters_of(request: HttpRequest, pk: int) -> list[StateEquityMatter]:
    """M2: the ledger of an investment's state equity."""
    found = _investment(request, pk)
    return list(found.state_equity_matters.select_related("investment"))


@router.get("/equity/matters", response=list[MatterOut], auth=AUTH)
@paginate(Pages)
def matters(request: HttpRequest, status: str = ""):  # type: ignore[no-untyped-def]
    """M2: the ledger of the caller's units (every unit's for the bureau); ``status``
    ``waiting_approval`` gives the matters waiting for the superior (M2.2)."""
    rows = selectors.state_equity_matters_visible_to(_user(request))
    return rows.filter(status=status) if status else rows


@router.post("/equity/matters/{pk}/approve", response=MatterOut, auth=AUTH)
def approve(request: HttpRequest, pk: int, payload: ApproveIn) -> StateEquityMatter:
    """M2.2: the superior approves a matter waiting for it."""
    return services.state_equity_matter_approve(
        actor=_user(request), matter=_matter(request, pk), note=payload.note
    )


@router.post("/equity/matters/{pk}/reject", response=MatterOut, auth=AUTH)
def reject(request: HttpRequest, pk: int, payload: RejectIn) -> StateEquityMatter:
    """M2.2: the superior rejects a matter waiting for it, saying why."""
    return services.state_equity_matter_reject(
        actor=_user(request), matter=_matter(request, pk), reason=payload.reason
    )


@router.get("/equity/preservation", response=PreservationOut, auth=AUTH)
def preservation(
    request: HttpRequest,
    unit_id: int,
    period_start: date,
    period_end: date,
    opening: Decimal,
    closing: Decimal,
) -> dict[str, Any]:
    """M2.3: value preservation of a unit's state equity over a period, impairment apart."""
    user = _user(request)
    own = organisations_where(user, Capability.MANAGE_CONTRACTS).values("pk")
    invested = selectors.equity_investments_visible_to(user).values("unit")
    unit = get_object_or_404(
        Organisation.objects.filter(Q(pk__in=own) | Q(pk__in=invested)), pk=unit_id
    )
    period = {"unit": unit, "period_start": period_start, "period_end": period_end}
    report = selectors.state_equity_preservation(**period, opening=opening, closing=closing)
    return {
        "unit_id": unit.pk,
        "period_start": period_start,
        "period_end": period_end,
        "opening": report.opening,
        "closing": report.closing,
        "impairment": report.impairment,
        "impairments": selectors.state_equity_impairments(**period),
        "closing_before_impairment": report.closing_before_impairment,
        "ratio": _ratio(report.ratio),
        "ratio_with_impairment": _ratio(report.ratio_with_impairment),
        "preserved": report.preserved,
        "appreciated": report.appreciated,
    }
