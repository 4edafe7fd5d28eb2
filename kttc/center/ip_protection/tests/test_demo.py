"""The IP protection demo (M11.2): a complaint in mediation the respondent sees, a decision
published without personal data, a new case waiting for intake; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.center import demo as center_demo
from kttc.center.ip_protection.models import IpCase
from kttc.core.demo import load_demo as load_core_demo
from kttc.core.models import User
from kttc.core.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


def test_the_demo_has_cases_in_mediation_published_and_waiting(client):
    load_core_demo()
    center_demo.load_demo()
    assert sorted(IpCase.objects.values_list("status", flat=True)) == [
        "accepted", "closed", "filed",
    ]  # fmt: skip
    assert audit_chain_verify().intact
    published = IpCase.objects.get(published_on__isnull=False)
    public = client.get(reverse("ip_decisions:detail", args=[published.pk])).content.decode()
    assert "ZL201710601862.3" in public
    for private in ("李文华", "13987654321", "li.wenhua@example.cn", "春城路88号", "王芳", "陈静"):
        assert private not in public
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(User.objects.get(email="enterprise@demo.kttc.example"))
    against = client.get(reverse("ip_protection:against")).content.decode()
    mediation = IpCase.objects.get(status="accepted")
    assert mediation.number in against
    client.force_login(User.objects.get(email="bureau@demo.kttc.example"))
    handling = client.get(reverse("ip_protection:handling")).content.decode()
    assert mediation.number in handling and IpCase.objects.get(status="filed").number in handling
    home = client.get(reverse("office:home")).content.decode()
    assert "IP protection cases waiting for a step" in home
    count = IpCase.objects.count()
    center_demo.load_demo()
    assert IpCase.objects.count() == count
