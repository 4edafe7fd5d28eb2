"""Rules of innovation vouchers (科技创新券, M12.2): the bureau opens a programme with a budget,
the services its vouchers pay for, the value of a voucher (fixed, or a maximum), the period in
which enterprises apply and the day its vouchers expire; enterprises verified on the platform
(and, where the programme says so, registered in Kunming) apply; the bureau issues a voucher or
refuses; a certified service institution redeems it against a service delivered.

* **Programme** (:func:`check_programme`): a name, a budget above zero, at least one service
  of :class:`ServiceKind`, a value above zero and within the budget, an application period
  whose end is not before its start, and vouchers valid until a day not before its end.
* **Application** (:func:`check_application`): the programme is open and the day within its
  period; the enterprise is verified (and local if asked); the service is one of the
  programme's; the amount asked is above zero and within the programme's value.
* **Issue** (:func:`check_issue_value`, :func:`check_budget`): a fixed programme issues its
  value; otherwise the bureau chooses a value above zero, not above the amount asked nor the
  maximum. The budget is never exceeded: the value of the vouchers issued and not yet used
  (neither redeemed nor expired) plus the amounts redeemed, with the new voucher, stay within
  the budget.
* **Redemption** (:func:`check_redemption`): a voucher is redeemed once, before it expires,
  by a service institution whose certification (M9.1) is in force that day, against a service
  delivered whose amount is above zero and not above the voucher's value. The part of the
  value not spent returns to the budget, as does the value of a voucher that expires unused.
* **Report** (:func:`report`): budget = outstanding (issued, not yet used) + redeemed +
  remaining, to the fen, by service kind and by institution.

Pure functions over plain values; ``kttc.center.vouchers.services`` calls them under the
programme's row lock and turns a refusal into an error naming the field and the clause.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Final

from kttc.policy.errors import PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import to_money

CLAUSES: Final = ("M12.2",)
#: A redemption rests on the institution's certification too (M9.1).
REDEEM_CLAUSES: Final = ("M12.2", "M9.1")
NAME_MAX: Final = 200
PURPOSE_MAX: Final = 2000
DESCRIPTION_MAX: Final = 2000
INVOICE_MAX: Final = 40
#: The enterprise's home lists a voucher as expiring soon this many days before it expires.
EXPIRING_SOON_DAYS: Final = 30
#: GB/T 2260: the administrative divisions of Kunming start with these four digits.
KUNMING_DIVISION_PREFIX: Final = "5301"
#: The letters of a voucher's code: no 0/O, 1/I/L, so that it reads back over the phone.
CODE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH: Final = 10


class ServiceKind(StrEnum):
    EVALUATION = "evaluation"  # 科技成果评价
    IP_SERVICES = "ip_services"  # 知识产权服务
    FINANCE_SERVICES = "finance_services"  # 科技金融服务
    TESTING = "testing"  # 检验检测


class ValueMode(StrEnum):
    FIXED = "fixed"  # every voucher is worth the programme's value
    MAXIMUM = "maximum"  # the bureau chooses a value up to it


class ProgrammeStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    ISSUED = "issued"
    REFUSED = "refused"


class VoucherStatus(StrEnum):
    ISSUED = "issued"  # held by the enterprise, not yet used
    REDEEMED = "redeemed"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Programme:
    """A programme as checked: its budget and value to the fen, its services in order."""

    name: str
    budget: Decimal
    services: tuple[ServiceKind, ...]
    value_mode: ValueMode
    value: Decimal
    opens_on: date
    closes_on: date
    valid_until: date


def _amount(value: Decimal | int | str, name: str, clauses: tuple[str, ...] = CLAUSES) -> Decimal:
    """An amount above zero, to the fen; a refusal names ``name``."""
    try:
        amount = to_money(value)
    except PolicyError as error:
        raise PolicyError(
            error.template, code=error.code, field=name, clauses=clauses, params=error.params
        ) from None
    except TypeError:
        amount = Decimal(0)
    if amount <= 0:
        raise refuse(
            gettext_noop("Give an amount in yuan above 0, to the fen."),
            "voucher.amount",
            name,
            clauses,
        )
    return amount


def _name(text: str) -> str:
    name = text.strip()
    if not name or len(name) > NAME_MAX:
        raise refuse(
            gettext_noop("Give the programme a name of at most %(max)s characters."),
            "voucher.name",
            "name",
            CLAUSES,
            max=NAME_MAX,
        )
    return name


def check_services(services: Iterable[str]) -> tuple[ServiceKind, ...]:
    """M12.2: at least one of the services vouchers pay for, each known, in the order of
    :class:`ServiceKind`."""
    chosen = set(services)
    known = {kind.value for kind in ServiceKind}
    if not chosen or not chosen <= known:
        raise refuse(
            gettext_noop(
                "Choose the services the vouchers pay for: evaluation, IP services, finance "
                "services or testing."
            ),
            "voucher.services",
            "services",
            CLAUSES,
        )
    return tuple(kind for kind in ServiceKind if kind.value in chosen)


def check_programme(
    *,
    name: str,
    budget: Decimal | int | str,
    services: Iterable[str],
    value_mode: str,
    value: Decimal | int | str,
    opens_on: date,
    closes_on: date,
    valid_until: date,
) -> Programme:
    """M12.2: a programme the bureau opens (see the module's summary)."""
    checked_budget = _amount(budget, "budget")
    kinds = check_services(services)
    try:
        mode = ValueMode(value_mode)
    except ValueError:
        raise refuse(
            gettext_noop("Say whether a voucher's value is fixed or a maximum."),
            "voucher.value_mode",
            "value_mode",
            CLAUSES,
        ) from None
    checked_value = _amount(value, "value")
    if checked_value > checked_budget:
        raise refuse(
            gettext_noop("A voucher's value, %(value)s yuan, is more than the budget, %(budget)s."),
            "voucher.value_over_budget",
            "value",
            CLAUSES,
            value=checked_value,
            budget=checked_budget,
        )
    if closes_on < opens_on:
        raise refuse(
            gettext_noop("Applications close on or after the day they open (%(start)s)."),
            "voucher.period",
            "closes_on",
            CLAUSES,
            start=opens_on.isoformat(),
        )
    if valid_until < closes_on:
        raise refuse(
            gettext_noop("Vouchers are valid at least until applications close (%(end)s)."),
            "voucher.validity",
            "valid_until",
            CLAUSES,
            end=closes_on.isoformat(),
        )
    return Programme(
        _name(name), checked_budget, kinds, mode, checked_value, opens_on, closes_on, valid_until
    )


def division_of(credit_code: str) -> str:
    """GB 32100-2015: the administrative division (GB/T 2260) of a credit code, characters 3-8."""
    return credit_code.strip().upper()[2:8]


def is_local(credit_code: str) -> bool:
    """Registered in Kunming: the credit code's division starts with 5301."""
    return len(credit_code.strip()) == 18 and division_of(credit_code).startswith(
        KUNMING_DIVISION_PREFIX
    )


@dataclass(frozen=True)
class Applicant:
    """What the rules need to know of an applying enterprise."""

    verified: bool
    credit_code: str


def check_application(
    *,
    programme: Programme,
    status: str,
    local_only: bool,
    applicant: Applicant,
    service: str,
    amount: Decimal | int | str,
    today: date,
) -> tuple[ServiceKind, Decimal]:
    """M12.2: an enterprise's application to an open programme (see the module's summary).
    Returns the service and the amount asked."""
    if status != ProgrammeStatus.OPEN or not programme.opens_on <= today <= programme.closes_on:
        raise refuse(
            gettext_noop("The programme takes applications from %(start)s to %(end)s while open."),
            "voucher.not_open",
            None,
            CLAUSES,
            start=programme.opens_on.isoformat(),
            end=programme.closes_on.isoformat(),
        )
    if not applicant.verified:
        raise refuse(
            gettext_noop("Vouchers go to enterprises verified on the platform."),
            "voucher.unverified",
            None,
            CLAUSES,
        )
    if local_only and not is_local(applicant.credit_code):
        raise refuse(
            gettext_noop(
                "This programme is for enterprises registered in Kunming; the credit code "
                "gives the division %(division)s."
            ),
            "voucher.local",
            None,
            CLAUSES,
            division=division_of(applicant.credit_code) or "—",
        )
    if service not in {kind.value for kind in programme.services}:
        raise refuse(
            gettext_noop("Choose one of the services the programme's vouchers pay for."),
            "voucher.service",
            "service",
            CLAUSES,
        )
    asked = _amount(amount, "amount")
    if asked > programme.value:
        raise refuse(
            gettext_noop("Ask for at most %(max)s yuan, the programme's value of a voucher."),
            "voucher.over_value",
            "amount",
            CLAUSES,
            max=programme.value,
        )
    return ServiceKind(service), asked


def check_issue_value(
    *, value_mode: str, programme_value: Decimal, asked: Decimal, value: Decimal | int | str | None
) -> Decimal:
    """M12.2: the value of the voucher issued: the programme's value when it is fixed;
    otherwise the bureau's choice, above zero and not above the amount asked (which is not
    above the maximum). Left out, it is the amount asked."""
    if value_mode == ValueMode.FIXED:
        if value is not None and str(value).strip() and _amount(value, "value") != programme_value:
            raise refuse(
                gettext_noop("This programme's vouchers are worth %(value)s yuan each."),
                "voucher.fixed_value",
                "value",
                CLAUSES,
                value=programme_value,
            )
        return programme_value
    if value is None or not str(value).strip():
        return asked
    chosen = _amount(value, "value")
    if chosen > asked or chosen > programme_value:
        raise refuse(
            gettext_noop("Issue at most the amount asked, %(asked)s yuan."),
            "voucher.over_asked",
            "value",
            CLAUSES,
            asked=min(asked, programme_value),
        )
    return chosen


def check_budget(*, budget: Decimal, committed: Decimal, value: Decimal) -> Decimal:
    """M12.2: the budget is never exceeded: ``committed`` (vouchers issued and not yet used,
    plus amounts redeemed) and the new voucher stay within it. Returns the new committed sum."""
    after = committed + value
    if after > budget:
        raise refuse(
            gettext_noop(
                "M12.2: the programme's budget would be exceeded: %(remaining)s yuan remain of "
                "%(budget)s, and the voucher is worth %(value)s."
            ),
            "voucher.budget",
            "value",
            CLAUSES,
            remaining=budget - committed,
            budget=budget,
            value=value,
        )
    return after


def check_redemption(
    *,
    status: str,
    expires_on: date,
    value: Decimal,
    certified: bool,
    amount: Decimal | int | str,
    today: date,
) -> Decimal:
    """M12.2, M9.1: a voucher redeemed once, before it expires, by an institution certified that
    day, for an amount above zero and within its value. Returns the amount."""
    if not certified:
        raise refuse(
            gettext_noop(
                "M9.1, M12.2: vouchers are redeemed by service institutions whose certification "
                "is in force; this institution's is not."
            ),
            "voucher.uncertified",
            None,
            REDEEM_CLAUSES,
        )
    if status == VoucherStatus.REDEEMED:
        raise refuse(
            gettext_noop("This voucher has been redeemed already; a voucher is redeemed once."),
            "voucher.redeemed",
            None,
            CLAUSES,
        )
    if status == VoucherStatus.EXPIRED or today > expires_on:
        raise refuse(
            gettext_noop("This voucher expired on %(day)s and cannot be redeemed."),
            "voucher.expired",
            None,
            CLAUSES,
            day=expires_on.isoformat(),
        )
    spent = _amount(amount, "amount")
    if spent > value:
        raise refuse(
            gettext_noop("The amount redeemed is at most the voucher's value, %(value)s yuan."),
            "voucher.over_voucher",
            "amount",
            CLAUSES,
            value=value,
        )
    return spent


def check_invoice_number(number: str) -> str:
    """M12.2: the invoice of the service delivered: 1 to 40 characters without spaces."""
    text = number.strip()
    if not text or len(text) > INVOICE_MAX or any(c.isspace() for c in text):
        raise refuse(
            gettext_noop("Give the invoice number: 1 to %(max)s characters without spaces."),
            "voucher.invoice",
            "invoice_number",
            CLAUSES,
            max=INVOICE_MAX,
        )
    return text


def expiring_soon(expires_on: date, today: date) -> bool:
    """Whether an unused voucher expires within :data:`EXPIRING_SOON_DAYS` days."""
    return today <= expires_on <= today + timedelta(days=EXPIRING_SOON_DAYS)


def new_code() -> str:
    """A voucher's code: :data:`CODE_LENGTH` letters of :data:`CODE_ALPHABET`, random."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# --- the report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoucherLine:
    """One voucher as the report reads it: its state, value, the amount redeemed (0 unless
    redeemed), its service and the institution that redeemed it ("" otherwise)."""

    status: str
    value: Decimal
    spent: Decimal
    service: str
    institution: str = ""


@dataclass
class Figures:
    """Vouchers issued (count and value), the value still outstanding, the amounts redeemed,
    the value returned unspent on redemption, and the value expired."""

    count: int = 0
    issued: Decimal = Decimal("0.00")
    outstanding: Decimal = Decimal("0.00")
    redeemed: Decimal = Decimal("0.00")
    redeemed_count: int = 0
    unspent: Decimal = Decimal("0.00")
    expired: Decimal = Decimal("0.00")

    def add(self, line: VoucherLine) -> None:
        self.count += 1
        self.issued += line.value
        if line.status == VoucherStatus.ISSUED:
            self.outstanding += line.value
        elif line.status == VoucherStatus.REDEEMED:
            self.redeemed += line.spent
            self.redeemed_count += 1
            self.unspent += line.value - line.spent
        elif line.status == VoucherStatus.EXPIRED:
            self.expired += line.value

    @property
    def committed(self) -> Decimal:
        return self.outstanding + self.redeemed


@dataclass
class Report:
    """M12.2: a programme's budget and where it went: ``budget == outstanding + redeemed +
    remaining``, to the fen; the same figures by service kind and, for redemptions, by
    institution."""

    budget: Decimal
    total: Figures = field(default_factory=Figures)
    by_service: dict[str, Figures] = field(default_factory=dict)
    by_institution: dict[str, Figures] = field(default_factory=dict)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.total.committed


def report(budget: Decimal, lines: Sequence[VoucherLine]) -> Report:
    """M12.2: the programme's report from its vouchers (see :class:`Report`)."""
    out = Report(budget=budget)
    for kind in ServiceKind:
        out.by_service[kind.value] = Figures()
    for line in lines:
        out.total.add(line)
        out.by_service.setdefault(line.service, Figures()).add(line)
        if line.status == VoucherStatus.REDEEMED:
            out.by_institution.setdefault(line.institution, Figures()).add(line)
    return out


__all__ = [
    "CLAUSES",
    "EXPIRING_SOON_DAYS",
    "REDEEM_CLAUSES",
    "Applicant",
    "ApplicationStatus",
    "Figures",
    "Programme",
    "ProgrammeStatus",
    "Report",
    "ServiceKind",
    "ValueMode",
    "VoucherLine",
    "VoucherStatus",
    "check_application",
    "check_budget",
    "check_invoice_number",
    "check_issue_value",
    "check_programme",
    "check_redemption",
    "check_services",
    "division_of",
    "expiring_soon",
    "is_local",
    "new_code",
    "report",
]
