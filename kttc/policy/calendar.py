"""Legal dates in Asia/Shanghai: today's date, month and year arithmetic, periods of N days.

DESIGN rule 5: legal dates are dates in Asia/Shanghai, timestamps are aware. A moment becomes a
legal date only through :func:`local_date`, so that 23:30 UTC counts as the next day in Kunming.

Periods follow the Civil Code of the PRC, Book One, Chapter X (期间计算):

* Art. 201: a period counted in days, months or years starts on the day *after* the day it
  begins (开始的当日不计入，自下一日开始计算);
* Art. 202: a period in months or years ends on the corresponding day of the last month, or on
  the last day of that month when it has no corresponding day;
* Art. 203: the last day ends at 24:00. (Its first paragraph, moving a last day that falls on a
  statutory holiday to the day after the holiday, is *not* applied here: the pure policy layer
  has no holiday calendar, and a period "of not less than N days" is a minimum that a later
  end only lengthens. A service that needs it can shift the computed day.)
"""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

#: The time zone of the platform's legal dates (China Standard Time, UTC+8).
SHANGHAI: Final = ZoneInfo("Asia/Shanghai")


def _require_date(value: date, name: str) -> None:
    """Refuse datetimes where a legal date is meant: which day they are depends on a zone."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(
            f"{name} must be a date, not {type(value).__name__}; "
            "convert a moment with local_date() first"
        )


def _require_aware(moment: datetime) -> None:
    if not isinstance(moment, datetime):
        raise TypeError(f"expected an aware datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} is naive: a moment must carry its time zone")


def local_date(moment: datetime) -> date:
    """DESIGN rule 5: the Asia/Shanghai date of an aware moment (naive ones raise ValueError)."""
    _require_aware(moment)
    return moment.astimezone(SHANGHAI).date()


def today_in_shanghai(now: datetime | None = None) -> date:
    """DESIGN rule 5: today's date in Asia/Shanghai, at ``now`` (aware) or at the current time."""
    return local_date(datetime.now(tz=SHANGHAI) if now is None else now)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_months(d: date, months: int) -> date:
    """Civil Code Art. 202: the day ``months`` months after ``d``, or the last day of that month.

    The corresponding day is kept when the target month has it and clamped to the month's last
    day otherwise: 2026-11-30 + 3 = 2027-02-28, 2024-01-31 + 1 = 2024-02-29. ``months`` may be
    negative. A result outside years 1–9999 raises OverflowError.
    """
    _require_date(d, "d")
    year, month_index = divmod(d.year * 12 + d.month - 1 + months, 12)
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError(f"{d.isoformat()} + {months} months is outside years 1–9999")
    month = month_index + 1
    return date(year, month, min(d.day, _days_in_month(year, month)))


def add_years(d: date, years: int) -> date:
    """Civil Code Art. 202: the day ``years`` years after ``d``; 29 February becomes the 28th.

    A result outside years 1–9999 raises OverflowError.
    """
    _require_date(d, "d")
    year = d.year + years
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError(f"{d.isoformat()} + {years} years is outside years 1–9999")
    if d.month == 2 and d.day == 29 and not _is_leap(year):
        return date(year, 2, 28)
    return d.replace(year=year)


def _require_positive(count: int, name: str) -> None:
    if isinstance(count, bool) or not isinstance(count, int):
        raise TypeError(f"{name} must be an int, not {type(count).__name__}")
    if count < 1:
        raise ValueError(f"{name} must be at least 1, not {count}")


def period_last_day(start: date, days: int) -> date:
    """Civil Code Arts. 201, 203: the last day of a period of ``days`` days beginning on ``start``.

    The day of ``start`` (e.g. the day a notice is published) is not counted; counting begins the
    next day and the period ends at 24:00 of the day returned, which is ``start + days``: a
    15-day notice published on 2026-11-25 runs 2026-11-26 … 2026-12-10.
    """
    _require_date(start, "start")
    _require_positive(days, "days")
    return start + timedelta(days=days)


def earliest_day_after_period(start: date, days: int) -> date:
    """Civil Code Arts. 201, 203: the first day after a period of ``days`` days from ``start``.

    The earliest day on which an act that must follow the whole period may happen: for a 15-day
    notice published on 2026-11-25 (last day 2026-12-10) it is 2026-12-11.
    """
    return period_last_day(start, days) + timedelta(days=1)


def period_end_not_less_than(start: date, days: int) -> date:
    """Civil Code Arts. 201, 203: the first day on which a period of not less than ``days`` days
    beginning on ``start`` has run its course.

    The same day as :func:`earliest_day_after_period` (a notice published on 2026-11-25 for not
    less than 15 days has run its course on 2026-12-11, its last day being 2026-12-10): a decision
    that must wait for the period may be taken on that day or later.
    """
    return earliest_day_after_period(start, days)


def months_deadline(event: date, months: int) -> date:
    """Civil Code Arts. 201, 202: the last day of a period of ``months`` months after ``event``.

    The corresponding day of the final month, or its last day if it has none: a result formed on
    2026-11-30 with 3 months to be submitted (M8.6) is due on 2027-02-28, at 24:00.
    """
    _require_date(event, "event")
    _require_positive(months, "months")
    return add_months(event, months)


def years_since(start: date, on: date) -> int:
    """Civil Code Art. 202: the number of full years from ``start`` to ``on`` (birthday-style).

    A year is complete on its anniversary, or on 28 February for a start on 29 February when the
    year has no 29 February, matching :func:`add_years`: ``years_since(s, on) >= n`` exactly when
    ``add_years(s, n) <= on``. ``on`` before ``start`` raises ValueError.
    """
    _require_date(start, "start")
    _require_date(on, "on")
    if on < start:
        raise ValueError(f"{on.isoformat()} is before {start.isoformat()}")
    years = on.year - start.year
    if add_years(start, years) > on:
        years -= 1
    return years
