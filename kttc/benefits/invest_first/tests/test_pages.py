"""The invest-first pages (M7) as the platform uses them: a grant, a round below the trigger,
one that converts on the agreed terms, an exit within the appropriate return, the fund's report;
refusals beside their field; others kept out."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.benefits.invest_first.models import InvestFirstCase, InvestFirstExit
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db

GRANT = {
    "company": "滇中生物制造有限公司",
    "project": "高原药用植物中试放大",
    "stage": "mid_scale_pilot",
    "support": "1000000",
    "granted_on": "2026-02-01",
    "min_round_size": "5000000",
    "discount_percent": "20",
    "valuation_cap": "31000000",
    "return_cap_percent": "8",
}


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_m7_a_case_through_the_pages(client, personas):
    platform = personas.investment_platform
    client.force_login(platform)
    assert "No invest-first case yet." in client.get(reverse("invest:cases")).content.decode()
    org = personas.organisations[Role.INVESTMENT_PLATFORM]
    bad = client.post(
        reverse("invest:grant"), {**GRANT, "platform": org.pk, "discount_percent": "100"}
    )
    assert bad.status_code == 200 and not InvestFirstCase.objects.exists()
    done = client.post(reverse("invest:grant"), {**GRANT, "platform": org.pk})
    case = InvestFirstCase.objects.get()
    assert done["Location"] == reverse("invest:case", args=[case.pk])
    page = reverse("invest:case", args=[case.pk])
    small = {"action": "round", "round-closed_on": "2026-05-01", "round-round_size": "3000000",
             "round-price_per_share": "14", "round-pre_money_shares": "3000000"}  # fmt: skip
    client.post(page, small)
    case.refresh_from_db()
    assert case.status == "invested"
    client.post(page, {**small, "round-closed_on": "2026-09-01", "round-round_size": "8000000"})
    case.refresh_from_db()
    assert case.status == "converted" and case.conversion.shares == 96_774
    too_many = client.post(
        page,
        {"action": "exit", "exit-exited_on": "2027-03-01", "exit-shares": "96775",
         "exit-proceeds": "1"},
    )  # fmt: skip
    assert too_many.status_code == 200 and "M7.4" in too_many.content.decode()
    client.post(
        page,
        {"action": "exit", "exit-exited_on": "2027-03-01", "exit-shares": "40000",
         "exit-proceeds": "612345.67"},
    )  # fmt: skip
    assert InvestFirstExit.objects.get().returned == Decimal("612345.67")
    shown = client.get(page)
    report = shown.context["report"]
    assert report.outstanding == Decimal("387654.33")
    assert report.granted == report.converted + report.unconverted
    listing = client.get(reverse("invest:cases")).content.decode()
    assert "387,654.33" in listing  # grouped as the reader's language groups amounts
    client.force_login(personas.transfer_office)
    assert client.get(reverse("invest:grant")).status_code == 403
    assert client.get(page).status_code == 404
    client.force_login(personas.bureau)
    assert client.get(page).status_code == 200
