"""The partners' demo (M8.4): three partners abroad, a referred Lao enterprise and its demand in
Lao with English and Chinese translations, loaded once."""

from __future__ import annotations

import pytest

from kttc.center import demo as center_demo
from kttc.center.demands.models import Demand
from kttc.center.partners import selectors
from kttc.center.partners.models import Partnership
from kttc.core.demo import load_demo as load_core_demo
from kttc.core.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_the_demo_has_partners_in_laos_vietnam_and_thailand_and_a_lao_demand():
    load_core_demo()
    center_demo.load_demo()
    assert {p.partner.country for p in selectors.partnerships_public()} == {"LA", "VN", "TH"}
    staff = User.objects.get(email="partner@demo.kttc.example")
    assert staff.check_password("kttc-demo-2026")
    vientiane = Organisation.objects.get(memberships__user=staff)
    (case,) = selectors.cases_of(vientiane)
    assert case.enterprise.country == "LA" and case.enterprise.verified_at is not None
    demand = Demand.objects.get(posted_by=vientiane)
    assert (demand.organisation, demand.language, demand.status) == (
        case.enterprise, "lo", "published",
    )  # fmt: skip
    assert set(demand.translations.values_list("language", flat=True)) == {"en", "zh-hans"}
    count = Partnership.objects.count()
    center_demo.load_demo()
    assert Partnership.objects.count() == count
