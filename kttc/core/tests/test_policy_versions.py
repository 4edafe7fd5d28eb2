"""V.1: the parameters in force on a date; new versions without code changes; no rewriting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from kttc.core import selectors, services
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, PolicyVersion
from kttc.policy.errors import PolicyError
from kttc.policy.params import MEASURES_2026

TODAY = dt.date(2026, 11, 25)


def _values(**changes: str) -> dict[str, str]:
    values = MEASURES_2026.to_values()
    values.update(changes)
    return values


def test_v_1_the_measures_are_in_force_with_their_numbers(db):
    params = selectors.parameters_in_force(dt.date(2026, 6, 1))
    assert params == MEASURES_2026
    assert params.empowerment_notice_min_days == 15
    assert selectors.parameters_in_force(dt.date(2025, 12, 31)) == MEASURES_2026  # history
    with pytest.raises(PolicyError, match=r"V\.1"):
        selectors.parameters_in_force(dt.date(2029, 1, 1))


def test_v_1_bureau_publishes_a_new_version_that_governs_from_its_date(personas):
    version = services.policy_version_publish(
        actor=personas.bureau,
        code="KM-2027",
        title="修订",
        effective_from=dt.date(2027, 3, 1),
        values=_values(empowerment_notice_min_days="20"),
        today=TODAY,
    )
    assert selectors.parameters_in_force(dt.date(2027, 2, 28)).empowerment_notice_min_days == 15
    assert selectors.parameters_in_force(dt.date(2027, 3, 1)).empowerment_notice_min_days == 20
    entry = AuditEntry.objects.get(action="policy.version_publish", object_id=str(version.pk))
    assert entry.clauses == ["V.1", "M1.5"]
    assert entry.before["empowerment_notice_min_days"] == "15"
    assert entry.after["values"]["empowerment_notice_min_days"] == "20"


def test_v_1_a_version_cannot_take_effect_in_the_past(personas):
    with pytest.raises(PolicyError) as info:
        services.policy_version_publish(
            actor=personas.bureau,
            code="KM-back",
            title="x",
            effective_from=dt.date(2026, 11, 1),
            values=_values(),
            today=TODAY,
        )
    assert info.value.code == "policy.version_retroactive" and info.value.field == "effective_from"
    assert not PolicyVersion.objects.filter(code="KM-back").exists()


def test_v_1_out_of_range_values_are_refused_with_their_clause(personas):
    with pytest.raises(PolicyError) as info:
        services.policy_version_publish(
            actor=personas.bureau,
            code="KM-bad",
            title="x",
            effective_from=dt.date(2027, 1, 1),
            values=_values(completer_income_min_share="1.5"),
            today=TODAY,
        )
    assert info.value.field == "completer_income_min_share" and info.value.clauses == ("M5.2",)


@pytest.mark.parametrize("role", ["researcher", "transfer_office", "auditor", "enterprise"])
def test_v_1_only_the_bureau_publishes(personas, role):
    with pytest.raises(AccessDenied):
        services.policy_version_publish(
            actor=getattr(personas, role),
            code="KM-x",
            title="x",
            effective_from=dt.date(2027, 1, 1),
            values=_values(),
            today=TODAY,
        )


def test_v_1_a_version_in_force_cannot_change_by_orm_or_sql(db):
    version = PolicyVersion.objects.get(code="KM-2026")
    version.values = _values(empowerment_notice_min_days="1")
    with pytest.raises(TypeError):
        version.save()
    with pytest.raises(TypeError):
        version.delete()
    with pytest.raises(TypeError):
        PolicyVersion.objects.filter(pk=version.pk).update(title="x")
    for sql in (
        f"UPDATE core_policyversion SET title = 'x' WHERE id = {version.pk}",
        f"DELETE FROM core_policyversion WHERE id = {version.pk}",
    ):
        with (
            pytest.raises(DatabaseError, match=r"V\.1"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert PolicyVersion.objects.get(pk=version.pk).values["empowerment_notice_min_days"] == "15"


def test_v_1_a_pending_version_can_still_be_withdrawn(personas):
    future = services.policy_version_publish(
        actor=personas.bureau,
        code="KM-2099",
        title="x",
        effective_from=dt.date(2099, 1, 1),
        values=_values(),
    )
    future.delete()
    assert not PolicyVersion.objects.filter(code="KM-2099").exists()


def test_v_1_bureau_publishes_and_withdraws_through_the_back_office(client, personas):
    client.force_login(personas.bureau)
    url = reverse("office:policy")
    form = _values(submission_due_months="2")
    data = {f"param_{k}": v for k, v in form.items()} | {
        "code": "KM-2099",
        "title": "测试版本",
        "effective_from": "2099-01-01",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    version = PolicyVersion.objects.get(code="KM-2099")
    assert version.values["submission_due_months"] == "2"
    bad = client.post(
        url,
        data
        | {
            "code": "KM-2100",
            "effective_from": "2100-01-01",
            "param_completer_income_min_share": "2",
        },
    )
    assert "param_completer_income_min_share" in bad.context["form"].errors
    assert "M5.2" in str(bad.context["form"].errors)
    client.post(reverse("office:policy_withdraw", args=[version.pk]))
    assert not PolicyVersion.objects.filter(code="KM-2099").exists()
    assert AuditEntry.objects.filter(action="policy.version_withdraw").exists()
    current = PolicyVersion.objects.get(code="KM-2026")
    client.post(reverse("office:policy_withdraw", args=[current.pk]))
    assert PolicyVersion.objects.filter(code="KM-2026").exists()


def test_v_1_the_policy_page_is_the_bureaus(client, personas):
    client.force_login(personas.transfer_office)
    assert client.get(reverse("office:policy")).status_code == 403
