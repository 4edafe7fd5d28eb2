"""The state equity pages (M2) as a transfer office and the bureau use them: the ledger's
matters on an investment's page, the bureau's approval queue, the value preservation report.
Refusals beside their field citing the clause, nothing stored; other people kept out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.benefits.state_equity.models import StateEquityMatter
from kttc.benefits.tests.factories import investment_recorded, matter_recorded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _errors(response, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_m2_matters_are_routed_and_refused_beside_their_field(client, personas, unit):
    investment = investment_recorded(personas, unit)
    client.force_login(personas.transfer_office)
    page = reverse("equity:detail", args=[investment.pk])
    data = {
        "action": "matter",
        "matter-kind": "public_market_transfer",
        "matter-occurred_on": "2026-06-01",
        "matter-amount": "300000",
        "matter-shares": "2500",
        "matter-description": "在产权交易所公开挂牌转让",
    }
    too_many = client.post(page, data)
    errors = too_many.context["forms"]["matter"].errors
    assert errors["shares"][0].startswith("M2.1") and "2000" in errors["shares"][0]
    impairment = client.post(page, {**data, "matter-kind": "impairment"})
    assert impairment.context["forms"]["matter"].errors["shares"][0].startswith("M2.3")
    early = client.post(page, {**data, "matter-shares": "500", "matter-occurred_on": "2026-01-01"})
    assert "M2.1" in early.context["forms"]["matter"].errors["occurred_on"][0]
    assert not StateEquityMatter.objects.exists()
    assert client.post(page, {**data, "matter-shares": "500"}).status_code == 302
    secret = client.post(page, {**data, "matter-shares": "400", "matter-touches_secrets": "on"})
    assert secret.status_code == 302
    decided, waiting = StateEquityMatter.objects.order_by("id")
    assert (decided.status, waiting.status) == ("decided", "waiting_approval")
    html = client.get(page).content.decode()
    assert "Waiting for approval (M2.2)" in html and "National secrets" in html
    assert f'id="matter-{decided.pk}" class="status-decided"' in html


def test_m2_2_the_bureau_approves_or_rejects_in_its_queue(client, personas, unit):
    investment = investment_recorded(personas, unit)
    first = matter_recorded(personas, investment, touches_secrets=True)
    second = matter_recorded(personas, investment, shares=300, key_core_technology=True)
    queue = reverse("equity:approvals")
    for person in (personas.transfer_office, personas.auditor, personas.enterprise):
        client.force_login(person)
        assert client.get(queue).status_code == 403
        client.post(queue, {"action": "approve", "matter": first.pk})
    first.refresh_from_db()
    assert first.status == "waiting_approval"
    client.force_login(personas.bureau)
    listed = client.get(queue)
    assert [row["matter"] for row in listed.context["rows"]] == [first, second]
    no_reason = client.post(
        queue, {"action": "reject", "matter": second.pk, f"m{second.pk}-reason": " "}
    )
    assert no_reason.status_code == 200
    [row] = [r for r in no_reason.context["rows"] if r["matter"] == second]
    assert row["reject"].errors["reason"][0].startswith("M2.2")
    second.refresh_from_db()
    assert second.status == "waiting_approval"
    approved = client.post(
        queue, {"action": "approve", "matter": first.pk, f"m{first.pk}-note": "同意"}
    )
    assert approved.status_code == 302
    rejected = client.post(
        queue, {"action": "reject", "matter": second.pk, f"m{second.pk}-reason": "涉及关键核心技术"}
    )
    assert rejected.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decision_note) == ("approved", "同意")
    assert (second.status, second.decision_note) == ("rejected", "涉及关键核心技术")
    assert "No matter is waiting for approval." in client.get(queue).content.decode()
    assert client.post(queue, {"action": "approve", "matter": first.pk}).status_code == 404


def test_m2_3_the_preservation_report_shows_impairment_apart(client, personas, unit):
    investment = investment_recorded(personas, unit)
    matter_recorded(
        personas,
        investment,
        kind="impairment",
        shares=None,
        amount=Decimal("300000.00"),
        occurred_on=dt.date(2026, 9, 30),
        description="公司估值下降",
    )
    page = reverse("equity:preservation")
    client.force_login(personas.enterprise)
    assert client.get(page).status_code == 403
    client.force_login(personas.transfer_office)
    empty = client.get(page)
    assert empty.status_code == 200 and empty.context["report"] is None
    query = {"unit": unit.pk, "period_start": "2026-01-01", "period_end": "2026-12-31",
             "opening": "2000000", "closing": "1800000"}  # fmt: skip
    shown = client.get(page, query)
    report = shown.context["report"]
    assert report.impairment == Decimal("300000.00")
    assert report.closing_before_impairment == Decimal("2100000.00")
    assert shown.context["ratio"] == Decimal("1.050000")
    html = shown.content.decode()
    assert "105%" in html and "90%" in html and "300000.00" in html
    zero = client.get(page, {**query, "opening": "0"})
    assert zero.context["report"] is None
    assert zero.context["form"].errors["opening"][0].startswith("M2.3")
    backwards = client.get(page, {**query, "period_end": "2025-12-31"})
    assert "period_end" in backwards.context["form"].errors
    client.force_login(personas.bureau)
    assert client.get(page, query).context["report"].impairment == Decimal("300000.00")
