"""The invest-first API (M7): the same use cases as the pages, one operation each: the
platform's cases with the revolving fund's report, a case with its rounds, conversion, exits and
position, and the platform's grant, rounds, declared stable development and exits. Money travels
as decimal strings, ratios as decimals (0.08 = 8 %), shares as whole numbers, the conversion's
exact prices as fractions ("p/q"); failures answer the one error shape, citing the clause. Who may
read and write is as on the pages: the platform's staff their cases, the bureau and auditors
every case, read only."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from kttc.benefits.invest_first import selectors, services
from kttc.benefits.invest_first.models import InvestFirstCase, InvestFirstExit
from kttc.core import parsing
from kttc.core.api import AUTH
from kttc.core.models import Organisation
from kttc.core.parsing import ApiId, ApiInt, ApiPage
from kttc.core.text import LongText, Text
from kttc.core.web import acting_user

router = Router(tags=["invest-first"])


class InvestFirstGrantIn(Schema):
    platform_id: ApiId
    company: Text
    project: Text
    stage: Text  # concept_verification | small_pilot | mid_scale_pilot | secondary_development
    support: Decimal
    granted_on: date
    return_cap_ratio: Decimal  # 0.08 = at most 8 % over the support, in all exits (M7.4)
    min_round_size: Decimal | None = None
    on_stable_development: bool = False
    discount: Decimal = Decimal(0)  # 0.20 = the round's price less 20 % (M7.3)
    valuation_cap: Decimal | None = None


class InvestFirstRoundIn(Schema):
    closed_on: date
    round_size: Decimal
    price_per_share: Decimal
    pre_money_shares: ApiInt | None = None
    note: LongText = ""


class InvestFirstStableIn(Schema):
    declared_on: date
    price_per_share: Decimal
    grounds: LongText
    pre_money_shares: ApiInt | None = None


class InvestFirstExitIn(Schema):
    exited_on: date
    shares: ApiInt
    proceeds: Decimal
    buyer: Text = ""


class InvestFirstCaseOut(Schema):
    id: int
    platform_id: int
    company: str
    project: str
    stage: str
    support: Decimal
    granted_on: date
    min_round_size: Decimal | None
    on_stable_development: bool
    discount: Decimal
    valuation_cap: Decimal | None
    return_cap_ratio: Decimal
    status: str
    created_at: datetime


class InvestFirstFundReportOut(Schema):
    granted: Decimal
    converted: Decimal
    unconverted: Decimal
    exited: Decimal
    returned: Decimal
    principal_returned: Decimal
    gain: Decimal
    above_cap: Decimal
    outstanding: Decimal


class InvestFirstCasesOut(Schema):
    count: int
    page: int
    items: list[InvestFirstCaseOut]
    report: InvestFirstFundReportOut | None  # over every case the caller sees


class InvestFirstMilestoneOut(Schema):
    id: int
    kind: str
    occurred_on: date
    round_size: Decimal | None
    price_per_share: Decimal
    pre_money_shares: int | None
    met: bool
    note: str


class InvestFirstConversionOut(Schema):
    id: int
    milestone_id: int
    trigger: str
    converted_on: date
    support: Decimal
    round_price: Decimal
    discount: Decimal
    valuation_cap: Decimal | None
    discounted_price: str
    cap_price: str
    effective_price: str
    shares: int
    converted: Decimal
    remainder: Decimal


class InvestFirstExitOut(Schema):
    id: int
    exited_on: date
    buyer: str
    shares: int
    proceeds: Decimal
    cap: Decimal
    returned: Decimal
    principal: Decimal
    gain: Decimal
    above_cap: Decimal


class InvestFirstPositionOut(Schema):
    converted_shares: int
    shares_held: int
    returned: Decimal
    cap: Decimal
    cap_left: Decimal


class InvestFirstCaseDetailOut(InvestFirstCaseOut):
    milestones: list[InvestFirstMilestoneOut]
    conversion: InvestFirstConversionOut | None
    exits: list[InvestFirstExitOut]
    position: InvestFirstPositionOut
    report: InvestFirstFundReportOut


class InvestFirstOutcomeOut(Schema):
    milestone: InvestFirstMilestoneOut
    conversion: InvestFirstConversionOut | None  # None: the round did not meet the trigger
    case: InvestFirstCaseDetailOut


def _case(request: HttpRequest, pk: int) -> InvestFirstCase:
    visible = selectors.invest_first_cases_visible_to(acting_user(request))
    return get_object_or_404(visible, pk=pk)


def _detail(case: InvestFirstCase) -> dict[str, Any]:
    """A case as the case page shows it: the agreement, the rounds or declaration, the
    conversion, the exits, where it stands and its part of the fund."""
    case = InvestFirstCase.objects.select_related("platform").get(pk=case.pk)
    fields = {f: getattr(case, f) for f in InvestFirstCaseOut.model_fields}
    return {
        **fields,
        "milestones": list(case.milestones.order_by("occurred_on", "id")),
        "conversion": getattr(case, "conversion", None),
        "exits": list(case.exits.order_by("exited_on", "id")),
        "position": selectors.invest_first_position(case),
        "report": selectors.fund_report([case]),
    }


@router.get("/invest-first/cases", response=InvestFirstCasesOut, auth=AUTH)
def cases(request: HttpRequest, page: ApiPage = 1) -> dict[str, Any]:
    """M7.2-M7.4: the platform's cases, the latest grant first (every case for the bureau and
    auditors), with the revolving fund's report over all of them."""
    visible = selectors.invest_first_cases_visible_to(acting_user(request))
    visible = visible.order_by("-granted_on", "-id")
    found = parsing.page_of(visible, {"page": page})
    return {
        "count": found.paginator.count,
        "page": found.number,
        "items": list(found.object_list),
        "report": selectors.fund_report(visible) if found.paginator.count else None,
    }


@router.post("/invest-first/cases", response={201: InvestFirstCaseDetailOut}, auth=AUTH)
def grant(request: HttpRequest, payload: InvestFirstGrantIn) -> Status[dict[str, Any]]:
    """M7.1-M7.4: the designated platform records the fiscal support it invested into a
    company for a stage, with the agreed trigger, conversion terms and appropriate return."""
    platform = get_object_or_404(Organisation, pk=payload.platform_id)
    values = payload.dict(exclude={"platform_id"})
    case = services.invest_first_grant(actor=acting_user(request), platform=platform, **values)
    return Status(201, _detail(case))


@router.get("/invest-first/cases/{pk}", response=InvestFirstCaseDetailOut, auth=AUTH)
def case(request: HttpRequest, pk: int) -> dict[str, Any]:
    """M7.3, M7.4: a case with its rounds or declaration, the conversion, the exits, the
    position and its part of the fund."""
    return _detail(_case(request, pk))


def _outcome(outcome: services.MilestoneOutcome) -> dict[str, Any]:
    return {
        "milestone": outcome.milestone,
        "conversion": outcome.conversion,
        "case": _detail(outcome.milestone.case),
    }


@router.post("/invest-first/cases/{pk}/rounds", response={201: InvestFirstOutcomeOut}, auth=AUTH)
def round_record(
    request: HttpRequest, pk: int, payload: InvestFirstRoundIn
) -> Status[dict[str, Any]]:
    """M7.3: a market equity round the company closed; one of at least the agreed size
    converts the support on the agreed terms, a smaller one is recorded and converts nothing."""
    outcome = services.invest_first_round(
        actor=acting_user(request), case=_case(request, pk), **payload.dict()
    )
    return Status(201, _outcome(outcome))


@router.post(
    "/invest-first/cases/{pk}/stable-development",
    response={201: InvestFirstOutcomeOut},
    auth=AUTH,
)
def stable_development(
    request: HttpRequest, pk: int, payload: InvestFirstStableIn
) -> Status[dict[str, Any]]:
    """M7.3: the company's declared stable development, where the agreement converts on it:
    the support converts at the agreed appraisal of a share."""
    outcome = services.invest_first_declare_stable(
        actor=acting_user(request), case=_case(request, pk), **payload.dict()
    )
    return Status(201, _outcome(outcome))


@router.post("/invest-first/cases/{pk}/exits", response={201: InvestFirstExitOut}, auth=AUTH)
def exit_record(
    request: HttpRequest, pk: int, payload: InvestFirstExitIn
) -> Status[InvestFirstExit]:
    """M7.4: the platform sold shares of the converted equity; what fits under the
    appropriate return comes back to the fund, principal first, the rest is above the cap."""
    found = services.invest_first_exit(
        actor=acting_user(request), case=_case(request, pk), **payload.dict()
    )
    return Status(201, found)
