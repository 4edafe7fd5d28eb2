"""The statistics' demo (M13.3): after ``kttc demo`` the dashboard counts the demo's results,
licences, contracts and demands, not an empty picture; loading again refreshes nothing twice."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

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
    call_command("demo", stdout=io.StringIO())
    assert StatisticsRefresh.objects.count() == 1
    client.force_login(User.objects.get(email="bureau@demo.kttc.example"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    page = client.get(reverse("statistics:dashboard")).content.decode()
    assert "<svg" in page and "已登记的成果" in page
