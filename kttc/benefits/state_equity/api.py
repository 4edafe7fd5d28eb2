"""The state equity API (M2): the ledger's matters of an investment, the superior's approval
and rejection (M2.2) and the value preservation report (M2.3); failures answer the one error
shape, citing the clause. The operation ids stay those the operations had before the part's
packages, for the clients generated from them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from kttc.benefits.shareholding.models import EquityInvestment
from kttc.benefits.shareholding.selectors import equity_investments_visible_to
from kttc.benefits.state_equity import selectors, services
from kttc.benefits.state_equity.models import StateEquityMatter
from kttc.core.api import AUTH
from kttc.core.parsing import ApiInt, Pages
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user

router = Router(tags=["equity"])


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


def _investment(request: HttpRequest, pk: int) -> EquityInvestment:
    return get_object_or_404(equity_investments_visible_to(acting_user(request)), pk=pk)


def _matter(request: HttpRequest, pk: int) -> StateEquityMatter:
    return get_object_or_404(selectors.state_equity_matters_visible_to(acting_user(request)), pk=pk)


def _ratio(value: Fraction) -> Decimal:
    quotient = Decimal(value.numerator) / Decimal(value.denominator)
    return quotient.quantize(Decimal("0.000001"), ROUND_HALF_UP)


@router.post(
    "/equity/investments/{pk}/matters",
    response={201: MatterOut},
    auth=AUTH,
    operation_id="kttc_benefits_api_equity_matter_record",
)
def matter_record(request: HttpRequest, pk: int, payload: MatterIn) -> Status[StateEquityMatter]:
    """M2.1-M2.3: a state equity matter, routed: the unit's decision, or waiting for the
    superior when it touches national secrets, national security or key core technology."""
    matter = services.state_equity_matter_record(
        actor=acting_user(request), investment=_investment(request, pk), **payload.dict()
    )
    return Status(201, matter)


@router.get(
    "/equity/investments/{pk}/matters",
    response=list[MatterOut],
    auth=AUTH,
    operation_id="kttc_benefits_api_equity_matters_of",
)
def matters_of(request: HttpRequest, pk: int) -> list[StateEquityMatter]:
    """M2: the ledger of an investment's state equity."""
    found = _investment(request, pk)
    return list(found.state_equity_matters.select_related("investment"))


@router.get(
    "/equity/matters",
    response=list[MatterOut],
    auth=AUTH,
    operation_id="kttc_benefits_api_equity_matters",
)
@paginate(Pages)
def matters(request: HttpRequest, status: str = "") -> QuerySet[StateEquityMatter]:
    """M2: the ledger of the caller's units (every unit's for the bureau); ``status``
    ``waiting_approval`` gives the matters waiting for the superior (M2.2)."""
    rows = selectors.state_equity_matters_visible_to(acting_user(request))
    return rows.filter(status=status) if status else rows


@router.post(
    "/equity/matters/{pk}/approve",
    response=MatterOut,
    auth=AUTH,
    operation_id="kttc_benefits_api_equity_approve",
)
def approve(request: HttpRequest, pk: int, payload: ApproveIn) -> StateEquityMatter:
    """M2.2: the superior approves a matter waiting for it."""
    return services.state_equity_matter_approve(
        actor=acting_user(request), matter=_matter(request, pk), note=payload.note
    )


@router.post(
    "/equity/matters/{pk}/reject",
    response=MatterOut,
    auth=AUTH,
    operation_id="kttc_benefits_api_equity_reject",
)
def reject(request: HttpRequest, pk: int, payload: RejectIn) -> StateEquityMatter:
    """M2.2: the superior rejects a matter waiting for it, saying why."""
    return services.state_equity_matter_reject(
        actor=acting_user(request), matter=_matter(request, pk), reason=payload.reason
    )


@router.get(
    "/equity/preservation",
    response=PreservationOut,
    auth=AUTH,
    operation_id="kttc_benefits_api_equity_preservation",
)
def preservation(
    request: HttpRequest,
    unit_id: int,
    period_start: date,
    period_end: date,
    opening: Decimal,
    closing: Decimal,
) -> dict[str, Any]:
    """M2.3: value preservation of a unit's state equity over a period, impairment apart."""
    user = acting_user(request)
    unit = get_object_or_404(selectors.preservation_units(user), pk=unit_id)
    report = selectors.state_equity_preservation(
        unit=unit,
        period_start=period_start,
        period_end=period_end,
        opening=opening,
        closing=closing,
    )
    return {
        "unit_id": unit.pk,
        "period_start": period_start,
        "period_end": period_end,
        "opening": report.opening,
        "closing": report.closing,
        "impairment": report.impairment,
        "impairments": selectors.state_equity_impairments(
            unit=unit, period_start=period_start, period_end=period_end
        ),
        "closing_before_impairment": report.closing_before_impairment,
        "ratio": _ratio(report.ratio),
        "ratio_with_impairment": _ratio(report.ratio_with_impairment),
        "preserved": report.preserved,
        "appreciated": report.appreciated,
    }
