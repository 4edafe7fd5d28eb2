"""The demand hall's demo data loads once: published demands in Chinese, English and
Vietnamese, and one waiting for moderation."""

from __future__ import annotations

import pytest

from kttc.center import demo as center_demo
from kttc.center.demands import demo as demands_demo
from kttc.center.demands.choices import DemandStatus
from kttc.center.demands.models import Demand
from kttc.core.demo import load_demo as load_core_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_published_demands_in_three_languages_and_one_pending():
    load_core_demo()
    assert not demands_demo.demo_loaded()
    center_demo.load_demo()  # the questions on results wait for the registry's demo; demands not
    assert demands_demo.demo_loaded()
    published = Demand.objects.filter(status=DemandStatus.PUBLISHED)
    # Chinese, English, Vietnamese; and Lao, posted by the Vientiane partner (M8.4).
    assert set(published.values_list("language", flat=True)) == {"zh-hans", "en", "vi", "lo"}
    assert Demand.objects.filter(status=DemandStatus.PENDING).count() == 1
    count = Demand.objects.count()
    center_demo.load_demo()
    assert Demand.objects.count() == count
