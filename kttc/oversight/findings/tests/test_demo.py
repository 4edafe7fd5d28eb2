"""The findings' demo (M14.2): the audit bureau's issued audit of the demo university's licence
income distribution, one finding's rectification waiting for review and one still owed; the
finance bureau's draft, read only by the finance bureau; the two new departments' auditors sign
in with the demo password; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from kttc.core.demo import DEMO_PASSWORD
from kttc.core.models import User
from kttc.core.selectors import audit_chain_verify
from kttc.oversight import demo as oversight_demo
from kttc.oversight.findings import demo, selectors
from kttc.oversight.findings.models import Finding, Inspection

pytestmark = pytest.mark.django_db


def test_m14_2_the_demo_has_an_issued_audit_being_rectified_and_another_departments_draft(client):
    call_command("demo", verbosity=0)
    audit = Inspection.objects.get(reference=demo.REFERENCE)
    assert (audit.status, audit.clauses) == ("issued", ["M5.2", "M5.3"])
    assert list(audit.findings.values_list("rectification", flat=True)) == ["submitted", "required"]
    draft = Inspection.objects.get(department__name="昆明市财政局（演示）")
    assert draft.status == "draft" and draft.findings.count() == 1
    auditor, finance, sasac, office = (
        User.objects.get(email=e) for e in (demo.AUDITOR, demo.FINANCE, demo.SASAC, demo.OFFICE)
    )
    assert set(selectors.inspections_for(finance)) == {audit, draft}
    assert set(selectors.inspections_for(sasac)) == {audit}
    assert set(selectors.inspections_for(auditor)) == {audit}
    assert set(selectors.inspections_for(office)) == {audit}
    assert audit_chain_verify().intact
    assert sasac.check_password(DEMO_PASSWORD) and finance.check_password(DEMO_PASSWORD)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(auditor)
    home = client.get(reverse("office:home")).content.decode()
    assert "Rectifications waiting for your department&#x27;s review" in home
    counts = (Inspection.objects.count(), Finding.objects.count())
    oversight_demo.load_demo()
    assert (Inspection.objects.count(), Finding.objects.count()) == counts
