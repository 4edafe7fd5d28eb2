"""What the statistics count (M13.3), each measure citing the clause it follows, where its rows
come from and how each row falls under a unit, an industry, a field, a month and a country.

A measure names the paths of its source rows; the refresh groups by them in one query per
breakdown, the drill-down filters the same rows by the same paths, so that a bar and the rows
behind it never disagree. The public measures read only what is public already: published
results of public confidentiality, the transactions of the public transaction page (M8.5) with
the amounts their parties agreed to publish, the open licensing list (M4.4), demands once
published and their matches with public results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Model, Q, QuerySet
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kttc.benefits.contracts.choices import Beneficiary, ContractKind
from kttc.benefits.models import (
    DistributionLine,
    EquityInvestment,
    InvestFirstCase,
    InvestFirstExit,
    TechnologyContract,
)
from kttc.center.demands.choices import DemandStatus
from kttc.center.models import Demand, DemandMatch, Partnership
from kttc.center.transactions.selectors import contracts_public, transactions_public
from kttc.oversight.statistics.expressions import LocalDate
from kttc.reform.models import Licence, OpenLicensingEntry
from kttc.registry.choices import Confidentiality, Status
from kttc.registry.models import Achievement

CHINA = "CN"
#: M8.6: a result's due date on the platform, compared with the day it was submitted.
F_DUE = F("submission_due")
SUBMITTED_ON = LocalDate("submitted_at")

#: The breakdowns of a figure, in the order of the select.
BREAKDOWNS: dict[str, Promise] = {
    "month": _("Month"),
    "unit": _("Unit"),
    "industry": _("Industry (GB/T 4754)"),
    "field": _("Field (GB/T 13745)"),
    "country": _("Country or region"),
}
#: The public page names no unit breakdown of its own: its rows are already public by unit.
PUBLIC_BREAKDOWNS = ("month", "industry", "field", "country")


@dataclass(frozen=True)
class Row:
    """One source row as the drill-down lists it."""

    title: str
    link: str
    on: Any
    amount: Any


@dataclass(frozen=True)
class Measure:
    key: str
    clause: str
    title: Promise
    public: bool
    #: The source rows (as on ``today``: a due date passes).
    source: Callable[[date], QuerySet[Any]]
    #: Paths of a source row's month, unit, industry, field and country (None: not known).
    paths: dict[str, str | None]
    amount: str | None = None
    #: An amount counted only where this holds (M8.5: the parties agreed to publish it).
    amount_when: Q | None = None
    describe: Callable[[Any], Row] | None = None
    #: Measures of one family count rows of one table, each under its own condition: the
    #: refresh groups the table once for all of them (a million results read once, not five
    #: times), with a count filtered by each one's condition.
    family: str = ""
    where: Callable[[date], Q] | None = None

    def path(self, breakdown: str) -> str | None:
        return self.paths.get(breakdown)

    @property
    def breakdowns(self) -> list[str]:
        shown = PUBLIC_BREAKDOWNS if self.public else tuple(BREAKDOWNS)
        return [b for b in shown if self.paths.get(b)]


def _paths(
    month: str, unit: str | None, achievement: str | None, country: str | None,
    industry: str | None = None, field: str | None = None,
) -> dict[str, str | None]:  # fmt: skip
    """The paths of a row whose result (if any) is at ``achievement``."""
    return {
        "month": month,
        "unit": unit,
        "industry": industry
        or (f"{achievement}industry_code" if achievement is not None else None),
        "field": field or (f"{achievement}discipline_code" if achievement is not None else None),
        "country": country,
    }


def _link(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


def _achievement(a: Achievement) -> Row:
    return Row(a.name, _link("registry:achievement_detail", a.pk), a.created_at, None)


def _licence(x: Licence) -> Row:
    return Row(x.achievement.name, _link("licences:licence", x.pk), x.starts_on, x.total_fee)


def _contract(x: TechnologyContract) -> Row:
    return Row(x.title, _link("contracts:detail", x.pk), x.signed_on, x.amount)


def _listing(x: OpenLicensingEntry) -> Row:
    return Row(x.achievement.name, _link("registry:achievement_detail", x.achievement_id),
               x.listed_on, None)  # fmt: skip


def _line(x: DistributionLine) -> Row:
    d = x.distribution
    return Row(f"{d.contract.title} · {x.name}", _link("contracts:distribution", d.pk),
               d.period_end, x.amount)  # fmt: skip


def _equity(x: EquityInvestment) -> Row:
    return Row(f"{x.company} · {x.achievement.name}", _link("equity:detail", x.pk),
               x.invested_on, x.valuation)  # fmt: skip


def _case(x: InvestFirstCase) -> Row:
    return Row(f"{x.company} · {x.project}", _link("invest:case", x.pk), x.granted_on, x.support)


def _exit(x: InvestFirstExit) -> Row:
    return Row(x.case.company, _link("invest:case", x.case_id), x.exited_on, x.returned)


def _demand(x: Demand) -> Row:
    return Row(x.title, _link("demands:detail", x.pk), x.published_at, None)


def _match(x: DemandMatch) -> Row:
    return Row(f"{x.demand.title} → {x.achievement.name}", _link("demands:detail", x.demand_id),
               x.found_at, None)  # fmt: skip


def _partner(x: Partnership) -> Row:
    return Row(x.partner.name, _link("partners:partnership", x.partner_id), x.agreement_date,
               None)  # fmt: skip


def _late(today: date) -> Q:
    """M8.6: due before ``today`` and not submitted, or submitted after the due date."""
    return Q(submission_due__lt=today) & (
        Q(submitted_at__isnull=True) | Q(GreaterThan(SUBMITTED_ON, F_DUE))
    )


#: Demands once published (those waiting for moderation or rejected never were).
PUBLISHED_DEMANDS = (DemandStatus.PUBLISHED, DemandStatus.CLOSED_MET, DemandStatus.EXPIRED)

_RESULT = _paths("created_at", "unit", "", "unit__country")
_CONTRACT = _paths("signed_on", "unit", "achievement__", "counterparty_country")
_LICENCE = _paths("starts_on", "unit", "achievement__", "licensee__country")
_DEMAND = _paths("published_at", "organisation", None, "country", "industry", "discipline")

#: The tables a family of measures reads (see :attr:`Measure.family`).
FAMILIES: dict[str, Callable[[], QuerySet[Any]]] = {"results": Achievement.objects.all}


def _result(
    key: str, clause: str, title: Promise, where: Callable[[date], Q], month: str, *,
    public: bool = False,
) -> Measure:  # fmt: skip
    """A measure of results (M8.6, M8.2): those meeting ``where``, by the month of ``month``."""
    return Measure(
        key, clause, title, public, lambda today: Achievement.objects.filter(where(today)),
        {**_RESULT, "month": month}, describe=None if public else _achievement,
        family="results", where=where,
    )  # fmt: skip


MEASURES: tuple[Measure, ...] = (
    _result("results_registered", "M8.6", _("Results registered"), lambda today: Q(),
            "created_at"),
    _result("results_on_time", "M8.6", _("Results submitted on time"),
            lambda today: Q(submission_due__isnull=False) & Q(LessThanOrEqual(SUBMITTED_ON, F_DUE)),
            "submitted_at"),
    _result("results_overdue", "M8.6", _("Results submitted late or overdue"), _late,
            "submission_due"),
    _result("results_published", "M8.2", _("Results published"),
            lambda today: Q(status=Status.PUBLISHED), "published_at"),
    Measure("licences", "M3.1", _("Licences concluded on the platform"), False,
            lambda today: Licence.objects.all(), _LICENCE, "total_fee", describe=_licence),
    Measure("transfers", "M8.5", _("Transfer contracts"), False,
            lambda today: TechnologyContract.objects.filter(kind=ContractKind.TRANSFER),
            _CONTRACT, "amount", describe=_contract),
    Measure("contracts", "M5.2", _("Technology contracts"), False,
            lambda today: TechnologyContract.objects.all(), _CONTRACT, "amount",
            describe=_contract),
    Measure("open_licensing", "M4.4", _("Results listed for open licensing"), False,
            lambda today: OpenLicensingEntry.objects.all(),
            _paths("listed_on", "unit", "achievement__", "unit__country"), describe=_listing),
    Measure("income_to_teams", "M5.2", _("Income distributed to teams"), False,
            lambda today: DistributionLine.objects.filter(beneficiary=Beneficiary.TEAM),
            _paths("distribution__period_end", "distribution__contract__unit",
                   "distribution__contract__achievement__",
                   "distribution__contract__counterparty_country"),
            "amount", describe=_line),
    Measure("equity_formed", "M6.1", _("Results invested at a valuation"), False,
            lambda today: EquityInvestment.objects.all(),
            _paths("invested_on", "unit", "achievement__", "unit__country"), "valuation",
            describe=_equity),
    Measure("invest_first_out", "M7.2", _("Invest-first funds granted"), False,
            lambda today: InvestFirstCase.objects.all(),
            _paths("granted_on", "platform", None, "platform__country"), "support",
            describe=_case),
    Measure("invest_first_back", "M7.4", _("Invest-first funds returned"), False,
            lambda today: InvestFirstExit.objects.all(),
            _paths("exited_on", "case__platform", None, "case__platform__country"), "returned",
            describe=_exit),
    Measure("demands", "M8.1", _("Demands published"), False,
            lambda today: Demand.objects.filter(status__in=PUBLISHED_DEMANDS), _DEMAND,
            describe=_demand),
    Measure("matches", "M8.3", _("Results matched to demands"), False,
            lambda today: DemandMatch.objects.all(),
            _paths("found_at", "demand__organisation", None, "demand__country",
                   "demand__industry", "demand__discipline"), describe=_match),
    Measure("partners_abroad", "M8.4", _("Partners abroad"), False,
            lambda today: Partnership.objects.exclude(partner__country=CHINA),
            _paths("agreement_date", "partner", None, "partner__country"), describe=_partner),
    Measure("deals_abroad", "M8.4", _("Technology contracts with a party abroad"), False,
            lambda today: TechnologyContract.objects.exclude(counterparty_country=CHINA),
            _CONTRACT, "amount", describe=_contract),
    # The public page (M8.5): nothing confidential, nothing a unit has not published.
    _result("public_results", "M8.2", _("Results published"),
            lambda today: Q(status=Status.PUBLISHED, confidentiality=Confidentiality.PUBLIC),
            "published_at", public=True),
    Measure("public_licences", "M8.5", _("Licences concluded on the platform"), True,
            lambda today: transactions_public(), _LICENCE, "total_fee",
            Q(disclosed__icontains='"total_fee"')),
    Measure("public_contracts", "M8.5", _("Transfer and licence contracts"), True,
            lambda today: contracts_public(), _CONTRACT, "amount",
            Q(disclosed__icontains='"amount"')),
    Measure("public_open_licensing", "M4.4", _("Results listed for open licensing"), True,
            lambda today: OpenLicensingEntry.objects.filter(
                achievement__status=Status.PUBLISHED,
                achievement__confidentiality=Confidentiality.PUBLIC),
            _paths("listed_on", "unit", "achievement__", "unit__country")),
    Measure("public_demands", "M8.1", _("Demands published"), True,
            lambda today: Demand.objects.filter(status__in=PUBLISHED_DEMANDS), _DEMAND),
    Measure("public_matches", "M8.3", _("Results matched to demands"), True,
            lambda today: DemandMatch.objects.filter(
                demand__status__in=PUBLISHED_DEMANDS, achievement__status=Status.PUBLISHED,
                achievement__confidentiality=Confidentiality.PUBLIC),
            _paths("found_at", "demand__organisation", None, "demand__country",
                   "demand__industry", "demand__discipline")),
)  # fmt: skip

BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}
OFFICE = [m for m in MEASURES if not m.public]
PUBLIC = [m for m in MEASURES if m.public]


def measure_or_none(key: str, *, public: bool) -> Measure | None:
    found = BY_KEY.get(key)
    return found if found is not None and found.public == public else None


def select_related_for(measure: Measure, today: date) -> QuerySet[Model]:
    """The measure's rows as on ``today`` (the figures' day), as the drill-down reads them
    (with what :attr:`Measure.describe` follows)."""
    rows: QuerySet[Model] = measure.source(today)
    related = {
        "licences": ("achievement",),
        "open_licensing": ("achievement",),
        "income_to_teams": ("distribution__contract",),
        "equity_formed": ("achievement",),
        "invest_first_back": ("case",),
        "matches": ("demand", "achievement"),
        "partners_abroad": ("partner",),
    }.get(measure.key, ())
    return rows.select_related(*related) if related else rows
