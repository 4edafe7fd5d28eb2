"""Dates, numbers and date inputs as each reader's language writes them (CLDR through Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel.dates import format_date
from django import forms
from django.template import Context, Template
from django.utils import translation

from kttc.core import dates
from kttc.core.errors import error_payload, translated_message
from kttc.core.models import render_message
from kttc.policy.errors import PolicyError

LANGUAGES = ["zh-hans", "en", "vi", "th", "lo", "my", "km"]
DAY = dt.date(2026, 12, 5)

#: What CLDR writes for 5 December 2026 in each language, medium width (Gregorian everywhere).
MEDIUM = {
    "zh-hans": "2026年12月5日",
    "en": "Dec 5, 2026",
    "vi": "5 thg 12, 2026",
    "th": "5 ธ.ค. 2026",
    "lo": "5 ທ.ວ. 2026",
    "my": "2026 ဒီ 5",
    "km": "5 ធ្នូ 2026",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_reads_as_cldr_writes_it_in_each_language(language):
    with translation.override(language):
        assert dates.day(DAY) == MEDIUM[language]
        assert dates.day(DAY, "long") == format_date(DAY, "long", locale=dates.CLDR[language])


def test_thai_dates_are_gregorian_with_thai_month_names():
    with translation.override("th"):
        assert "2026" in dates.day(DAY) and "2569" not in dates.day(DAY)  # no Buddhist era
        assert "ธันวาคม" in dates.day(DAY, "long")


def test_a_moment_is_shown_in_asia_shanghai():
    moment = dt.datetime(2026, 12, 4, 17, 30, tzinfo=dt.UTC)  # 01:30 on the 5th in Kunming
    with translation.override("vi"):
        assert dates.moment(moment) == "01:30 5 thg 12, 2026"
    with translation.override("en"):
        assert dates.moment(moment) == "Dec 5, 2026, 1:30\u202fAM"
    with translation.override("zh-hans"):
        assert dates.moment(moment, seconds=True) == "2026年12月5日 01:30:00"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_filters_show_dates_and_leave_blanks(language):
    template = Template('{% load dates %}{{ d|day }}|{{ none|day|default:"—" }}|{{ t|moment }}')
    moment = dt.datetime(2026, 12, 5, 6, 0, tzinfo=dt.UTC)
    with translation.override(language):
        shown = template.render(Context({"d": DAY, "none": None, "t": moment}))
    assert shown.startswith(MEDIUM[language] + "|—|")
    assert "2026-12-05" not in shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_input_stays_iso_in_every_language(language):
    # Django's own Chinese and Thai formats would fill it as 2026/12/05 and 05/12/2026, which a
    # date input shows as empty.
    widget = forms.DateInput(attrs={"type": "date"})
    with translation.override(language):
        assert 'value="2026-12-05"' in widget.render("day", DAY)
        assert forms.DateField().clean("2026-12-05") == DAY


def test_a_notice_shows_its_date_as_the_reader_reads_it():
    params = {"day": "2026-12-05", "count": 3, "code": "2026-12-05/x"}
    with translation.override("vi"):
        assert render_message("%(day)s %(count)s %(code)s", params) == (
            "5 thg 12, 2026 3 2026-12-05/x"
        )


def test_a_refusal_shows_its_date_as_read_on_pages_and_iso_in_the_api():
    error = PolicyError("Until %(date)s.", code="x", field="f", params={"date": "2026-12-05"})
    with translation.override("th"):
        assert translated_message(error) == "Until 5 ธ.ค. 2026."
        payload = error_payload(error)["error"]
        assert isinstance(payload, dict) and payload["message"] == "Until 2026-12-05."


@pytest.mark.parametrize(
    ("language", "count", "amount"),
    [("vi", "1.234.567", "1.234.567,50"), ("en", "1,234,567", "1,234,567.50"),
     ("lo", "1.234.567", "1.234.567,50"), ("th", "1,234,567", "1,234,567.50")],
)  # fmt: skip
def test_counts_and_amounts_are_grouped_as_the_language_groups(language, count, amount):
    template = Template(
        "{% load i18n money %}{% blocktranslate count counter=n|number %}{{ counter }} result"
        "{% plural %}{{ counter }} results{% endblocktranslate %}|{{ a|money }}|{{ n|number }}"
    )
    with translation.override(language):
        shown = template.render(Context({"n": 1234567, "a": Decimal("1234567.5")}))
    assert shown.split("|")[1:] == [amount, count]
    assert count in shown.split("|")[0]
