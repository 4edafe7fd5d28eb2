"""Rules of technology finance (科技金融): banks' products and the enterprises' applications.

* **Products** (:func:`check_product`): M12.1 credit loans, IP pledge financing and S&T
  innovation bonds; M12.3 guarantees and insurance for R&D, transformation, industrialisation,
  data security and IP. A product states its amount range, its term range in months and an
  indicative annual rate (for a guarantee or insurance, the fee or premium rate).
* **Applications** (:func:`check_request`): the amount and term lie within the product's
  ranges; a pledge product names the patents pledged, each a checked Chinese patent number
  (ZC 0006-2003), none twice.
* **Steps** (:func:`check_step`): the bank approves (with the amount, rate and term, or for a
  cover its number, amount, premium and period) or refuses saying why; the applicant may
  withdraw while it waits; a loan fully repaid is closed.
* **Pledges** (:func:`check_not_pledged`): a patent under an active pledge cannot be pledged
  again until the loan it secures is repaid (M12.1).
* **Schedules** (:func:`schedule`): equal instalments (等额本息) or equal principal (等额本金),
  monthly, computed to the fen; the principal of the instalments sums to the loan exactly.
  Repayments are applied to the earliest instalments first (:func:`apply_repayment`).

Pure functions over plain values; ``kttc.center.finance.services`` calls them under the
application's row lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Final

from kttc.policy.calendar import add_months
from kttc.policy.errors import IdentifierError, PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.identifiers import parse_patent_application_number
from kttc.policy.money import allocate, to_money

FINANCING: Final = ("M12.1",)
COVER: Final = ("M12.3",)

#: The longest term a product may offer, in months (30 years).
TERM_MAX_MONTHS: Final = 360
#: A sanity bound on the indicative annual rate in percent (not a number of the measures).
RATE_MAX_PERCENT: Final = Decimal("36")
#: The longest product name, registration or policy number, and reason the platform records.
NAME_MAX: Final = 200
NUMBER_MAX: Final = 60
REASON_MAX: Final = 2000
#: The most patents one application pledges.
PLEDGES_MAX: Final = 20


class ProductKind(StrEnum):
    CREDIT_LOAN = "credit_loan"  # 信用贷款 (M12.1)
    PLEDGE_LOAN = "pledge_loan"  # 知识产权质押融资 (M12.1)
    INNOVATION_BOND = "innovation_bond"  # 科技创新公司债 (M12.1)
    GUARANTEE = "guarantee"  # 担保 (M12.3)
    INSURANCE = "insurance"  # 保险 (M12.3)


#: M12.1 financing is repaid on a schedule; M12.3 cover is not.
LOAN_KINDS: Final = frozenset({ProductKind.CREDIT_LOAN, ProductKind.PLEDGE_LOAN})
COVER_KINDS: Final = frozenset({ProductKind.GUARANTEE, ProductKind.INSURANCE})


class CoverPurpose(StrEnum):
    """M12.3: what a guarantee or an insurance covers."""

    RD = "rd"
    TRANSFORMATION = "transformation"
    INDUSTRIALISATION = "industrialisation"
    DATA_SECURITY = "data_security"
    IP = "ip"


class Method(StrEnum):
    EQUAL_INSTALMENTS = "equal_instalments"  # 等额本息
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金


class Status(StrEnum):
    SUBMITTED = "submitted"  # waiting for the bank
    APPROVED = "approved"  # granted: a loan being repaid, a bond issued, a cover in force
    REFUSED = "refused"  # refused by the bank, with the reasons
    WITHDRAWN = "withdrawn"  # withdrawn by the applicant before the decision
    REPAID = "repaid"  # a loan fully repaid, its pledge released


class Step(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"
    REPAY = "repay"


TRANSITIONS: Final[dict[Step, tuple[frozenset[Status], Status]]] = {
    Step.APPROVE: (frozenset({Status.SUBMITTED}), Status.APPROVED),
    Step.REFUSE: (frozenset({Status.SUBMITTED}), Status.REFUSED),
    Step.WITHDRAW: (frozenset({Status.SUBMITTED}), Status.WITHDRAWN),
    Step.REPAY: (frozenset({Status.APPROVED}), Status.REPAID),
}


def clauses_of(kind: str) -> tuple[str, ...]:
    """The obligation a product kind carries: M12.3 for cover, M12.1 for financing."""
    return COVER if kind in {k.value for k in COVER_KINDS} else FINANCING


def check_kind(kind: str) -> ProductKind:
    """M12.1, M12.3: one of the kinds of product."""
    try:
        return ProductKind(kind)
    except ValueError:
        raise refuse(
            gettext_noop(
                "Choose the kind of product: credit loan, IP pledge loan, innovation bond, "
                "guarantee or insurance."
            ),
            "finance.kind",
            "kind",
            FINANCING + COVER,
        ) from None


@dataclass(frozen=True)
class ProductDraft:
    """What a bank states of a product, as given (any part may be missing): amounts in yuan,
    terms in months, the annual rate in percent."""

    kind: str
    amount_min: Decimal | None
    amount_max: Decimal | None
    term_min: int | None
    term_max: int | None
    rate: Decimal | None
    purposes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProductTerms:
    """What a product offers, checked: amounts in yuan, terms in months, the annual rate in
    percent."""

    kind: str
    amount_min: Decimal
    amount_max: Decimal
    term_min: int
    term_max: int
    rate: Decimal
    purposes: tuple[str, ...] = ()


def _positive(value: Decimal | None, field: str, clauses: tuple[str, ...]) -> Decimal:
    if value is None:
        raise refuse(gettext_noop("Give the amount."), "finance.required", field, clauses)
    amount = to_money(value)
    if amount <= 0:
        raise refuse(
            gettext_noop("The amount is more than 0 yuan."), "finance.amount", field, clauses
        )
    return amount


def _term(value: int | None, field: str, clauses: tuple[str, ...]) -> int:
    if value is None or not 1 <= value <= TERM_MAX_MONTHS:
        raise refuse(
            gettext_noop("The term is 1 to %(max)s months."),
            "finance.term",
            field,
            clauses,
            max=TERM_MAX_MONTHS,
        )
    return value


def check_rate(rate: Decimal | None, field: str, clauses: tuple[str, ...]) -> Decimal:
    """The annual rate in percent, 0 to :data:`RATE_MAX_PERCENT`, to three places."""
    if rate is None or not rate.is_finite() or not 0 <= rate <= RATE_MAX_PERCENT:
        raise refuse(
            gettext_noop("The annual rate is a percentage from 0 to %(max)s."),
            "finance.rate",
            field,
            clauses,
            max=RATE_MAX_PERCENT,
        )
    return rate.quantize(Decimal("0.001"))


def check_product(terms: ProductDraft) -> ProductTerms:
    """M12.1, M12.3: a product's kind, its amount and term ranges (the least not above the
    most) and its indicative rate; a guarantee or insurance names what it covers."""
    kind = check_kind(terms.kind)
    clauses = clauses_of(kind)
    low = _positive(terms.amount_min, "amount_min", clauses)
    high = _positive(terms.amount_max, "amount_max", clauses)
    if low > high:
        raise refuse(
            gettext_noop("The least amount, %(low)s, is above the most, %(high)s."),
            "finance.amount_range",
            "amount_max",
            clauses,
            low=low,
            high=high,
        )
    term_min = _term(terms.term_min, "term_min", clauses)
    term_max = _term(terms.term_max, "term_max", clauses)
    if term_min > term_max:
        raise refuse(
            gettext_noop("The shortest term is longer than the longest."),
            "finance.term_range",
            "term_max",
            clauses,
        )
    purposes = tuple(dict.fromkeys(terms.purposes))
    known = {p.value for p in CoverPurpose}
    if any(p not in known for p in purposes) or (kind in COVER_KINDS and not purposes):
        raise refuse(
            gettext_noop(
                "A guarantee or insurance covers R&D, transformation, industrialisation, data "
                "security or IP: choose one or more."
            ),
            "finance.purposes",
            "purposes",
            COVER,
        )
    rate = check_rate(terms.rate, "rate", clauses)
    return ProductTerms(kind.value, low, high, term_min, term_max, rate, purposes)


def check_patent(number: str) -> str:
    """M12.1: a pledged patent's number, checked (ZC 0006-2003); its application number."""
    try:
        return parse_patent_application_number(number).application_number
    except IdentifierError as error:
        raise PolicyError(
            error.template, code=error.code, field="patents", clauses=FINANCING,
            params=error.params,
        ) from None  # fmt: skip


def check_request(
    terms: ProductTerms, *, amount: Decimal | None, term: int | None, patents: Sequence[str]
) -> tuple[Decimal, int, list[str]]:
    """M12.1, M12.3: an application's amount and term within the product's ranges; for a pledge
    loan, one patent or more (checked numbers, none twice); other products pledge none."""
    clauses = clauses_of(terms.kind)
    money = _positive(amount, "amount", clauses)
    if not terms.amount_min <= money <= terms.amount_max:
        raise refuse(
            gettext_noop("This product lends or covers from %(low)s to %(high)s yuan."),
            "finance.amount_outside",
            "amount",
            clauses,
            low=terms.amount_min,
            high=terms.amount_max,
        )
    months = _term(term, "term", clauses)
    if not terms.term_min <= months <= terms.term_max:
        raise refuse(
            gettext_noop("This product's term is %(low)s to %(high)s months."),
            "finance.term_outside",
            "term",
            clauses,
            low=terms.term_min,
            high=terms.term_max,
        )
    numbers = [check_patent(n) for n in patents]
    if terms.kind == ProductKind.PLEDGE_LOAN and not numbers:
        raise refuse(
            gettext_noop("An IP pledge loan pledges one patent or more of your results."),
            "finance.no_pledge",
            "patents",
            FINANCING,
        )
    if terms.kind != ProductKind.PLEDGE_LOAN and numbers:
        raise refuse(
            gettext_noop("Only an IP pledge loan takes pledged patents."),
            "finance.pledge_kind",
            "patents",
            clauses,
        )
    if len(set(numbers)) != len(numbers) or len(numbers) > PLEDGES_MAX:
        raise refuse(
            gettext_noop("Pledge each patent once, at most %(max)s."),
            "finance.pledge_twice",
            "patents",
            FINANCING,
            max=PLEDGES_MAX,
        )
    return money, months, numbers


def check_step(status: str, step: Step) -> Status:
    """The step is one the application's status allows; returns the new status."""
    before, after = TRANSITIONS[step]
    if status not in before:
        raise refuse(
            gettext_noop("This application is no longer waiting for that step."),
            "finance.status",
            None,
            FINANCING + COVER,
        )
    return after


def check_not_pledged(numbers: Iterable[str], active: Mapping[str, str]) -> None:
    """M12.1: none of the patents is under an active pledge (``active`` maps a pledged patent's
    number to the registration of its pledge). A patent is pledged once at a time."""
    for number in numbers:
        if number in active:
            raise refuse(
                gettext_noop(
                    "The patent ZL%(number)s is already under an active pledge (registration "
                    "%(registration)s); it can be pledged again once that loan is repaid."
                ),
                "finance.already_pledged",
                "patents",
                FINANCING,
                number=number,
                registration=active[number] or "—",
            )


def check_reason(reason: str) -> str:
    """A refusal says why."""
    text = reason.strip()
    if not text:
        raise refuse(
            gettext_noop("Give the reasons for the refusal."),
            "finance.reason",
            "reason",
            FINANCING + COVER,
        )
    if len(text) > REASON_MAX:
        raise refuse(
            gettext_noop("At most %(max)s characters."),
            "too_long",
            "reason",
            FINANCING + COVER,
            max=REASON_MAX,
        )
    return text


def check_number(number: str, field: str, clauses: tuple[str, ...]) -> str:
    """A registration, policy or guarantee number: 1 to :data:`NUMBER_MAX` characters, no
    spaces inside."""
    text = number.strip()
    if not text or len(text) > NUMBER_MAX or any(c.isspace() for c in text):
        raise refuse(
            gettext_noop("Give the number: 1 to %(max)s characters without spaces."),
            "finance.number",
            field,
            clauses,
            max=NUMBER_MAX,
        )
    return text


def check_day(day: date | None, field: str, today: date, clauses: tuple[str, ...]) -> date:
    """A day that has come (a registration, a repayment): given, and not after today."""
    if day is None or day > today:
        raise refuse(
            gettext_noop("Give the day; it is not after today (%(today)s)."),
            "finance.day",
            field,
            clauses,
            today=today.isoformat(),
        )
    return day


@dataclass(frozen=True)
class Approval:
    """What the bank grants on a loan or bond: the amount, the annual rate and the term."""

    amount: Decimal
    rate: Decimal
    term: int


def check_approval(
    *, amount: Decimal | None, rate: Decimal | None, term: int | None, clauses: tuple[str, ...]
) -> Approval:
    """M12.1: an approval states the amount (more than 0), the annual rate and the term."""
    return Approval(
        _positive(amount, "approved_amount", clauses),
        check_rate(rate, "approved_rate", clauses),
        _term(term, "approved_term", clauses),
    )


def check_cover(
    *,
    amount: Decimal | None,
    premium: Decimal | None,
    start: date | None,
    end: date | None,
) -> tuple[Decimal, Decimal, date, date]:
    """M12.3: a guarantee or insurance states its cover amount, its premium or fee (0 or more,
    not above the cover) and its period (the end after the start)."""
    cover = _positive(amount, "cover_amount", COVER)
    if premium is None or to_money(premium) < 0 or to_money(premium) > cover:
        raise refuse(
            gettext_noop("Give the premium or fee: from 0 up to the cover amount."),
            "finance.premium",
            "premium",
            COVER,
        )
    if start is None or end is None or end <= start:
        raise refuse(
            gettext_noop("Give the period: its end comes after its start."),
            "finance.period",
            "cover_end",
            COVER,
        )
    return cover, to_money(premium), start, end


@dataclass(frozen=True)
class Instalment:
    number: int
    due_on: date
    principal: Decimal
    interest: Decimal

    @property
    def amount(self) -> Decimal:
        return self.principal + self.interest


def _fen(value: Fraction) -> int:
    """Half up to a whole fen (value in fen, non-negative)."""
    return int(value + Fraction(1, 2))


def schedule(
    principal: Decimal, annual_rate_percent: Decimal, months: int, method: str, start: date
) -> list[Instalment]:
    """M12.1: the monthly repayment schedule of a loan made on ``start``.

    Interest of a month is the balance times the annual rate / 12, half up to the fen. Equal
    instalments (等额本息): each instalment is the annuity ``P·r(1+r)^n / ((1+r)^n − 1)`` to the
    fen, its principal what is left after the interest; equal principal (等额本金): the loan
    split into ``n`` parts to the fen (:func:`kttc.policy.money.allocate`). Either way the last
    instalment takes the balance left, so the principal sums to the loan exactly; instalment
    ``i`` falls due ``i`` months after ``start``."""
    loan = to_money(principal)
    if loan <= 0 or months < 1:
        raise ValueError("a schedule needs a positive principal and one month or more")
    chosen = Method(method)
    rate = Fraction(annual_rate_percent) / 1200
    balance = int(loan * 100)
    if chosen is Method.EQUAL_PRINCIPAL:
        parts = [int(p * 100) for p in allocate(loan, [1] * months)]
    else:
        if rate == 0:
            payment = Fraction(balance, months)
        else:
            growth = (1 + rate) ** months
            payment = balance * rate * growth / (growth - 1)
        parts = []
    out = []
    for index in range(months):
        interest = _fen(balance * rate)
        if index == months - 1:
            part = balance
        elif chosen is Method.EQUAL_PRINCIPAL:
            part = min(parts[index], balance)
        else:
            part = max(0, min(balance, _fen(payment) - interest))
        balance -= part
        out.append(
            Instalment(
                index + 1,
                add_months(start, index + 1),
                Decimal(part).scaleb(-2),
                Decimal(interest).scaleb(-2),
            )
        )
    return out


def apply_repayment(amount: Decimal, outstanding: Sequence[Decimal]) -> list[Decimal]:
    """M12.1: a repayment paid against the instalments still owed (``outstanding``, in order),
    the earliest first; returns what it pays on each. Refuses a repayment of 0 or less, or more
    than is owed."""
    paid = _positive(amount, "amount", FINANCING)
    owed = sum(outstanding, Decimal("0.00"))
    if paid > owed:
        raise refuse(
            gettext_noop("The repayment is more than is still owed, %(owed)s yuan."),
            "finance.overpaid",
            "amount",
            FINANCING,
            owed=owed,
        )
    out = []
    left = paid
    for due in outstanding:
        part = min(left, due)
        out.append(part)
        left -= part
    return out


__all__ = [
    "COVER",
    "COVER_KINDS",
    "FINANCING",
    "LOAN_KINDS",
    "Approval",
    "CoverPurpose",
    "Instalment",
    "Method",
    "ProductDraft",
    "ProductKind",
    "ProductTerms",
    "Status",
    "Step",
    "apply_repayment",
    "check_approval",
    "check_cover",
    "check_day",
    "check_kind",
    "check_not_pledged",
    "check_number",
    "check_patent",
    "check_product",
    "check_rate",
    "check_reason",
    "check_request",
    "check_step",
    "clauses_of",
    "schedule",
]
