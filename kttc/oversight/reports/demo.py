"""The units' reports' demo (M13.3): the bureau (``bureau@demo.kttc.example``) opened last
year's period early this year and accepted the demo university's report (its office
``office@demo…``); this year's period is open, due in three weeks: the demo university's report
is pre-filled from its records with one figure corrected with its reason, the other municipal
units (the institute, the hospital) have not filed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kttc.core.models import Organisation, User
from kttc.oversight.reports import selectors, services
from kttc.oversight.reports.models import ReportPeriod, UnitReport
from kttc.policy import calendar

OFFICE = "office@demo.kttc.example"
BUREAU = "bureau@demo.kttc.example"
#: What the demo university states of its people and platforms (the platform does not know).
PEOPLE: dict[str, tuple[str, str]] = {
    "rd_staff": ("1260", ""),
    "transfer_staff": ("8", ""),
    "staff_on_leave": ("3", ""),
    "staff_part_time": ("27", ""),
    "transfer_offices": ("1", ""),
    "incubators": ("2", ""),
    "joint_platforms": ("9", ""),
}
CORRECTION = "一项实用新型专利已授权，证书尚未在平台登记。"


def demo_loaded() -> bool:
    return ReportPeriod.objects.exists()


def _university(office: User) -> Organisation:
    return selectors.filing_units(office).get()


@transaction.atomic
def load_demo() -> None:
    today = calendar.today_in_shanghai()
    bureau = User.objects.get(email=BUREAU)
    office = User.objects.get(email=OFFICE)
    university = _university(office)
    # last year's period, opened in January, due at the end of March; the university's accepted
    opened = dt.date(today.year, 1, 10)
    last = services.period_open(
        actor=bureau, year=today.year - 1, due_on=dt.date(today.year, 3, 31), today=opened
    )
    report = UnitReport.objects.get(period=last, unit=university)
    report = services.report_submit(
        actor=office, report=report, entries=PEOPLE, today=dt.date(today.year, 3, 20)
    )
    services.report_accept(actor=bureau, report=report, today=dt.date(today.year, 3, 27))
    # this year's period, open, due in three weeks
    current = services.period_open(
        actor=bureau, year=today.year, due_on=today + dt.timedelta(days=21), today=today
    )
    report = UnitReport.objects.get(period=current, unit=university)
    platform = int(report.platform["patents_granted"] or "0")
    services.report_save(
        actor=office, report=report,
        entries={"patents_granted": (str(platform + 1), CORRECTION)},
    )  # fmt: skip
