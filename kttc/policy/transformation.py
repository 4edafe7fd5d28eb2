"""M4.4: time-limited transformation. A result whose IP was obtained ``years`` or more years ago
(5 under the measures: the parameter ``open_licensing_after_years``) and that has not been
transformed without a justified reason goes on the open licensing list, where it is offered to
everyone on "use first, pay later" terms (M3).

* The IP is obtained on the earliest grant date of the result's granted IP rights; a result
  without a granted right has no clock.
* It becomes due for open licensing on the anniversary ``years`` years later (Civil Code
  Art. 202, :func:`kttc.policy.calendar.add_years`: 29 February counts to 28 February).
* A transformation (transfer, licence, equity investment, own implementation) stops the clock
  for good; a justification the bureau accepted stops it while it is valid (until its last day,
  or without end when it has none).

Pure Python: the services and the sweep store what these functions decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from kttc.policy.calendar import add_years
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.licensing import PaymentModel, check_term

#: The default offer made for a listed result (M4.4 with M3.3): non-exclusive, paid only after
#: the licensee's first revenue, for this many years. Terms of the platform, not numbers of the
#: measures: a unit may always offer the result on other terms besides.
DEFAULT_OFFER_PAYMENT_MODEL: Final = PaymentModel.AFTER_FIRST_REVENUE
DEFAULT_OFFER_TERM_YEARS: Final = check_term(5)


class Standing(StrEnum):
    """Where a result stands under M4.4 on a day."""

    NO_IP = "no_ip"  # no granted IP right: the clock has not started
    NOT_YET = "not_yet"  # the IP is younger than the parameter's years
    TRANSFORMED = "transformed"  # transformed: never due
    JUSTIFIED = "justified"  # an accepted justification is valid on the day
    DUE = "due"  # goes on (or stays on) the open licensing list


@dataclass(frozen=True)
class OpenLicensing:
    """M4.4: whether a result is due for open licensing on a day, and from which day it is
    (or would be, were it not transformed or justified)."""

    standing: Standing
    due_on: date | None

    @property
    def due(self) -> bool:
        return self.standing is Standing.DUE


def _years(years: int) -> int:
    if isinstance(years, bool) or not isinstance(years, int):
        raise TypeError(f"years must be an int, not {type(years).__name__}")
    if years < 1:
        raise ValueError(f"years must be at least 1, not {years}")
    return years


def ip_obtained_on(grant_dates: Iterable[date | None]) -> date | None:
    """M4.4: the day the result's IP was obtained: the earliest grant date of its granted
    rights (``None`` entries, rights without a date, are left out)."""
    dates = [d for d in grant_dates if d is not None]
    return min(dates) if dates else None


def open_licensing_due_on(ip_obtained: date, years: int) -> date:
    """M4.4: the day a result whose IP was obtained on ``ip_obtained`` becomes due for open
    licensing: ``years`` years later."""
    return add_years(ip_obtained, _years(years))


def latest_ip_date_due(on: date, years: int) -> date:
    """M4.4: the latest IP date whose result is due on ``on``: a result is due exactly when its
    IP was obtained on this day or before, so that a database can select due results with one
    comparison of an indexed date (``grant_date <= latest_ip_date_due(today, 5)``).

    Mostly ``on`` less ``years`` years; on a 28 February whose year has no 29th, a right granted
    on a 29 February ``years`` years before counts too (its anniversary is the 28th)."""
    day = add_years(on, -_years(years))  # due: its anniversary is ``on`` or the day before
    following = day + timedelta(days=1)
    while open_licensing_due_on(following, years) <= on:
        day, following = following, following + timedelta(days=1)
    return day


def justification_valid(valid_until: date | None, on: date) -> bool:
    """M4.4: an accepted justification counts on ``on`` up to its last day, or always when the
    bureau gave it none."""
    return valid_until is None or on <= valid_until


def open_licensing_standing(
    *,
    ip_obtained: date | None,
    on: date,
    years: int,
    transformed: bool,
    justified: bool,
) -> OpenLicensing:
    """M4.4: whether the result is due for open licensing on ``on``. ``justified``: an accepted
    justification valid on ``on`` (:func:`justification_valid`)."""
    if ip_obtained is None:
        return OpenLicensing(Standing.NO_IP, None)
    due_on = open_licensing_due_on(ip_obtained, years)
    if transformed:
        return OpenLicensing(Standing.TRANSFORMED, due_on)
    if due_on > on:
        return OpenLicensing(Standing.NOT_YET, due_on)
    if justified:
        return OpenLicensing(Standing.JUSTIFIED, due_on)
    return OpenLicensing(Standing.DUE, due_on)


def check_valid_until(valid_until: date | None, on: date) -> date | None:
    """M4.4: an accepted justification's last day, if any, is not before the day of the
    decision (a justification that has already run out justifies nothing)."""
    if valid_until is not None and valid_until < on:
        raise PolicyError(
            gettext_noop("An accepted justification runs to %(day)s or later; %(until)s is past."),
            code="justification.valid_until",
            field="valid_until",
            clauses=("M4.4",),
            params={"day": on.isoformat(), "until": valid_until.isoformat()},
        )
    return valid_until
