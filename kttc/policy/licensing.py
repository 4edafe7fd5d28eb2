"""M3: "use first, pay later" licences: payment schedules, royalties and balances, to the fen.

The parties agree on one of the payment models of M3.2 and M3.3:

- **staged + royalty** (零门槛费+阶段性支付+收入提成): no entry fee, staged payments each due on
  a date or when a milestone is reached, and a royalty on the licensee's revenue from the result;
- **deferred** (延期支付): the licence fee in instalments from an agreed date;
- **after first revenue**: the fee in instalments that fall due only once the licensee earns
  revenue from products or services based on the result (M3.3), after an agreed grace period.

Every amount is exact: instalments come from :func:`kttc.policy.money.allocate`, so a schedule
adds up to its total to the fen; a royalty is the revenue times the rate rounded once, half up;
payments are applied to instalments oldest first, so a balance never loses or invents a fen.
Pure Python: the licensing services store what these functions compute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final

from kttc.policy.calendar import add_months, period_last_day
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import allocate, share_of, to_money

ZERO: Final = Decimal("0.00")
#: The longest schedule the platform computes (50 years of monthly instalments).
MAX_INSTALMENTS: Final = 600
#: The longest licence term the platform records, in years.
MAX_TERM_YEARS: Final = 50
#: M3.3: the days after the end of a reported period within which its royalty is paid, when the
#: parties do not agree another number; a licence term, so each licence stores its own.
DEFAULT_ROYALTY_DUE_DAYS: Final = 30
#: The longest the parties may agree (a royalty paid a year after the period at the latest).
MAX_ROYALTY_DUE_DAYS: Final = 365


class PaymentModel(StrEnum):
    """M3.2, M3.3: how the licensee pays."""

    STAGED_ROYALTY = "staged_royalty"
    DEFERRED = "deferred"
    AFTER_FIRST_REVENUE = "after_first_revenue"


class Trigger(StrEnum):
    """What makes an instalment due."""

    DATE = "date"
    MILESTONE = "milestone"
    FIRST_REVENUE = "first_revenue"
    ROYALTY = "royalty"  # the royalty on a period's reported revenue, due as the licence says


@dataclass(frozen=True)
class Stage:
    """A staged payment as agreed: its amount, due on a date or when a milestone is reached."""

    amount: Decimal
    due: date | None = None
    milestone: str = ""


@dataclass(frozen=True)
class Instalment:
    """One payment of a schedule. ``due`` is None while its trigger (a milestone, the first
    revenue) has not happened."""

    number: int
    amount: Decimal
    trigger: Trigger
    due: date | None = None
    milestone: str = ""


@dataclass(frozen=True)
class Balance:
    """Where a licensee stands on a day: what fell due, what was paid towards it, what is still
    owed, and the part of it that is overdue (due before the day)."""

    due: Decimal
    paid: Decimal
    outstanding: Decimal
    overdue: Decimal
    credit: Decimal  # paid beyond what is due so far, kept for the next instalments


def _positive(amount: Decimal, field: str) -> Decimal:
    money = to_money(amount)
    if money <= 0:
        raise refuse(
            gettext_noop("An amount to pay must be more than 0; %(amount)s is not."),
            "licence.amount",
            field,
            ("M3.2",),
            amount=money,
        )
    return money


def _count(instalments: int, field: str = "instalments") -> int:
    if isinstance(instalments, bool) or not isinstance(instalments, int):
        raise TypeError(f"{field} must be an int, not {type(instalments).__name__}")
    if not 1 <= instalments <= MAX_INSTALMENTS:
        raise refuse(
            gettext_noop("The number of instalments must be from 1 to %(max)s; it is %(count)s."),
            "licence.instalments",
            field,
            ("M3.3",),
            max=MAX_INSTALMENTS,
            count=instalments,
        )
    return instalments


def _interval(every_months: int) -> int:
    if isinstance(every_months, bool) or not isinstance(every_months, int):
        raise TypeError(f"every_months must be an int, not {type(every_months).__name__}")
    if not 1 <= every_months <= 120:
        raise refuse(
            gettext_noop("Instalments fall due every 1 to 120 months; %(months)s is not that."),
            "licence.interval",
            "every_months",
            ("M3.3",),
            months=every_months,
        )
    return every_months


def staged_schedule(stages: Sequence[Stage], *, entry_fee: Decimal = ZERO) -> list[Instalment]:
    """M3.2: "zero entry fee + staged payments": the stages in order, each due on its date or at
    its milestone. An entry fee other than 0 is refused (the model has none)."""
    if to_money(entry_fee) != 0:
        raise refuse(
            gettext_noop("This payment model has no entry fee; %(fee)s was asked."),
            "licence.entry_fee",
            "entry_fee",
            ("M3.2",),
            fee=to_money(entry_fee),
        )
    if not stages:
        raise refuse(
            gettext_noop("Give at least one staged payment."),
            "licence.stages",
            "stages",
            ("M3.2",),
        )
    _count(len(stages), "stages")
    schedule = []
    for number, stage in enumerate(stages, start=1):
        amount = _positive(stage.amount, "stages")
        milestone = stage.milestone.strip()
        if (stage.due is None) == (not milestone):
            raise refuse(
                gettext_noop("Give stage %(number)s a due date or a milestone, one of the two."),
                "licence.stage_trigger",
                "stages",
                ("M3.2",),
                number=number,
            )
        trigger = Trigger.DATE if stage.due is not None else Trigger.MILESTONE
        schedule.append(Instalment(number, amount, trigger, stage.due, milestone))
    return schedule


def deferred_schedule(
    total: Decimal, *, first_due: date, instalments: int = 1, every_months: int = 12
) -> list[Instalment]:
    """M3.2, M3.3: deferred payment: ``total`` in equal instalments (to the fen, the first ones
    one fen more when it does not divide), the first on ``first_due``, then every
    ``every_months`` months (Civil Code Art. 202 month arithmetic)."""
    amount = _positive(total, "total")
    count, step = _count(instalments), _interval(every_months)
    parts = allocate(amount, [1] * count)
    return [
        Instalment(i, part, Trigger.DATE, add_months(first_due, (i - 1) * step))
        for i, part in enumerate(parts, start=1)
    ]


def after_first_revenue_schedule(
    total: Decimal, *, instalments: int = 1, every_months: int = 12
) -> list[Instalment]:
    """M3.3: payment only after the licensee's first revenue from the result: ``total`` in equal
    instalments, none due until :func:`on_first_revenue` fixes their dates."""
    amount = _positive(total, "total")
    _interval(every_months)
    parts = allocate(amount, [1] * _count(instalments))
    return [Instalment(i, p, Trigger.FIRST_REVENUE) for i, p in enumerate(parts, start=1)]


@dataclass(frozen=True)
class Terms:
    """M3.2, M3.3: the payment terms a unit concludes a licence on (those of the other payment
    models are ignored): the stages of a staged licence, the fee and its instalments of a
    deferred one or one paid after the first revenue, and an optional royalty rate."""

    stages: Sequence[Stage] = ()
    royalty_rate: Decimal | None = None
    total_fee: Decimal | None = None
    first_due: date | None = None
    instalments: int = 1
    every_months: int = 12


@dataclass(frozen=True)
class Plan:
    """What a licence's payment terms come to: its schedule, its fee (none for a staged licence)
    and its royalty rate (if any)."""

    schedule: list[Instalment]
    fee: Decimal | None
    rate: Decimal | None


def _rate(terms: Terms) -> Decimal | None:
    return check_rate(terms.royalty_rate) if terms.royalty_rate is not None else None


def licence_plan(model: PaymentModel, terms: Terms) -> Plan:
    """M3.2, M3.3: the schedule of a licence on the offer's payment ``model``: the stages of a
    staged licence (a royalty beside them); the fee in instalments from ``first_due`` for a
    deferred one; the fee in instalments waiting for the first revenue otherwise. A fee, and for
    a deferred licence the first instalment's date, are required."""
    if model is PaymentModel.STAGED_ROYALTY:
        stages = staged_schedule(terms.stages)
        return Plan(stages, None, _rate(terms))
    if terms.total_fee is None:
        raise refuse(
            gettext_noop("Give the licence fee to be paid."), "required", "total_fee", ("M3.2",)
        )
    fee, rate = to_money(terms.total_fee), _rate(terms)
    count, step = terms.instalments, terms.every_months
    if model is PaymentModel.AFTER_FIRST_REVENUE:
        schedule = after_first_revenue_schedule(fee, instalments=count, every_months=step)
        return Plan(schedule, fee, rate)
    if terms.first_due is None:
        raise refuse(
            gettext_noop("Give the date of the first instalment."),
            "required",
            "first_due",
            ("M3.3",),
        )
    schedule = deferred_schedule(
        fee, first_due=terms.first_due, instalments=count, every_months=step
    )
    return Plan(schedule, fee, rate)


def on_first_revenue(
    schedule: Sequence[Instalment],
    first_revenue: date,
    *,
    grace_months: int = 0,
    every_months: int = 12,
) -> list[Instalment]:
    """M3.3: the licensee reported its first revenue on ``first_revenue``: the instalments that
    waited for it fall due ``grace_months`` later, then every ``every_months`` months."""
    if isinstance(grace_months, bool) or not isinstance(grace_months, int) or grace_months < 0:
        raise refuse(
            gettext_noop("The grace period is a whole number of months, 0 or more."),
            "licence.grace",
            "grace_months",
            ("M3.3",),
        )
    step = _interval(every_months)
    waiting = [i for i in schedule if i.trigger is Trigger.FIRST_REVENUE and i.due is None]
    dates = {
        i.number: add_months(first_revenue, grace_months + k * step) for k, i in enumerate(waiting)
    }
    return [replace(i, due=dates[i.number]) if i.number in dates else i for i in schedule]


def milestone_reached(schedule: Sequence[Instalment], milestone: str, on: date) -> list[Instalment]:
    """M3.2: the licensee reached ``milestone`` on ``on``: its stages fall due that day."""
    name = milestone.strip()
    if not any(i.trigger is Trigger.MILESTONE and i.milestone == name for i in schedule):
        raise refuse(
            gettext_noop("The schedule has no stage at the milestone “%(milestone)s”."),
            "licence.milestone",
            "milestone",
            ("M3.2",),
            milestone=name,
        )
    return [
        replace(i, due=on)
        if i.trigger is Trigger.MILESTONE and i.milestone == name and i.due is None
        else i
        for i in schedule
    ]


def royalty(revenue: Decimal, rate: Decimal) -> Decimal:
    """M3.2: the royalty on a period's revenue from the result: ``revenue × rate``, rounded once
    half up to the fen. Negative revenue is refused (a loss is reported as 0); the rate lies
    above 0 and at most 1."""
    amount = check_revenue(revenue)
    check_rate(rate)
    return share_of(amount, rate)


def check_period(start: date, end: date, *, today: date) -> None:
    """M3.2: a revenue report covers a period that has ended: it starts before it ends, and it
    ends no later than today (revenue not yet earned cannot be reported)."""
    if end < start:
        raise refuse(
            gettext_noop("The period ends before it starts."),
            "licence.period",
            "period_end",
            ("M3.2",),
        )
    if end > today:
        raise refuse(
            gettext_noop(
                "The period ends on %(end)s, after today (%(today)s): revenue is reported once "
                "the period is over."
            ),
            "licence.period_future",
            "period_end",
            ("M3.2",),
            end=end.isoformat(),
            today=today.isoformat(),
        )


def check_royalty_due_days(days: int) -> int:
    """M3.2, M3.3: the licence's term for paying royalties: a whole number of days after the end of
    the period reported, from 1 to :data:`MAX_ROYALTY_DUE_DAYS`."""
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"royalty_due_days must be an int, not {type(days).__name__}")
    if not 1 <= days <= MAX_ROYALTY_DUE_DAYS:
        raise refuse(
            gettext_noop(
                "A royalty falls due 1 to %(max)s days after the period it is paid on ends; "
                "%(days)s is not that."
            ),
            "licence.royalty_due_days",
            "royalty_due_days",
            ("M3.2", "M3.3"),
            days=days,
            max=MAX_ROYALTY_DUE_DAYS,
        )
    return days


def royalty_due(period_end: date, due_days: int) -> date:
    """M3.2, M3.3: the day the royalty on a period's revenue falls due, as the licence agreed:
    ``due_days`` days after the period's last day (Civil Code Art. 201: the day the period ends
    is not counted), never on or before it. The licensee does not choose it when reporting."""
    return period_last_day(period_end, check_royalty_due_days(due_days))


def check_revenue(revenue: Decimal) -> Decimal:
    """M3.2: a period's revenue from the result, to the fen; negative revenue is refused (a loss
    is reported as 0)."""
    amount = to_money(revenue)
    if amount < 0:
        raise refuse(
            gettext_noop(
                "Revenue cannot be negative (%(revenue)s); report a period without revenue as 0."
            ),
            "licence.revenue_negative",
            "revenue",
            ("M3.2",),
            revenue=amount,
        )
    return amount


def check_rate(rate: Decimal) -> Decimal:
    """M3.2: a royalty rate is a ratio above 0 and at most 1 (``Decimal("0.05")`` is 5 %)."""
    if isinstance(rate, bool) or not isinstance(rate, Decimal | int):
        raise TypeError(f"rate must be a Decimal, not {type(rate).__name__}")
    if not Decimal(rate).is_finite() or not 0 < rate <= 1:
        raise refuse(
            gettext_noop("A royalty rate lies above 0 and at most 1 (100 %%); %(rate)s does not."),
            "licence.rate",
            "rate",
            ("M3.2",),
            rate=rate,
        )
    return Decimal(rate)


def balance(schedule: Sequence[Instalment], payments: Sequence[Decimal], on: date) -> Balance:
    """M3.2, M3.3: the licensee's balance on ``on``. Instalments count once due (on or before
    ``on``); payments go to them oldest first; what is paid beyond is a credit. Overdue is
    what is still owed on instalments due before ``on``."""
    paid = sum((to_money(p) for p in payments), ZERO)
    if paid < 0:
        raise refuse(
            gettext_noop("Payments cannot add up to less than 0."),
            "licence.payment",
            "payments",
            ("M3.2",),
        )
    fallen = sorted(
        ((i.due, i) for i in schedule if i.due is not None and i.due <= on),
        key=lambda pair: (pair[0], pair[1].number),
    )
    due = sum((i.amount for _day, i in fallen), ZERO)
    left, overdue = paid, ZERO
    for day, instalment in fallen:
        applied = min(left, instalment.amount)
        left -= applied
        if day < on:
            overdue += instalment.amount - applied
    outstanding = max(due - paid, ZERO)
    return Balance(due, min(paid, due), outstanding, overdue, max(paid - due, ZERO))


class State(StrEnum):
    """Where one instalment stands on a day, as the licence's pages show it."""

    PAID = "paid"
    PART = "part"  # partly paid, not yet late
    UPCOMING = "upcoming"  # falls due after the day, nothing paid towards it
    DUE = "due"  # falls due on the day, nothing paid towards it
    OVERDUE = "overdue"  # late and not fully paid
    WAITING = "waiting"  # its trigger (a milestone, the first revenue) has not happened


def instalment_states(
    schedule: Sequence[Instalment], payments: Sequence[Decimal], on: date
) -> dict[int, State]:
    """M3.2, M3.3: each instalment's state on ``on``. As in :func:`balance`, the payments go to
    the instalments oldest first (by due day, then number); what is left after those fallen
    due is paid in advance towards the next ones."""
    left = sum((to_money(p) for p in payments), ZERO)
    states = {i.number: State.WAITING for i in schedule if i.due is None}
    for day, instalment in sorted(
        ((i.due, i) for i in schedule if i.due is not None),
        key=lambda pair: (pair[0], pair[1].number),
    ):
        if left >= instalment.amount:
            states[instalment.number] = State.PAID
        elif day < on:
            states[instalment.number] = State.OVERDUE
        elif left > 0:
            states[instalment.number] = State.PART
        else:
            states[instalment.number] = State.DUE if day == on else State.UPCOMING
        left = max(left - instalment.amount, ZERO)
    return states


def check_term(years: int) -> int:
    """M3.1: a licence runs for a whole number of years, from 1 to :data:`MAX_TERM_YEARS`."""
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= MAX_TERM_YEARS:
        raise refuse(
            gettext_noop("A licence runs for 1 to %(max)s years; %(years)s is not that."),
            "licence.term",
            "term_years",
            ("M3.1",),
            years=years,
            max=MAX_TERM_YEARS,
        )
    return years


def check_exclusivity(*, exclusive: bool, active: int, active_exclusive: int) -> None:
    """M3.1: an exclusive licence excludes any other licence of the result in force, and no
    licence can be added beside an exclusive one."""
    if active_exclusive or (exclusive and active):
        raise refuse(
            gettext_noop(
                "The result is licensed already, and an exclusive licence excludes any other."
            ),
            "licence.exclusive",
            "offer",
            ("M3.1",),
        )
