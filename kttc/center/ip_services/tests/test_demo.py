"""The pre-examination demo (M11.1): requests at every stage; the bureau's queue and home show
them; the enterprise sees its own; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.center import demo as center_demo
from kttc.center.ip_services.models import PreExamination
from kttc.core.demo import load_demo as load_core_demo
from kttc.core.models import User
from kttc.core.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


def test_the_demo_has_requests_at_every_stage_in_the_queue_and_homes(client):
    load_core_demo()
    center_demo.load_demo()
    statuses = sorted(PreExamination.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "forwarded", "passed", "returned", "submitted"]
    assert audit_chain_verify().intact
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(User.objects.get(email="bureau@demo.kttc.example"))
    queue = client.get(reverse("ip_services:queue")).content.decode()
    assert "激光增材制造" in queue and "热误差补偿" in queue
    home = client.get(reverse("office:home")).content.decode()
    assert "Pre-examination requests waiting for the center" in home
    client.force_login(User.objects.get(email="enterprise@demo.kttc.example"))
    mine = client.get(reverse("ip_services:mine")).content.decode()
    assert "单克隆抗体" in mine and "三七皂苷" not in mine
    count = PreExamination.objects.count()
    center_demo.load_demo()
    assert PreExamination.objects.count() == count
