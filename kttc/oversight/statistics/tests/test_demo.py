"""The statistics' demo (M13.3): after ``kttc demo`` the dashboard counts the demo's results,
licences, contracts and demands, not an empty picture; loading again refreshes nothing twice."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.urls import reverse

from kttc.benefits.models import (
    DistributionLine,
    EquityInvestment,
    InvestFirstCase,
    InvestFirstExit,
)
from kttc.core.models import User
from kttc.oversight.statistics import measures, selectors
from kttc.oversight.statistics.models import StatisticsRefresh

pytestmark = pytest.mark.django_db


def test_m13_3_the_demo_draws_real_figures(client):
    call_command("demo", stdout=io.StringIO())
    assert StatisticsRefresh.objects.count() == 1
    totals = {t.measure.key: t.count for t in selectors.totals(measures.OFFICE)}
    for key in ("results_registered", "results_published", "licences", "contracts", "demands"):
        assert totals[key] > 0, key
    # M5.2, M6.1, M7.2, M7.4: the benefits' measures add up to their tables
    amounts = {t.measure.key: (t.count, t.amount) for t in selectors.totals(measures.OFFICE)}
    team = DistributionLine.objects.filter(beneficiary="team").aggregate(
        n=Count("pk"), s=Sum("amount")
    )
    assert amounts["income_to_teams"] == (team["n"], team["s"])
    equity = EquityInvestment.objects.aggregate(n=Count("pk"), s=Sum("valuation"))
    assert amounts["equity_formed"] == (equity["n"], equity["s"])
    out = InvestFirstCase.objects.aggregate(n=Count("pk"), s=Sum("support"))
    assert amounts["invest_first_out"] == (out["n"], out["s"])
    back = InvestFirstExit.objects.aggregate(n=Count("pk"), s=Sum("returned"))
    assert amounts["invest_first_back"] == (back["n"], back["s"])
    assert team["n"]  # the demo distributed income; it has no equity investment yet
    call_command("demo", stdout=io.StringIO())
    assert StatisticsRefresh.objects.count() == 1
    client.force_login(User.objects.get(email="bureau@demo.kttc.example"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    page = client.get(reverse("statistics:dashboard")).content.decode()
    assert "<svg" in page and "已登记的成果" in page
