"""Fixtures of the empowerment reform: a reform unit with its rules, a result of it whose
completers include the researcher persona, and the files kept in a temporary MEDIA_ROOT."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.policy.roles import Role
from kttc.reform.tests.factories import make_result, set_rules


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unit(personas):
    return personas.organisations[Role.TRANSFER_OFFICE]


@pytest.fixture
def rules(personas, unit):
    return set_rules(personas.transfer_office, unit)


@pytest.fixture
def result(personas, unit):
    return make_result(personas, unit)


@pytest.fixture
def travel(monkeypatch):
    """Move the platform's date (Asia/Shanghai): ``travel(date)``."""
    from kttc.policy import calendar

    def to(day: dt.date) -> None:
        monkeypatch.setattr(calendar, "today_in_shanghai", lambda now=None: day)

    return to
