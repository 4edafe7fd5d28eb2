"""The benefits demo: a registered licence contract with a distribution that adds up, and an
invest-first case converted and partly exited; loaded once."""

from __future__ import annotations

import io

from django.core.management import call_command

from kttc.benefits.demo import demo_loaded
from kttc.benefits.models import Distribution, InvestFirstCase


def test_m5_m7_the_demo_has_a_distribution_and_an_invest_first_case(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", stdout=io.StringIO())
    assert demo_loaded()
    distribution = Distribution.objects.get()
    assert sum(line.amount for line in distribution.lines.all()) == distribution.net_income
    assert distribution.contract.licence is not None and distribution.income > 0
    case = InvestFirstCase.objects.get()
    assert case.status == "converted" and case.exits.count() == 1
    call_command("demo", stdout=io.StringIO())
    assert Distribution.objects.count() == 1
