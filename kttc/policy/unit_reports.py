"""Rules of the units' periodic reports on their transformation of results (M13.3).

Municipal universities, research institutes and medical institutions (the reform units of M1.1)
report their transformation status to the municipal S&T bureau each period. A period is a
calendar year by default (:func:`annual_period`): the bureau opens it with a due date.

* **Fields** (:data:`FIELDS`, the one list): the items of the national annual report on the
  transformation of S&T achievements (科技成果转化年度报告): results, transfers, licences,
  investments at a valuation (作价投资), contracts, income received, rewards to individuals,
  people and platforms. Each field has its clauses and its source: the platform's own records
  where it keeps them (the registry, the contracts, the distributions of income, the
  investments), the unit itself where it does not (people, platforms).
* **Figures** (:func:`check_figure`): a count is a whole number, an amount is in yuan to the
  fen; neither is negative.
* **Corrections** (:func:`check_correction`): the unit may file a figure other than the
  platform's, saying why; both stay on the report.
* **Submission** (:func:`check_complete`): every field is filled in (zero where nothing
  happened).
* **Steps** (:func:`check_step`): a draft or a returned report is saved and submitted; the
  bureau returns a submitted report with a reason or accepts it; an accepted report is frozen.
* **Filing state** (:func:`filing_state`): filed, accepted, not filed, or late once the due date
  has passed; the sweep reminds a unit :data:`REMIND_BEFORE_DAYS` days before the due date and
  tells it once when it is late.

Pure functions over plain values; ``kttc.oversight.reports.services`` calls them under the
report's row lock and turns a refusal into an error shown beside the field it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from typing import Final

from kttc.policy.errors import PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import FEN
from kttc.policy.text import check_text

CLAUSES: Final = ("M13.3",)
#: The most a count holds, and the most an amount holds (in yuan).
COUNT_MAX: Final = 10**9
AMOUNT_MAX: Final = Decimal("9999999999999999.99")
#: The longest reason for a correction and for a return.
REASON_MAX: Final = 1000
#: A unit is reminded this many days before the due date.
REMIND_BEFORE_DAYS: Final = 14
#: The first year a period may be opened for, and how long after a period's end it may be due.
FIRST_YEAR: Final = 2015
DUE_AFTER_END_MAX: Final = timedelta(days=366)
#: The national form the fields follow.
NATIONAL_FORM: Final = "科技成果转化年度报告"


class Kind(StrEnum):
    COUNT = "count"  # a whole number, not negative
    AMOUNT = "amount"  # yuan to the fen, not negative


class Source(StrEnum):
    """Where the platform takes a field's figure from."""

    REGISTRY = "registry"  # the registry of results and their IP (M8.6)
    CONTRACTS = "contracts"  # the unit's technology contracts (M5)
    INCOME = "income"  # the income received under them (M5.2)
    DISTRIBUTIONS = "distributions"  # the distributions of that income to people (M5.1)
    EQUITY = "equity"  # results invested at a valuation and their cap tables (M6.1)
    UNIT = "unit"  # the platform does not know it: the unit states it


class Group(StrEnum):
    RESULTS = "results"
    TRANSFERS = "transfers"
    LICENCES = "licences"
    INVESTMENTS = "investments"
    CONTRACTS = "contracts"
    INCOME = "income"
    REWARDS = "rewards"
    PEOPLE = "people"
    PLATFORMS = "platforms"


GROUP_LABELS: Final[dict[Group, str]] = {
    Group.RESULTS: gettext_noop("Results"),
    Group.TRANSFERS: gettext_noop("Transfers"),
    Group.LICENCES: gettext_noop("Licences"),
    Group.INVESTMENTS: gettext_noop("Investments at a valuation"),
    Group.CONTRACTS: gettext_noop("Technology contracts"),
    Group.INCOME: gettext_noop("Income received"),
    Group.REWARDS: gettext_noop("Rewards to individuals"),
    Group.PEOPLE: gettext_noop("People"),
    Group.PLATFORMS: gettext_noop("Platforms"),
}

SOURCE_LABELS: Final[dict[Source, str]] = {
    Source.REGISTRY: gettext_noop("the platform's registry of results (M8.6)"),
    Source.CONTRACTS: gettext_noop("the unit's technology contracts on the platform (M5)"),
    Source.INCOME: gettext_noop("the income recorded under those contracts (M5.2)"),
    Source.DISTRIBUTIONS: gettext_noop("the distributions of income recorded (M5.1)"),
    Source.EQUITY: gettext_noop("the investments of results at a valuation recorded (M6.1)"),
    Source.UNIT: gettext_noop("the unit states it: the platform does not record it"),
}


@dataclass(frozen=True)
class Field:
    """A field of the report: its code, group, label, kind, source, what the platform counts
    (``rule``), its clauses and the item of the national form it answers."""

    code: str
    group: Group
    label: str
    kind: Kind
    source: Source
    rule: str
    clauses: tuple[str, ...]
    item: str

    @property
    def prefilled(self) -> bool:
        return self.source is not Source.UNIT


def _field(
    code: str,
    group: Group,
    label: str,
    kind: Kind,
    source: Source,
    rule: str,
    clauses: tuple[str, ...],
    item: str,
) -> Field:
    return Field(code, group, label, kind, source, rule, ("M13.3", *clauses), item)


_C, _A = Kind.COUNT, Kind.AMOUNT
_NONE = gettext_noop("Stated by the unit.")

#: The report's fields, in the order of the national form: the one place they are listed.
FIELDS: Final[tuple[Field, ...]] = (
    _field("results_registered", Group.RESULTS, gettext_noop("Results registered"), _C,
           Source.REGISTRY,
           gettext_noop("The unit's results the bureau published on the registry in the period."),
           ("M8.6",), "一、科技成果 · 登记成果数"),
    _field("patents_granted", Group.RESULTS, gettext_noop("New patents granted"), _C,
           Source.REGISTRY,
           gettext_noop("Patents (invention, utility model, design) of the unit's results granted "
                        "in the period."),
           ("M8.6",), "一、科技成果 · 新增专利授权数"),
    _field("transfers_count", Group.TRANSFERS, gettext_noop("Transfers (count)"), _C,
           Source.CONTRACTS,
           gettext_noop("Technology transfer contracts the unit signed in the period."),
           ("M5.2",), "二、转让 · 项数"),
    _field("transfers_amount", Group.TRANSFERS, gettext_noop("Transfers (amount, yuan)"), _A,
           Source.CONTRACTS,
           gettext_noop("The amounts of those transfer contracts."),
           ("M5.2",), "二、转让 · 合同金额"),
    _field("licences_count", Group.LICENCES, gettext_noop("Licences (count)"), _C,
           Source.CONTRACTS,
           gettext_noop("Technology licence contracts the unit signed in the period."),
           ("M3.1",), "三、许可 · 项数"),
    _field("licences_amount", Group.LICENCES, gettext_noop("Licences (amount, yuan)"), _A,
           Source.CONTRACTS,
           gettext_noop("The amounts of those licence contracts."),
           ("M3.1",), "三、许可 · 合同金额"),
    _field("investments_count", Group.INVESTMENTS,
           gettext_noop("Investments at a valuation (count)"), _C, Source.EQUITY,
           gettext_noop("Results the unit invested into a company at a valuation in the period."),
           ("M6.1",), "四、作价投资 · 项数"),
    _field("investments_amount", Group.INVESTMENTS,
           gettext_noop("Investments at a valuation (valuation, yuan)"), _A, Source.EQUITY,
           gettext_noop("The valuations of those results."),
           ("M6.1",), "四、作价投资 · 作价金额"),
    _field("contracts_count", Group.CONTRACTS, gettext_noop("Technology contracts (count)"), _C,
           Source.CONTRACTS,
           gettext_noop("Technology contracts of every kind the unit signed in the period."),
           ("M5.2",), "五、技术合同 · 项数"),
    _field("contracts_amount", Group.CONTRACTS,
           gettext_noop("Technology contracts (amount, yuan)"), _A, Source.CONTRACTS,
           gettext_noop("The amounts of those contracts."),
           ("M5.2",), "五、技术合同 · 合同金额"),
    _field("income_received", Group.INCOME, gettext_noop("Income received (yuan)"), _A,
           Source.INCOME,
           gettext_noop("Income the unit received under its technology contracts in the period."),
           ("M5.2",), "六、转化收入 · 当年到账金额"),
    _field("rewards_cash", Group.REWARDS, gettext_noop("Cash rewards to individuals (yuan)"), _A,
           Source.DISTRIBUTIONS,
           gettext_noop("What the distributions of income for periods ending in the period "
                        "gave the completers and the technology transfer staff."),
           ("M5.1",), "七、奖励个人 · 现金奖励金额"),
    _field("rewards_equity", Group.REWARDS,
           gettext_noop("Equity rewards to individuals (value, yuan)"), _A, Source.EQUITY,
           gettext_noop("The completers' part of the valuation of the results invested in the "
                        "period (valuation × their shares ÷ the shares issued)."),
           ("M6.1",), "七、奖励个人 · 股权奖励金额"),
    _field("people_rewarded", Group.REWARDS, gettext_noop("People rewarded"), _C,
           Source.DISTRIBUTIONS,
           gettext_noop("The different people named in those cash rewards and among the "
                        "completers holding shares of those investments."),
           ("M5.1", "M6.1"), "七、奖励个人 · 获奖励人次"),
    _field("rd_staff", Group.PEOPLE, gettext_noop("R&D staff"), _C, Source.UNIT, _NONE,
           (), "八、人员 · 研发人员数"),
    _field("transfer_staff", Group.PEOPLE,
           gettext_noop("Full-time technology transfer staff"), _C, Source.UNIT, _NONE,
           (), "八、人员 · 专职技术转移人员数"),
    _field("staff_on_leave", Group.PEOPLE,
           gettext_noop("Staff on leave to start a business (离岗创业)"), _C, Source.UNIT, _NONE,
           (), "八、人员 · 离岗创业人数"),
    _field("staff_part_time", Group.PEOPLE,
           gettext_noop("Staff working part-time in enterprises (兼职)"), _C, Source.UNIT, _NONE,
           (), "八、人员 · 兼职人数"),
    _field("transfer_offices", Group.PLATFORMS, gettext_noop("Technology transfer offices"), _C,
           Source.UNIT, _NONE, (), "九、平台 · 技术转移机构数"),
    _field("incubators", Group.PLATFORMS, gettext_noop("Incubators"), _C, Source.UNIT, _NONE,
           (), "九、平台 · 孵化器数"),
    _field("joint_platforms", Group.PLATFORMS,
           gettext_noop("Joint laboratories and platforms with enterprises"), _C, Source.UNIT,
           _NONE, (), "九、平台 · 联合实验室/平台数"),
)  # fmt: skip
BY_CODE: Final[dict[str, Field]] = {f.code: f for f in FIELDS}
CODES: Final[tuple[str, ...]] = tuple(BY_CODE)


class Status(StrEnum):
    DRAFT = "draft"  # prepared by the platform, the unit correcting it
    SUBMITTED = "submitted"  # waiting for the bureau
    RETURNED = "returned"  # returned by the bureau with a reason: the unit corrects, resubmits
    ACCEPTED = "accepted"  # accepted by the bureau: frozen


class Step(StrEnum):
    SAVE = "save"
    SUBMIT = "submit"
    RETURN = "return"
    ACCEPT = "accept"


#: From which statuses each step is taken, and the status it leads to.
TRANSITIONS: Final[dict[Step, tuple[frozenset[Status], Status | None]]] = {
    Step.SAVE: (frozenset({Status.DRAFT, Status.RETURNED}), None),  # the status stays
    Step.SUBMIT: (frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED),
    Step.RETURN: (frozenset({Status.SUBMITTED}), Status.RETURNED),
    Step.ACCEPT: (frozenset({Status.SUBMITTED}), Status.ACCEPTED),
}
#: The statuses in which the unit may still change its figures.
EDITABLE: Final = frozenset({Status.DRAFT, Status.RETURNED})


class Filing(StrEnum):
    """Where a unit stands in a period, as the bureau's overview shows it."""

    NOT_FILED = "not_filed"  # no report, a draft, or a report returned and not yet resubmitted
    LATE = "late"  # not filed, and the due date has passed
    FILED = "filed"  # submitted, waiting for the bureau
    ACCEPTED = "accepted"


def check_step(status: str, step: Step) -> Status:
    """M13.3: the step is one the report's status allows; returns the status after it."""
    before, after = TRANSITIONS[step]
    if status not in before:
        if status == Status.ACCEPTED:
            raise refuse(
                gettext_noop("An accepted report is frozen: nothing on it changes."),
                "unit_report.frozen",
                None,
                CLAUSES,
            )
        raise refuse(
            gettext_noop("This report is not waiting for that step."),
            "unit_report.status",
            None,
            CLAUSES,
        )
    return after if after is not None else Status(status)


def field_of(code: str) -> Field:
    """The field named ``code``, or a refusal naming it."""
    found = BY_CODE.get(code)
    if found is None:
        raise refuse(
            gettext_noop("The report has no field “%(given)s”."),
            "unit_report.field",
            code,
            CLAUSES,
            given=code,
        )
    return found


def _number(field: Field, raw: str | int | Decimal) -> Decimal:
    if isinstance(raw, bool | float):
        raise TypeError("a figure is a Decimal, an int or a decimal string")
    try:
        value = Decimal(raw.strip().replace(",", "")) if isinstance(raw, str) else Decimal(raw)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise refuse(
            gettext_noop("%(name)s: “%(value)s” is not a number."),
            "unit_report.number",
            field.code,
            CLAUSES,
            name=field.label,
            value=raw,
        )
    return value


def check_figure(code: str, raw: str | int | Decimal | None) -> Decimal | None:
    """M13.3: a figure of the field ``code``: blank (``None`` or empty text) stays blank; a
    count is a whole number from 0 to :data:`COUNT_MAX`; an amount is in yuan with at most two
    decimals (the fen), from 0 to :data:`AMOUNT_MAX`. Returns it with two decimals for an
    amount, none for a count."""
    field = field_of(code)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value = _number(field, raw)
    if value < 0:
        raise refuse(
            gettext_noop("%(name)s cannot be negative."),
            "unit_report.negative",
            field.code,
            CLAUSES,
            name=field.label,
        )
    if field.kind is Kind.COUNT:
        if value > COUNT_MAX or value != value.to_integral_value():
            raise refuse(
                gettext_noop("%(name)s is a whole number (at most %(max)s)."),
                "unit_report.count",
                field.code,
                CLAUSES,
                name=field.label,
                max=COUNT_MAX,
            )
        return Decimal(int(value))
    if value > AMOUNT_MAX or value != value.quantize(FEN):
        raise refuse(
            gettext_noop("%(name)s is an amount in yuan to the fen (two decimals at most)."),
            "unit_report.amount",
            field.code,
            CLAUSES,
            name=field.label,
        )
    return value.quantize(FEN)


def as_text(code: str, value: Decimal | None) -> str | None:
    """A checked figure as the report stores it: ``"12"`` for a count, ``"1200.50"`` for an
    amount, ``None`` for a blank."""
    if value is None:
        return None
    field = field_of(code)
    return str(int(value)) if field.kind is Kind.COUNT else f"{value:.2f}"


def normalised(code: str, raw: str | int | Decimal | None) -> str | None:
    """``raw`` checked (:func:`check_figure`) and stored as text (:func:`as_text`)."""
    return as_text(code, check_figure(code, raw))


def check_reason(value: str, *, field: str) -> str:
    """A reason (for a correction or a return): one to :data:`REASON_MAX` characters."""
    try:
        text = check_text(value.strip(), field=field, multiline=True)
    except PolicyError as error:
        raise PolicyError(
            error.template, code=error.code, field=field, clauses=CLAUSES, params=error.params
        ) from None
    if len(text) > REASON_MAX:
        raise refuse(
            gettext_noop("A reason holds at most %(max)s characters."),
            "unit_report.reason_length",
            field,
            CLAUSES,
            max=REASON_MAX,
        )
    return text


def differs(platform: str | None, value: str | None) -> bool:
    """Whether the filed figure differs from the platform's (only where the platform has one)."""
    return platform is not None and value is not None and Decimal(platform) != Decimal(value)


def check_correction(code: str, *, platform: str | None, value: str | None, reason: str) -> str:
    """M13.3: a figure filed other than the platform's carries the reason why (both are kept);
    returns the reason, stripped (empty where the figure is the platform's)."""
    field = field_of(code)
    checked = check_reason(reason, field=code)
    if differs(platform, value) and not checked:
        raise refuse(
            gettext_noop(
                "%(name)s: the figure filed (%(value)s) differs from the platform's "
                "(%(platform)s); say why."
            ),
            "unit_report.reason_required",
            field.code,
            CLAUSES,
            name=field.label,
            value=value,
            platform=platform,
        )
    return checked


def check_complete(figures: Mapping[str, str | None]) -> None:
    """M13.3: a report is submitted with every field filled in (zero where nothing happened);
    the first blank field, in the form's order, is named."""
    for field in FIELDS:
        if figures.get(field.code) is None:
            raise refuse(
                gettext_noop("%(name)s is required: fill it in (0 where there is none)."),
                "unit_report.required",
                field.code,
                CLAUSES,
                name=field.label,
            )


def equity_reward(valuation: Decimal, completer_shares: int, shares_issued: int) -> Decimal:
    """M6.1, M13.3: the value of the completers' shares of a result invested at a valuation,
    ``valuation × completer_shares ÷ shares_issued``, rounded half up to the fen."""
    if shares_issued <= 0 or not 0 <= completer_shares <= shares_issued:
        raise ValueError("0 <= completer_shares <= shares_issued, shares_issued > 0")
    exact = Fraction(valuation) * completer_shares / shares_issued
    fen = int(exact * 100 + Fraction(1, 2))
    return (Decimal(fen) / 100).quantize(FEN)


def annual_period(year: int) -> tuple[date, date]:
    """The default period: the calendar year."""
    return date(year, 1, 1), date(year, 12, 31)


def check_period(year: int, due_on: date, *, today: date) -> tuple[date, date]:
    """M13.3: the bureau opens a year's period from :data:`FIRST_YEAR` to this year, due on a
    day from today on, after the period starts and at most a year after it ends. Returns the
    period's first and last day."""
    if not FIRST_YEAR <= year <= today.year:
        raise refuse(
            gettext_noop("Open a period for a year from %(first)s to %(last)s."),
            "unit_report.year",
            "year",
            CLAUSES,
            first=FIRST_YEAR,
            last=today.year,
        )
    starts_on, ends_on = annual_period(year)
    if due_on < today or due_on <= starts_on or due_on > ends_on + DUE_AFTER_END_MAX:
        raise refuse(
            gettext_noop(
                "The due date falls from today on, within a year after the period ends (%(end)s)."
            ),
            "unit_report.due_on",
            "due_on",
            CLAUSES,
            end=ends_on.isoformat(),
        )
    return starts_on, ends_on


def filing_state(status: str | None, *, due_on: date, today: date) -> Filing:
    """M13.3: where a unit stands: accepted, filed (submitted), or not filed (no report, a
    draft, a returned report) and late once ``due_on`` has passed."""
    if status == Status.ACCEPTED:
        return Filing.ACCEPTED
    if status == Status.SUBMITTED:
        return Filing.FILED
    return Filing.LATE if today > due_on else Filing.NOT_FILED


def remind_from(due_on: date) -> date:
    """M13.3: the first day a unit that has not filed is reminded."""
    return due_on - timedelta(days=REMIND_BEFORE_DAYS)


def reminder_due(status: str | None, *, due_on: date, today: date, reminded: bool) -> bool:
    """M13.3: a unit not yet filed is reminded once, from :func:`remind_from` to the due date."""
    return (
        not reminded
        and filing_state(status, due_on=due_on, today=today) is Filing.NOT_FILED
        and remind_from(due_on) <= today
    )


def overdue_due(status: str | None, *, due_on: date, today: date, notified: bool) -> bool:
    """M13.3: a unit late with its report is told once."""
    return not notified and filing_state(status, due_on=due_on, today=today) is Filing.LATE


__all__ = [
    "AMOUNT_MAX",
    "BY_CODE",
    "CLAUSES",
    "CODES",
    "COUNT_MAX",
    "EDITABLE",
    "FIELDS",
    "GROUP_LABELS",
    "NATIONAL_FORM",
    "REASON_MAX",
    "REMIND_BEFORE_DAYS",
    "SOURCE_LABELS",
    "TRANSITIONS",
    "Field",
    "Filing",
    "Group",
    "Kind",
    "Source",
    "Status",
    "Step",
    "annual_period",
    "as_text",
    "check_complete",
    "check_correction",
    "check_figure",
    "check_period",
    "check_reason",
    "check_step",
    "differs",
    "equity_reward",
    "field_of",
    "filing_state",
    "normalised",
    "overdue_due",
    "remind_from",
    "reminder_due",
]
