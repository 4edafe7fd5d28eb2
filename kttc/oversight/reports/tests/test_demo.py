"""The units' reports' demo (M13.3): last year's report of the demo university accepted; this
year's period open, the university's report pre-filled with one figure corrected with its
reason, the institute and the hospital not filed; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.core.demo import load_demo as load_core_demo
from kttc.core.models import User
from kttc.core.selectors import audit_chain_verify
from kttc.oversight.reports import demo, selectors
from kttc.oversight.reports.models import ReportPeriod, UnitReport
from kttc.policy import unit_reports as rules

pytestmark = pytest.mark.django_db


def test_m13_3_the_demo_has_an_accepted_report_a_corrected_draft_and_units_not_filed(client):
    load_core_demo()
    demo.load_demo()
    today = selectors.today()
    last, current = ReportPeriod.objects.order_by("year")
    assert (last.year, current.year) == (today.year - 1, today.year)
    office = User.objects.get(email=demo.OFFICE)
    university = selectors.filing_units(office).get()
    accepted = UnitReport.objects.get(period=last, unit=university)
    assert accepted.status == "accepted" and accepted.figures["rd_staff"] == "1260"
    draft = UnitReport.objects.get(period=current, unit=university)
    assert draft.status == "draft" and draft.reasons == {"patents_granted": demo.CORRECTION}
    assert rules.differs(draft.platform["patents_granted"], draft.figures["patents_granted"])
    states = {row.unit.name: row.filing for row in selectors.overview(current, today)}
    assert states[university.name] is rules.Filing.NOT_FILED
    assert {"昆明市高原生物研究所", "昆明市滇池医院"} <= set(states)
    assert all(s is rules.Filing.NOT_FILED for s in states.values())
    assert audit_chain_verify().intact
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(office)
    home = client.get(reverse("office:home")).content.decode()
    assert "Reports on transformation to submit" in home
    page = client.get(reverse("unit_reports:edit", args=[draft.pk])).content.decode()
    assert demo.CORRECTION in page
    assert demo.demo_loaded()  # Part 4's demo loads it once
