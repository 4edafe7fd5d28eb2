"""The service institutions' demo (M9.1, M9.2): the demo institution certified, its subsidy
recorded, a reward split between its two brokers; the broker persona's back office shows it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.center import demo as center_demo
from kttc.center.institutions import selectors
from kttc.center.institutions.models import BrokerProfile, BrokerReward, Subsidy
from kttc.core.demo import load_demo as load_core_demo
from kttc.core.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_institution_is_certified_subsidised_and_rewards_two_brokers(client):
    load_core_demo()
    center_demo.load_demo()
    broker = User.objects.get(email="broker@demo.kttc.example")
    (certified,) = selectors.certified_institutions()
    assert certified.institution.memberships.filter(user=broker).exists()
    subsidy = Subsidy.objects.get(certification=certified)
    assert subsidy.amount == Decimal("100000.00")
    reward = BrokerReward.objects.get(subsidy=subsidy)
    lines = sorted(line.amount for line in reward.lines.all())
    assert lines == [Decimal("8000.00"), Decimal("12000.00")] and sum(lines) == reward.total
    colleague = User.objects.get(email="broker2@demo.kttc.example")
    assert colleague.check_password("kttc-demo-2026")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(broker)
    home = client.get(reverse("office:home")).content.decode()
    assert "Service institution and brokers (M9)" in home
    mine = client.get(reverse("institutions:my_rewards")).content.decode()
    assert "12,000.00" in mine
    count = BrokerProfile.objects.count()
    center_demo.load_demo()
    assert BrokerProfile.objects.count() == count == 2


def test_the_demo_enterprise_names_a_broker_on_its_demand_shown_on_the_profile(client):
    from kttc.center.institutions.models import Facilitation

    load_core_demo()
    center_demo.load_demo()
    link = Facilitation.objects.get(kind="demand")
    assert link.broker.person.email == "broker2@demo.kttc.example"
    assert link.demand.status == "published"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("service_institutions:broker", args=[link.broker_id]))
    assert link.demand.title in page.content.decode()
