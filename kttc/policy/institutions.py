"""Service institutions and technology brokers (M9): the bureau's certification of key
demonstration service institutions (认定), their subsidy (M9.1) and the brokers' reward from it
(M9.2).

* **Brokers** (技术经纪人) are registered by their service institution with their certificate
  (number and level), their fields and the languages they work in (:func:`check_broker`).
* **Certification**: an institution applies with its materials and its record on the platform;
  the bureau certifies it for a term (:func:`check_term`) or refuses saying why, and may revoke a
  certification in force, saying why (:func:`check_transition`).
* **Subsidy** (M9.1): recorded once per certification, at the parameter in force on the day of
  the certification (``demonstration_institution_subsidy``), with the day it was disbursed
  (:func:`check_disbursement`).
* **Brokers' reward** (M9.2): when the institution rewards its brokers from the subsidy, the
  brokers' total is at least the minimum in force (``broker_reward_min_share``, 10 %) of the
  subsidy, rounded **up** to the fen so that the total never falls below the share, and at most
  the subsidy; it is split among the brokers by their agreed shares with one
  :func:`kttc.policy.money.allocate`, so the lines add up to the total exactly
  (:func:`split_reward`).

Pure Python: the services store what these functions decide.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import ceil
from typing import Final

from kttc.policy.benefits import agreed_shares, check_amount, check_ratio
from kttc.policy.calendar import add_years
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import FEN, allocate, percent

#: The clauses of the whole mechanism: certification and subsidy (M9.1), brokers (M9.2).
CLAUSES: Final = ("M9.1", "M9.2")
SUBSIDY_CLAUSES: Final = ("M9.1",)
REWARD_CLAUSES: Final = ("M9.2",)

#: The most fields and languages a broker lists.
MAX_FIELDS: Final = 10
#: The languages a broker may work in: those of the platform.
LANGUAGES: Final = ("zh-hans", "en", "vi", "th", "lo", "my", "km")
#: A certified institution applies again, to renew, within this many days of its term's end.
RENEW_WITHIN_DAYS: Final = 90
_CERTIFICATE: Final = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-/]{3,39}$")


class CertificateLevel(StrEnum):
    """The levels of the technology broker's certificate (初级, 中级, 高级)."""

    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    SENIOR = "senior"


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"  # waiting for the bureau
    CERTIFIED = "certified"  # certified for its term
    REFUSED = "refused"  # refused, with the reason
    REVOKED = "revoked"  # revoked during its term, with the reason


class Decision(StrEnum):
    CERTIFY = "certify"
    REFUSE = "refuse"
    REVOKE = "revoke"


#: Which status each of the bureau's decisions takes an application from, and to.
TRANSITIONS: Final[dict[Decision, tuple[ApplicationStatus, ApplicationStatus]]] = {
    Decision.CERTIFY: (ApplicationStatus.SUBMITTED, ApplicationStatus.CERTIFIED),
    Decision.REFUSE: (ApplicationStatus.SUBMITTED, ApplicationStatus.REFUSED),
    Decision.REVOKE: (ApplicationStatus.CERTIFIED, ApplicationStatus.REVOKED),
}


@dataclass(frozen=True)
class Broker:
    """A broker's qualifications, as checked."""

    certificate_number: str
    level: CertificateLevel
    fields: tuple[str, ...]
    languages: tuple[str, ...]


def check_broker(
    certificate_number: str, level: str, fields: Sequence[str], languages: Sequence[str]
) -> Broker:
    """M9.2: a broker is known by the number of their certificate (letters, digits, "-" or
    "/", 4 to 40 of them) and its level; they name one to ten fields and work in one language
    of the platform at least."""
    number = certificate_number.strip().upper()
    if not _CERTIFICATE.match(number):
        raise refuse(
            gettext_noop(
                "Give the number of the broker's certificate: 4 to 40 letters, digits, “-” or “/”."
            ),
            "broker.certificate",
            "certificate_number",
            REWARD_CLAUSES,
        )
    try:
        checked_level = CertificateLevel(level)
    except ValueError:
        raise refuse(
            gettext_noop("Choose the level of the broker's certificate."),
            "broker.level",
            "certificate_level",
            REWARD_CLAUSES,
        ) from None
    named = tuple(dict.fromkeys(f.strip() for f in fields if f.strip()))
    if not named or len(named) > MAX_FIELDS:
        raise refuse(
            gettext_noop("Name the broker's fields: one to %(max)s."),
            "broker.fields",
            "fields",
            REWARD_CLAUSES,
            max=MAX_FIELDS,
        )
    spoken = tuple(dict.fromkeys(languages))
    unknown = [code for code in spoken if code not in LANGUAGES]
    if not spoken or unknown:
        raise refuse(
            gettext_noop("Choose the languages the broker works in, one at least."),
            "broker.languages",
            "languages",
            REWARD_CLAUSES,
        )
    return Broker(number, checked_level, named, spoken)


def check_may_apply(*, waiting: bool, in_force_until: date | None, today: date) -> None:
    """M9.1: an institution applies once at a time, and not while certified, except in the last
    :data:`RENEW_WITHIN_DAYS` days of its term (to renew it)."""
    if waiting:
        raise refuse(
            gettext_noop("The institution's application is already waiting for the bureau."),
            "certification.waiting",
            None,
            SUBSIDY_CLAUSES,
        )
    if in_force_until is not None and (in_force_until - today).days > RENEW_WITHIN_DAYS:
        raise refuse(
            gettext_noop(
                "The institution is certified until %(date)s; apply again in the last %(days)s "
                "days of the term."
            ),
            "certification.in_force",
            None,
            SUBSIDY_CLAUSES,
            date=in_force_until.isoformat(),
            days=RENEW_WITHIN_DAYS,
        )


def check_transition(status: str, decision: Decision) -> ApplicationStatus:
    """M9.1: the bureau certifies or refuses an application waiting for it, and revokes a
    certification; anything else is refused. Returns the new status."""
    before, after = TRANSITIONS[decision]
    if status != before:
        raise refuse(
            gettext_noop("This application is no longer waiting for that decision."),
            "certification.status",
            None,
            SUBSIDY_CLAUSES,
        )
    return after


def check_term(start: date, end: date, *, decided_on: date) -> tuple[date, date]:
    """M9.1: a certification's term starts no earlier than a year before the decision, ends
    after it starts and not before the day of the decision."""
    if end <= start:
        raise refuse(
            gettext_noop("The term ends after it starts."),
            "certification.term",
            "term_end",
            SUBSIDY_CLAUSES,
        )
    if end < decided_on:
        raise refuse(
            gettext_noop("The term of a certification cannot have ended already (%(date)s)."),
            "certification.term_past",
            "term_end",
            SUBSIDY_CLAUSES,
            date=end.isoformat(),
        )
    if start < add_years(decided_on, -1):
        raise refuse(
            gettext_noop("The term cannot start more than a year before the decision."),
            "certification.term_start",
            "term_start",
            SUBSIDY_CLAUSES,
        )
    return start, end


def in_force(status: str, start: date | None, end: date | None, on: date) -> bool:
    """Whether a certification is in force on ``on``: certified, not revoked, within its term."""
    return (
        status == ApplicationStatus.CERTIFIED
        and start is not None
        and end is not None
        and start <= on <= end
    )


def subsidy_amount(parameter: Decimal) -> Decimal:
    """M9.1: the subsidy of one certification, the parameter in force on its day."""
    return check_amount(parameter, "amount", SUBSIDY_CLAUSES)


def check_disbursement(disbursed_on: date, *, certified_on: date, today: date) -> date:
    """M9.1: a subsidy is disbursed on or after the certification, and recorded once paid."""
    if disbursed_on < certified_on:
        raise refuse(
            gettext_noop("The subsidy is disbursed once the institution is certified (%(date)s)."),
            "subsidy.before_certification",
            "disbursed_on",
            SUBSIDY_CLAUSES,
            date=certified_on.isoformat(),
        )
    if disbursed_on > today:
        raise refuse(
            gettext_noop("Record the disbursement once made: %(date)s is after today."),
            "subsidy.future",
            "disbursed_on",
            SUBSIDY_CLAUSES,
            date=disbursed_on.isoformat(),
        )
    return disbursed_on


def minimum_reward(subsidy: Decimal, min_share: Decimal) -> Decimal:
    """M9.2: the least the brokers receive of ``subsidy`` when the institution rewards them:
    ``subsidy × min_share`` rounded up to the fen (never below the share)."""
    amount = check_amount(subsidy, "subsidy", REWARD_CLAUSES)
    share = check_ratio(min_share, "min_share", REWARD_CLAUSES)
    return Decimal(ceil(Fraction(amount) * Fraction(share) * 100)) * FEN


@dataclass(frozen=True)
class RewardLine:
    broker: str
    share: Decimal  # a ratio: 0.5 is half of the brokers' total
    amount: Decimal


@dataclass(frozen=True)
class RewardSplit:
    subsidy: Decimal
    min_share: Decimal
    minimum: Decimal
    total: Decimal
    lines: tuple[RewardLine, ...]


def split_reward(
    subsidy: Decimal,
    total: Decimal,
    shares: Mapping[str, Decimal | int],
    *,
    min_share: Decimal,
) -> RewardSplit:
    """M9.2: the brokers' reward from the subsidy: ``total`` at least :func:`minimum_reward`
    and at most the subsidy, split by the brokers' agreed ``shares`` (percentages adding up to
    100, or ratios adding up to 1, keyed by the broker) to the fen, the lines adding up to the
    total exactly. Refusals name the field at fault (``total`` or ``shares``) and M9.2."""
    minimum = minimum_reward(subsidy, min_share)
    amount = check_amount(total, "total", REWARD_CLAUSES)
    if amount > subsidy:
        raise refuse(
            gettext_noop(
                "The brokers' reward is paid from the subsidy, %(subsidy)s; %(total)s is more."
            ),
            "reward.above_subsidy",
            "total",
            REWARD_CLAUSES,
            subsidy=subsidy,
            total=amount,
        )
    if amount < minimum:
        raise refuse(
            gettext_noop(
                "The brokers receive at least %(share)s of the subsidy, %(minimum)s; "
                "%(total)s is less."
            ),
            "reward.below_minimum",
            "total",
            REWARD_CLAUSES,
            share=percent(Decimal(min_share)),
            minimum=minimum,
            total=amount,
        )
    ratios = agreed_shares(shares, field="shares", clauses=REWARD_CLAUSES)
    parts = allocate(amount, list(ratios.values()))
    lines = tuple(
        RewardLine(broker, share, part)
        for (broker, share), part in zip(ratios.items(), parts, strict=True)
    )
    return RewardSplit(subsidy, Decimal(min_share), minimum, amount, lines)


# --- deals facilitated (M9.1, M9.2) ------------------------------------------------------------

#: What a broker facilitates: the record the bureau reads when it certifies (M9.1) and the
#: brokers' record on their public profile (M9.2).
FACILITATION_CLAUSES: Final = ("M9.1", "M9.2")


class DealKind(StrEnum):
    LICENCE = "licence"
    CONTRACT = "contract"
    LISTING = "listing"
    DEMAND = "demand"


def deal_kind(kind: str) -> DealKind:
    """The kind of a deal a broker is named on: a licence, a technology contract, a listing or
    a demand."""
    try:
        return DealKind(kind)
    except ValueError:
        raise refuse(
            gettext_noop("Choose a licence, a technology contract, a listing or a demand."),
            "facilitation.kind",
            "deal",
            FACILITATION_CLAUSES,
        ) from None


def check_facilitation(*, broker_active: bool, already_named: bool) -> None:
    """A party names a broker on one of its deals: a broker still registered with an
    institution, and not twice on the same deal."""
    if not broker_active:
        raise refuse(
            gettext_noop("This broker is no longer registered with a service institution."),
            "facilitation.broker_withdrawn",
            "broker",
            FACILITATION_CLAUSES,
        )
    if already_named:
        raise refuse(
            gettext_noop("This broker is already named on this deal."),
            "facilitation.twice",
            "broker",
            FACILITATION_CLAUSES,
        )


__all__ = [
    "CLAUSES",
    "FACILITATION_CLAUSES",
    "LANGUAGES",
    "REWARD_CLAUSES",
    "SUBSIDY_CLAUSES",
    "ApplicationStatus",
    "Broker",
    "CertificateLevel",
    "DealKind",
    "Decision",
    "RewardLine",
    "RewardSplit",
    "check_broker",
    "check_disbursement",
    "check_facilitation",
    "check_may_apply",
    "check_term",
    "check_transition",
    "deal_kind",
    "in_force",
    "minimum_reward",
    "split_reward",
    "subsidy_amount",
]
