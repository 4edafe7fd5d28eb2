"""A researcher reads what the platform decided about her results and rewards (M1, M3, M5):
her results, the lines paid to her with her own statement, never another person's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.benefits.contracts.tests.test_distribution import _contract, _decide
from kttc.policy import calendar
from kttc.policy.roles import Role
from kttc.registry.achievements import services as registry
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement

pytestmark = pytest.mark.django_db


def _paid_to_researcher(personas, unit):
    name = personas.researcher.full_name
    contract = _contract(personas, unit)
    return _decide(
        personas, contract, team_shares={name: Decimal("60"), "赵华": Decimal("40")}
    )


def test_a_researcher_sees_her_results_and_what_was_paid_to_her(client, personas, unit):
    raw = achievement_raw(name="高原蓝莓组培快繁技术")
    raw["completers"] = [
        {"name": personas.researcher.full_name, "unit_name": unit.name, "share": "70"},
        {"name": "赵华", "unit_name": unit.name, "share": "30"},
    ]
    data = validate_achievement(raw, today=calendar.today_in_shanghai())
    registry.achievement_create(actor=personas.transfer_office, unit=unit, data=data)
    distribution = _paid_to_researcher(personas, unit)
    mine = distribution.lines.get(name=personas.researcher.full_name)

    client.force_login(personas.researcher)
    page = client.get(reverse("mine:home"))
    assert page.status_code == 200
    assert [a.name for a in page.context["results"]] == ["高原蓝莓组培快繁技术"]
    assert [line.pk for line in page.context["lines"]] == [mine.pk]
    html = page.content.decode()
    assert reverse("contracts:statement", args=[distribution.pk, mine.pk, "pdf"]) in html


def test_her_own_statement_opens_and_another_persons_does_not(client, personas, unit):
    distribution = _paid_to_researcher(personas, unit)
    mine = distribution.lines.get(name=personas.researcher.full_name)
    other = distribution.lines.get(name="赵华")
    client.force_login(personas.researcher)
    own = client.get(reverse("contracts:statement", args=[distribution.pk, mine.pk, "pdf"]))
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    theirs = reverse("contracts:statement", args=[distribution.pk, other.pk, "pdf"])
    assert client.get(theirs).status_code == 404
    page = client.get(reverse("contracts:distribution", args=[distribution.pk]))
    assert page.status_code == 200  # no longer a 404 for the person it pays
    html = page.content.decode()
    assert reverse("payroll:export", args=[distribution.pk]) not in html
    assert reverse("contracts:statement", args=[distribution.pk, other.pk, "pdf"]) not in html
    for payroll in (
        reverse("payroll:export", args=[distribution.pk]),
        reverse("payroll:download", args=[distribution.pk, "xlsx"]),
    ):
        assert client.get(payroll).status_code == 404  # the payroll stays the office's


def test_a_person_paid_nothing_sees_nothing_of_the_distribution(client, personas, unit):
    distribution = _contract(personas, unit)  # a contract, no distribution to her
    decided = _decide(personas, distribution)
    client.force_login(personas.enterprise)
    assert client.get(reverse("contracts:distribution", args=[decided.pk])).status_code == 404
    page = client.get(reverse("mine:home"))
    assert page.status_code == 200 and not page.context["lines"]


def test_the_home_links_a_researcher_to_her_page(client, personas):
    client.force_login(personas.researcher)
    assert reverse("mine:home") in client.get(reverse("office:home")).content.decode()
    client.force_login(personas.transfer_office)
    assert reverse("mine:home") not in client.get(reverse("office:home")).content.decode()


@pytest.fixture
def unit(personas):
    return personas.organisations[Role.TRANSFER_OFFICE]
