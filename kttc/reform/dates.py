"""The legal date of the reform's decisions (shared by its mechanisms)."""

from __future__ import annotations

from datetime import date

from kttc.policy import calendar


def today() -> date:
    """The legal date of a decision: today in Asia/Shanghai, looked up in the calendar module at
    each call, so that a test can move the platform's date by replacing
    ``kttc.policy.calendar.today_in_shanghai``."""
    return calendar.today_in_shanghai()
