"""The evaluation demo (M10.1): two signed evaluations of the demo university's results (at the
bank's request and at the unit's), one shown publicly, one request waiting in the institution's
queue, and the finance demo's enterprise's result evaluated before its pledge loan (M12.1); the
pages and homes show them; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.center import demo as center_demo
from kttc.center.evaluation import selectors
from kttc.center.evaluation.models import Evaluation
from kttc.core.demo import load_demo as load_core_demo
from kttc.core.models import User
from kttc.core.selectors import audit_chain_verify
from kttc.registry import demo as registry_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_signed_evaluations_one_public_and_one_waiting(client):
    load_core_demo()
    registry_demo.load_demo()
    center_demo.load_demo()
    found = {(e.requester_kind, e.status, e.shown_publicly) for e in Evaluation.objects.all()}
    assert found == {
        ("bank", "signed", False),
        ("unit", "signed", True),
        ("investor", "requested", False),
        # The finance demo's enterprise, the unit of its own result, has it evaluated before it
        # pledges it (M12.1).
        ("unit", "signed", False),
    }
    assert audit_chain_verify().intact
    bank = User.objects.get(email="bank@demo.kttc.example")
    signed = Evaluation.objects.get(requester_kind="bank")
    pledged = Evaluation.objects.get(requester_kind="unit", shown_publicly=False)
    assert pledged.finance_applications.filter(status="approved").exists()
    assert signed.report.sha256 and signed.evaluator.email == "broker2@demo.kttc.example"
    assert list(selectors.evaluations_for_bank(signed.result)) == [signed]
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(bank)
    assert "Evaluation reports ready" in client.get(reverse("office:home")).content.decode()
    pdf = client.get(reverse("evaluation:pdf", args=[signed.pk, "zh"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(User.objects.get(email="broker@demo.kttc.example"))
    home = client.get(reverse("office:home")).content.decode()
    assert "Evaluation requests waiting for your institution" in home
    public = Evaluation.objects.get(shown_publicly=True)
    client.logout()
    page = client.get(reverse("catalog:detail", args=[public.result_id])).content.decode()
    assert f'data-evaluation="{public.pk}"' in page
    count = Evaluation.objects.count()
    center_demo.load_demo()
    assert Evaluation.objects.count() == count
