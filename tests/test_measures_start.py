"""V.1, DESIGN rule 11: the day the measures took effect is a setting of the installation,
which the bureau sets or corrects (audited) while no decision rests on it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.core import selectors
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, MeasuresStart
from kttc.core.policy_versions import services as measures_services
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role
from kttc.registry import services as registry_services

TODAY = dt.date(2026, 3, 1)


def _set(personas, day, actor=None):
    return measures_services.measures_start_set(
        actor=actor or personas.bureau, effective_from=day, today=TODAY
    )


def _decide(personas):
    """A decision under the policy: a fiscal project held to M4.2."""
    registry_services.fiscal_project_create(
        actor=personas.bureau,
        undertaking_unit=personas.organisations[Role.TRANSFER_OFFICE],
        competent_department="昆明市科学技术局",
        programme="重点研发计划",
        project_number="KM2026-100",
        title="高原植物开发",
        approval_date=dt.date(2026, 2, 1),
        budget=Decimal("1000.00"),
        transformation_obligation="许可",
        transformation_deadline=dt.date(2030, 2, 1),
    )


def test_v_1_the_first_version_starts_on_the_day_the_installation_sets(personas):
    first = selectors.policy_version_records()[0]
    assert (first.effective_from, first.effective_until) == (
        dt.date(2026, 1, 1),
        dt.date(2028, 12, 31),
    )
    _set(personas, dt.date(2025, 12, 15))
    first = selectors.policy_version_records()[0]
    assert first.code == "KM-2026" and first.effective_from == dt.date(2025, 12, 15)
    assert first.effective_until == dt.date(2028, 12, 14)  # three years of validity (V.1)
    assert selectors.parameters_in_force(dt.date(2028, 12, 14)).submission_due_months == 3
    with pytest.raises(PolicyError, match=r"V\.1"):
        selectors.parameters_in_force(dt.date(2028, 12, 20))
    entry = AuditEntry.objects.get(action="policy.measures_start")
    assert entry.clauses == ["V.1"] and entry.policy_version == "KM-2026"
    assert entry.before == {"effective_from": "2026-01-01", "effective_until": "2028-12-31"}
    assert entry.after == {"effective_from": "2025-12-15", "effective_until": "2028-12-14"}
    _set(personas, dt.date(2025, 12, 20))  # corrected again: still one row
    assert MeasuresStart.objects.get().effective_from == dt.date(2025, 12, 20)
    assert AuditEntry.objects.filter(action="policy.measures_start").count() == 2


def test_v_1_only_the_bureau_sets_it_and_never_to_a_day_to_come(personas):
    with pytest.raises(AccessDenied):
        _set(personas, dt.date(2025, 12, 15), actor=personas.transfer_office)
    with pytest.raises(PolicyError) as info:
        _set(personas, TODAY + dt.timedelta(days=1))
    assert info.value.field == "effective_from" and info.value.clauses == ("V.1",)
    assert not MeasuresStart.objects.exists()


def test_v_1_once_a_decision_rests_on_the_policy_the_date_stands(personas):
    _set(personas, dt.date(2025, 12, 15))
    _decide(personas)
    with pytest.raises(PolicyError) as info:
        _set(personas, dt.date(2025, 11, 1))
    assert info.value.code == "policy.measures_start_used"
    assert info.value.field == "effective_from" and info.value.clauses == ("V.1",)
    assert MeasuresStart.objects.get().effective_from == dt.date(2025, 12, 15)


def test_v_1_the_bureau_sets_it_on_its_page_and_the_policy_pages_show_it(client, personas):
    page = reverse("office:policy_start")
    client.force_login(personas.transfer_office)
    assert client.get(page).status_code == 403
    client.force_login(personas.bureau)
    assert client.get(page).status_code == 200
    response = client.post(page, {"effective_from": "2025-12-15"})
    assert response.status_code == 302
    assert MeasuresStart.objects.get().effective_from == dt.date(2025, 12, 15)
    for url in (reverse("policy_parameters"), reverse("office:policy")):
        shown = client.get(url).content.decode()
        # in Chinese, as the default language writes dates
        assert "2025年12月15日" in shown and "2028年12月14日" in shown, url
    refused = client.post(page, {"effective_from": "2099-01-01"})
    assert "V.1" in refused.context["form"].errors["effective_from"][0]
    _decide(personas)
    locked = client.get(page)
    assert locked.context["locked"] and '<form method="post"' not in locked.content.decode()
    again = client.post(page, {"effective_from": "2025-11-01"})
    assert again.context["form"].errors["effective_from"]
    assert MeasuresStart.objects.get().effective_from == dt.date(2025, 12, 15)


def test_v_1_the_api_lists_the_first_version_from_the_day_the_installation_set(client, personas):
    _set(personas, dt.date(2025, 12, 15))
    listed = client.get("/api/v1/policy/versions").json()
    first = next(v for v in listed if v["code"] == "KM-2026")
    assert (first["effective_from"], first["effective_until"]) == ("2025-12-15", "2028-12-14")
